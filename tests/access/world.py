"""Two of everything: the signed-in users live on side X, the objects they must not reach on side Y.

OBJECT_MAKERS says, for each URL name with an object kwarg, how to make objects owned by side Y (LA Y, school B,
provider P2). Add one line per new page; a page with an object kwarg and no line fails tests/access.
"""

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models

from aphub.organisations.models import LocalAuthority, Membership, Provider, Role, School, User
from aphub.organisations.services import issue_api_token
from tests.factories import LocalAuthorityFactory, ProviderFactory, SchoolFactory, member, route_for


@dataclass
class World:
    la_x: LocalAuthority
    la_y: LocalAuthority
    school_a: School
    school_b: School
    provider_p1: Provider
    provider_p2: Provider
    # Side X: the people who try.
    actors: dict[str, User]
    # Side Y: people whose organisations own the objects.
    la_admin_y: User
    school_b_staff: User
    provider_p2_staff: User
    # Side Y's other people, for the walks that open side Y's pages as each of its roles (tests/fuzz).
    la_officer_y: User
    auditor_y: User
    finance_officer_y: User
    # maker -> the side Y objects it made in this world (objects_of).
    made: dict[Callable, list[models.Model]] = field(default_factory=dict)

    @classmethod
    def build(cls) -> "World":
        la_x = LocalAuthorityFactory(name="Xenbury Borough Council")
        la_y = LocalAuthorityFactory(name="Yarrowdale City Council")
        school_a = SchoolFactory(name="Ashgrove Academy", local_authority=la_x)
        school_b = SchoolFactory(name="Birchwood High School", local_authority=la_y)
        p1 = ProviderFactory(legal_name="Pathways One Learning Ltd", local_authority=la_x)
        p2 = ProviderFactory(legal_name="Second Chance Tuition Ltd", local_authority=la_y)
        actors = {
            Role.LA_ADMIN: member(Role.LA_ADMIN, la_x),
            Role.LA_OFFICER: member(Role.LA_OFFICER, la_x),
            Role.AUDITOR: member(Role.AUDITOR, la_x),
            Role.FINANCE_OFFICER: member(Role.FINANCE_OFFICER, la_x),
            Role.SCHOOL_STAFF: member(Role.SCHOOL_STAFF, school_a),
            Role.PROVIDER_STAFF: member(Role.PROVIDER_STAFF, p1),
        }
        return cls(
            la_x=la_x,
            la_y=la_y,
            school_a=school_a,
            school_b=school_b,
            provider_p1=p1,
            provider_p2=p2,
            actors=actors,
            la_admin_y=member(Role.LA_ADMIN, la_y),
            school_b_staff=member(Role.SCHOOL_STAFF, school_b),
            provider_p2_staff=member(Role.PROVIDER_STAFF, p2),
            la_officer_y=member(Role.LA_OFFICER, la_y),
            auditor_y=member(Role.AUDITOR, la_y),
            finance_officer_y=member(Role.FINANCE_OFFICER, la_y),
        )

    def objects_of(self, maker: Callable[["World"], list[models.Model]]) -> list[models.Model]:
        """The objects `maker` (a line of OBJECT_MAKERS) makes for side Y, made once in this world and reused: a
        copy of them each time, so a test that changes one in memory does not change it for the next."""
        if maker not in self.made:
            self.made[maker] = maker(self)
        return copy.deepcopy(self.made[maker])

    def __deepcopy__(self, memo: dict) -> "World":
        # A test's copy of the world (tests/built_once.py) copies its people and organisations; the made objects,
        # hundreds, are copied only when a test asks for them (objects_of), which is much quicker.
        fields = {name: copy.deepcopy(value, memo) for name, value in vars(self).items() if name != "made"}
        return type(self)(**fields, made=dict(self.made))

    def with_every_object(self) -> "World":
        """This world with every maker's objects made, as the access tests' module fixture builds it (conftest.py):
        the tests of a module share them, each test's own writes rolled back."""
        for makers in OBJECT_MAKERS.values():
            for maker in makers.values():
                self.objects_of(maker)
        return self

    @staticmethod
    def membership(user: User) -> Membership:
        return user.memberships.get()


def _tokens_of_side_y(world: World) -> list[models.Model]:
    return [
        issue_api_token(membership=world.membership(world.la_admin_y), name="Yarrowdale MIS feed").token,
        issue_api_token(membership=world.membership(world.provider_p2_staff), name="Second Chance registers").token,
        issue_api_token(membership=world.membership(world.school_b_staff), name="Birchwood census AP").token,
    ]


