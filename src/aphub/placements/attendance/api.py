"""The attendance API, for provider systems and school MIS: /api/attendance/.

- GET  /api/attendance/placements/{placement_id}/marks: a placement's register marks and its attendance rate,
  to anyone who may see the placement (scoped exactly as the pages: Placement and AttendanceMark .visible_to).
- POST /api/attendance/registers: one session's register for a provision, by the provider's staff (or, signed in,
  by the school that recorded AP at a provider without users), with the same checks as the register page; a bad
  mark is a 400 whose `errors` name each field (marks.2, date, session...).

Bearer tokens (aphub.organisations.api_auth) or a signed-in session. Every placement read is access-logged.
"""

import datetime
from decimal import Decimal

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.security import django_auth

from aphub.audit.services import log_access
from aphub.core.errors import DomainError
from aphub.core.permissions import require
from aphub.core.web.bounds import MAX_ID, MAX_OFFSET
from aphub.organisations.access import SignedInRequest
from aphub.organisations.api_auth import ApiTokenAuth
from aphub.organisations.queries import membership_of
from aphub.placements.attendance import queries
from aphub.placements.attendance.codes import BY_CODE, CODES
from aphub.placements.attendance.services import (
    NOTE_MAX_LENGTH,
    RegisterRejected,
    check_session,
    log_each,
    record_register,
)
from aphub.placements.models import Placement
from aphub.placements.permissions import can_take_registers

router = Router(tags=["Attendance"], auth=[ApiTokenAuth(), django_auth])
MAX_MARKS = 2000
CODE_LIST = ", ".join(entry.code for entry in CODES)
DATE_FROM = Query(None, description="Marks on or after this date (YYYY-MM-DD)")
DATE_TO = Query(None, description="Marks on or before this date (YYYY-MM-DD)")
OFFSET = Query(0, ge=0, le=MAX_OFFSET)
LIMIT = Query(500, ge=1, le=MAX_MARKS)
PROVISION_ID = Query(..., ge=1, le=MAX_ID, description="The provision whose register to read")
REGISTER_DATE = Query(..., description="The register's date (YYYY-MM-DD)")
SESSION = Query(..., description="AM or PM")


class Problem(Schema):
    field: str
    message: str


class ProblemOut(Schema):
    detail: str
    errors: list[Problem] = []


class MarkOut(Schema):
    date: datetime.date
    session: str = Field(..., description="AM or PM")
    code: str = Field(..., description="DfE attendance code")
    meaning: str
    category: str = Field(
        ..., description="present, approved-activity, authorised, unauthorised or not-counted (not a possible session)"
    )
    note: str
    recorded_at: datetime.datetime


class SummaryOut(Schema):
    possible: int = Field(..., description="Possible sessions: attended plus absent")
    present: int = Field(..., description="Sessions present or at an approved educational activity")
    authorised: int
    unauthorised: int
    rate: Decimal | None = Field(..., description="Attendance rate as a percentage to one place; null with no sessions")


class PlacementMarksOut(Schema):
    placement_id: int
    upn: str
    provision_id: int
    summary: SummaryOut
    count: int
    offset: int
    limit: int
    marks: list[MarkOut]


class MarkIn(Schema):
    placement_id: int = Field(..., ge=1, le=MAX_ID)
    code: str = Field(..., description=f"A DfE attendance code: {CODE_LIST}", max_length=2)
    # Its limit is the register's (attendance.services.mark_note), said in the 400 as the register page says it.
    note: str = Field("", json_schema_extra={"maxLength": NOTE_MAX_LENGTH})


class RegisterIn(Schema):
    provision_id: int = Field(..., ge=1, le=MAX_ID)
    date: datetime.date = Field(..., description="A weekday, today or earlier (YYYY-MM-DD)")
    session: str = Field(..., description="AM or PM")
    marks: list[MarkIn] = Field(..., min_length=1, description="One mark per placement; an active placement here")


class RegisterOut(Schema):
    provision_id: int
    date: datetime.date
    session: str
    created: int
    changed: int
    unchanged: int
    alerts: int = Field(..., description="Absence alerts queued for the commissioner and the home school")


