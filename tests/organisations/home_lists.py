"""Reading a home page's counts and the lists they link to, for the test-client and browser tests of home pages.

Each list is counted the way its reader sees it: the rows of the table the count names, or the total its heading
states when the list is paginated.
"""

import re
from html import unescape

COUNT = re.compile(
    r'href="(?P<url>[^"]+)" data-work="(?P<key>[^"]+)"><span [^>]*data-count="(?P=key)">(?P<n>\d+)</span>'
)


def home_counts(html: str) -> dict[str, tuple[int, str]]:
    """key -> (count, link) of every count on a home page."""
    return {m["key"]: (int(m["n"]), unescape(m["url"])) for m in COUNT.finditer(html)}


def table_rows(html: str, caption: str) -> int:
    """The body rows of the table whose caption contains `caption`; 0 when the page has no such table."""
    for table in re.findall(r"<table.*?</table>", html, flags=re.S):
        found = re.search(r"<caption[^>]*>(.*?)</caption>", table, flags=re.S)
        if found and caption in found.group(1):
            body = re.search(r"<tbody.*?</tbody>", table, flags=re.S)
            return body.group(0).count('class="govuk-table__row"') if body else 0
    return 0


def stated_total(html: str, pattern: str) -> int:
    found = re.search(pattern, html)
    return int(found.group(1)) if found else 0


# key -> how the linked list shows how many it holds
LIST_COUNTERS = {
    "clocks-breached": lambda html: stated_total(html, r"(\d+) running clocks?"),
    "clocks-due-soon": lambda html: stated_total(html, r"(\d+) running clocks?"),
    "referrals-waiting": lambda html: table_rows(html, "Referrals you can see"),
    "referrals-deferred": lambda html: table_rows(html, "Referrals you can see"),
    "referrals-draft": lambda html: table_rows(html, "Referrals you can see"),
    "provisions-waiting": lambda html: table_rows(html, "Provisions waiting for approval"),
    "applications-waiting": lambda html: stated_total(html, r"(\d+) applications?, oldest first"),
    "offers-unanswered": lambda html: stated_total(html, r"(\d+) placements?</caption>"),
    "offers-waiting": lambda html: stated_total(html, r"(\d+) placements?</caption>"),
    "placements-active": lambda html: stated_total(html, r"(\d+) placements?</caption>"),
    "reviews-overdue": lambda html: table_rows(html, "Placements with an overdue review"),
    "follow-ups-due": lambda html: table_rows(html, "Follow-ups to record"),
    "absence-alerts": lambda html: table_rows(html, "newest first"),
    "absent-today": lambda html: table_rows(html, "recorded today"),
    "double-funded": lambda html: table_rows(html, "Placements with double funding"),
    "evidence-expiring": lambda html: html.count("Expired</strong>") + html.count("Expiring soon</strong>"),
}
