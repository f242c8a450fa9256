"""Issue 13, done when: splitting any placement across financial years and terms loses or gains no penny."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from aphub.funding.periods import Period, amount_between, split_by_financial_year
from aphub.funding.recharges.billing import Billed, billing_terms_between, owed_by_term, statement_lines

ONE_DAY = datetime.timedelta(days=1)
days = st.dates(min_value=datetime.date(2023, 1, 1), max_value=datetime.date(2031, 12, 31))
rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("250000.00"), places=2)


@dataclass(frozen=True)
class Line:
    """A funding line as plan_funding writes it: one slice of a financial year, at an annual rate."""

    placement_id: int
    kind: str
    period_start: datetime.date
    period_end: datetime.date
    annual_rate: Decimal

    @property
    def amount(self) -> Decimal:
        return amount_between(self.annual_rate, self.period_start, self.period_end)


def lines_of(start, end, rate) -> list[Line]:
    return [Line(1, "top-up", piece.start, piece.end, rate) for piece in split_by_financial_year(start, end)]


@given(days, st.integers(min_value=0, max_value=900), rates)
def test_the_terms_of_a_placement_add_up_exactly_to_its_funding_lines(start, length, rate):
    end = start + datetime.timedelta(days=length)
    lines = lines_of(start, end, rate)
    owed = owed_by_term(lines, billing_terms_between(start, end))
    assert sum(o.amount for o in owed.values()) == sum(line.amount for line in lines)
    assert sum(o.days for o in owed.values()) == length + 1
    for o in owed.values():  # each term's part is the term's own days at the rate, never rounded on its own
        first, last = o.term.overlap(start, end)
        assert o.amount == amount_between(rate, first, last)


@given(days, st.integers(min_value=1, max_value=400), st.integers(min_value=0, max_value=400), rates)
def test_billed_then_ended_early_the_credits_and_what_is_owed_add_up_to_what_is_owed_now(start, length, cut, rate):
    """Bill every term of a placement, end it earlier, and the adjustments bring each term to what it now owes."""
    end = start + datetime.timedelta(days=length)
    new_end = max(start, end - datetime.timedelta(days=cut))
    terms = billing_terms_between(start, end)
    before = owed_by_term(lines_of(start, end, rate), terms)
    billed = {key: Billed(o.term, o.days, o.amount) for key, o in before.items()}
    after = owed_by_term(lines_of(start, new_end, rate), terms)
    following = Period("Later", terms[-1].end + ONE_DAY, terms[-1].end + ONE_DAY)
    adjustments = statement_lines(term=following, owed=after, billed=billed)
    assert all(due.is_adjustment and due.amount <= 0 and due.days < 0 for due in adjustments)
    total_billed = sum(was.amount for was in billed.values()) + sum(due.amount for due in adjustments)
    assert total_billed == sum(line.amount for line in lines_of(start, new_end, rate))
    assert sum(due.days for due in adjustments) == -(end - new_end).days
