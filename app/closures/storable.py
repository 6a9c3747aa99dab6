"""What a closure that passed the schema may still hold that Kassabok cannot store."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from app.closures.problems import Problem, _, pointer
from app.companies.models import Company, Store

INT_MAX = 2**31 - 1  # z_number and revision live in 32-bit integer columns


def storage_problems(payload: dict[str, Any]) -> list[Problem]:
    """What a valid closure may still hold that the database cannot keep faithfully."""
    problems = [
        Problem(f"/{name}", _("{0} is too large; send at most {1}.").format(name, INT_MAX))
        for name in ("z_number", "revision")
        if payload.get(name, 0) > INT_MAX
    ]
    text = json.dumps(payload, ensure_ascii=False, default=str)
    if "\\u0000" not in text and _text_problem(text) is None:
        return problems  # the common case, told by one C-speed pass
    stack: list[tuple[tuple[str | int, ...], object]] = [((), payload)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*where, key), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(((*where, i), item) for i, item in enumerate(value))
        elif isinstance(value, str) and (problem := _text_problem(value)):
            problems.append(Problem(pointer(*where), problem))
    return sorted(problems, key=lambda p: p.pointer)


def _text_problem(text: str) -> str | None:
    """Why a text cannot be stored as sent (a NUL, or a lone surrogate), or None."""
    if "\x00" in text:
        return _("The text holds a NUL character (\\u0000), which no text field keeps; remove it.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _("The text holds an unpaired UTF-16 surrogate; send valid Unicode.")
    return None


def unknown_store(session: Session, company: Company, code: str) -> Problem:
    """The problem for a store code the company does not have, naming the ones it has."""
    codes = session.exec(
        select(Store.store_id).where(Store.company_id == company.id).order_by(Store.store_id)
    ).all()
    sent = '"' + (code if len(code) <= 40 else code[:40] + "…") + '"'
    if not codes:
        msg = _("Store {0} is unknown: {1} has no stores yet; an admin adds them under Stores.")
        return Problem("/store_id", msg.format(sent, company.name))
    shown = ", ".join(codes[:20]) + (" …" if len(codes) > 20 else "")
    msg = _("Store {0} is not one of {1}'s stores ({2}); correct store_id or add the store.")
    return Problem("/store_id", msg.format(sent, company.name, shown))
