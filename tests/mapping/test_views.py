"""The mapping page: who may see and change it, the form, BAS default, quick map, search."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from app.companies.models import Company
from app.fortnox import chart as fortnox_chart
from app.mapping import chart as charts
from app.mapping import service
from app.mapping.schema import bas_default
from tests.mapping.conftest import fixture

HX = {"HX-Request": "true"}


def url(company: Company, tail: str = "/") -> str:
    """A path under the company's mapping page."""
    return f"/c/{company.id}/mapping{tail}"


def form_of(data: dict[str, Any], comment: str = "") -> dict[str, list[str]]:
    """The form fields a browser posts for a mapping."""
    form: dict[str, list[str]] = {"comment": [comment]}
    for section in ("payment_methods", "sales", "vat", "other"):
        entries = data.get(section, {})
        form[f"{section}.key"] = list(entries)
        form[f"{section}.account"] = list(entries.values())
    return form


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        ("admin", 200, 200),
        ("accountant", 200, 200),
        ("auditor", 200, 403),
        ("store_manager", 403, 403),
    ],
)
def test_who_may_see_and_change_the_mapping(
    client: FlaskClient, auth: Any, company: Company, role: str, read: int, write: int
) -> None:
    auth.login(f"{role}@example.com")
    for tail in ("/", "/versions", "/compare", "/export", "/accounts?q=19"):
        assert client.get(url(company, tail)).status_code == read, tail
    for tail in ("/", "/bas-default", "/quick", "/import"):
        answer = client.post(url(company, tail), headers=HX, data={"section": "vat", "key": "25"})
        assert answer.status_code in ((200, 400, 422) if write == 200 else (write,)), tail


def test_strangers_get_404_and_anonymous_users_the_login(
    client: FlaskClient, auth: Any, session: Session, company: Company
) -> None:
    from tests.factories import make_user

    assert client.get(url(company)).status_code in (302, 401)
    make_user(session, "stranger@example.com")
    auth.login("stranger@example.com")
    assert client.get(url(company)).status_code == 404
    assert client.post(url(company, "/bas-default")).status_code == 404


def test_the_page_shows_every_section_and_readers_get_no_form(
    client: FlaskClient, auth: Any, company: Company
) -> None:
    auth.login("auditor@example.com")
    page = client.get(url(company)).get_data(as_text=True)
    for text in ("Payment methods", "GIFT_CARD", "*:12", "CASH_DIFFERENCE", "Versions"):
        assert text in page
    assert "Apply BAS default" not in page and "Save as new version" not in page
    assert "chart" in page  # not connected: the chart is unavailable, numbers may be typed


def test_bas_default_in_one_click_then_an_edit_makes_version_two(
    client: FlaskClient, auth: Any, session: Session, company: Company
) -> None:
    auth.login("accountant@example.com")
    answer = client.post(url(company, "/bas-default"), headers=HX)
    assert answer.status_code == 200 and "<html" not in answer.get_data(as_text=True)
    assert "mapping-saved" in answer.headers["HX-Trigger"]
    assert service.latest_mapping(session, company.id).data == bas_default()
    data = bas_default()
    data["payment_methods"]["AMEX"] = "1581"
    answer = client.post(url(company), headers=HX, data=form_of(data, "amex"))
    assert "Saved as version 2" in answer.get_data(as_text=True)
    latest = service.latest_mapping(session, company.id)
    assert latest.version == 2 and latest.comment == "amex"
    assert latest.data["payment_methods"]["AMEX"] == "1581"


def test_a_plain_form_post_redirects_with_303(
    client: FlaskClient, auth: Any, company: Company
) -> None:
    auth.login("admin@example.com")
    answer = client.post(url(company), data=form_of(bas_default()))
    assert answer.status_code == 303 and answer.headers["Location"].endswith(url(company))


def test_a_blank_account_unmaps_and_a_new_row_adds(
    client: FlaskClient, auth: Any, session: Session, company: Company
) -> None:
    auth.login("accountant@example.com")
    form = form_of(bas_default())
    form["payment_methods.account"][0] = ""
    form["sales.key"].append("food:12")
    form["sales.account"].append("3005")
    form["sales.key"].append("")
    form["sales.account"].append("")
    client.post(url(company), headers=HX, data=form)
    data = service.latest_mapping(session, company.id).data
    assert "CASH" not in data["payment_methods"] and data["sales"]["FOOD:12"] == "3005"