def _security_keys_of_side_y(world: World) -> list[models.Model]:
    from tests.security_keys import stored_security_key

    return [stored_security_key(user) for user in (world.la_admin_y, world.school_b_staff, world.provider_p2_staff)]


def _provisions_of_side_y(world: World) -> list[models.Model]:
    """Provider P2's provisions listed by LA Y, in every state a page might act on."""
    from aphub.directory.models import Provision
    from tests.factories import ProvisionFactory

    return [
        ProvisionFactory(
            provider=world.provider_p2, local_authority=world.la_y, status=status, name=f"Yarrow {status} centre"
        )
        for status in (
            Provision.Status.DRAFT,
            Provision.Status.SUBMITTED,
            Provision.Status.PUBLISHED,
            Provision.Status.ARCHIVED,
        )
    ]


_PROVISION = {"pk": _provisions_of_side_y}


def _journey_of_side_y(world: World):
    """A pupil of LA Y on school B's roll, excluded, with a placement at provider P2's provision in each state."""
    from tests.factories import EnrolmentFactory, EpisodeFactory, PlacementFactory, ProvisionFactory, PupilFactory

    pupil = PupilFactory(local_authority=world.la_y, first_name="Yasmin", last_name="Yardley")
    EnrolmentFactory(pupil=pupil, school=world.school_b)
    episode = EpisodeFactory(pupil=pupil, school=world.school_b)
    provision = ProvisionFactory(provider=world.provider_p2, local_authority=world.la_y, name="Yarrow Bridge Centre")
    placements = [
        PlacementFactory(
            pupil=pupil,
            episode=episode,
            provision=provision,
            status=status,
            is_full_time=False,
            part_time_reason="Phased start",
            part_time_review_date=episode.start_date,
        )
        for status in ("offered", "accepted", "active", "ended")
    ]
    return pupil, placements


def _pupils_of_side_y(world: World) -> list[models.Model]:
    return [_journey_of_side_y(world)[0]]


def _placements_of_side_y(world: World) -> list[models.Model]:
    return _journey_of_side_y(world)[1]


def _waiting_of_side_y(world: World) -> list[models.Model]:
    from aphub.placements.models import WaitingListEntry

    pupil, placements = _journey_of_side_y(world)
    return [WaitingListEntry.objects.create(pupil=pupil, provision=placements[0].provision)]


def _budget_lines_of_side_y(world: World) -> list[models.Model]:
    from aphub.finance.models import BudgetLine

    return [BudgetLine.objects.create(local_authority=world.la_y, name="Yarrowdale top-ups")]


_PUPIL = {"pk": _pupils_of_side_y}
_PLACEMENT = {"pk": _placements_of_side_y}


def _referrals_of_side_y(world: World) -> list[models.Model]:
    """Referrals of an LA Y pupil on school B's roll in every state, one with a placement offered to provider P2."""
    from aphub.placements.models import Referral
    from tests.factories import EnrolmentFactory, EpisodeFactory, PlacementFactory, ProvisionFactory, PupilFactory

    pupil = PupilFactory(local_authority=world.la_y, first_name="Yusuf", last_name="Yewdale")
    EnrolmentFactory(pupil=pupil, school=world.school_b)
    referrals = []
    for status in Referral.Status.values:
        episode = EpisodeFactory(pupil=pupil, school=world.school_b)
        referrals.append(
            Referral.objects.create(
                pupil=pupil,
                episode=episode,
                referring_school=world.school_b,
                referred_by=world.school_b_staff,
                status=status,
                requested_tier="2",
                needs_summary="Needs summary",
                tried_so_far="Tried",
                child_views="Views",
                parent_views="Views",
                consent_given=True,
            )
        )
    approved = next(r for r in referrals if r.status == Referral.Status.APPROVED)
    provision = ProvisionFactory(provider=world.provider_p2, local_authority=world.la_y, name="Yarrow Referral Centre")
    PlacementFactory(pupil=pupil, episode=approved.episode, referral=approved, provision=provision, status="offered")
    return referrals


