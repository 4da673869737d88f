"""axe-core (from npm) run inside a page: the WCAG 2.2 AA rules, serious and critical findings only.

The script goes in as an init script (the DevTools protocol, not a <script> tag), so the pages keep
their Content Security Policy while they are checked."""

from pathlib import Path

from playwright.sync_api import BrowserContext, Page

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")

RUN = """async ([tags, blocking]) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.filter(v => blocking.includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " | " + n.failureSummary.replace(/\\s+/g, " ")),
    more: Math.max(0, v.nodes.length - 5),
  }));
}"""


def axe_installed(context: BrowserContext) -> None:
    context.add_init_script(path=str(AXE_SCRIPT))


def violations(page: Page) -> list[str]:
    """Each serious or critical violation on the page as it stands, one readable line per element."""
    found = page.evaluate(RUN, [WCAG_TAGS, list(BLOCKING)])
    lines = []
    for violation in found:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines += [f"      {node}" for node in violation["nodes"]]
        if violation["more"]:
            lines.append(f"      ...and {violation['more']} more")
    return lines
