"""Funding checks on a placement, each a plain sentence for the officer who can put it right.

The main one is double funding (seed 004 section 7, 'Funding responsibilities', and its action 2: "review systems
to eliminate double funding"): a dual-registered pupil stays on the school's roll, so the school keeps the pupil's
funding (AWPU, pupil premium, the first £6,000 of additional needs); when the route says the school commissions or
pays the top-up, the LA paying the top-up as well pays twice for the same child.
"""

from django.db.models import Q

from aphub.core.money import format_money, to_money

from .models import FundingLine
from .planning import CANCELLED, DUAL_REGISTRATION, LA, SCHOOL, payments_for, place_funding_rate, top_up_payer


def _route_says_school(route) -> bool:
    return route is not None and (route.commissioner == SCHOOL or route.top_up_payer == SCHOOL)


def _routes_saying_school(placement) -> list:
    """The placement's route, then its episode's (the reason AP is needed), that say the school commissions or pays.

    The episode's route counts too: a suspension or off-site direction placed on an LA-funded route is the usual way
    an LA ends up paying for a school's decision.
    """
    episode = getattr(placement, "episode", None)
    routes = [placement.route, episode.route if episode is not None else None]
    found = []
    for route in routes:
        if _route_says_school(route) and route not in found:
            found.append(route)
    return found


def double_funding(placement, payments=None) -> str | None:
    """The LA would pay a top-up for a dual-registered pupil whose route says the school commissions or pays it."""
    if placement.registration != DUAL_REGISTRATION or top_up_payer(placement) != LA:
        return None
    payments = payments if payments is not None else payments_for(placement)
    if not any(payment.kind == FundingLine.Kind.TOP_UP for payment in payments):
        return None
    routes = _routes_saying_school(placement)
    if not routes:
        return None
    return (
        "Double funding: the local authority would pay the top-up for a dual-registered pupil, but the route "
        f"‘{routes[0]}’ says the school commissions or pays it. The school keeps the pupil's funding while the pupil "
        "stays on its roll, so the school should commission the placement and pay the top-up."
    )


# The same rule in the database, on stored lines, for lists of many placements (the funding page).
DOUBLE_FUNDED_LINES = Q(kind=FundingLine.Kind.TOP_UP, payer=LA, placement__registration=DUAL_REGISTRATION) & (
    Q(placement__route__commissioner=SCHOOL)
    | Q(placement__route__top_up_payer=SCHOOL)
    | Q(placement__episode__route__commissioner=SCHOOL)
    | Q(placement__episode__route__top_up_payer=SCHOOL)
)


def no_commissioning_school(placement) -> str | None:
    """A school commissions (by the placement or its route) but no commissioning school is named."""
    if placement.commissioning_school_id:
        return None
    if placement.commissioner == SCHOOL or placement.route.commissioner == SCHOOL:
        return (
            f"A school commissions placements on the route ‘{placement.route}’, but this placement names no "
            "commissioning school. Name the school that commissions it, so the right school is asked to pay."
        )
    return None


def payer_school_missing(placement, payments) -> list[str]:
    """A school should pay place funding or the top-up, but neither the placement nor its episode names one."""
    sentences = []
    for payment in payments:
        if not payment.has_payer:
            kind = FundingLine.Kind(payment.kind).label.lower()
            sentences.append(
                f"The route ‘{placement.route}’ says a school pays the {kind}, but neither the placement nor its "
                f"episode names a school, so no {kind} is planned. Name the commissioning school."
            )
    return sentences


def no_cost(placement) -> str | None:
    if to_money(placement.annual_cost) == 0:
        return "The annual cost of the place is £0.00. Enter the cost agreed with the provider so the top-up is right."
    return None


def cost_below_place_funding(placement, place_funding) -> str | None:
    """Place funding pays more than the place costs: usually a daily or termly price entered as the annual cost."""
    cost = to_money(placement.annual_cost)
    if place_funding is None or cost == 0 or cost >= place_funding:
        return None
    return (
        f"The annual cost of the place ({format_money(cost)}) is less than the place funding "
        f"({format_money(place_funding)}), so there is no top-up. Check the cost is for a whole year."
    )


def warnings_for(placement) -> list[str]:
    """Every funding warning for the placement, most serious first; none for a cancelled placement."""
    if placement.status == CANCELLED:
        return []
    place_funding = (
        place_funding_rate(placement.pupil.local_authority_id) if placement.route.place_funding_payer else None
    )
    payments = payments_for(placement, place_funding=place_funding)
    found = [
        double_funding(placement, payments),
        no_commissioning_school(placement),
        *payer_school_missing(placement, payments),
        no_cost(placement),
        cost_below_place_funding(placement, place_funding),
    ]
    return [sentence for sentence in found if sentence]
