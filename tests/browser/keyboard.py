"""Driving a page by keyboard alone, as a person who cannot use a mouse does: Tab (and Shift+Tab) to move, Enter and
Space to act, the arrow keys within a group of radios. Every element the focus lands on must show GOV.UK's focus
style (WCAG 2.4.7 Focus Visible), so each press checks it.

`tab_to(page, "Search")` presses Tab until the focused element's name is "Search" and fails after `presses` tries:
a journey that passes has reached each control in the page's own tab order, without a click."""

import re

# GOV.UK Frontend's focus colour, as the browser's computed style writes it.
FOCUS_YELLOW = "rgb(255, 221, 0)"

# The focused element, its name as a person hears it (near enough: aria-label, its label, its text or value) and
# whether it shows a focus style: GOV.UK draws it in yellow as an outline, a background or a box shadow, and on the
# circle or square drawn by the label's ::before for a radio or checkbox (whose own input is invisible).
FOCUSED = """yellow => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const text = node => (node ? node.textContent : '').replace(/\\s+/g, ' ').trim();
  const labelled = el.getAttribute('aria-labelledby');
  const name = el.getAttribute('aria-label')
    || (labelled && labelled.split(' ').map(id => text(document.getElementById(id))).join(' '))
    || (el.labels && el.labels.length && text(el.labels[0]))
    || text(el) || el.value || el.title || '';
  const yellowIn = style => style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
      && style.outlineColor === yellow
    || style.backgroundColor === yellow || style.boxShadow.includes(yellow);
  let shown = yellowIn(getComputedStyle(el));
  if (!shown && el.labels && el.labels.length) {
    shown = yellowIn(getComputedStyle(el.labels[0], '::before'));
  }
  const describe = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  return {name, shown, describe};
}"""


def focused(page) -> dict | None:
    """The focused element: {"name", "shown" (its focus is visible), "describe"}, or None when nothing is."""
    return page.evaluate(FOCUSED, FOCUS_YELLOW)


def focus_shown(page) -> dict:
    """The focused element, asserting that it shows GOV.UK's yellow focus style."""
    element = focused(page)
    assert element is not None, "nothing has the focus"
    assert element["shown"], f"{element['describe']} ({element['name']!r}) has the focus but does not show it"
    return element


def _matches(name: str, wanted: str | re.Pattern) -> bool:
    if isinstance(wanted, re.Pattern):
        return wanted.search(name) is not None
    return name == wanted


def tab_to(page, name: str | re.Pattern, *, presses: int = 80, backwards: bool = False) -> dict:
    """Press Tab (Shift+Tab when `backwards`) until the element named `name` (the exact words, or a pattern searched
    for) has the focus; every element passed on the way must show its focus. Fails after `presses` presses."""
    key = "Shift+Tab" if backwards else "Tab"
    passed: list[str] = []
    for _ in range(presses):
        page.keyboard.press(key)
        if focused(page) is None:
            raise AssertionError(f"{name!r} not reached: the focus left the page after {passed}")
        element = focus_shown(page)
        if _matches(element["name"], name):
            return element
        passed.append(element["name"])
    raise AssertionError(f"{name!r} not reached in {presses} presses of {key}; passed: {passed}")


def press_and_wait(page, key: str) -> None:
    """Press a key that sends a form or follows a link, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def skip_to_main_content(page) -> None:
    """The first Tab on a fresh page reaches GOV.UK's skip link, shown when focused; Enter moves focus to <main>."""
    page.keyboard.press("Tab")
    element = focus_shown(page)
    assert element["name"] == "Skip to main content", f"the first Tab reached {element['name']!r}, not the skip link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