def _referral_documents_of_side_y(world: World) -> list[models.Model]:
    from django.core.files.base import ContentFile

    from aphub.placements.models import ReferralDocument

    documents = []
    for referral in _referrals_of_side_y(world)[:3]:
        document = ReferralDocument(
            referral=referral, title=f"Yewdale plan {referral.status}", content_type="application/pdf", size=9
        )
        document.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        documents.append(document)
    return documents


def _panel_meetings_of_side_y(world: World) -> list[models.Model]:
    import datetime

    from aphub.placements.models import PanelMeeting

    return [
        PanelMeeting.objects.create(
            local_authority=world.la_y, date=datetime.date(2026, 12, 1), members="Yolanda Yeats, chair"
        )
    ]


_REFERRAL = {"pk": _referrals_of_side_y}
_PANEL_MEETING = {"pk": _panel_meetings_of_side_y}


def _reviewed_placements_of_side_y(world: World) -> list[models.Model]:
    """School B commissions placements of an LA Y pupil at provider P2's provision: one active with a start review,
    one ended back to school B with an exit review and its follow-ups."""
    import datetime

    from aphub.placements.models import FollowUp, OutcomeArea, OutcomeScore, Review
    from tests.factories import EnrolmentFactory, PlacementFactory, ProvisionFactory, PupilFactory

    pupil = PupilFactory(local_authority=world.la_y, first_name="Yvonne", last_name="Yelland")
    EnrolmentFactory(pupil=pupil, school=world.school_b)
    provision = ProvisionFactory(provider=world.provider_p2, local_authority=world.la_y, name="Yarrow Review Centre")
    common = {"pupil": pupil, "provision": provision, "commissioner": "school", "commissioning_school": world.school_b}
    active = PlacementFactory(**common, status="active", start_date=datetime.date(2026, 1, 5))
    ended = PlacementFactory(
        **common,
        status="ended",
        start_date=datetime.date(2025, 9, 8),
        end_date=datetime.date(2025, 12, 12),
        destination="same-school",
        destination_school=world.school_b,
    )
    for placement, kind, held_on in ((active, "start", active.start_date), (ended, "exit", ended.end_date)):
        review = Review.objects.create(placement=placement, kind=kind, held_on=held_on, pupil_voice="Yvonne's words")
        OutcomeScore.objects.bulk_create(OutcomeScore(review=review, area=area, score=3) for area in OutcomeArea)
    for weeks in (6, 12):
        FollowUp.objects.create(
            placement=ended, weeks_after_exit=weeks, due_date=ended.end_date + datetime.timedelta(weeks=weeks)
        )
    return [active, ended]


def _follow_ups_of_side_y(world: World) -> list[models.Model]:
    from aphub.placements.models import FollowUp

    return list(FollowUp.objects.filter(placement__in=_reviewed_placements_of_side_y(world)))


_REVIEWED_PLACEMENT = {"pk": _reviewed_placements_of_side_y}


def _applications_of_side_y(world: World) -> list[models.Model]:
    """Provider P2's applications to LA Y's own arrangements, in every state an officer meets: waiting, paused for
    clarification, recommended, admitted and rejected."""
    from aphub.commissioning.models import Application
    from tests.commissioning.evaluating import builders

    made = []
    for status in ("submitted", "clarification", "recommended", "admitted", "rejected"):
        arrangement = builders.arrangement(world.la_y, lots=1, title=f"Yarrowdale {status} market")
        application = builders.application(world.provider_p2, arrangement)
        Application.objects.filter(pk=application.pk).update(
            status=status, recommended_outcome="admit" if status == "recommended" else ""
        )
        made.append(application)
    return made


def _contracts_of_side_y(world: World) -> list[models.Model]:
    import datetime

    from aphub.commissioning.models import Contract
    from tests.commissioning.evaluating import builders

    arrangement = builders.arrangement(world.la_y, lots=1, title="Yarrowdale contracted market")
    return [
        Contract.objects.create(
            provider=world.provider_p2,
            arrangement=arrangement,
            reference=f"{arrangement.reference}-{world.provider_p2.pk}",
            starts_on=datetime.date(2026, 1, 5),
        )
    ]


_EVALUATION = {"pk": _applications_of_side_y}


def _schools_of_side_y(world: World) -> list[models.Model]:
    """School B, which follows LA Y's term dates, and another school of LA Y with its own."""
    import datetime

    from aphub.duties.models import TermDates

    own = SchoolFactory(name="Yew Tree Academy", local_authority=world.la_y)
    TermDates.objects.create(
        local_authority=world.la_y,
        school=own,
        name="Yew Tree Autumn 2026",
        first_day=datetime.date(2026, 9, 7),
        last_day=datetime.date(2026, 12, 16),
    )
    return [world.school_b, own]


