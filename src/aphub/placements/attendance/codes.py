"""The national attendance and absence codes, as data.

Sources: The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), regulation 10 and its
tables, and DfE 'Working together to improve school attendance' (statutory guidance, August 2024), which says how
each code counts in the statistics. In force from 19 August 2024; H, F and J are gone (C, C1 and J1 replace them).

How a code counts (the guidance's statistical treatment, used by the attendance rates):
- present and attending an approved educational activity: a possible session, attended;
- authorised and unauthorised absence: a possible session, missed;
- not counted: not a possible session at all (the pupil was not expected here: another school's session, not of
  compulsory school age, unable to attend for an exceptional reason, a planned closure, or not yet on roll).

Providers mark present as "/" in the morning and "\\" in the afternoon, as the regulations' Table 1 says.
"""

from dataclasses import dataclass

from django.db import models

from aphub.core.errors import DomainError

AM = "AM"
PM = "PM"
SESSIONS = (AM, PM)


class Category(models.TextChoices):
    PRESENT = "present", "Present"
    APPROVED_ACTIVITY = "approved-activity", "Attending an approved educational activity"
    AUTHORISED_ABSENCE = "authorised", "Authorised absence"
    UNAUTHORISED_ABSENCE = "unauthorised", "Unauthorised absence"
    NOT_COUNTED = "not-counted", "Not counted as a possible session"


@dataclass(frozen=True)
class AttendanceCode:
    code: str
    meaning: str
    category: Category
    group: str  # the heading of the regulations' table the code comes from
    sessions: tuple[str, ...] = SESSIONS

    @property
    def is_possible_session(self) -> bool:
        return self.category != Category.NOT_COUNTED

    @property
    def is_attending(self) -> bool:
        return self.category in (Category.PRESENT, Category.APPROVED_ACTIVITY)

    @property
    def is_absence(self) -> bool:
        return self.category in (Category.AUTHORISED_ABSENCE, Category.UNAUTHORISED_ABSENCE)

    @property
    def label(self) -> str:
        return f"{self.code} – {self.meaning}"


_PRESENT = "Present"
_ELSEWHERE = "Attending a place other than the school"
_LEAVE = "Absent: leave of absence"
_OTHER = "Absent: other authorised reasons"
_UNABLE = "Absent: unable to attend because of exceptional circumstances"
_UNAUTHORISED = "Absent: unauthorised"
_ADMIN = "Administrative"

