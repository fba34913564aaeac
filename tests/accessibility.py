"""axe-core in the browser: WCAG 2.2 AA checked on the page a person sees.

axe-core comes from the npm registry, pinned in tests/browser_tools/package.json
and package-lock.json, and is installed by the Makefile's test prerequisites
(`npm ci`). It is read from disk and injected into the page: nothing is fetched
while the tests run.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE = Path(__file__).parent / "browser_tools" / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def axe_source() -> str:
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `npm ci --prefix tests/browser_tools`")
    return AXE.read_text()


def axe_violations(page) -> list[dict]:
    """axe's WCAG 2.2 AA violations on the page as it is now, read from its top: a
    control half under the fixed header because of where a state scrolled the page
    to is not what axe's target size rule is about (at the top nothing is under it)."""
    page.evaluate("window.scrollTo(0, 0)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(
        """(tags) => axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]
            }).then((results) => results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(" "), html: n.html.slice(0, 200),
                    summary: n.failureSummary
                }))
            })))""",
        WCAG_AA,
    )


def describe(violations: list[dict]) -> str:
    """A readable list: rule, impact, what it asks, and each element (selector and HTML)."""
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {node['target']}: {node['html']}")
            summary = " ".join((node["summary"] or "").split())
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def check(page, where: str) -> str | None:
    """A report of the violations on ``page`` (``where``: what was checked), or None."""
    violations = axe_violations(page)
    if not violations:
        return None
    return f"{where} ({page.url}):\n{describe(violations)}"


def assert_accessible(page, where: str) -> None:
    report = check(page, where)
    assert report is None, f"axe found WCAG 2.2 AA violations on {report}"
