"""Money and financial years on funding pages: '£1,234.50' and '2026 to 2027', from Decimal and int only."""

from django import template

from aphub.core.money import format_money, to_money
from aphub.funding.periods import financial_year_label

register = template.Library()


# A negative amount on a page: the minus sign (U+2212, read as "minus" by screen readers, where a hyphen may be read
# as "dash") held to the pounds by a word joiner (U+2060), since a browser may break a line after a minus or hyphen
# and a narrow table cell would show "-" on one line and "£1,234.50" on the next (Unicode line breaking, UAX 14).
MINUS = "\u2212\u2060"


@register.filter
def money(amount) -> str:
    """'£1,234.50', or '−£1,234.50' that never wraps after its minus sign."""
    pounds = to_money(amount)
    return f"{MINUS}{format_money(-pounds)}" if pounds < 0 else format_money(pounds)


@register.filter
def financial_year(year: int) -> str:
    """GOV.UK style writes '2026 to 2027' rather than '2026-27' (its style guide: 'to' in ranges)."""
    return f"{year} to {year + 1}"


@register.filter
def financial_year_short(year: int) -> str:
    return financial_year_label(year)
