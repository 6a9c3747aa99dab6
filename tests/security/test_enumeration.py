"""No answer tells whether an organisation number belongs to a company in Kassabok."""

from __future__ import annotations

from tests.factories import make_company, make_user

MISSING = "559876-5435"  # Luhn-valid, no company has it


def test_reconciliation_answers_a_foreign_and_a_missing_company_alike(session, client, auth):
    home = make_company(session, "Hem AB", "556677-8899")
    make_company(session, "Grannen AB", "556000-0001")
    make_user(session, "acc@x.se", home, "accountant")
    auth.login("acc@x.se")
    answers = [
        client.get(f"/api/v1/reconciliation?company={orgnr}&from=2026-01-01&to=2026-01-31")
        for orgnr in ("556000-0001", MISSING, "x")
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.get_data() for a in answers}) == 1
    assert len({tuple(sorted(a.headers.items())) for a in answers}) == 1
    assert b"Grannen" not in answers[0].get_data()
    own = client.get("/api/v1/reconciliation?company=556677-8899&from=2026-01-01&to=2026-01-31")
    assert own.status_code == 200


def test_opening_a_company_that_exists_names_no_company(session, client, auth):
    home = make_company(session, "Hem AB", "556677-8899")
    make_company(session, "Grannen AB", "556000-0001")
    make_user(session, "admin@x.se", home, "admin")
    auth.login("admin@x.se")
    texts = {}
    for orgnr in ("556000-0001", "556677-8899"):
        answer = client.post("/companies/new", data={"name": "Ny AB", "orgnr": orgnr})
        assert answer.status_code == 422
        texts[orgnr] = answer.get_data(as_text=True)
        assert "ask the company&#39;s admin to invite you" in texts[orgnr]
        assert "already in Kassabok" not in texts[orgnr] and "Grannen" not in texts[orgnr]
    errors = {
        orgnr: text.split('id="orgnr-errors">')[1].split("</ul>")[0].replace(orgnr, "ORGNR")
        for orgnr, text in texts.items()
    }
    assert len(set(errors.values())) == 1  # a foreign company and one's own read alike
