"""The JSON API of the AP a school arranged itself, for school MIS: /api/school-arranged-placements.

- POST /api/school-arranged-placements: the rows of the school's census AP module, as its file has them (each
  census column a JSON string, or a number where it is one), recorded by the one importer (services.
  record_school_arranged) exactly as the upload page records a file: every row checked first; a 400 names each bad
  row (`row`, from 1, and `index`, from 0, in the list sent) and its field, and nothing is written; the same rows
  sent again change nothing. School staff only (a school's API token): 403 for any other.

Bearer tokens (aphub.organisations.api_auth) or a signed-in session. Every record written is access-logged by the
importer.
"""

import datetime

from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from aphub.exchange.services import ImportRejected
from aphub.organisations.access import SignedInRequest
from aphub.organisations.api_auth import ApiTokenAuth
from aphub.placements.attendance.api import ProblemOut
from aphub.placements.models import Tier

from .census import COLUMNS, OPTIONAL_COLUMNS, read_row
from .imports import MAX_ROWS
from .services import CensusProblem, record_school_arranged

router = Router(tags=["AP arranged by schools"], auth=[ApiTokenAuth(), django_auth])

Value = str | int | float | None


class CensusRowIn(Schema):
    """One row of the census AP module. Values as the file has them: codes or the DfE's labels, dates as
    YYYY-MM-DD or DD/MM/YYYY; the URN, else the UKPRN, else the type of setting."""

    upn: Value = None
    surname: Value = None
    forename: Value = None
    date_of_birth: Value = Field(None, description="YYYY-MM-DD or DD/MM/YYYY")
    urn: Value = Field(None, description="The URN of a registered school or college")
    ukprn: Value = Field(None, description="Else the UKPRN of a registered provider")
    setting_type: Value = Field(None, description="Else the census type of setting: NFE, OOT, OTH or WBP")
    reason: Value = Field(None, description="BEH, MHN, PHN, SUS, PEX or OTH, or the DfE's words")
    entry_date: Value = None
    leaving_date: Value = None
    sessions_per_week: Value = Field(None, description="1 to 10: a morning or an afternoon is one session")
    attendance_pattern: Value = Field(None, description="FT or PT")
    hours_per_week: Value = None
    weekly_cost: Value = Field(None, description="Pounds and pence, like 250.00")
    provider_name: Value = Field(None, description="The name of a provider with neither URN nor UKPRN (optional)")
    tier: str = Field(Tier.TIER_2, description="1, 2 or 3 (the census has no tier: 2, a time-limited placement)")


class CensusReturnIn(Schema):
    rows: list[CensusRowIn] = Field(..., min_length=1, max_length=MAX_ROWS)


class RecordedOut(Schema):
    id: int
    upn: str
    entry_date: datetime.date
    outcome: str = Field(..., description="recorded, updated or unchanged")


class ReturnOut(Schema):
    recorded: int
    updated: int
    unchanged: int
    pupils_created: int = Field(..., description="Pupils new to AP Hub, recorded on the school's roll")
    placements: list[RecordedOut]


class RowProblemOut(Schema):
    row: int = Field(..., description="The row's place in the list, from 1 (a message's 'line' means this)")
    index: int = Field(..., description="The row's index in the list, from 0")
    field: str
    message: str


class RejectedOut(Schema):
    detail: str
    errors: list[RowProblemOut]


def _text(value: Value) -> str:
    return "" if value is None else str(value)


@router.post(
    "/school-arranged-placements",
    response={200: ReturnOut, 400: RejectedOut, 403: ProblemOut},
    summary="Record the AP a school arranged itself (its census AP module), all rows or none",
    url_name="record_school_arranged",
)
def record(request: SignedInRequest, payload: CensusReturnIn):
    rows = []
    for index, sent in enumerate(payload.rows):
        row = read_row({name: _text(getattr(sent, name)) for name in (*COLUMNS, *OPTIONAL_COLUMNS)}, line=index + 1)
        row.tier = sent.tier
        rows.append(row)
    try:
        outcome = record_school_arranged(user=request.user, rows=rows)
    except ImportRejected as rejected:
        errors = [
            {
                "row": problem.row,
                "index": problem.row - 1,
                "field": problem.field if isinstance(problem, CensusProblem) else "row",
                "message": problem.problem if isinstance(problem, CensusProblem) else problem.message,
            }
            for problem in rejected.problems
        ]
        return Status(400, {"detail": rejected.message.replace("of the file", "sent"), "errors": errors})
    placements = [
        *((p, "recorded") for p in outcome.created),
        *((p, "updated") for p in outcome.updated),
        *((p, "unchanged") for p in outcome.unchanged),
    ]
    return {
        "recorded": len(outcome.created),
        "updated": len(outcome.updated),
        "unchanged": len(outcome.unchanged),
        "pupils_created": outcome.pupils_created,
        "placements": [
            {"id": p.pk, "upn": p.pupil.upn, "entry_date": p.start_date, "outcome": word} for p, word in placements
        ],
    }
