"""axe-core on the page the browser shows: the WCAG 2.2 A and AA rules, and only the violations brought back.

axe's whole answer also lists every rule that passed, was incomplete or did not apply (resultTypes only trims their
nodes); none of that is read, so only the violations cross from the browser to the test.
"""

from axe_playwright_python.base import AXE_SCRIPT

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def axe_violations(page) -> list[dict]:
    """axe's violations on the page as it is now (axe-core's own dictionaries: id, impact, help, nodes...)."""
    page.evaluate(AXE_SCRIPT)
    return page.evaluate("options => axe.run(document, options).then(results => results.violations)", OPTIONS)
