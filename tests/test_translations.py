"""The Swedish catalog is complete and sound, and templates show no untranslated text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SV_PO = ROOT / "app" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
TEMPLATES = ROOT / "templates"

# %(name)s / %(num)d / %% (printf style) and {0} / {name} (str.format style).
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%%|\{\w*\}")


def _catalog():
    with SV_PO.open("rb") as f:
        return read_po(f, locale="sv")


def _forms(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def _messages():
    return [m for m in _catalog() if m.id]


def test_swedish_catalog_has_no_empty_msgstr():
    empty = [m.id for m in _messages() if not all(_forms(m.string))]
    assert not empty, f"{len(empty)} untranslated Swedish messages, e.g. {empty[:5]}"


def test_swedish_catalog_has_no_fuzzy_entries():
    catalog = _catalog()
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy Swedish messages (check, then drop the flag): {fuzzy[:5]}"
    assert not catalog.obsolete, (
        f"obsolete entries left in the catalog: {list(catalog.obsolete)[:5]}"
    )


def test_swedish_placeholders_match_the_source():
    wrong = []
    for m in _messages():
        sources = _forms(m.id)
        wanted = [sorted(PLACEHOLDER.findall(s)) for s in sources]
        for text in _forms(m.string):
            if sorted(PLACEHOLDER.findall(text)) not in wanted:
                wrong.append((sources[0], text))
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(
        f"  {a!r}\n    -> {b!r}" for a, b in wrong
    )


def test_swedish_catalog_passes_babels_checks():
    # Babel's own checks: plural count and python-format (what `pybabel compile` checks).
    problems = [(m.id, [str(e) for e in errors]) for m, errors in _catalog().check()]
    assert not problems, problems


# --- templates ------------------------------------------------------------------------------

# Words that are the same in every language: names, codes and units.
ALLOWED_WORDS = {
    "Kassabok",
    "Fortnox",
    "SEK",
    "htmx",
    "BAS",
    "POS",
    "API",
    "JSON",
    "NDJSON",
    "CSV",
    "PDF",
    "SHA",
    "KiB",
    "Swish",
    "OK",
    "Z",
    "MB",  # reports/_row.html: file size unit after the number
}

# Text that is deliberately not translated, per template (relative to templates/).
ALLOWED_TEXT: dict[str, set[str]] = {
    # e.g. "reports/pdf/report.html": {"SHA-256"},  # a hash name, not a word
}

_STRIP = [
    re.compile(r"\{#.*?#\}", re.S),  # Jinja comments
    re.compile(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", re.S),  # {% trans %} blocks
    re.compile(r"<!--.*?-->", re.S),  # HTML comments
    re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I),  # code, not text
]
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_TAG = re.compile(r"<[^>]*>", re.S)
_ENTITY = re.compile(r"&#?\w+;")
_WORD = re.compile(r"[^\W\d_]{2,}")


def _blank(match: re.Match) -> str:
    """Same number of newlines, so line numbers stay right."""
    return "\n" * match.group(0).count("\n") + " "


def untranslated_text(source: str) -> list[tuple[int, str]]:
    """(line, text) of every text node with a word in it that is not inside Jinja."""
    for pattern in _STRIP:
        source = pattern.sub(_blank, source)
    source = _JINJA.sub(_blank, source)
    found = []
    pos = 0
    for piece in _TAG.split(source):
        start = source.index(piece, pos) if piece else pos
        pos = start + len(piece)
        text = " ".join(_ENTITY.sub(" ", piece).split())
        words = [w for w in _WORD.findall(text) if w not in ALLOWED_WORDS]
        if words:
            found.append(
                (source.count("\n", 0, start + len(piece) - len(piece.lstrip())) + 1, text)
            )
    return found


TEMPLATE_FILES = sorted(TEMPLATES.rglob("*.html"))


def test_the_checker_finds_bare_text_and_ignores_wrapped_text():
    html = (
        "<p>{{ _('Saved') }}</p><p>Bare words</p>{% trans %}Kept{% endtrans %}"
        "<script>var x = 'code';</script><span>Fortnox · 12 %</span>"
        "<b>{% if a > b %}{{ x }}{% endif %}</b>\n<i>Again</i>"
    )
    assert untranslated_text(html) == [(1, "Bare words"), (2, "Again")]


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_text_is_translated(path: Path):
    name = str(path.relative_to(TEMPLATES))
    allowed = ALLOWED_TEXT.get(name, set())
    bare = [
        (line, text)
        for line, text in untranslated_text(path.read_text("utf-8"))
        if text not in allowed
    ]
    assert not bare, f"{name}: wrap in {{{{ _(...) }}}}:\n" + "\n".join(
        f"  line {n}: {t!r}" for n, t in bare
    )
