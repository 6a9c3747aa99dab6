"""Error answers say what happened and what to do next: a page, an htmx fragment, or API JSON."""

from __future__ import annotations

import re

import pytest
from flask import Flask, abort
from werkzeug.exceptions import TooManyRequests

from tests.auth.world import World, build_world, sign_in_fast
from tests.factories import make_user

HTMX = {"HX-Request": "true"}


@pytest.fixture
def world(session) -> World:
    """Two companies and a user of every role in one of them."""
    return build_world(session)


@pytest.fixture
def failing(app: Flask) -> Flask:
    """The app with routes that fail on purpose, and crashes handled as in production."""

    def fail(code: int):
        if code == 429:
            raise TooManyRequests(retry_after=120)
        if code == 500:
            raise RuntimeError("boom")
        abort(code)

    app.add_url_rule("/_test/fail/<int:code>", "fail", fail, methods=["GET", "POST"])
    app.add_url_rule("/api/_test/fail/<int:code>", "api_fail", fail, methods=["GET", "POST"])
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def _text(html: str) -> str:
    """The visible words of some HTML."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


# status: (title, what to do next) as an English user reads them
EXPECTED = {
    400: ("Bad request", "Reload the page and try again."),
    403: ("Not allowed", "Ask an admin of the company if you need it done."),
    404: ("Not found", "Check the address, or start again from your companies."),
    405: ("Not available", "Use the buttons on the page rather than typing the address."),
    413: ("Too large", "Split the file into smaller ones"),
    422: ("Incomplete", "Fill in every required field and send it again."),
    429: ("Too many attempts", "Wait 2 minutes, then try again."),
    500: ("Something went wrong", "Try again in a moment. If it recurs, tell your admin"),
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_full_page_says_what_happened_and_what_next(failing, client, world, code):
    sign_in_fast(failing, client, world.emails["accountant"])
    response = client.get(f"/_test/fail/{code}")
    assert response.status_code == code
    html = response.get_data(as_text=True)
    title, next_step = EXPECTED[code]
    assert "<html" in html and f"<h1>{title}</h1>" in html
    assert next_step in _text(html)
    assert 'href="/"' in html and "Back to your companies" in html
    if code == 429:
        assert response.headers["Retry-After"] == "120"


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_htmx_gets_a_message_for_the_flash_area(failing, client, world, code):
    sign_in_fast(failing, client, world.emails["accountant"])
    response = client.post(f"/_test/fail/{code}", headers=HTMX)
    assert response.status_code == code
    html = response.get_data(as_text=True)
    assert "<html" not in html and f'data-error="{code}"' in html and 'role="alert"' in html
    title, next_step = EXPECTED[code]
    assert title in html and next_step in _text(html)
    assert "HX-Request" in response.headers.get("Vary", "")
    assert (response.headers["HX-Retarget"], response.headers["HX-Reswap"]) == (
        "#flash",
        "innerHTML",
    )


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_the_api_keeps_answering_json(failing, client, code):
    response = client.post(f"/api/_test/fail/{code}")
    assert response.status_code == code
    assert response.is_json, response.content_type
    body = response.get_json()
    assert body["message"] and body["errors"][0]["message"].startswith(body["message"])


def test_real_routes_answer_with_the_same_pages(app, client, world: World):
    sign_in_fast(app, client, world.emails["auditor"])
    forbidden = client.get(f"/c/{world.home}/tokens")
    assert forbidden.status_code == 403 and "Ask an admin of the company" in _text(forbidden.text)
    missing = client.get(f"/c/{world.foreign}/closures")
    assert missing.status_code == 404 and "Check the address" in _text(missing.text)
    wrong_method = client.delete("/")
    assert wrong_method.status_code == 405 and "Use the buttons on the page" in wrong_method.text
    assert client.get("/api/v1/nothing-here").is_json


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    client.set_cookie("kassabok_lang", "en")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert 'href="/auth/login"' in response.text and "Sign in" in response.text


def test_too_large_upload_names_the_limit(app, client, world: World):
    sign_in_fast(app, client, world.emails["accountant"])
    app.config["MAX_CONTENT_LENGTH"] = 3 * 1024 * 1024
    big = b"x" * (3 * 1024 * 1024 + 1)
    response = client.post(f"/c/{world.home}/closures/upload", data=big, headers=HTMX)
    assert response.status_code == 413
    assert "at most 3 MB" in response.text and 'data-error="413"' in response.text


def test_an_expired_form_offers_to_reload_the_page_it_came_from(app, client, world: World):
    sign_in_fast(app, client, world.emails["admin"])
    app.config["WTF_CSRF_ENABLED"] = True
    page = f"http://localhost/c/{world.home}/tokens"
    response = client.post(f"/c/{world.home}/tokens", data={"name": "x"}, headers={"Referer": page})
    assert response.status_code == 400
    text = _text(response.text)
    assert "Form expired" in text and "Reload the page and send the form again." in text
    assert f'href="/c/{world.home}/tokens"' in response.text
    foreign = client.post(
        f"/c/{world.home}/tokens", data={"name": "x"}, headers={"Referer": "http://evil.test/x"}
    )
    assert "evil.test" not in foreign.text


def test_a_crash_rolls_back_and_shows_the_page_in_swedish(failing, client, session, world):
    make_user(session, "svensk@home.test", locale="sv")
    sign_in_fast(failing, client, "svensk@home.test")
    response = client.get("/_test/fail/500")
    assert response.status_code == 500
    assert 'lang="sv"' in response.text and "Something went wrong" not in response.text


def test_the_client_script_handles_errors_htmx_cannot_show(client):
    script = client.get("/static/js/kassabok.js").get_data(as_text=True)
    for event in ("htmx:beforeSwap", "htmx:sendError", "htmx:timeout"):
        assert event in script
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'data-error-offline="' in page and 'data-error-other="' in page


def test_a_throttled_sign_in_says_how_long_to_wait(app, client, world: World):
    client.set_cookie("kassabok_lang", "en")
    for n in range(app.config["LOGIN_MAX_ATTEMPTS"] + 1):
        response = client.post(
            "/auth/login", data={"email": world.emails["admin"], "password": f"wrong-{n}"}
        )
    assert response.status_code == 429
    minutes = app.config["LOGIN_WINDOW_SECONDS"] // 60
    assert f"Wait {minutes} minutes and try again." in response.text


def test_the_crash_page_tells_an_english_reader_the_time_in_iso_order(failing, client, session):
    """Not the US 10/1/26, 3:04 PM: 2026-10-01 15:04, as the portal writes every date."""
    make_user(session, "english@home.test", locale="en")
    sign_in_fast(failing, client, "english@home.test")
    text = _text(client.get("/_test/fail/500").get_data(as_text=True))
    said = text[text.index("tell your admin it happened at") :]
    assert re.match(r"tell your admin it happened at \d{4}-\d\d-\d\d,? \d\d:\d\d\.", said), said
    assert not re.search(r"\d+/\d+/\d+|[AP]M", said)


def test_the_limit_of_a_too_large_upload_is_a_size_in_the_readers_locale(app, client, session):
    """2.5 MiB reads 2,5 MB in Swedish, never a rounded-up 3 MB."""
    from tests.factories import make_company

    company = make_company(session)
    make_user(session, "svensk@home.test", company, "accountant", locale="sv")
    sign_in_fast(app, client, "svensk@home.test")
    app.config["MAX_CONTENT_LENGTH"] = 5 * 512 * 1024
    response = client.post(f"/c/{company.id}/closures/upload", data=b"x" * (5 * 512 * 1024 + 1))
    assert response.status_code == 413
    assert "högst 2,5\xa0MB" in response.text or "högst 2,5 MB" in response.text
