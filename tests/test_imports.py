"""The house without knots: app/ and worker/ import along the flow, never in a circle.

Every module under app/ and worker/ is parsed (ast; nothing is imported), its imports read
wherever they stand (inside functions too), and the graph is checked: no circle; the portal never
imports the worker (jobs are enqueued by dotted name); no area imports a higher one (AREAS); the
posting engine imports at the top. A package's __init__ is a module: what it re-exports is its edge.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "worker")
# The areas from lowest to highest, each a list of packages (or modules): a module may import
# its own area and those below it. A module is in the area of its longest matching entry.
AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "core helpers",
        (
            "app.converters",
            "app.crypto",
            "app.csvsafe",
            "app.dates",
            "app.db",
            "app.devredis",
            "app.events",
            "app.exports",
            "app.extensions",
            "app.htmx_events",
            "app.i18n",
            "app.mail",
            "app.proxy",
            "app.queue",
            "app.redirects",
            "app.render",
            "app.security",
            "app.words",
        ),
    ),
    ("people and the trail", ("app.auth", "app.companies", "app.audit")),
    ("closures", ("app.closures",)),
    ("mapping", ("app.mapping",)),
    ("fortnox", ("app.fortnox",)),
    ("posting", ("app.posting",)),
    (
        "reconcile, evidence, attachments, bank",
        ("app.reconcile", "app.evidence", "app.attachments", "app.bank"),
    ),
    ("clearing", ("app.clearing",)),
    (
        "overview, reports, digest, health",
        ("app.overview", "app.reports", "app.digest", "app.health"),
    ),
    # Besides these, every module that makes routes or commands: it defines a Blueprint or an
    # AppGroup, joins an area's blueprint.py, or uses click.
    (
        "pages and commands",
        ("app", "app.cli", "app.errors", "app.models", "app.seed", "app.seed_bank"),
    ),
    ("worker", ("worker",)),
)
PAGES = next(i for i, (name, _) in enumerate(AREAS) if name == "pages and commands")
# Imports against the flow the code still has, each with where it belongs. Each must still be
# there (strike it off once undone), and no other may come. None is left: a lower area that needs
# what a higher one knows asks by an event (app/events.py) the higher one answers.
KNOWN_AGAINST_THE_FLOW: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Module:
    """One module as read: its imports in the house (target -> lines) and whether it routes."""

    name: str
    imports: dict[str, list[int]]
    routes: bool


def paths() -> dict[str, Path]:
    """Every module of app/ and worker/ by dotted name (a package by its own name)."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _named(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """The dotted names an import statement (or a literal import_module call) reaches.

    `from a import b` reaches a.b when that is a module, else a (a name a defines or re-exports).
    """
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            parts = module.split(".")[: None if is_package else -1]
            parts = parts[: len(parts) - node.level + 1]
            base = ".".join([*parts, base] if base else parts)
        yield from (f"{base}.{alias.name}" for alias in node.names)
    elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if called in ("import_module", "__import__"):
            yield str(node.args[0].value)


def _routes(node: ast.AST) -> bool:
    """True for a Blueprint(...) or AppGroup(...) call, or an import of click."""
    if isinstance(node, ast.Call):
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return called in ("Blueprint", "AppGroup")
    if isinstance(node, ast.Import):
        return any(alias.name == "click" for alias in node.names)
    return isinstance(node, ast.ImportFrom) and node.module == "click"


def read(name: str, known: dict[str, Path]) -> Module:
    """Parse module name: what it imports in the house (wherever it stands) and if it routes."""
    path = known[name]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: dict[str, list[int]] = {}
    routes = False
    for node in ast.walk(tree):
        routes = routes or _routes(node)
        for dotted in _named(node, name, path.name == "__init__.py"):
            while dotted and dotted not in known:
                dotted = dotted.rpartition(".")[0]
            if dotted and dotted != name:
                found.setdefault(dotted, []).append(node.lineno)  # type: ignore[attr-defined]
    joins = any(target.endswith(".blueprint") for target in found)
    return Module(name, found, routes or joins)


@cache
def house() -> dict[str, Module]:
    """Every module of app/ and worker/, read."""
    known = paths()
    return {name: read(name, known) for name in known}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        work = [(root, iter(sorted(edges[root])))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None and child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                work.append((child, iter(sorted(edges[child]))))
            elif child is not None:
                if child in stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    cut = stack.index(node)
                    component, stack[cut:] = stack[cut:], []
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def area(name: str) -> int:
    """The index in AREAS of module name's area (a module that routes is a page)."""
    module = house()[name]
    if module.routes and name.startswith("app."):
        return PAGES
    best = max(
        (
            (len(entry), level)
            for level, (_, entries) in enumerate(AREAS)
            for entry in entries
            if name == entry or name.startswith(entry + ".") and entry != "app"
        ),
        default=None,
    )
    assert best is not None, f"{name} is in no area: add it to AREAS in tests/test_imports.py"
    return best[1]


