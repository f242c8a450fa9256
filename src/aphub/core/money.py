"""Pounds and pence as Decimal, exact to the penny (DESIGN.md section 6: money never drifts).

Floats are refused: 0.1 + 0.2 is not 0.3 in binary, and a ledger must add up.
"""

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
Money = Decimal


def to_money(value: Decimal | int | str) -> Decimal:
    """`value` in pounds, rounded half up to the penny."""
    if isinstance(value, float):
        raise TypeError("Money cannot be a float; pass a Decimal, an int or a string such as '12.50'")
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"Money must be a Decimal, an int or a string, not {type(value).__name__}")
    try:
        amount = Decimal(value.strip().replace(",", "").removeprefix("£") if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount of money") from None
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not an amount of money")
    try:
        return amount.quantize(PENNY, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than Decimal's context holds, such as 1e30
        raise ValueError(f"{value!r} is too large an amount of money") from None


def format_money(amount: Decimal | int | str) -> str:
    """'£1,234.50'; negative amounts as '-£1,234.50'."""
    pounds = to_money(amount)
    sign = "-" if pounds < 0 else ""
    return f"{sign}£{abs(pounds):,.2f}"


def pro_rata(annual: Decimal | int | str, days: int, days_in_year: int) -> Decimal:
    """The share of an annual amount for `days` of `days_in_year`, rounded once, at the end."""
    if days_in_year <= 0:
        raise ValueError("A year must have at least one day")
    if days < 0:
        raise ValueError("Days cannot be negative")
    return to_money(to_money(annual) * days / days_in_year)


def allocate(total: Decimal | int | str, weights: Sequence[int | Decimal]) -> list[Decimal]:
    """Split `total` in proportion to `weights` so the parts add up to it exactly.

    Each part is rounded down to the penny and the pennies left over go to the parts that lost most in rounding
    (largest remainder), earliest first on a tie. Use it for instalments: three termly payments of an annual
    top-up add up to the annual amount, which three separate `pro_rata` calls need not.
    """
    amount = to_money(total)
    if not weights:
        raise ValueError("Allocate to at least one part")
    if any(weight < 0 for weight in weights):
        raise ValueError("Weights cannot be negative")
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        raise ValueError("At least one weight must be more than zero")
    sign = -1 if amount < 0 else 1
    pence = abs(amount) / PENNY
    exact = [pence * Decimal(weight) / weight_sum for weight in weights]
    parts = [share.to_integral_value(rounding=ROUND_DOWN) for share in exact]
    left_over = int(pence - sum(parts))
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:left_over]:
        parts[i] += 1
    return [(sign * part * PENNY).quantize(PENNY) for part in parts]
