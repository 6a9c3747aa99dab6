"""The dashboard: grid, filters, panel, scoping, actions, review, exports, few queries."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.audit.models import AuditEvent
from app.closures.models import Closure
from app.reconcile.models import ClosureCheck, Review
from tests.factories import make_company, make_user
from tests.reconcile.seeding import seed_month

MONTH = date.today().replace(day=1)
DAY = lambda d: MONTH.replace(day=d).isoformat()  # noqa: E731


@pytest.fixture
def world(app, session):  # type: ignore[no-untyped-def]
    company = make_company(session)
    stores = seed_month(session, company, 4, MONTH, days=12)
    make_user(session, "acc@x.se", company, "accountant")
    make_user(session, "mgr@x.se", company, "store_manager", stores=[stores[2]])
    make_user(session, "aud@x.se", company, "auditor")
    return company, stores


def _statuses(session) -> dict[tuple[str, int], str]:  # type: ignore[no-untyped-def]
    rows = session.exec(
        select(Closure.store_code, Closure.business_date, ClosureCheck.status).join(
            ClosureCheck, ClosureCheck.closure_pk == Closure.id
        )
    )
    return {(code, day.day): status for code, day, status in rows}


def test_seeded_stories_get_their_status(world, session) -> None:
    got = _statuses(session)
    assert got[("S01", 3)] == "mismatch"
    assert got[("S01", 5)] == "missing"
    assert got[("S02", 4)] == "duplicate"
    assert got[("S02", 8)] == "held"
    assert got[("S03", 6)] == "failed"
    assert got[("S03", 9)] == "pending"
    assert got[("S01", 10)] == "superseded"
    assert got[("S04", 7)] == "matched"  # the closure matches; the day does not
    assert list(got.values()).count("matched") == 4 * 12 - 7


def test_grid_cells_have_colour_mark_and_words(world, client, auth) -> None:
    company, _stores = world
    auth.login("acc@x.se")
    page = client.get(f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}").get_data(as_text=True)
    assert f'id="cell-S01-{DAY(3)}" class="cell st-mismatch' in page
    assert f'id="cell-S04-{DAY(7)}" class="cell st-mismatch' in page  # the manual entry
    assert f'id="cell-S02-{DAY(4)}" class="cell st-duplicate' in page
    assert "S01" in page and "Mismatch" in page and "visually-hidden" in page
    assert "<svg" in page and "Reconcile now" in page


def _td(html: str, cell_id: str) -> str:
    """The <td> with this id, as written."""
    start = html.index(f'<td id="{cell_id}"')
    return html[start : html.index("</td>", start) + len("</td>")]


def test_a_cell_is_one_link_with_a_mark_and_words_in_the_users_language(
    world, session, client, auth
) -> None:
    company, _stores = world
    make_user(session, "sv@x.se", company, "accountant", locale="sv")
    auth.login("sv@x.se")
    page = client.get(f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}").get_data(as_text=True)
    url = f"/c/{company.id}/dashboard/cell/S01/{DAY(3)}"
    with client.application.test_request_context():
        from flask_babel import force_locale

        from app.i18n import date as format_date

        with force_locale("sv"):
            label = format_date(MONTH.replace(day=3))
    assert _td(page, f"cell-S01-{DAY(3)}") == (
        f'<td id="cell-S01-{DAY(3)}" class="cell st-mismatch"><a href="{url}" hx-get="{url}">'
        f'<span aria-hidden="true">≠</span><span class="visually-hidden">S01 {label}: Avvikelse'
        "</span></a></td>"
    )
    assert '<tbody hx-target="#panel" hx-swap="innerHTML">' in page  # for every cell's link
    assert f'<abbr title="{label}">3</abbr>' in page
    last = MONTH.replace(day=28)  # no closure: words, no link
    assert _td(page, f"cell-S01-{last}").endswith(
        '"><span class="visually-hidden">Inget dagsavslut</span></td>'
    )


def test_the_cell_a_job_swaps_in_is_the_grids_cell(world, client, auth) -> None:
    company, _stores = world
    auth.login("acc@x.se")
    html = client.post(
        f"/c/{company.id}/dashboard/cell/S04/{DAY(7)}/review",
        data={"comment": "Checked."},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    swapped = _td(html.split("<template>")[1], f"cell-S04-{DAY(7)}")
    page = client.get(f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}").get_data(as_text=True)
    grid = _td(page, f"cell-S04-{DAY(7)}")
    assert "is-reviewed" in grid and ", reviewed</span>" in grid
    assert swapped == grid.replace('">', '" hx-swap-oob="outerHTML">', 1)


def test_a_cell_written_by_hand_is_escaped(app) -> None:
    from app.reconcile.cells import CellWriter
    from app.reconcile.grid import Cell

    with app.test_request_context():
        html = CellWriter(7, [MONTH], only="held").td(Cell('<b>"&', MONTH, "matched", 1, True))
    assert "<b>" not in html and '"&' not in html
    assert (
        f'id="cell-&lt;b&gt;&#34;&amp;-{MONTH}" class="cell st-matched is-reviewed is-dim"' in html
    )
    assert f'href="/c/7/dashboard/cell/%3Cb%3E%22&amp;/{MONTH}"' in html


def test_filters_answer_a_fragment_and_dim_other_cells(world, client, auth) -> None:
    company, _stores = world
    auth.login("acc@x.se")
    html = client.get(
        f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}&status=held&store=S02",
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert "<html" not in html and 'id="board"' in html
    assert f'id="cell-S02-{DAY(8)}" class="cell st-held' in html
    assert "is-dim" in html and "cell-S01-" not in html


def test_grid_is_a_handful_of_queries(app, session, client, auth) -> None:
    company = make_company(session)
    seed_month(session, company, 20, MONTH)
    make_user(session, "acc@x.se", company, "accountant")
    auth.login("acc@x.se")
    from app.db import make_engine

    seen: list[str] = []
    engine = make_engine(app.config["DATABASE_URL"])
    listen = lambda *a: seen.append(a[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        assert client.get(f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
    print(f"\n20 stores × month: {len(seen)} SQL statements for the whole page")
    assert len(seen) <= 22  # A2: +2 for the Z-chain's links, +1 for explanations when broken


def test_grid_queries_search_an_index_by_company_and_day(world, session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's plan does not hang on table statistics; PostgreSQL's does")
    from app.reconcile.grid import month_grid

    company, _stores = world
    seen: list[tuple[str, tuple]] = []
    listen = lambda _c, _cur, statement, params, *_a: seen.append((statement, params))  # noqa: E731
    sa.event.listen(session.get_bind(), "before_cursor_execute", listen)
    try:
        month_grid(session, company, None, MONTH)
    finally:
        sa.event.remove(session.get_bind(), "before_cursor_execute", listen)
    run = session.connection().exec_driver_sql
    plans = {
        table: " ".join(row[3] for row in run(f"EXPLAIN QUERY PLAN {statement}", params))
        for statement, params in seen
        for table in ("closure", "storedaycheck")
        if f"FROM {table} " in statement
    }
    assert set(plans) == {"closure", "storedaycheck"}
    for table, plan in plans.items():
        assert f"ix_{table}_company_id_business_date (company_id=? AND business_date>?" in plan


def test_store_manager_sees_only_their_stores(world, client, auth) -> None:
    company, _stores = world
    auth.login("mgr@x.se")
    page = client.get(f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}").get_data(as_text=True)
    assert "cell-S03-" in page and "cell-S01-" not in page
    assert client.get(f"/c/{company.id}/dashboard/cell/S01/{DAY(3)}").status_code == 404
    assert "Reconcile now" not in page


def test_panel_shows_rows_side_by_side_with_the_difference(world, client, auth) -> None:
    company, _stores = world
    auth.login("acc@x.se")
    html = client.get(
        f"/c/{company.id}/dashboard/cell/S01/{DAY(3)}", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "<html" not in html
    assert "is-diff" in html and "3001" in html and "Fortnox voucher" in html
    assert "Mark reviewed" in html


def test_retry_by_the_store_manager_runs_and_the_cell_polls(world, session, client, auth) -> None:
    company, _stores = world
    failed = session.exec(select(Closure).where(Closure.state == "failed")).one()
    auth.login("mgr@x.se")
    panel = client.get(f"/c/{company.id}/dashboard/cell/S03/{DAY(6)}").get_data(as_text=True)
    assert "Retry" in panel and "Mark reviewed" not in panel
    answer = client.post(
        f"/c/{company.id}/dashboard/closures/{failed.id}/retry", headers={"HX-Request": "true"}
    )
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert 'hx-swap-oob="outerHTML"' in html  # the grid cell comes along
    session.expire_all()
    assert session.get(Closure, failed.id).state != "failed"
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "closure.retry")).first()


def test_review_is_stored_and_audited_and_auditors_may_not(world, session, client, auth) -> None:
    company, _stores = world
    auth.login("aud@x.se")
    url = f"/c/{company.id}/dashboard/cell/S04/{DAY(7)}/review"
    assert client.post(url, data={"comment": "ok"}).status_code == 403
    auth.logout()
    auth.login("acc@x.se")
    client.post(
        url, data={"comment": "Staff coffee, booked by hand."}, headers={"HX-Request": "true"}
    )
    review = session.exec(select(Review)).one()
    assert (review.store_code, review.comment) == ("S04", "Staff coffee, booked by hand.")
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "reconcile.reviewed")).one()
    page = client.get(f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}").get_data(as_text=True)
    assert "is-reviewed" in page


def test_csv_exports_have_a_bom_and_the_exceptions(world, client, auth) -> None:
    company, _stores = world
    auth.login("aud@x.se")
    grid = client.get(f"/c/{company.id}/dashboard/export/grid.csv?month={MONTH:%Y-%m}")
    text = grid.get_data(as_text=True)
    assert text.startswith("\ufeffStore,Name,Date,Status")  # an English reader's (issue 15.11)
    assert f"S01,Store 1,{DAY(3)},Mismatch" in text
    exc = client.get(f"/c/{company.id}/dashboard/export/exceptions.csv?month={MONTH:%Y-%m}")
    lines = exc.get_data(as_text=True).splitlines()
    assert len(lines) == 1 + 7 and "5460: " in "".join(lines)  # six closures and one day


def test_overview_counts_exceptions_per_company(world, client, auth, session) -> None:
    """One definition: the overview counts store-days as the month legend does, status by status."""
    from app.reconcile.counts import NEEDS_SOMEONE
    from app.reconcile.grid import month_grid

    company, _stores = world
    auth.login("acc@x.se")
    page = client.get("/").get_data(as_text=True)
    legend = month_grid(session, company, None, MONTH).counts
    for status in NEEDS_SOMEONE:
        assert legend[status] == 1 or status == "mismatch", (status, legend)
        link = f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}&amp;status={status}"
        assert f'class="count count--{status}" href="{link}"' in page
        assert f'{link}" aria-label="{legend[status]} ' in page
    assert legend["mismatch"] == 2  # S01 day 3, and S04 day 7 booked by hand: two cells
    # The company opens the oldest month with something to do; the list starts with its oldest.
    assert f'href="/c/{company.id}/dashboard?month={MONTH:%Y-%m}">' in page
    attention = page.split('id="attention"')[1]
    assert attention.index(f"/cell/S01/{DAY(3)}") < attention.index(f"/cell/S01/{DAY(10)}")
    assert "Post the correction" in attention  # superseded, a correction due: needs someone


def test_a_correction_due_is_never_grey(world, client, auth) -> None:
    company, _stores = world
    auth.login("acc@x.se")
    css = client.get("/static/css/reconcile.css").get_data(as_text=True)
    rule = css.split(".st-superseded {")[1].split("}")[0]
    assert "#dcdfe4" not in rule and "background" in rule
    page = client.get(f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}").get_data(as_text=True)
    assert "Correction due" in page


def test_job_runs_on_the_reconcile_queue_with_progress(world, client, auth, run_jobs) -> None:
    company, _stores = world
    auth.login("acc@x.se")
    answer = client.post(
        f"/c/{company.id}/dashboard/run",
        data={"month": f"{MONTH:%Y-%m}"},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert 'hx-trigger="load delay:1s"' in answer and "<progress" in answer
    run_jobs(("reconcile",))
    job_id = f"reconcile-{company.id}-{MONTH:%Y%m}01-"
    url = answer.split('hx-get="')[1].split('"')[0]
    assert job_id in url
    done = client.get(url.replace("&amp;", "&"), headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert "badge--ok" in done and "load delay" not in done  # stops polling


@pytest.mark.parametrize(
    ("count", "said"), [(1, "1 verifikation som"), (3, "3 verifikationer som")]
)
def test_the_overlap_warning_counts_in_words(world, client, auth, session, count, said) -> None:
    """One voucher, or several, read as Swedish counts them (ngettext, not "1 verifikationer")."""
    from app.auth.models import User
    from app.reconcile.models import SyncCursor

    company, _stores = world
    user = session.exec(select(User).where(User.email == "acc@x.se")).one()
    user.locale = "sv"
    cursor = session.exec(select(SyncCursor).where(SyncCursor.company_id == company.id)).first()
    cursor = cursor or SyncCursor(company_id=company.id)
    overlap = {"voucher": "A 1", "date": MONTH.isoformat(), "cost_centers": ["S01"], "debit": "1"}
    cursor.scanned_from, cursor.overlaps = MONTH, [overlap] * count
    session.add_all([user, cursor])
    session.commit()
    auth.login("acc@x.se")
    page = client.get(f"/c/{company.id}/dashboard?month={MONTH:%Y-%m}").get_data(as_text=True)
    assert f"Fortnox har redan {said} inte skapats av Kassabok" in page
