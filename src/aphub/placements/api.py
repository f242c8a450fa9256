"""The JSON API of episodes and placements, for school MIS and provider systems: /api/episodes/, /api/placements/.

An LA system may also correct an episode recorded in error (PATCH /api/episodes/{id}) or withdraw it
(POST /api/episodes/{id}/withdraw), through the same services and rules as the pages (docs/decisions/0016): LA
officers and admins of the child's LA only (403 for any other role, 404 for another LA's child).

Bearer tokens (aphub.organisations.api_auth) or a signed-in session; every answer is scoped exactly as the pages
(`visible_to`), another organisation's record is a 404, and every record returned is access-logged.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.security import django_auth

from aphub.audit.services import log_access, log_access_many
from aphub.commissioning.bands.queries import band_named
from aphub.core.errors import DomainError
from aphub.core.web.bounds import MAX_ID, MAX_OFFSET
from aphub.organisations.access import SignedInRequest
from aphub.organisations.api_auth import ApiTokenAuth
from aphub.placements.attendance.api import ProblemOut
from aphub.pupils.models import Pupil

from . import limits, queries, services
from .models import Episode, EpisodeKind, Placement, Registration, Tier

router = Router(tags=["Episodes and placements"], auth=[ApiTokenAuth(), django_auth])
MAX_PAGE = 200


SUSPENSION_LAST_DAY = (
    "Suspensions: the last day (start_date is the first). More than 5 school days between them, counted from the "
    "school calendar (the duty starts on the 6th school day)"
)
DAYS_MISSED = "Health needs: school days missed so far, 1 or more (the LA acts from 15 school days)"


class PupilRef(Schema):
    id: int
    upn: str


class EpisodeOut(Schema):
    id: int
    pupil: PupilRef
    kind: str = Field(..., description="Why AP is needed: " + ", ".join(EpisodeKind.values))
    route: str
    school_urn: str | None
    start_date: datetime.date
    suspension_last_day: datetime.date | None = Field(..., description="Suspensions: the last day of the suspension")
    suspension_school_days: int | None = Field(
        ..., description="Suspensions: school days from start_date to suspension_last_day, counted from the calendar"
    )
    status: str
    closed_on: datetime.date | None


class PlacementOut(Schema):
    id: int
    pupil: PupilRef
    episode_id: int
    provision_id: int
    provision: str
    provider_ukprn: str
    lot_id: int | None = Field(..., description="The lot or part of the commercial arrangement it is bought under")
    commissioner: str
    commissioning_school_urn: str | None
    tier: str
    status: str
    start_date: datetime.date
    planned_end_date: datetime.date | None
    end_date: datetime.date | None
    sessions_per_week: int
    hours_per_week: Decimal
    is_full_time: bool
    registration: str
    expected_attendance_code: str
    annual_cost: Decimal = Field(..., description="Pounds and pence, as a decimal string")
    next_review_due: datetime.date | None
    destination: str


class EpisodeIn(Schema):
    upn: str = Field(..., description="The pupil's UPN; the pupil must already be visible to you", max_length=20)
    kind: str = Field(..., description="One of " + ", ".join(EpisodeKind.values))
    start_date: datetime.date
    # Their limits are placements.rules' and placements.limits' (a 400 with the sentence the page says), not the
    # schema's, so they are written once.
    suspension_last_day: datetime.date | None = Field(None, description=SUSPENSION_LAST_DAY)
    days_missed: int | None = Field(None, description=DAYS_MISSED)
    summary: str = Field("", json_schema_extra={"maxLength": limits.SUMMARY_LENGTH})


# The reasons are not required by the schema: the services ask for them with every other problem at once, as the pages.
class EpisodeCorrectionIn(Schema):
    """Only the fields sent are changed; the others keep their recorded values."""

    reason: str = Field(
        "",
        description="Why it is corrected: kept in the child's history",
        json_schema_extra={"maxLength": limits.REASON_LENGTH},
    )
    start_date: datetime.date | None = None
    suspension_last_day: datetime.date | None = Field(None, description=SUSPENSION_LAST_DAY)
    days_missed: int | None = Field(None, description=DAYS_MISSED)
    summary: str | None = Field(None, json_schema_extra={"maxLength": limits.SUMMARY_LENGTH})


class EpisodeWithdrawalIn(Schema):
    reason: str = Field(
        "",
        description="Why it is withdrawn: kept in the child's history",
        json_schema_extra={"maxLength": limits.REASON_LENGTH},
    )


class OfferIn(Schema):
    """An offer of a place, as the offer page makes it. Where the child's LA prices top-ups by band, an LA's offer
    gives `top_up_band` (a band's code, such as A) or `top_up_exception` with `top_up_amount` and
    `top_up_exception_reason`, and no `annual_cost`; otherwise it gives `annual_cost`. The limits are the services'
    (a 400 lists every problem, with the page's sentences)."""

    episode_id: int = Field(..., ge=1, le=MAX_ID)
    provision_id: int = Field(..., ge=1, le=MAX_ID)
    start_date: datetime.date
    tier: str = Field(..., description="One of " + ", ".join(Tier.values))
    sessions_per_week: int
    hours_per_week: Decimal
    planned_end_date: datetime.date | None = None
    is_full_time: bool = True
    part_time_reason: str = ""
    part_time_review_date: datetime.date | None = None
    registration: str | None = Field(None, description="One of " + ", ".join(Registration.values))
    expected_outcomes: str = ""
    over_limit_reason: str = ""
    annual_cost: Decimal | None = Field(None, description="Where the LA has no top-up bands, or a school offers")
    top_up_band: str | None = Field(
        None,
        description="The code of one of the LA's top-up bands in use that applies to the provision (A, B...)",
        json_schema_extra={"maxLength": 10},
    )
    top_up_exception: bool = Field(False, description="A top-up outside the bands: give its amount and reason")
    top_up_amount: Decimal | None = None
    top_up_exception_reason: str = Field("", json_schema_extra={"maxLength": limits.REASON_LENGTH})


class Page(Schema):
    count: int
    offset: int
    limit: int


class EpisodePage(Page):
    results: list[EpisodeOut]


class PlacementPage(Page):
    results: list[PlacementOut]


def _episode(episode: Episode) -> dict:
    return {
        "id": episode.pk,
        "pupil": {"id": episode.pupil_id, "upn": episode.pupil.upn},
        "kind": episode.route.kind,
        "route": episode.route.name,
        "school_urn": episode.school.urn if episode.school is not None else None,
        "start_date": episode.start_date,
        "suspension_last_day": episode.suspension_last_day,
        "suspension_school_days": episode.suspension_school_days,
        "status": episode.status,
        "closed_on": episode.closed_on,
    }


def _placement(placement: Placement) -> dict:
    return {
        "id": placement.pk,
        "pupil": {"id": placement.pupil_id, "upn": placement.pupil.upn},
        "episode_id": placement.episode_id,
        "provision_id": placement.provision_id,
        "provision": placement.provision.name,
        "provider_ukprn": placement.provision.provider.ukprn,
        "lot_id": placement.lot_id,
        "commissioner": placement.commissioner,
        "commissioning_school_urn": (
            placement.commissioning_school.urn if placement.commissioning_school is not None else None
        ),
        "tier": placement.tier,
        "status": placement.status,
        "start_date": placement.start_date,
        "planned_end_date": placement.planned_end_date,
        "end_date": placement.end_date,
        "sessions_per_week": placement.sessions_per_week,
        "hours_per_week": placement.hours_per_week,
        "is_full_time": placement.is_full_time,
        "registration": placement.registration,
        "expected_attendance_code": placement.expected_attendance_code,
        "annual_cost": placement.annual_cost,
        "next_review_due": placement.next_review_due,
        "destination": placement.destination,
    }


def _episodes(request: SignedInRequest):
    return Episode.objects.visible_to(request.user).select_related("pupil", "route", "school").order_by("id")


def _page_of(request: SignedInRequest, found, offset: int, limit: int, shown: Callable) -> dict:
    """One page of the records the user can see, each access-logged, with the count of them all."""
    rows = list(found[offset : offset + limit])
    log_access_many(user=request.user, objs=rows, verb="view", path=request.path)
    return {"count": found.count(), "offset": offset, "limit": limit, "results": [shown(row) for row in rows]}


def _one_of(found, pk: int, what: str):
    """The record with this id among those the user can see; another organisation's is a 404, as a missing one."""
    record = found.filter(pk=pk).first()
    if record is None:
        raise Http404(f"No {what} with this id that you can see")
    return record


def _one_shown(request: SignedInRequest, record, shown: Callable):
    log_access(user=request.user, obj=record, verb="view", path=request.path)
    return shown(record)


def _placements(request: SignedInRequest):
    return (
        Placement.objects.visible_to(request.user)
        .select_related("pupil", "provision__provider", "commissioning_school")
        .order_by("id")
    )


@router.get("/episodes/", response=EpisodePage, summary="Episodes you can see")
def list_episodes(
    request: SignedInRequest,
    status: str | None = Query(None, description="open or closed"),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
):
    episodes = _episodes(request)
    if status is not None:
        if status not in Episode.Status.values:
            raise DomainError("status must be open or closed", field="status")
        episodes = episodes.filter(status=status)
    return _page_of(request, episodes, offset, limit, _episode)


@router.get("/episodes/{episode_id}", response=EpisodeOut, summary="One episode")
def get_episode(request: SignedInRequest, episode_id: int = Path(..., ge=1, le=MAX_ID)):
    return _one_shown(request, _one_of(_episodes(request), episode_id, "episode"), _episode)


@router.post("/episodes/", response={201: EpisodeOut}, summary="Record why a child needs AP (starts its clocks)")
def create_episode(request: SignedInRequest, body: EpisodeIn):
    pupil = Pupil.objects.visible_to(request.user).filter(upn=body.upn.strip().upper()).first()
    if pupil is None:
        raise DomainError("No pupil with this UPN that you can see", field="upn")
    episode = services.record_episode(user=request.user, pupil=pupil, **body.model_dump(exclude={"upn"}))
    return Status(201, _episode(episode))


def _change_episode(request: SignedInRequest, episode_id: int, what: str, change: Callable[[Episode], Episode]):
    """Make the change once the user's role may change episodes at all (else 403) and the episode is one they can see
    (else 404, the same as a missing one): the order of the pages' checks. A refusal is a 403 and a broken rule a 400,
    as the API maps them for every operation."""
    services.require_episode_editor(request.user, what)
    episode = _one_of(_episodes(request), episode_id, "episode")
    return Status(200, _episode(change(episode)))


CHANGE_ANSWERS = {200: EpisodeOut, 400: ProblemOut, 403: ProblemOut, 404: ProblemOut}


@router.patch(
    "/episodes/{episode_id}",
    response=CHANGE_ANSWERS,
    summary="Correct an episode recorded in error (LA staff; its clocks are counted again)",
    description=(
        "Send the reason and the fields to correct; the others keep their recorded values. The kind cannot be "
        "corrected: withdraw the episode and record the right one. Refused with a 400 whose `errors` name every "
        "rule broken, as the correction page shows them."
    ),
)
def correct_episode(request: SignedInRequest, body: EpisodeCorrectionIn, episode_id: int = Path(..., ge=1, le=MAX_ID)):
    def correct(episode: Episode) -> Episode:
        recorded = {
            "start_date": episode.start_date,
            "suspension_last_day": episode.suspension_last_day,
            "days_missed": episode.days_missed,
            "summary": episode.summary,
        }
        values = {**recorded, **body.dict(exclude_unset=True, exclude={"reason"})}
        values["summary"] = values["summary"] or ""  # a null summary is a blank one
        return services.correct_episode(user=request.user, episode=episode, reason=body.reason, **values)

    return _change_episode(request, episode_id, "correct", correct)


@router.post(
    "/episodes/{episode_id}/withdraw",
    response=CHANGE_ANSWERS,
    summary="Withdraw an episode recorded in error (LA staff; the clocks it started are withdrawn)",
    description=(
        "The episode stays in the child's history as withdrawn, with the reason; every clock it started is withdrawn "
        "(kept, never counted as met or missed). Refused while a placement holds a place or a referral is before "
        "the panel."
    ),
)
def withdraw_episode(request: SignedInRequest, body: EpisodeWithdrawalIn, episode_id: int = Path(..., ge=1, le=MAX_ID)):
    def withdraw(episode: Episode) -> Episode:
        return services.withdraw_episode(user=request.user, episode=episode, reason=body.reason)

    return _change_episode(request, episode_id, "withdraw", withdraw)


@router.get("/placements/", response=PlacementPage, summary="Placements you can see")
def list_placements(
    request: SignedInRequest,
    status: str | None = Query(None, description="offered, accepted, active, ended or cancelled"),
    provision_id: int | None = Query(None, ge=1, le=MAX_ID),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
):
    placements = _placements(request)
    if status is not None:
        if status not in Placement.Status.values:
            raise DomainError("status must be one of " + ", ".join(Placement.Status.values), field="status")
        placements = placements.filter(status=status)
    if provision_id is not None:
        placements = placements.filter(provision_id=provision_id)
    return _page_of(request, placements, offset, limit, _placement)


@router.get("/placements/{placement_id}", response=PlacementOut, summary="One placement")
def get_placement(request: SignedInRequest, placement_id: int = Path(..., ge=1, le=MAX_ID)):
    return _one_shown(request, _one_of(_placements(request), placement_id, "placement"), _placement)


@router.post(
    "/placements/",
    response={201: PlacementOut, 400: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    summary="Offer a place at a provision (the place is held until the provider answers)",
    description=(
        "The offer page's offer, through the same service: where the LA prices top-ups by band, choose a band by "
        "its code or an exception with its amount and reason. Refused with a 400 whose `errors` name every problem, "
        "in the page's words."
    ),
)
def offer_placement(request: SignedInRequest, body: OfferIn):
    episode = _one_of(_episodes(request), body.episode_id, "episode")
    provision = queries.provisions_to_commission(request.user).filter(pk=body.provision_id).first()
    if provision is None:
        raise Http404("No provision with this id that you can commission")
    terms = body.model_dump(exclude={"episode_id", "provision_id", "top_up_band"})
    band = None
    if body.top_up_band:
        band = band_named(
            local_authority_id=episode.pupil.local_authority_id, provision=provision, code=body.top_up_band
        )
    placement = services.offer_placement(
        user=request.user, episode=episode, provision=provision, top_up_band=band, **terms
    )
    return Status(201, _placement(placement))
