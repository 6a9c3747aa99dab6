"""The WSGI entry point: `gunicorn wsgi:app`."""

from __future__ import annotations

from app import create_app, freeze_heap

app = create_app()
freeze_heap()
