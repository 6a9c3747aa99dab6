"""Swedish catalogs hold every marked string with its placeholders; templates show no bare text."""

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


# --- the catalogs against the source ---------------------------------------------------------

REPORTS = ROOT / "app" / "reports" / "translations"
REPORTS_PO = REPORTS / "sv" / "LC_MESSAGES" / "reports.po"
# (catalog, extraction config, extra keywords) as `make messages` and the report's catalog.py use.
CATALOGS = {
    "portal": (SV_PO, ROOT / "babel.cfg", {"_l": None, "lazy_gettext": None}),
    "reports": (REPORTS_PO, REPORTS / "babel.cfg", {}),
}


def _source_messages(cfg: Path, keywords: dict) -> dict[str, list[str]]:
    """Every msgid the source marks for translation, with where: Babel's own extraction."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with cfg.open() as f:
        method_map, options_map = parse_mapping_cfg(f, str(cfg))
    found: dict[str, list[str]] = {}
    for path, line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords={**DEFAULT_KEYWORDS, **keywords}
    ):
        key = message if isinstance(message, str) else message[0]
        if key:
            found.setdefault(key, []).append(f"{path}:{line}")
    return found


@pytest.fixture(scope="module", params=sorted(CATALOGS))
def extracted(request) -> tuple[str, dict[str, list[str]], object]:
    """(name, the source's msgids, the Swedish catalog) of one catalog."""
    po, cfg, keywords = CATALOGS[request.param]
    with po.open("rb") as f:
        catalog = read_po(f, locale="sv")
    return request.param, _source_messages(cfg, keywords), catalog


def test_every_marked_string_is_in_the_swedish_catalog(extracted):
    name, source, catalog = extracted
    missing = {
        msgid: where
        for msgid, where in source.items()
        if catalog.get(msgid) is None or not all(_forms(catalog.get(msgid).string))
    }
    fix = "run `make messages` and translate" if name == "portal" else "add it to catalog.py SV"
    assert not missing, (
        f"{len(missing)} strings have no Swedish in the {name} catalog ({fix}):\n"
        + ("\n".join(f"  {m!r} ({w[0]})" for m, w in list(missing.items())[:20]))
    )


def test_reports_catalog_keeps_its_placeholders():
    with REPORTS_PO.open("rb") as f:
        catalog = read_po(f, locale="sv")
    wrong = [
        (m.id, m.string)
        for m in catalog
        if m.id and sorted(PLACEHOLDER.findall(m.string)) != sorted(PLACEHOLDER.findall(m.id))
    ]
    assert not wrong, wrong


_PRINTF = re.compile(r"%\(\w+\)[-#0+]*\d*(?:\.\d+)?[sdifrx]|%%")
_BRACES = re.compile(r"\{\w*\}")


def placeholder_problems(text: str) -> list[str]:
    """What is wrong with the formatting placeholders of one English text."""
    problems = []
    printf, braces = _PRINTF.findall(text), _BRACES.findall(text)
    if printf and "%" in _PRINTF.sub("", text):
        problems.append("a lone % next to %(name)s placeholders (write %% or a placeholder)")
    if "%(" in _PRINTF.sub("", text):
        problems.append("an unfinished %(name) placeholder (a conversion such as s is missing)")
    rest = _BRACES.sub("", text)
    if braces and ("{" in rest or "}" in rest):
        problems.append("an unbalanced or malformed {name} placeholder")
    return problems


def test_the_placeholder_checker_finds_broken_ones():
    assert placeholder_problems("Wait %(wait)s, then try again.") == []
    assert placeholder_problems("{n} documents carry this key") == []
    assert placeholder_problems("12 % VAT") == []  # no placeholder: not python-format
    assert placeholder_problems("%(n)s at 12 %") and placeholder_problems("%(n) stores")
    assert placeholder_problems("{n documents} {x}") and placeholder_problems("{a}} left")


def test_english_source_texts_have_sound_placeholders():
    en = ROOT / "app" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    wrong = []
    for po in (en, SV_PO, REPORTS_PO):
        with po.open("rb") as f:
            for m in read_po(f):
                sources = _forms(m.id) if m.id else ()
                wrong += [(po.name, s, p) for s in sources for p in placeholder_problems(s)]
                if len(sources) == 2:
                    names = [set(re.findall(r"%\((\w+)\)", s)) - {"num"} for s in sources]
                    if names[0] != names[1]:
                        wrong.append((po.name, sources[0], "singular and plural differ"))
    assert not wrong, "\n".join(f"  {c}: {s!r}: {p}" for c, s, p in wrong)


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


def test_swedish_calls_a_voucher_verifikation_as_fortnox_does():
    for po in (SV_PO, REPORTS_PO):
        odd = re.findall(r"(?i)\w*verifikat(?!ion)\w*", po.read_text("utf-8"))
        assert not odd, f"{po.name}: {odd[:5]} (Fortnox's word is 'verifikation')"
