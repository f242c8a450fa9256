"""Money and financial years on funding pages: '£1,234.50' and '2026 to 2027', from Decimal and int only."""

from django import template

from aphub.core.money import format_money
from aphub.funding.periods import financial_year_label

register = template.Library()


@register.filter
def money(amount) -> str:
    return format_money(amount)


@register.filter
def financial_year(year: int) -> str:
    """GOV.UK style writes '2026 to 2027' rather than '2026-27' (its style guide: 'to' in ranges)."""
    return f"{year} to {year + 1}"


@register.filter
def financial_year_short(year: int) -> str:
    return financial_year_label(year)