@pytest.mark.parametrize(
    ("section", "key", "account", "says"),
    [
        ("payment_methods", "CASH", "191", "4 digits"),
        ("sales", "FOOD:13", "3002", "25, 12, 6 or 0"),
        ("sales", "FOOD", "3002", "GROUP:RATE"),
        ("sales", "", "3002", "Give the code"),
        ("vat", "12", "abcd", "4 digits"),
    ],
)
def test_a_bad_field_shows_its_error_and_saves_nothing(
    client: FlaskClient,
    auth: Any,
    session: Session,
    company: Company,
    section: str,
    key: str,
    account: str,
    says: str,
) -> None:
    auth.login("accountant@example.com")
    form = form_of(bas_default())
    form[f"{section}.key"].append(key)
    form[f"{section}.account"].append(account)
    answer = client.post(url(company), headers=HX, data=form)
    html = answer.get_data(as_text=True)
    assert says in html and 'aria-invalid="true"' in html and "nothing was saved" in html
    assert f'value="{account}"' in html  # what was typed stays in the field
    assert service.latest_mapping(session, company.id) is None
    assert client.post(url(company), data=form).status_code == 422


def test_unmapped_codes_from_closures_and_quick_map(
    client: FlaskClient,
    auth: Any,
    session: Session,
    company: Company,
    add_closure: Callable[..., Any],
) -> None:
    payload = fixture()
    payload["payments"].append({"method": "AMEX", "amount": "0.00"})
    add_closure(company, payload)
    auth.login("accountant@example.com")
    client.post(url(company, "/bas-default"), headers=HX)
    page = client.get(url(company)).get_data(as_text=True)
    assert "Seen in closures, unmapped" in page and "seen in Z457, store S12" in page
    assert "AMEX" in page
    answer = client.post(
        url(company, "/quick"),
        headers=HX,
        data={"section": "payment_methods", "key": "AMEX", "account": "1581"},
    )
    assert "unmapped" not in answer.get_data(as_text=True).split("<form")[0]
    latest = service.latest_mapping(session, company.id)
    assert latest.data["payment_methods"]["AMEX"] == "1581"
    assert latest.comment == "Quick map of AMEX"
    assert "Seen in closures, unmapped" not in client.get(url(company)).get_data(as_text=True)


def test_quick_map_with_a_bad_account_says_so(
    client: FlaskClient, auth: Any, session: Session, company: Company
) -> None:
    auth.login("accountant@example.com")
    answer = client.post(
        url(company, "/quick"), headers=HX, data={"section": "vat", "key": "25", "account": "26"}
    )
    assert "4 digits" in answer.get_data(as_text=True)
    assert service.latest_mapping(session, company.id) is None


class FakeChart:
    """Stands in for app.fortnox.chart's cached chart."""

    @staticmethod
    def install(monkeypatch: pytest.MonkeyPatch) -> None:
        accounts = [
            charts.Account("1910", "Kassa"),
            charts.Account("1580", "Fordringar för kontokort"),
            charts.Account("1930", "Företagskonto", active=False),
            charts.Account("2611", "Utgående moms 25 %", cost_center_settings="NOTALLOWED"),
            charts.Account("1581", "Fordran AMEX"),
        ]
        monkeypatch.setattr(
            fortnox_chart,
            "load_chart",
            lambda s, c, refresh=False: charts.Chart({a.number: a for a in accounts}),
        )


