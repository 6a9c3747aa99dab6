"""Long actions show progress while they run, and their result arrives without a reload."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from tests.auth.world import sign_in_fast
from tests.factories import make_company, make_store, make_user
from tests.reports.sample import add_closure, variant

ROOT = Path(__file__).resolve().parent.parent
HTMX = {"HX-Request": "true"}


@pytest.fixture
def shop(app, session, client):
    """A company with one store and a signed-in accountant."""
    company = make_company(session, "Levande AB", "556000-0021")
    store = make_store(session, company, "S1", "Ett")
    make_user(session, "acc@levande.test", company, "accountant")
    sign_in_fast(app, client, "acc@levande.test")
    return company, store


def _poller(html: str) -> str | None:
    """The hx-get of the closure list when it refreshes itself, else None."""
    match = re.search(r'<div id="closure-rows" hx-get="([^"]+)" hx-trigger="load delay:2s"', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_the_closure_list_refreshes_itself_until_nothing_is_posting(client, session, shop):
    company, store = shop
    closure = add_closure(
        session, company, store, variant(store, date(2026, 11, 2), 7, 1), "queued"
    )
    session.commit()
    url = f"/c/{company.id}/closures?state=queued"
    poll = _poller(client.get(url).get_data(as_text=True))
    assert poll == f"/c/{company.id}/closures?state=queued"
    fragment = client.get(poll, headers=HTMX).get_data(as_text=True)
    assert "<html" not in fragment and _poller(fragment) == poll
    closure.state = "posted"
    session.add(closure)
    session.commit()
    done = client.get(f"/c/{company.id}/closures", headers=HTMX).get_data(as_text=True)
    assert _poller(done) is None and "Z7" in done


def test_uploads_show_how_much_is_sent(client, session, shop):
    company, _store = shop
    for path in (f"/c/{company.id}/closures/upload", f"/c/{company.id}/mapping/"):
        html = client.get(path).get_data(as_text=True)
        form = re.search(r'<form[^>]*hx-encoding="multipart/form-data".*?</form>', html, re.S)
        assert form, path
        assert re.search(r"<progress[^>]*data-upload[^>]*hidden", form.group(0)), path


def test_a_running_form_is_busy_disabled_and_spinning():
    script = (ROOT / "static" / "js" / "kassabok.js").read_text()
    css = (ROOT / "static" / "css" / "kassabok.css").read_text()
    for needle in (
        'setAttribute("aria-busy", "true")',
        "button.disabled = true",
        "htmx:xhr:progress",
    ):
        assert needle in script, needle
    assert 'form.htmx-request button:not([type="button"])::after' in css
    assert ".spinner {" in css and "@keyframes spin" in css


def test_a_mapping_save_points_to_the_closures_it_releases(client, session, shop):
    company, _store = shop
    answer = client.post(f"/c/{company.id}/mapping/bas-default", headers=HTMX)
    html = answer.get_data(as_text=True)
    assert "Held closures are checked again now" in html
    assert f'href="/c/{company.id}/closures"' in html
