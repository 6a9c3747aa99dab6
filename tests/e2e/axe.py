"""Run axe-core (loaded by the `new_page` fixture) on a page and fail on serious problems."""

from __future__ import annotations

from typing import Any

BLOCKING = ("serious", "critical")
RUN = """async () => await axe.run(document, {
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
  resultTypes: ["violations"],
})"""


def violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical axe violations on the page as it is now."""
    result = page.evaluate(RUN)
    return [v for v in result["violations"] if v.get("impact") in BLOCKING]


def describe(found: list[dict[str, Any]]) -> str:
    """The violations as lines a person can act on: rule, impact, help, each element's selector."""
    lines = []
    for v in found:
        lines.append(f"{v['impact']}: {v['id']} — {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    {target}: {node.get('failureSummary', '').splitlines()[-1:]}")
            lines.append(f"      {node['html'][:160]}")
    return "\n".join(lines)


def assert_accessible(page: Any, where: str) -> None:
    """Fail with a readable list when axe finds a serious or critical violation."""
    found = violations(page)
    assert not found, f"axe on {where} ({page.url}):\n{describe(found)}"
