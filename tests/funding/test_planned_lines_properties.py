"""planned_lines on any dates, costs and routes (hypothesis): a placement split in two costs what it costs whole, to
within a penny per line; its days add up to its period; every amount is a Decimal in pence."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from aphub.funding.periods import funding_period
from aphub.funding.planning import planned_lines
from aphub.organisations.models import School

PLACE_FUNDING = Decimal("10000.00")
dates = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2040, 12, 31))
pence = st.integers(min_value=0, max_value=10_000_000).map(lambda p: Decimal(p) / 100)
payers = st.sampled_from(["la", "school"])


@st.composite
def placements(draw):
    """A placement-shaped object (no database): the attributes planned_lines reads."""
    start = draw(dates)
    end = start + datetime.timedelta(days=draw(st.integers(min_value=1, max_value=900)))
    school = School(name="Kingsmead School", urn="140123")
    route = SimpleNamespace(
        place_funding_payer=draw(st.sampled_from(["", "la", "school"])),
        top_up_payer=draw(payers),
        commissioner=draw(st.sampled_from(["la", "school", "la-or-school"])),
    )
    commissioner = draw(payers)
    return SimpleNamespace(
        pk=None,
        status="active",
        start_date=start,
        end_date=end if draw(st.booleans()) else None,
        planned_end_date=end,
        annual_cost=draw(pence),
        route=route,
        commissioner=commissioner,
        commissioning_school_id=1 if commissioner == "school" else None,
        commissioning_school=school if commissioner == "school" else None,
        episode=SimpleNamespace(school_id=1, school=school),
        pupil=SimpleNamespace(local_authority_id=1),
    )


def split(placement, cut: datetime.date):
    before = SimpleNamespace(**{**vars(placement), "end_date": cut - datetime.timedelta(days=1)})
    after = SimpleNamespace(**{**vars(placement), "start_date": cut})
    return before, after


def totals(lines) -> dict[tuple[str, str], Decimal]:
    found: dict[tuple[str, str], Decimal] = {}
    for line in lines:
        found[(line.kind, line.payer)] = found.get((line.kind, line.payer), Decimal(0)) + line.amount
    return found


@given(placements(), st.data())
def test_a_placement_split_anywhere_costs_what_it_costs_whole(placement, data):
    start, end = funding_period(
        start_date=placement.start_date, end_date=placement.end_date, planned_end_date=placement.planned_end_date
    )
    cut = start + datetime.timedelta(days=data.draw(st.integers(min_value=1, max_value=(end - start).days)))
    before, after = split(placement, cut)
    after.end_date = end
    whole = planned_lines(placement, place_funding=PLACE_FUNDING)
    parts = planned_lines(before, place_funding=PLACE_FUNDING) + planned_lines(after, place_funding=PLACE_FUNDING)

    whole_totals, part_totals = totals(whole), totals(parts)
    assert whole_totals.keys() == part_totals.keys()
    for key, amount in whole_totals.items():
        assert abs(amount - part_totals[key]) <= Decimal("0.01") * len(parts), key

    period_days = (end - start).days + 1
    for kind in {line.kind for line in whole}:
        assert sum(line.days for line in whole if line.kind == kind) == period_days
        assert sum(line.days for line in parts if line.kind == kind) == period_days

    for line in whole + parts:
        assert isinstance(line.amount, Decimal) and line.amount.as_tuple().exponent == -2
        assert isinstance(line.annual_rate, Decimal) and line.annual_rate.as_tuple().exponent == -2
        assert line.amount >= 0 and line.annual_rate > 0


@given(placements())
def test_place_funding_and_top_up_together_are_the_annual_cost_or_the_place_funding(placement):
    lines = planned_lines(placement, place_funding=PLACE_FUNDING)
    if not lines:  # nothing to pay: no place funding on the route and a place that costs nothing
        assert not placement.route.place_funding_payer and placement.annual_cost == 0
        return
    first_year = lines[0].financial_year
    rates = {line.kind: line.annual_rate for line in lines if line.financial_year == first_year}
    if placement.route.place_funding_payer:
        assert rates["place-funding"] + rates.get("top-up", 0) == max(placement.annual_cost, PLACE_FUNDING)
    else:
        assert rates.get("top-up", Decimal(0)) == placement.annual_cost
