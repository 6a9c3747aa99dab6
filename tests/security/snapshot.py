"""What a company holds, as plain data, to prove a refused request changed nothing."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from app.auth.models import Membership, MembershipStore
from app.closures.models import Closure, RejectedPayload
from app.companies.models import ApiToken, Company, Store

VOLATILE = {"last_used_at"}


def _rows(session: Session, model: Any, where: Any) -> list[dict[str, Any]]:
    rows = session.exec(select(model).where(where)).all()
    dumped = [{k: v for k, v in r.model_dump().items() if k not in VOLATILE} for r in rows]
    return sorted(dumped, key=repr)


def snapshot(session: Session, company_id: int) -> dict[str, Any]:
    """Every row of company_id in the tables a portal action could change."""
    session.expire_all()
    out = {
        "company": _rows(session, Company, Company.id == company_id),
        "stores": _rows(session, Store, Store.company_id == company_id),
        "closures": _rows(session, Closure, Closure.company_id == company_id),
        "refused": _rows(session, RejectedPayload, RejectedPayload.company_id == company_id),
        "tokens": _rows(session, ApiToken, ApiToken.company_id == company_id),
        "members": _rows(session, Membership, Membership.company_id == company_id),
    }
    ids = [m["id"] for m in out["members"]]
    out["member_stores"] = _rows(session, MembershipStore, MembershipStore.membership_id.in_(ids))  # type: ignore[attr-defined]
    try:
        from app.reports.models import Report

        out["reports"] = _rows(session, Report, Report.company_id == company_id)
    except ImportError:
        pass
    return out