@router.get(
    "/placements/{placement_id}/marks",
    response={200: PlacementMarksOut, 404: ProblemOut},
    summary="A placement's register marks and attendance rate",
    url_name="list_attendance_marks",
)
def list_attendance_marks(
    request: SignedInRequest,
    placement_id: int = Path(..., ge=1, le=MAX_ID),
    date_from: datetime.date | None = DATE_FROM,
    date_to: datetime.date | None = DATE_TO,
    offset: int = OFFSET,
    limit: int = LIMIT,
):
    placement = Placement.objects.visible_to(request.user).select_related("pupil").filter(pk=placement_id).first()
    if placement is None:
        raise Http404("No placement with this id that you can see")
    if date_from and date_to and date_to < date_from:
        raise DomainError("date_to must not be before date_from", field="date_to")
    log_access(user=request.user, obj=placement, verb="view", path=request.path)
    marks = queries.marks_for(request.user, placement)
    if date_from:
        marks = marks.filter(date__gte=date_from)
    if date_to:
        marks = marks.filter(date__lte=date_to)
    rows = list(marks[offset : offset + limit])
    return {
        "placement_id": placement.pk,
        "upn": placement.pupil.upn,
        "provision_id": placement.provision_id,
        "summary": queries.attendance_summary(placement, date_from=date_from, date_to=date_to),
        "count": marks.count(),
        "offset": offset,
        "limit": limit,
        "marks": [
            {
                "date": mark.date,
                "session": mark.session,
                "code": mark.code,
                "meaning": BY_CODE[mark.code].meaning if mark.code in BY_CODE else "",
                "category": BY_CODE[mark.code].category.value if mark.code in BY_CODE else "",
                "note": mark.note,
                "recorded_at": mark.recorded_at,
            }
            for mark in rows
        ],
    }


class RegisterMarkOut(Schema):
    placement_id: int
    upn: str
    code: str
    note: str
    recorded_at: datetime.datetime


class RegisterReadOut(Schema):
    provision_id: int
    date: datetime.date
    session: str
    marks: list[RegisterMarkOut]


@router.get(
    "/registers",
    response={200: RegisterReadOut, 400: ProblemOut, 404: ProblemOut},
    summary="One session's register at a provision: the marks you may see",
    url_name="attendance_register",
)
def get_attendance_register(
    request: SignedInRequest,
    provision_id: int = PROVISION_ID,
    date: datetime.date = REGISTER_DATE,
    session: str = SESSION,
):
    session = check_session(session)
    provision = queries.provision_with_placements(request.user, provision_id)
    if provision is None:
        raise Http404("No provision with this id that you can see")
    marks = queries.session_marks(request.user, provision, date, session)
    log_each(user=request.user, objs=[mark.placement for mark in marks], verb="view", path=request.path)
    return {
        "provision_id": provision.pk,
        "date": date,
        "session": session,
        "marks": [
            {
                "placement_id": mark.placement_id,
                "upn": mark.placement.pupil.upn,
                "code": mark.code,
                "note": mark.note,
                "recorded_at": mark.recorded_at,
            }
            for mark in marks
        ],
    }


@router.post(
    "/registers",
    response={200: RegisterOut, 400: ProblemOut, 403: ProblemOut, 404: ProblemOut},
    summary="Record one session's register for a provision (provider staff)",
    description=(
        "Checks every mark first and saves none when any is wrong: the 400 answer's `errors` name each one "
        "(`marks.<index>`). A mark for a session that already has one replaces it. A pupil marked N, or reaching "
        "the LA's number of consecutive absences, alerts the commissioner and the home school."
    ),
    url_name="record_attendance_register",
)
def record_attendance_register(request: SignedInRequest, body: RegisterIn):
    require(can_take_registers(membership_of(request.user)), "Only provider staff can record registers")
    # The register page's provisions: a school's are those of the AP it recorded at providers without users.
    provision = queries.register_provisions(request.user).filter(pk=body.provision_id).first()
    if provision is None:
        return Status(404, {"detail": "No provision with this id that you can see", "errors": []})
    index_of: dict[int, int] = {}
    repeats = []
    for index, mark in enumerate(body.marks):
        if mark.placement_id in index_of:
            repeats.append(
                {"field": f"marks.{index}.placement_id", "message": f"repeats marks.{index_of[mark.placement_id]}"}
            )
        else:
            index_of[mark.placement_id] = index
    if repeats:
        return Status(400, {"detail": "Each placement may have one mark in a register", "errors": repeats})
    try:
        saved = record_register(
            user=request.user,
            provision=provision,
            date=body.date,
            session=body.session,
            marks={mark.placement_id: (mark.code, mark.note) for mark in body.marks},
        )
    except RegisterRejected as rejected:
        errors = [
            {"field": f"marks.{index_of[placement_id]}", "message": message}
            for placement_id, message in sorted(rejected.problems.items(), key=lambda item: index_of[item[0]])
        ]
        return Status(400, {"detail": rejected.message, "errors": errors})
    return Status(
        200,
        {
            "provision_id": provision.pk,
            "date": body.date,
            "session": body.session.strip().upper(),
            "created": saved.created,
            "changed": saved.changed,
            "unchanged": saved.unchanged,
            "alerts": saved.alerts,
        },
    )