CODES: tuple[AttendanceCode, ...] = (
    # Table 1: present at the school.
    AttendanceCode("/", "Present (morning)", Category.PRESENT, _PRESENT, (AM,)),
    AttendanceCode("\\", "Present (afternoon)", Category.PRESENT, _PRESENT, (PM,)),
    AttendanceCode("L", "Late, arrived before the register closed", Category.PRESENT, _PRESENT),
    # Table 2: attending a place other than the school.
    AttendanceCode(
        "K", "Attending education provision arranged by the local authority", Category.APPROVED_ACTIVITY, _ELSEWHERE
    ),
    AttendanceCode("V", "Attending an educational visit or trip", Category.APPROVED_ACTIVITY, _ELSEWHERE),
    AttendanceCode("P", "Participating in a sporting activity", Category.APPROVED_ACTIVITY, _ELSEWHERE),
    AttendanceCode("W", "Attending work experience", Category.APPROVED_ACTIVITY, _ELSEWHERE),
    AttendanceCode("B", "Attending any other approved educational activity", Category.APPROVED_ACTIVITY, _ELSEWHERE),
    # The other school at which the pupil is registered records the session, so it is not a possible one here.
    AttendanceCode("D", "Dual registered: attending the other school", Category.NOT_COUNTED, _ELSEWHERE),
    # Table 3: leave of absence.
    AttendanceCode("C1", "Leave for a regulated performance or employment abroad", Category.AUTHORISED_ABSENCE, _LEAVE),
    AttendanceCode("M", "Leave for a medical or dental appointment", Category.AUTHORISED_ABSENCE, _LEAVE),
    AttendanceCode("J1", "Leave for an interview", Category.AUTHORISED_ABSENCE, _LEAVE),
    AttendanceCode("S", "Leave to study for a public examination", Category.AUTHORISED_ABSENCE, _LEAVE),
    AttendanceCode("X", "Not of compulsory school age and not required to attend", Category.NOT_COUNTED, _LEAVE),
    AttendanceCode("C2", "Leave for a pupil on a part-time timetable", Category.AUTHORISED_ABSENCE, _LEAVE),
    AttendanceCode("C", "Leave for exceptional circumstances", Category.AUTHORISED_ABSENCE, _LEAVE),
    # Table 4: other authorised reasons.
    AttendanceCode("T", "Parent travelling for occupational purposes", Category.AUTHORISED_ABSENCE, _OTHER),
    AttendanceCode("R", "Religious observance", Category.AUTHORISED_ABSENCE, _OTHER),
    AttendanceCode("I", "Illness (not a medical or dental appointment)", Category.AUTHORISED_ABSENCE, _OTHER),
    AttendanceCode(
        "E", "Suspended or permanently excluded, no alternative provision made", Category.AUTHORISED_ABSENCE, _OTHER
    ),
    # Table 5: unable to attend because of exceptional circumstances (not possible sessions).
    AttendanceCode("Q", "Unable to attend: lack of access arrangements", Category.NOT_COUNTED, _UNABLE),
    AttendanceCode("Y1", "Unable to attend: transport normally provided not available", Category.NOT_COUNTED, _UNABLE),
    AttendanceCode("Y2", "Unable to attend: widespread disruption to travel", Category.NOT_COUNTED, _UNABLE),
    AttendanceCode("Y3", "Unable to attend: part of the premises closed", Category.NOT_COUNTED, _UNABLE),
    AttendanceCode("Y4", "Unable to attend: whole site unexpectedly closed", Category.NOT_COUNTED, _UNABLE),
    AttendanceCode("Y5", "Unable to attend: in criminal justice detention", Category.NOT_COUNTED, _UNABLE),
    AttendanceCode("Y6", "Unable to attend: public health guidance or law", Category.NOT_COUNTED, _UNABLE),
    AttendanceCode("Y7", "Unable to attend: any other unavoidable cause", Category.NOT_COUNTED, _UNABLE),
    # Unauthorised absence.
    AttendanceCode("G", "Holiday not granted", Category.UNAUTHORISED_ABSENCE, _UNAUTHORISED),
    AttendanceCode("N", "Reason for absence not yet provided", Category.UNAUTHORISED_ABSENCE, _UNAUTHORISED),
    AttendanceCode("O", "Absent in other or unknown circumstances", Category.UNAUTHORISED_ABSENCE, _UNAUTHORISED),
    AttendanceCode("U", "Arrived after the register closed", Category.UNAUTHORISED_ABSENCE, _UNAUTHORISED),
    # Administrative.
    AttendanceCode("Z", "Prospective pupil not on the admission register", Category.NOT_COUNTED, _ADMIN),
    AttendanceCode("#", "Planned whole or partial closure", Category.NOT_COUNTED, _ADMIN),
)

BY_CODE: dict[str, AttendanceCode] = {entry.code: entry for entry in CODES}

# "Absent, no reason yet": the commissioner and the home school hear of it the same day.
NO_REASON_YET = "N"
PRESENT_CODES = frozenset({"/", "\\"})


def codes_in(*categories: Category) -> tuple[str, ...]:
    return tuple(entry.code for entry in CODES if entry.category in categories)


ATTENDING_CODES = codes_in(Category.PRESENT, Category.APPROVED_ACTIVITY)
AUTHORISED_CODES = codes_in(Category.AUTHORISED_ABSENCE)
UNAUTHORISED_CODES = codes_in(Category.UNAUTHORISED_ABSENCE)
ABSENCE_CODES = AUTHORISED_CODES + UNAUTHORISED_CODES
NOT_COUNTED_CODES = codes_in(Category.NOT_COUNTED)


class UnknownCode(DomainError):
    pass


def lookup(code: str) -> AttendanceCode | None:
    return BY_CODE.get((code or "").strip().upper())


def present_code(session: str) -> str:
    """The present mark of a session: "/" in the morning, "\\" in the afternoon."""
    return "/" if session == AM else "\\"


def validate_code(code: str, session: str | None = None) -> str:
    """The code as stored, or UnknownCode naming what was given.

    The present mark follows the session: "/" or "\\" given for either session is stored as "/" in the morning and
    "\\" in the afternoon, since both mean "present" and machine returns often use one sign for both.
    """
    given = (code or "").strip().upper()
    if not given:
        raise UnknownCode("Enter an attendance code", field="code")
    if given in PRESENT_CODES and session in SESSIONS:
        return present_code(session)
    if given not in BY_CODE:
        raise UnknownCode(f"{given!r} is not a DfE attendance code", field="code")
    return given


def choices(session: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Codes grouped under the regulations' headings, for a <select> with <optgroup>s."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for entry in CODES:
        if session is not None and session not in entry.sessions:
            continue
        groups.setdefault(entry.group, []).append((entry.code, entry.label))
    return list(groups.items())
