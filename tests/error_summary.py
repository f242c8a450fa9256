"""Reading the GOV.UK error summary of a page the test client rendered (for the all-errors-at-once tests)."""

import html
import re


def summary_messages(body: str) -> list[str]:
    """The messages of the page's error summary, in order, as a person reads them."""
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    if summary is None:
        return []
    return [html.unescape(text).strip() for text in re.findall(r"<a [^>]*>(.*?)</a>", summary.group(0), re.S)]


def assert_all_at_once(body: str, expected: list[str]) -> None:
    """Every expected problem is in the error summary of this one response (GOV.UK: all errors at once)."""
    shown = summary_messages(body)
    missing = [message for message in expected if not any(message in text for text in shown)]
    assert not missing, f"not reported on the first submission: {missing}; the summary said {shown}"