def _term_dates_of_side_y(world: World) -> list[models.Model]:
    import datetime

    from aphub.duties.models import TermDates

    return [
        TermDates.objects.create(
            local_authority=world.la_y,
            school=school,
            name=f"Yarrowdale Autumn 2026 {index}",
            first_day=datetime.date(2026, 9, 1),
            last_day=datetime.date(2026, 10, 23),
        )
        for index, school in enumerate((None, world.school_b))
    ]


def _closures_of_side_y(world: World) -> list[models.Model]:
    import datetime

    from aphub.duties.models import Closure

    return [
        Closure.objects.create(
            local_authority=world.la_y, school=school, date=datetime.date(2026, 10, 2), reason="Yarrowdale INSET day"
        )
        for school in (None, world.school_b)
    ]


_SCHOOL_CALENDAR = {"pk": _schools_of_side_y}


def _notifications_of_side_y(world: World) -> list[models.Model]:
    """A notification to each of LA Y, school B and provider P2, each naming an LA Y child."""
    from aphub.duties.models import Notification
    from tests.factories import PupilFactory

    child = PupilFactory(local_authority=world.la_y, first_name="Yusuf", last_name="Yardley")
    kind = Notification.Kind
    return [
        Notification.objects.create(
            kind=made_kind, subject=f"For side Y: {child.first_name} Y.", path="/home/", pupil=child, **recipient
        )
        for made_kind, recipient in (
            (kind.REFERRAL_SUBMITTED, {"local_authority": world.la_y}),
            (kind.PANEL_DECISION, {"school": world.school_b}),
            (kind.OFFER_MADE, {"provider": world.provider_p2}),
        )
    ]


def _board_reviews_of_side_y(world: World) -> list[models.Model]:
    """School B's running governing board review of an LA Y pupil it excluded."""
    import datetime

    from aphub.duties.models import Clock
    from tests.factories import EnrolmentFactory

    pupil = EnrolmentFactory(
        pupil__local_authority=world.la_y, pupil__first_name="Yannick", pupil__last_name="Yorke", school=world.school_b
    ).pupil
    return [
        Clock.objects.create(
            local_authority=world.la_y,
            pupil=pupil,
            rule="governing-board-review",
            owner="school",
            owner_school=world.school_b,
            started_on=datetime.date(2026, 11, 3),
            due_on=datetime.date(2026, 11, 24),
        )
    ]


def _arrangements_of_side_y(world: World) -> list[models.Model]:
    """LA Y's own arrangements in each status (not shared with LA X), each with one lot."""
    import datetime

    from aphub.commissioning.models import CommercialArrangement, Lot

    made = []
    for status in CommercialArrangement.Status.values:
        serial = CommercialArrangement.objects.count()
        arrangement = CommercialArrangement.objects.create(
            owner=world.la_y,
            kind="dps",
            reference=f"yarrowdale-ap-{status}-{serial}",
            title=f"Yarrowdale {status} AP purchasing system",
            starts_on=datetime.date(2025, 9, 1),
            status=status,
            published_at=None if status == "draft" else datetime.datetime(2025, 8, 1, 9, tzinfo=datetime.UTC),
        )
        Lot.objects.create(arrangement=arrangement, number=1, title="Yarrow tuition", criteria=["registration"])
        made.append(arrangement)
    return made


def _lots_of_side_y(world: World) -> list[models.Model]:
    return [arrangement.lots.get() for arrangement in _arrangements_of_side_y(world)]


_ARRANGEMENT = {"pk": _arrangements_of_side_y}
_LOT = {"pk": _lots_of_side_y}


def _top_up_bands_of_side_y(world: World) -> list[models.Model]:
    """LA Y's top-up bands: one for every provision, one retired."""
    from tests.factories import TopUpBandFactory

    return [
        TopUpBandFactory(local_authority=world.la_y, code="Y", label="Yarrowdale standard"),
        TopUpBandFactory(local_authority=world.la_y, code="Z", label="Yarrowdale old rate", active=False),
    ]


_TOP_UP_BAND = {"pk": _top_up_bands_of_side_y}


