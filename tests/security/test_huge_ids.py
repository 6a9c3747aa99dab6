"""An id too large for any column is a 404 on every route, never a 500 from the database."""

from __future__ import annotations

import pytest

from app.converters import MAX_ID
from tests.auth.routes import ALL_ROUTES, Route
from tests.factories import make_company, make_store, make_user

HUGE = ("99999999999999999999", str(MAX_ID + 1), str(2**63))
INT_ROUTES = [r for r in ALL_ROUTES if any(c == "IntegerConverter" for _n, c in r.converters)]


def test_the_routes_with_integer_ids_are_all_here() -> None:
    assert len({r.rule for r in INT_ROUTES}) >= 20


@pytest.mark.parametrize("route", INT_ROUTES, ids=lambda r: r.id)
def test_a_huge_id_is_404(route: Route, app, session, client, auth) -> None:
    company = make_company(session)
    make_store(session, company, "S12")
    make_user(session, "admin@x.se", company, "admin")
    auth.login("admin@x.se")
    ints = [name for name, conv in route.converters if conv == "IntegerConverter"]
    for huge in HUGE:
        for name in ints:
            values = {n: company.id for n in ints if n == "company_id"} | {name: huge}
            url = route.url(**values)
            resp = client.open(url, method=route.method, headers={"HX-Request": "true"})
            assert resp.status_code == 404, (url, resp.status_code)


def test_the_largest_id_still_routes(app, session, client, auth) -> None:
    company = make_company(session)
    make_user(session, "admin@x.se", company, "admin")
    auth.login("admin@x.se")
    assert client.get(f"/c/{MAX_ID}/closures").status_code == 404  # routed, then not a member
    assert client.get(f"/c/{company.id}/closures").status_code == 200


def test_huge_numbers_in_query_strings_are_no_500(app, session, client, auth) -> None:
    from tests.closures.ingest_support import bearer, body, closure, make_token

    company = make_company(session)
    make_store(session, company, "S12")
    make_user(session, "admin@x.se", company, "admin")
    headers = bearer(make_token(session, company))
    assert client.post("/api/v1/closures", data=body(closure()), headers=headers).status_code == 201
    auth.login("admin@x.se")
    for huge in HUGE:
        page = client.get(f"/c/{company.id}/closures?store={huge}&page={huge}")
        assert page.status_code == 200
        assert client.get(f"/c/{company.id}/audit?page={huge}").status_code == 200
        status = client.get(
            f"/api/v1/closures/opn-7731:S12:R1:Z457?revision={huge}", headers=headers
        )
        assert status.status_code == 404
    ok = client.get("/api/v1/closures/opn-7731:S12:R1:Z457?revision=1", headers=headers)
    assert ok.status_code == 200


def test_huge_mapping_versions_are_404(app, session, client, auth) -> None:
    company = make_company(session)
    make_user(session, "admin@x.se", company, "admin")
    auth.login("admin@x.se")
    base = f"/c/{company.id}/mapping"
    for huge in HUGE:
        assert client.get(f"{base}/compare?a=0&b={huge}").status_code == 404
        assert client.get(f"{base}/export?version={huge}").status_code == 404
    assert client.get(f"{base}/compare").status_code == 200
