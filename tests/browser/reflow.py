"""WCAG 1.4.10 Reflow: at 320 CSS px wide a page reads without scrolling sideways, except for content that needs two
dimensions, which here is a wide table, scrolling inside its own region (`app-table-container`)."""

from collections.abc import Iterator
from contextlib import contextmanager

NARROW_WIDTH = 320
# Sub-pixel rounding of borders and outlines may add a pixel; more than that is a page a reader scrolls sideways.
TOLERANCE = 1

# The elements that stick out past the page's right edge, innermost first (their parents only stick out because they
# hold them), outside the table regions, which scroll on their own.
OVERFLOWING = """width => {
  const sticksOut = el => el.getBoundingClientRect().right > width + 1 && !el.closest('.app-table-container');
  const all = [...document.body.querySelectorAll('*')].filter(sticksOut);
  const innermost = all.filter(el => ![...el.children].some(sticksOut));
  return {
    scrollWidth: document.scrollingElement.scrollWidth,
    culprits: innermost.slice(0, 5).map(el => {
      const id = el.id ? '#' + el.id : '';
      const classes = el.classList.length ? '.' + [...el.classList].join('.') : '';
      const right = Math.round(el.getBoundingClientRect().right);
      return `${el.tagName.toLowerCase()}${id}${classes} (right edge at ${right} px)`;
    }),
  };
}"""


@contextmanager
def narrow(page) -> Iterator[None]:
    """The page at 320 px wide for the block, then back at the width it had."""
    size = page.viewport_size
    page.set_viewport_size({"width": NARROW_WIDTH, "height": size["height"]})
    try:
        yield
    finally:
        page.set_viewport_size(size)


def reflow_problems(page) -> list[str]:
    """What makes the page scroll sideways at its present width (none when it reflows)."""
    width = page.viewport_size["width"]
    found = page.evaluate(OVERFLOWING, width)
    if found["scrollWidth"] <= width + TOLERANCE:
        return []
    return [
        f"scrolls sideways at {width} px (the page is {found['scrollWidth']} px wide): " + "; ".join(found["culprits"])
    ]