def _visits_of_side_y(world: World) -> list[models.Model]:
    """LA Y's monitoring visits to provider P2: one planned, one held and rated amber with an open action."""
    import datetime

    from aphub.commissioning.models import MonitoringVisit, QAArea, VisitAction, VisitRating

    planned = MonitoringVisit.objects.create(
        provider=world.provider_p2, local_authority=world.la_y, scheduled_for=datetime.date(2026, 12, 7)
    )
    held = MonitoringVisit.objects.create(
        provider=world.provider_p2,
        local_authority=world.la_y,
        scheduled_for=datetime.date(2026, 10, 5),
        held_on=datetime.date(2026, 10, 5),
        overall="amber",
        summary="Yarrow premises need work",
    )
    VisitRating.objects.bulk_create(VisitRating(visit=held, area=area, rating="amber", note="Y") for area in QAArea)
    VisitAction.objects.create(
        visit=held, description="Yarrow fire doors", owner="Head of centre", due_on=datetime.date(2026, 11, 2)
    )
    return [planned, held]


def _visit_actions_of_side_y(world: World) -> list[models.Model]:
    import datetime

    from aphub.commissioning.models import VisitAction

    held = _visits_of_side_y(world)[1]
    done = VisitAction.objects.create(
        visit=held,
        description="Yarrow risk assessment",
        owner="Manager",
        due_on=datetime.date(2026, 10, 30),
        done_on=datetime.date(2026, 10, 20),
        done_note="Done",
    )
    return [held.actions.exclude(pk=done.pk).get(), done]


def _complaints_of_side_y(world: World) -> list[models.Model]:
    import datetime

    from aphub.commissioning.models import Complaint

    return [
        Complaint.objects.create(
            provider=world.provider_p2,
            local_authority=world.la_y,
            received_on=datetime.date(2026, 10, 1),
            summary="Yarrow complaint",
            upheld=upheld,
            closed_on=closed_on,
        )
        for upheld, closed_on in ((None, None), (True, datetime.date(2026, 10, 20)))
    ]


def _admissions_of_side_y(world: World) -> list[models.Model]:
    """Provider P2 admitted, suspended and removed on three lots of an open arrangement LA Y runs alone."""
    import datetime

    from aphub.commissioning.models import Admission, Application, CommercialArrangement, Lot

    serial = CommercialArrangement.objects.count()
    arrangement = CommercialArrangement.objects.create(
        owner=world.la_y,
        kind="dps",
        reference=f"yarrowdale-quality-{serial}",
        title="Yarrowdale quality DPS",
        starts_on=datetime.date(2025, 9, 1),
        status="open",
        published_at=datetime.datetime(2025, 8, 1, 9, tzinfo=datetime.UTC),
    )
    application = Application.objects.create(provider=world.provider_p2, arrangement=arrangement, status="admitted")
    made = []
    for number, status in enumerate(Admission.Status.values, start=1):
        lot = Lot.objects.create(arrangement=arrangement, number=number, title=f"Yarrow lot {number}")
        made.append(
            Admission.objects.create(
                provider=world.provider_p2,
                lot=lot,
                application=application,
                admitted_on=datetime.date(2025, 10, 1),
                status=status,
            )
        )
    return made


_QUALITY_VISIT = {"pk": _visits_of_side_y}
_QUALITY_PROVIDER = {"pk": lambda world: [world.provider_p2]}
_QUALITY_ADMISSION = {"pk": _admissions_of_side_y}


@functools.cache  # one maker per name, so the pages of one kind share its objects
def _applying(name: str) -> dict[str, Callable[[World], list[models.Model]]]:
    """Side Y's objects for the providers' application pages (tests/commissioning/applying/side_y.py)."""

    def make(world: World) -> list[models.Model]:
        from tests.commissioning.applying import side_y

        return getattr(side_y, name)(world)

    return {"pk": make}


def _recharge_statements_of_side_y(world: World) -> list[models.Model]:
    """School B's recharge statements from LA Y in every state, each billing Yasmin's placement (issue 13)."""
    import datetime

    from aphub.funding.models import RechargeLine, RechargeStatement

    pupil, placements = _journey_of_side_y(world)
    statements = []
    for index, status in enumerate(RechargeStatement.Status.values):
        start = datetime.date(2024 + index, 9, 1)
        statement = RechargeStatement.objects.create(
            local_authority=world.la_y,
            school=world.school_b,
            academic_year=start.year,
            term_name=f"Autumn {start.year}",
            term_start=start,
            term_end=datetime.date(start.year, 12, 31),
            status=status,
            number="" if status == "draft" else f"AUTUMN-{start.year}-B",
            issued_on=None if status == "draft" else start,
            created_by=world.la_admin_y,
        )
        RechargeLine.objects.create(
            statement=statement,
            kind="charge",
            funding_kind="top-up",
            placement_number=placements[0].pk,
            pupil=pupil,
            child_name=pupil.full_name,
            upn=pupil.upn,
            provision_name=placements[0].provision.name,
            term_name=statement.term_name,
            term_start=start,
            days=122,
            amount="1671.23",
        )
        statements.append(statement)
    return statements