def test_search_as_you_type_returns_datalist_options(
    client: FlaskClient, auth: Any, company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    FakeChart.install(monkeypatch)
    auth.login("accountant@example.com")
    html = client.get(url(company, "/accounts?q=19"), headers=HX).get_data(as_text=True)
    assert '<datalist id="account-options">' in html
    assert 'value="1910"' in html and 'value="1930"' in html and "1580" not in html
    headers = {**HX, "HX-Trigger-Name": "payment_methods.account"}
    html = client.get(url(company, "/accounts?payment_methods.account=kort"), headers=headers)
    assert 'value="1580"' in html.get_data(as_text=True)


def test_inactive_and_no_cost_center_accounts_are_flagged(
    client: FlaskClient,
    auth: Any,
    session: Session,
    company: Company,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    FakeChart.install(monkeypatch)
    auth.login("accountant@example.com")
    refused = client.post(url(company, "/bas-default"), headers=HX).get_data(as_text=True)
    assert "Save anyway" in refused and service.latest_mapping(session, company.id) is None
    data = {**form_of(bas_default()), "confirm_accounts": ["1"]}
    client.post(url(company, "/"), headers=HX, data=data)
    page = client.get(url(company)).get_data(as_text=True)
    assert "Account 1930 is inactive in Fortnox." in page
    assert "Account 2611 does not allow cost centers" in page
    assert "Account 3001 is not in the company" in page
    assert "Kassa" in page


def test_chart_unavailable_when_not_connected(session: Session, company: Company) -> None:
    chart = fortnox_chart.load_chart(session, company)
    assert not chart.available and chart.unavailable
    assert charts.search(chart, "19") == [] and charts.warning(chart, "1910") == ""


def test_quick_map_to_an_account_fortnox_lacks_is_refused_with_the_nearest(
    client: FlaskClient,
    auth: Any,
    session: Session,
    company: Company,
    add_closure: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    FakeChart.install(monkeypatch)
    add_closure(company, fixture("amex-custom-method"))
    auth.login("accountant@example.com")
    quick = {"section": "payment_methods", "key": "AMEX", "account": "9999"}
    html = client.post(url(company, "/quick"), headers=HX, data=quick).get_data(as_text=True)
    assert service.latest_mapping(session, company.id) is None
    assert "alert--success" not in html and "Saved as version" not in html
    assert "Account 9999 is not in the company&#39;s Fortnox chart." in html
    assert 'value="payment_methods|AMEX|1581"' in html  # by name: the chart's AMEX account
    assert 'name="confirm_accounts" value="1"' in html
    # Choosing a nearest account saves it; the rest of the form is kept as posted.
    form = {**form_of({"payment_methods": {"AMEX": "9999"}}), "use": "payment_methods|AMEX|1581"}
    html = client.post(url(company, "/"), headers=HX, data=form).get_data(as_text=True)
    assert "Saved as version 1." in html
    assert service.latest_mapping(session, company.id).data["payment_methods"] == {"AMEX": "1581"}


def test_save_anyway_is_explicit_and_never_a_green_success(
    client: FlaskClient,
    auth: Any,
    session: Session,
    company: Company,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    FakeChart.install(monkeypatch)
    auth.login("accountant@example.com")
    form = form_of({"payment_methods": {"CASH": "1910", "SWISH": "1930"}})
    html = client.post(url(company, "/"), headers=HX, data=form).get_data(as_text=True)
    assert "Account 1930 is inactive in Fortnox." in html and "Use 1910 Kassa" in html
    assert service.latest_mapping(session, company.id) is None
    html = client.post(url(company, "/"), headers=HX, data={**form, "confirm_accounts": "1"})
    text = html.get_data(as_text=True)
    assert "alert--warning" in text and "alert--success" not in text and "1930" in text
    latest = service.latest_mapping(session, company.id)
    assert latest.data["payment_methods"]["SWISH"] == "1930"
    # An account already saved (and confirmed) does not block the next, unrelated save.
    form = form_of({"payment_methods": {"CASH": "1910", "SWISH": "1930", "CARD": "1580"}})
    html = client.post(url(company, "/"), headers=HX, data=form).get_data(as_text=True)
    assert "Saved as version 2." in html


def test_import_refuses_accounts_fortnox_lacks_unless_confirmed(
    client: FlaskClient,
    auth: Any,
    session: Session,
    company: Company,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io
    import json

    FakeChart.install(monkeypatch)
    auth.login("accountant@example.com")
    doc = {**service.export_mapping(session, company.id), "payment_methods": {"AMEX": "1589"}}

    def upload(**extra: str) -> str:
        body: dict[str, Any] = {"file": (io.BytesIO(json.dumps(doc).encode()), "m.json"), **extra}
        return client.post(url(company, "/import"), headers=HX, data=body).get_data(as_text=True)

    html = upload()
    assert "Account 1589 is not in the company" in html and "Nearest: 1581 Fordran AMEX" in html
    assert service.latest_mapping(session, company.id) is None
    html = upload(confirm_accounts="1")
    assert "Imported as version 1" in html
