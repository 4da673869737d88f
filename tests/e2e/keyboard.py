"""Driving a page with the keyboard alone, as a person who cannot use a mouse does: Tab and Shift+Tab
to move, typing, arrow keys in radio groups and lists, Space and Enter to act. Every stop on the way
must show where focus is (NHS.UK's yellow focus style: an outline or a box shadow)."""

import re

from playwright.sync_api import Page

from tests.factories import PASSWORD

# What has focus, by the name a person hears, and whether it shows: a radio or checkbox shows
# focus on its label's drawn box, the others on themselves.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {name: "(nothing)", visible: false, kind: ""};
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  const name = (el.getAttribute("aria-label") || label || el.innerText || el.value || el.id || "").trim();
  const drawn = (el.type === "radio" || el.type === "checkbox") && el.labels && el.labels.length
    ? getComputedStyle(el.labels[0], "::before") : getComputedStyle(el);
  const outline = drawn.outlineStyle !== "none" && parseFloat(drawn.outlineWidth) > 0
    && drawn.outlineColor !== "rgba(0, 0, 0, 0)";
  const shadow = drawn.boxShadow && drawn.boxShadow !== "none";
  return {name: name.replace(/\\s+/g, " "), visible: Boolean(outline || shadow), kind: el.type || el.tagName.toLowerCase()};
}"""


class FocusLost(AssertionError):
    pass


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, name: str | re.Pattern, *, backwards: bool = False, here_ok: bool = False, limit: int = 60) -> dict:
    """Press Tab (or Shift+Tab) until what has focus is called `name`; each stop must show its focus.
    With here_ok, focus already there (a field with autofocus) will do."""
    pattern = name if isinstance(name, re.Pattern) else re.compile(re.escape(name))
    now = focused(page)
    if here_ok and pattern.search(now["name"]):
        return now
    path = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        path.append(now["name"][:60])
        if not now["visible"]:
            raise FocusLost(f"no visible focus on {now['kind']} {now['name']!r} (path: {path})")
        if pattern.search(now["name"]):
            return now
    raise FocusLost(f"{name!r} not reached in {limit} presses of Tab: {path}")


def type_into(page: Page, label: str | re.Pattern, text: str) -> None:
    tab_to(page, label, here_ok=True)
    page.keyboard.type(text)


def choose(page: Page, options: list[str], option: str, limit: int = 12) -> None:
    """Tab into a radio group of `options` (focus lands on the first, or on the ticked one), then arrow
    down to `option`: arrow keys tick as they move; Space ticks the one focus landed on."""
    tab_to(page, re.compile("^(" + "|".join(map(re.escape, options)) + ")$"))
    pattern = re.compile("^" + re.escape(option) + "$")
    for _ in range(limit):
        now = focused(page)
        if pattern.search(now["name"]):
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise FocusLost(f"{option!r} not reached with the arrow keys")


def log_in(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    type_into(page, "Username", username)
    type_into(page, re.compile("^Password"), PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def skip_to_main(page: Page) -> None:
    """On a page just opened, the first Tab reaches the skip link; Enter puts focus on the main content."""
    page.keyboard.press("Tab")
    now = focused(page)
    assert now["name"] == "Skip to main content" and now["visible"], now
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "maincontent"


def enter_and_load(page: Page) -> None:
    """Enter on a link or a form's button, then wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