_RECHARGE_STATEMENT = {"pk": _recharge_statements_of_side_y}


# url name -> {kwarg -> make objects owned by side Y}. One line per page with an object in its URL.
OBJECT_MAKERS: dict[str, dict[str, Callable[[World], list[models.Model]]]] = {
    "organisations:revoke-api-token": {"pk": _tokens_of_side_y},
    # A security key is its owner's alone: side Y's people's keys, never removed from side X.
    "organisations:security-key-remove": {"pk": _security_keys_of_side_y},
    "directory:edit": _PROVISION,
    "directory:review": _PROVISION,
    "directory:submit": _PROVISION,
    "directory:approve": _PROVISION,
    "directory:reject": _PROVISION,
    "directory:archive": _PROVISION,
    "directory:restore": _PROVISION,
    "placements:pupil": _PUPIL,
    "pupils:edit": _PUPIL,
    "pupils:enrol": _PUPIL,
    "placements:new-episode": _PUPIL,
    "placements:offer": _PUPIL,
    "placements:add-to-waiting-list": _PUPIL,
    "audit:subject-access": _PUPIL,
    "audit:subject-access-json": _PUPIL,
    "audit:subject-access-pdf": _PUPIL,
    "placements:placement": _PLACEMENT,
    "finance:budget-line": {"pk": _budget_lines_of_side_y},
    "placements:accept": _PLACEMENT,
    "placements:decline": _PLACEMENT,
    "placements:cancel": _PLACEMENT,
    "placements:start": _PLACEMENT,
    "placements:end": _PLACEMENT,
    "placements:commissioning-school": _PLACEMENT,
    # School B commissions these, so side Y could hand them back: side X must still never reach them.
    "placements:commissioning-school-hand-back": _REVIEWED_PLACEMENT,
    "placements:agreement": _PLACEMENT,
    "commissioning:evaluation": _EVALUATION,
    "commissioning:evaluation-score": _EVALUATION,
    "commissioning:evaluation-recommend": _EVALUATION,
    "commissioning:evaluation-sign-off": _EVALUATION,
    "commissioning:evaluation-send-back": _EVALUATION,
    "commissioning:contract-signed": {"pk": _contracts_of_side_y},
    "placements:remove-from-waiting-list": {"pk": _waiting_of_side_y},
    "placements:edit-route": {"pk": lambda world: [route_for(world.la_y)]},
    "api:get_episode": {"episode_id": lambda world: [_journey_of_side_y(world)[1][0].episode]},
    "api:correct_episode": {"episode_id": lambda world: [_journey_of_side_y(world)[1][0].episode]},
    "api:withdraw_episode": {"episode_id": lambda world: [_journey_of_side_y(world)[1][0].episode]},
    "placements:correct-episode": {"pk": lambda world: [_journey_of_side_y(world)[1][0].episode]},
    "placements:withdraw-episode": {"pk": lambda world: [_journey_of_side_y(world)[1][0].episode]},
    "api:get_placement": {"placement_id": _placements_of_side_y},
    "placements:attendance-placement": _PLACEMENT,
    "api:list_attendance_marks": {"placement_id": _placements_of_side_y},
    "placements:referral": _REFERRAL,
    "placements:referral-edit": _REFERRAL,
    "placements:referral-submit": _REFERRAL,
    "placements:referral-withdraw": _REFERRAL,
    "placements:referral-document-upload": _REFERRAL,
    "placements:referral-document": {"pk": _referral_documents_of_side_y},
    "placements:panel-meeting": _PANEL_MEETING,
    "placements:panel-decide": _PANEL_MEETING,
    "placements:reviews": _REVIEWED_PLACEMENT,
    "placements:review-new": _REVIEWED_PLACEMENT,
    "placements:follow-up": {"pk": _follow_ups_of_side_y},
    "duties:school-calendar": _SCHOOL_CALENDAR,
    "duties:add-school-term": _SCHOOL_CALENDAR,
    "duties:add-school-closure": _SCHOOL_CALENDAR,
    "duties:delete-term": {"pk": _term_dates_of_side_y},
    "duties:delete-closure": {"pk": _closures_of_side_y},
    "duties:record-met": {"pk": _board_reviews_of_side_y},
    "duties:open-notification": {"pk": _notifications_of_side_y},
    "commissioning:readiness": _applying("unpublished_arrangements"),
    "commissioning:start-application": _applying("unpublished_arrangements"),
    "commissioning:application": _applying("applications"),
    "commissioning:application-lots": _applying("applications"),
    "commissioning:application-declarations": _applying("applications"),
    "commissioning:application-submit": _applying("applications"),
    "commissioning:application-withdraw": _applying("applications"),
    "commissioning:application-send-answers": _applying("applications"),
    "commissioning:response": _applying("responses"),
    "commissioning:clarification": _applying("clarifications"),
    "commissioning:evidence-download": _applying("evidence"),
    "commissioning:evidence-delete": _applying("evidence"),
    "commissioning:arrangement-manage": _ARRANGEMENT,
    "commissioning:arrangement-edit": _ARRANGEMENT,
    "commissioning:arrangement-add-lot": _ARRANGEMENT,
    "commissioning:arrangement-publish": _ARRANGEMENT,
    "commissioning:arrangement-close": _ARRANGEMENT,
    "commissioning:arrangement-open": _ARRANGEMENT,
    "commissioning:arrangement-lot-edit": _LOT,
    "commissioning:arrangement-lot-remove": _LOT,
    "commissioning:quality-visit": _QUALITY_VISIT,
    "commissioning:quality-visit-record": _QUALITY_VISIT,
    "commissioning:quality-visit-action-new": _QUALITY_VISIT,
    "commissioning:quality-action": {"pk": _visit_actions_of_side_y},
    "commissioning:quality-provider": _QUALITY_PROVIDER,
    "commissioning:quality-provider-visit-new": _QUALITY_PROVIDER,
    "commissioning:quality-provider-complaint-new": _QUALITY_PROVIDER,
    "commissioning:quality-complaint": {"pk": _complaints_of_side_y},
    "commissioning:quality-admission": _QUALITY_ADMISSION,
    "commissioning:quality-admission-suspend": _QUALITY_ADMISSION,
    "commissioning:quality-admission-reinstate": _QUALITY_ADMISSION,
    "commissioning:quality-admission-remove": _QUALITY_ADMISSION,
    "commissioning:top-up-band-edit": _TOP_UP_BAND,
    "commissioning:top-up-band-retire": _TOP_UP_BAND,
    "funding:recharge-statement": _RECHARGE_STATEMENT,
    "funding:recharge-statement-pdf": _RECHARGE_STATEMENT,
    "funding:recharge-issue": _RECHARGE_STATEMENT,
    "funding:recharge-dispute": _RECHARGE_STATEMENT,
    "funding:recharge-reissue": _RECHARGE_STATEMENT,
    "funding:recharge-paid": _RECHARGE_STATEMENT,
    "funding:recharge-school-pays": _PLACEMENT,
    # LA Y's staff: only LA Y's admins give, change or remove their roles (decision 0027).
    "organisations:team-role": {"pk": lambda world: _team_of_side_y(world)},
    "organisations:team-remove": {"pk": lambda world: _team_of_side_y(world)},
    # Side Y's people: LA Y's officer, school B's and provider P2's staff (an LA admin resets those of its schools and
    # providers too).
    "organisations:team-two-factor-reset": {
        "pk": lambda world: [world.la_officer_y, world.school_b_staff, world.provider_p2_staff]
    },
    # A provider school B recorded by its UKPRN alone: LA Y's officers may name it, nobody on side X.
    "placements:rename-recorded-provider": {"pk": lambda world: _recorded_by_ukprn_of_side_y(world)},
    # LA Y's strategy action plan: only LA Y's officers and admins update its actions.
    "insight:action-edit": {"pk": lambda world: _strategy_actions_of_side_y(world)},
    # LA Y's committee pack, made and ready: only LA Y's officers, admins and auditor download it.
    "insight:committee-pack-download": {"pk": lambda world: _committee_packs_of_side_y(world)},
}


