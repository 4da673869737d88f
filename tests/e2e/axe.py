"""axe-core (from npm) run inside a page: the WCAG 2.2 AA rules, serious and critical findings only.

The script goes in as an init script (the DevTools protocol, not a <script> tag), so the pages keep
their Content Security Policy while they are checked."""

from pathlib import Path

from playwright.sync_api import BrowserContext, Page

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")
# Best practice rather than WCAG, and only "moderate" in axe, but a screen reader user finds their
# way by landmarks and headings: every page keeps its content in landmarks, one <main>, one <h1>.
LANDMARK_RULES = ["region", "landmark-one-main", "landmark-unique", "landmark-no-duplicate-main", "page-has-heading-one"]

# axe 4.x no longer checks that ids are unique (only ids that ARIA points at): a label or an error
# summary's link that finds the wrong field is as bad, so duplicates are counted here too.
RUN = """async ([tags, blocking, landmarkRules]) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags.concat(landmarkRules.length ? ["best-practice"] : [])}, resultTypes: ["violations"],
  });
  const seen = {};
  document.querySelectorAll("[id]").forEach(el => { seen[el.id] = (seen[el.id] || 0) + 1; });
  const duplicates = Object.keys(seen).filter(id => seen[id] > 1);
  const found = results.violations.filter(v => landmarkRules.includes(v.id)
    || (blocking.includes(v.impact) && v.tags.some(tag => tags.includes(tag))));
  if (duplicates.length) found.push({id: "duplicate-id", impact: "serious", help: "Ids must be unique",
    nodes: duplicates.map(id => ({target: ["#" + id], failureSummary: seen[id] + " elements have this id"}))});
  return found.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " | " + n.failureSummary.replace(/\\s+/g, " ")),
    more: Math.max(0, v.nodes.length - 5),
  }));
}"""


def axe_installed(context: BrowserContext) -> None:
    context.add_init_script(path=str(AXE_SCRIPT))


def violations(page: Page, *, landmarks: bool = True) -> list[str]:
    """Each serious or critical WCAG violation on the page as it stands (and, with `landmarks`, each
    breach of LANDMARK_RULES), one readable line per element."""
    found = page.evaluate(RUN, [WCAG_TAGS, list(BLOCKING), LANDMARK_RULES if landmarks else []])
    lines = []
    for violation in found:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines += [f"      {node}" for node in violation["nodes"]]
        if violation["more"]:
            lines.append(f"      ...and {violation['more']} more")
    return lines