def against_the_flow() -> dict[tuple[str, str], int]:
    """Every import of a higher area: (importer, imported) -> its first line."""
    return {
        (name, target): lines[0]
        for name, module in house().items()
        for target, lines in module.imports.items()
        if area(target) > area(name)
    }


def test_every_module_is_in_an_area() -> None:
    assert all(area(name) >= 0 for name in house())


def test_no_import_circle() -> None:
    modules = house()
    found = circles({name: set(m.imports) for name, m in modules.items()})
    words = [
        ", ".join(c)
        + ":\n    "
        + "; ".join(
            f"{a} imports {b} (line {modules[a].imports[b][0]})"
            for a in c
            for b in c
            if b in modules[a].imports
        )
        for c in found
    ]
    assert not found, "import circles:\n  " + "\n  ".join(words)


def test_the_portal_never_imports_the_worker() -> None:
    found = [
        f"{name} imports {target} (line {lines[0]}): enqueue the job by its dotted name"
        for name, module in house().items()
        if name.split(".")[0] == "app"
        for target, lines in module.imports.items()
        if target.split(".")[0] == "worker"
    ]
    assert not found, "\n".join(found)


def test_no_area_imports_a_higher_one() -> None:
    found = against_the_flow()
    new = [
        f"{a} ({AREAS[area(a)][0]}) imports {b} ({AREAS[area(b)][0]}), line {line}"
        for (a, b), line in sorted(found.items())
        if (a, b) not in KNOWN_AGAINST_THE_FLOW
    ]
    undone = [f"{a} -> {b}" for a, b in KNOWN_AGAINST_THE_FLOW if (a, b) not in found]
    assert not new, "imports against the flow (announce an event, or move the code):\n" + "\n".join(
        new
    )
    assert not undone, "undone, strike off KNOWN_AGAINST_THE_FLOW:\n" + "\n".join(undone)


def test_the_posting_engine_imports_at_the_top() -> None:
    path = ROOT / "app" / "posting" / "engine.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside = [
        f"line {node.lineno}"
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert not inside, "app/posting/engine.py imports inside functions: " + ", ".join(inside)


@pytest.mark.parametrize(
    ("source", "expected", "routes"),
    [
        ("import app.db", {"app.db"}, False),
        ("from app import db, create_app", {"app.db", "app"}, False),
        ("from app.posting.engine import post_closure", {"app.posting.engine"}, False),
        ("from . import state", {"app.posting.state"}, False),
        ("from .holds import Hold", {"app.posting.holds"}, False),
        ("from app.evidence import findings", {"app.evidence"}, False),
        ("def f():\n    from worker.tasks import session_scope", {"worker.tasks"}, False),
        ("importlib.import_module('worker.tasks')", {"worker.tasks"}, False),
        ("import flask\nfrom sqlmodel import Session", set(), False),
        ("from app.reconcile.blueprint import bp", {"app.reconcile.blueprint"}, True),
        ("bp = Blueprint('x', __name__)", set(), True),
        ("import click", set(), True),
    ],
)
def test_the_reader_sees_each_kind_of_import(
    tmp_path: Path, source: str, expected: set[str], routes: bool
) -> None:
    """The checker itself: relative, re-exported, function-level and literal dynamic imports."""
    known = paths()
    probe = tmp_path / "probe.py"
    probe.write_text(source)
    known["app.posting.probe"] = probe
    module = read("app.posting.probe", known)
    assert set(module.imports) == expected and module.routes is routes


def test_circles_are_found_and_named() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert circles(edges) == [["a", "b", "c"]]
