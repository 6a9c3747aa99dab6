"""Where report files live: written atomically under REPORTS_DIR, named for the browser."""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app

from app.reports.models import Report


def reports_dir() -> Path:
    """Where report files live."""
    return Path(current_app.config["REPORTS_DIR"])


def store(report: Report, pdf: bytes, digest: str) -> str:
    """Write the PDF atomically under REPORTS_DIR; return its path relative to it."""
    name = f"{report.company_id}/report-{report.id}-{digest[:12]}.pdf"
    path = reports_dir() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(pdf)
    os.replace(partial, path)
    return name


def download_name(report: Report, orgnr: str) -> str:
    """The file name a browser saves: company, period and language."""
    return f"kassabok-{orgnr}-{report.period_start}-{report.period_end}-{report.language}.pdf"