def _school_arranged_of_side_y(world: World) -> list[models.Model]:
    """School B's own record of AP it arranged for an LA Y child at a provider outside the directory (issue 12): a
    provider without users, its provision RECORDED, the census's reason and type of setting."""
    from aphub.directory.models import Provision
    from tests.factories import EnrolmentFactory, PlacementFactory, ProvisionFactory, PupilFactory

    pupil = PupilFactory(local_authority=world.la_y, first_name="Yvette", last_name="Yarwood")
    EnrolmentFactory(pupil=pupil, school=world.school_b)
    provider = ProviderFactory(legal_name="Yonder Tutors (not in the directory)", local_authority=None)
    provision = ProvisionFactory(
        provider=provider, local_authority=world.la_y, status=Provision.Status.RECORDED, name="Yonder Tutors"
    )
    return [
        PlacementFactory(
            pupil=pupil,
            provision=provision,
            commissioner="school",
            commissioning_school=world.school_b,
            recorded_by_school=True,
            placement_reason="mental-health",
            setting_type="one-to-one-tuition",
            is_full_time=False,
        )
    ]


def _team_of_side_y(world: World) -> list[models.Model]:
    """LA Y's officer, auditor and finance officer (not its admin, who is its last and so cannot be removed)."""
    return [world.membership(user) for user in (world.la_officer_y, world.auditor_y, world.finance_officer_y)]


