"""Settings or POS texts over Fortnox's limits (its spec) are held before anything is sent."""

from __future__ import annotations

import json

from flask_babel import force_locale
from sqlmodel import select

from app.closures.models import ClosureState
from app.companies.models import Store
from app.posting import service
from app.posting.builder import BuildSettings, build_voucher
from app.posting.builder_limits import limit_holds
from app.posting.invoices import build_invoices
from app.posting.reasons import encode, render
from tests.closure_strategies import BAS_MAPPING
from tests.posting.conftest import fixture

S = ClosureState
INVOICE_ON = BuildSettings(invoice=True, tip_on_invoice=True)


def test_a_stores_cost_center_longer_than_fortnox_takes_holds_until_it_is_fixed(
    session, books, receive
) -> None:
    store = session.exec(select(Store).where(Store.store_id == "S12")).one()
    store.cost_center = "CAFECENTRUM"  # Kassabok takes 20 characters, Fortnox 6
    session.add(store)
    session.commit()
    closure = receive(books, fixture("cafe-full-day"))
    assert (closure.state, closure.hold_code) == (S.HELD, "cost_center_too_long")
    detail = json.loads(closure.state_reason)[0]["detail"]
    assert detail == {"store": "S12", "center": "CAFECENTRUM", "limit": "6"}
    with force_locale("sv"):
        said = render(closure.state_reason)[0]
    assert "S12" in said.message and "CAFECENTRUM" in said.message and "6 tecken" in said.message
    assert "under Butiker" in said.fix
    store.cost_center = "S12"
    session.add(store)
    session.commit()
    assert service.recheck_holds(session, books.id) == 1
    assert closure.state == S.QUEUED


def test_a_voucher_series_longer_than_fortnox_takes_is_held() -> None:
    closure = fixture("cafe-full-day")
    voucher = build_voucher(closure, BAS_MAPPING, BuildSettings(series="DAGSKASSA11"), "S12")
    (hold,) = limit_holds("S12", voucher, [])
    assert (hold.code, hold.detail) == (
        "voucher_series_too_long",
        {"series": "DAGSKASSA11", "limit": "10"},
    )
    assert "In the settings" in hold.fix


def test_a_pos_text_longer_than_fortnox_takes_names_the_field_and_the_sale() -> None:
    closure = fixture("cafe-full-day")
    closure["invoice_sales"][0]["your_reference"] = "Y" * 51  # past the closure schema's 50
    drafts = build_invoices(closure, BAS_MAPPING, INVOICE_ON, "S12")
    voucher = build_voucher(closure, BAS_MAPPING, INVOICE_ON, "S12")
    (hold,) = limit_holds("S12", voucher, drafts)
    assert hold.code == "text_too_long"
    with force_locale("sv"):
        said = render(encode([hold.reason()]))[0]
    assert said.message == (
        "YourReference i faktura R1-104233 skulle bli 51 tecken; Fortnox tillåter högst 50."
    )


def test_nothing_is_held_when_every_text_fits() -> None:
    closure = fixture("cafe-full-day")
    drafts = build_invoices(closure, BAS_MAPPING, INVOICE_ON, "CAFE01")
    voucher = build_voucher(closure, BAS_MAPPING, BuildSettings(series="DAGSKASSA1"), "CAFE01")
    assert limit_holds("S12", voucher, drafts) == []
