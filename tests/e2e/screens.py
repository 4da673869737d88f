"""Screen widths the pages are held to, and what reaches past the edge of a phone's screen."""

from playwright.sync_api import Page

DESK, PHONE = 1600, 390

# The innermost elements reaching past the right edge: what to fix when a page scrolls sideways.
TOO_WIDE = """(width) => Array.from(document.querySelectorAll("body *"))
  .filter(el => el.getBoundingClientRect().right > width + 1 && el.children.length === 0)
  .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\\\s+/).join(".") : "")
    + " (" + Math.round(el.getBoundingClientRect().right) + " px)")"""


def sideways_scroll(page: Page, url: str, name: str) -> list[str]:
    """Open `url` on a phone-wide screen: a line naming what is too wide if the page scrolls sideways."""
    size = page.viewport_size
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    problems = []
    if width > PHONE:
        too_wide = ", ".join(page.evaluate(TOO_WIDE, PHONE))
        problems.append(f"{name} at {PHONE} px: the page scrolls sideways ({width} px wide): {too_wide}")
    if size:
        page.set_viewport_size(size)
    return problems