def _strategy_actions_of_side_y(world: World) -> list[models.Model]:
    """LA Y's action plan, started from the AP strategy's ten actions by its officer."""
    from aphub.insight.actions.services import start_from_strategy

    return list(start_from_strategy(user=world.la_officer_y))


def _committee_packs_of_side_y(world: World) -> list[models.Model]:
    """LA Y's committee pack, ready to download (its file stands in for the workbook the task worker makes), as its
    auditor asked for it: one every LA role of LA Y may open."""
    from django.core.files.base import ContentFile

    from aphub.insight.models import PackRequest

    made = PackRequest.objects.create(
        local_authority=world.la_y,
        period="2026",
        period_label="2026/27",
        format=PackRequest.Format.XLSX,
        reader_role=Role.AUDITOR,  # made as the auditor reads: every LA role of LA Y may open it
        status=PackRequest.Status.READY,
        requested_by=world.la_officer_y,
        file_name="committee-pack.xlsx",
        size=4,
    )
    made.file.save(f"committee-pack-{made.pk}.xlsx", ContentFile(b"PK.."), save=True)
    return [made]


def _recorded_by_ukprn_of_side_y(world: World) -> list[models.Model]:
    """The provision of a provider school B recorded by UKPRN, still under the name AP Hub made up for it."""
    from aphub.directory.models import Provision
    from aphub.placements.school_arranged.services import ukprn_placeholder
    from tests.factories import ProvisionFactory

    provider = ProviderFactory(legal_name=ukprn_placeholder("10099999"), ukprn="10099999", local_authority=None)
    return [
        ProvisionFactory(
            provider=provider,
            local_authority=world.la_y,
            status=Provision.Status.RECORDED,
            name=provider.legal_name,
            recorded_by_school=world.school_b,
        )
    ]


# Pages with no object in their address that list children (or count them) across an LA: side X, each role the page
# admits, must never find side Y's children on them (test_cross_organisation_access). url name -> what side Y owns.
LIST_MAKERS: dict[str, Callable[[World], list[models.Model]]] = {
    "insight:city-wide": _school_arranged_of_side_y,
    "insight:children": _school_arranged_of_side_y,
    # The LA's providers its schools recorded: no child on it, and never another LA's provider (decision 0026).
    "placements:recorded-providers": _school_arranged_of_side_y,
    # The outturn's drill-down lists the LA's placements behind a figure (commitments of every line by default).
    "finance:drill-down": _placements_of_side_y,
    # The Schools Forum report counts and costs the AP schools arranged (and the LA's placements): never side Y's.
    "finance:forum": _school_arranged_of_side_y,
}


def shown_name(obj: models.Model) -> str:
    """What would give the object away if it appeared on a page: its name, or the child's name."""
    if hasattr(obj, "full_name"):
        return obj.full_name
    if isinstance(obj, Membership):
        return obj.user.email
    if hasattr(obj, "pupil"):
        return obj.pupil.full_name
    return str(getattr(obj, "name", "") or obj)
