"""Recharges to schools in the demo LA (issue 13): Kingsmead Academy commissions three placements the LA arranged at
Greenway Farm on the short-term intervention route (the LA pays place funding, the school the top-up: seed 004
section 7). Last term's statement is issued and paid, this term's is issued, then one of the three ends early today,
so next term's draft carries a credit for the days of this term it no longer runs.

Everything goes through the services a user's pages call, so the lines are those the pages would show. Fictional
children only; dates are relative to today.
"""

import datetime
import random
from decimal import Decimal

from aphub.core.clock import today
from aphub.core.days.school_years import birthday
from aphub.directory.models import Provision
from aphub.duties.calendars import calendar_for
from aphub.funding.periods import ONE_DAY, billing_term_of
from aphub.funding.recharges import services as recharges
from aphub.organisations.models import LocalAuthority, School, User
from aphub.placements import services
from aphub.placements.models import Destination
from aphub.pupils.models import Pupil
from aphub.pupils.services import enrol

from .characteristics import characteristics
from .journeys import FIRST_NAMES, LAST_NAMES, _upn, provider_staff

KINGSMEAD_URN = "990003"
# Serials of the demo's UPNs kept for these children, well past those the journeys give.
FIRST_SERIAL = 7001


def build_recharges(*, la: LocalAuthority, seed: int = 2025) -> dict[str, int]:
    """Three Kingsmead-paid placements, statements issued for last term (paid) and this term, and next term's draft
    with a credit for the placement that ended early. Returns what was made."""
    school = School.objects.filter(urn=KINGSMEAD_URN).first()
    greenway = (
        Provision.objects.filter(
            local_authority=la, status=Provision.Status.PUBLISHED, provider__legal_name="Greenway Farm Learning CIC"
        )
        .order_by("pk")
        .first()
    )
    if school is None or greenway is None:
        return {}
    rng = random.Random(seed + 13)
    staff = User.objects.get(email="school.kingsmead@example.org")
    admin = User.objects.get(email="elmbridge.admin@example.org")  # an LA admin bills schools (FINANCE_EDITORS)
    calendar = calendar_for(local_authority=la, school=school)
    term = billing_term_of(today())
    previous, following = billing_term_of(term.start - ONE_DAY), billing_term_of(term.end + ONE_DAY)
    placements = []
    for index, school_days_ago in enumerate((45, 30, 20)):
        start = calendar.school_day_back(today(), school_days_ago)
        pupil = Pupil.objects.create(
            local_authority=la,
            upn=_upn(la.la_code, FIRST_SERIAL + index),
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            date_of_birth=birthday(today(), -14) - datetime.timedelta(days=rng.randint(30, 330)),
            created_by=admin,
            **characteristics(rng),
        )
        enrol(user=admin, pupil=pupil, school=school, start_date=start - datetime.timedelta(days=400))
        episode = services.record_episode(
            user=staff, pupil=pupil, kind="short-term-intervention", start_date=start - datetime.timedelta(days=7)
        )
        placement = services.offer_placement(
            user=staff,
            episode=episode,
            provision=greenway,
            start_date=start,
            planned_end_date=following.start + datetime.timedelta(days=40),
            tier="2",
            sessions_per_week=6,
            hours_per_week=Decimal("15"),
            is_full_time=False,
            part_time_reason="Three days at Greenway, two at Kingsmead",
            part_time_review_date=today() + datetime.timedelta(weeks=4),
            annual_cost=Decimal("16500.00"),
            # Greenway is unregistered: a placement this long goes past the LA's limits, with the panel's reason.
            over_limit_reason="The panel agreed a placement to the spring half term, reviewed every six weeks",
        )
        placement = services.accept_placement(user=provider_staff(greenway), placement=placement)
        placements.append(services.start_placement(user=staff, placement=placement, on=start))

    made = {"recharge statements": 0}
    for billed in (previous, term):
        recharges.draft_statements(user=admin, term=billed)
        for statement in school.recharge_statements.filter(term_start=billed.start, status="draft"):
            statement = recharges.issue_statement(user=admin, statement=statement)
            if billed == previous:
                recharges.mark_paid(user=admin, statement=statement)
            made["recharge statements"] += 1
    # One child goes back to Kingsmead early, today: this term was billed to the planned end, so next term's draft
    # credits the days of this term the placement no longer runs.
    services.end_placement(user=staff, placement=placements[-1], end_date=today(), destination=Destination.SAME_SCHOOL)
    made["recharge statements"] += len(recharges.draft_statements(user=admin, term=following))
    return made
