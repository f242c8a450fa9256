"""AP a school arranged itself, recorded in AP Hub: one importer for the page, the file, the JSON API and the command.

Each way in gives rows (census.SchoolArrangedRow) to `record_school_arranged`, which checks every row first, against
the census's rules and AP Hub's records, and writes all of them or none: a file with one bad row writes nothing and
names the row, its column and what is wrong. A row is one placement of a pupil at a provider from an entry date;
recording the same row again finds that placement (the same file twice gives the same database), and a row that
changes what the census carries (a leaving date now known, fewer sessions) updates it, noted in its change log.

What a row becomes:
- The pupil: found by UPN among the school's LA's children. A UPN AP Hub does not hold is a new child, recorded and
  put on the school's roll. A UPN it holds for a child the school cannot see is refused (the LA adds the school's
  enrolment), as the pupil page refuses it; a surname, forename or date of birth that disagree are refused too.
- The provider: a provision of the LA's directory (the page may choose one); else the establishment or provider with
  that URN or UKPRN, recorded once (a Provider without users, and a Provision in the RECORDED state, never public);
  else, with only a type of setting, the provider the school names, or one unnamed provider per school and type.
- The episode: the pupil's open episode at the school (for a permanent exclusion, the open exclusion the LA
  recorded: a school does not record one itself); else a new off-site direction by the school (Education Act 2002
  s.29A), which starts no statutory clock. The placement keeps the census reason.
- The placement: the school commissions it (recorded_by_school), with the census's sessions, pattern, hours and
  weekly cost (the annual cost is 38 weeks of it). Its state follows its dates: ended when its leaving date has
  passed, active from its entry date, accepted before it. Funding lines, review and planned-end clocks follow, as
  for any placement; an active full-time placement meets the open episode's duty to provide full-time education.

Speed: a return of 10,000 rows is read with one query per kind of record and written with one INSERT per kind;
funding lines, clocks and the change log as rows rather than objects (`make bench` measures it on PostgreSQL).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from aphub.audit.services import log_access, log_access_many
from aphub.core.bulk import insert_all, insert_rows, new_objects
from aphub.core.clock import today
from aphub.core.days.dates import weekday_date
from aphub.core.days.school_days import is_weekend
from aphub.core.errors import DomainError, DomainErrors, Problems
from aphub.core.forms.validators import check_limit, check_required
from aphub.core.permissions import require
from aphub.directory.models import Provision
from aphub.duties import services as duties
from aphub.duties.calendars import calendar_for
from aphub.duties.models import EpisodeKind
from aphub.exchange.services import ImportRejected, RowProblem
from aphub.funding.models import FundingLine
from aphub.funding.planning import place_funding_rate, planned_line_rows, planned_lines
from aphub.organisations.models import Payer, Provider, School, User
from aphub.organisations.queries import membership_of
from aphub.placements import limits
from aphub.placements.models import Episode, Placement, PlacementChange, PlacementReason, Route, Tier
from aphub.placements.permissions import can_record_school_arranged, can_rename_recorded_provider
from aphub.placements.services import close_episode_on, ensure_routes
from aphub.pupils.models import Pupil
from aphub.pupils.services import pupil_details_problems, record_census_pupils

from .census import SCHOOL_WEEKS_A_YEAR, SchoolArrangedRow, census_reason, weekly_cost_of

Status = Placement.Status
# What a row may change on a placement it finds again: the census's own fields.
CENSUS_FIELDS = (
    "end_date",
    "planned_end_date",
    "status",
    "placement_reason",
    "setting_type",
    "sessions_per_week",
    "is_full_time",
    "hours_per_week",
    "annual_cost",
)
FIELD_WORDS = {
    "end_date": "leaving date",
    "planned_end_date": "planned leaving date",
    "status": "state",
    "placement_reason": "reason",
    "setting_type": "type of setting",
    "sessions_per_week": "sessions a week",
    "is_full_time": "attendance pattern",
    "hours_per_week": "hours a week",
    "annual_cost": "cost",
}
UNNAMED_SUFFIX = "(provider not named)"


# The names AP Hub gives a provider a school identified only by its number (no name given, and none held from GIAS):
# placeholders the LA replaces on the recorded providers' page (rename_recorded_provider), which knows them by these.
def urn_placeholder(urn: str) -> str:
    return f"Establishment with URN {urn}"


def ukprn_placeholder(ukprn: str) -> str:
    return f"Provider with UKPRN {ukprn}"


def has_placeholder_name(provider: Provider) -> bool:
    """The provider is still called by the name AP Hub made up for it, or stands for providers a school did not name."""
    made_up = (
        urn_placeholder(provider.urn) if provider.urn else "",
        ukprn_placeholder(provider.ukprn) if provider.ukprn else "",
    )
    return provider.unnamed or provider.legal_name in made_up


# The episodes whose statutory clocks a full-time placement meets when it starts (placements.services.start_placement
# meets every running one; these are the kinds that start any: duties.services._episode_starts).
EPISODES_WITH_EDUCATION_CLOCKS = (
    EpisodeKind.PERMANENT_EXCLUSION,
    EpisodeKind.SUSPENSION,
    EpisodeKind.HEALTH_NEEDS,
    EpisodeKind.AWAITING_SCHOOL_PLACE,
)


@dataclass(frozen=True)
class CensusProblem(RowProblem):
    """A bad row's problem with the census column it is about: the upload page's table shows line, column and problem,
    the API names the field. Its `message` is "column: problem", as every file import's RowProblem says it."""

    field: str = "row"
    problem: str = ""

    @property
    def column(self) -> str:
        return _column(self.field)


@dataclass
class SchoolArrangedOutcome:
    created: list[Placement] = field(default_factory=list)
    updated: list[Placement] = field(default_factory=list)
    unchanged: list[Placement] = field(default_factory=list)
    pupils_created: int = 0

    @property
    def placements(self) -> list[Placement]:
        return [*self.created, *self.updated, *self.unchanged]

    def __str__(self) -> str:
        """What an import did, in a sentence the upload page, the command and the record page say."""
        placements = "placement" if len(self.created) == 1 else "placements"
        pupils = "pupil" if self.pupils_created == 1 else "pupils"
        return (
            f"{len(self.created)} {placements} recorded, {len(self.updated)} updated, {len(self.unchanged)} "
            f"unchanged; {self.pupils_created} {pupils} new to AP Hub"
        )


class _Known:
    """What the rows refer to, read once for the whole file."""

    def __init__(self, user: User, school: School, rows: list[SchoolArrangedRow]) -> None:
        self.school = school
        self.local_authority = school.local_authority
        upns = {row.upn for row in rows if row.upn}
        self.pupils = {
            pupil.upn: pupil for pupil in Pupil.objects.filter(local_authority=self.local_authority, upn__in=upns)
        }
        self.created_pupils: set[int] = set()  # ids of the children this import records (_write)
        self.visible = set(
            Pupil.objects.visible_to(user)
            .filter(pk__in=[p.pk for p in self.pupils.values()])
            .values_list("pk", flat=True)
        )
        urns = {row.urn for row in rows if row.urn}
        ukprns = {row.ukprn for row in rows if row.ukprn}
        self.providers_by_urn = {p.urn: p for p in Provider.objects.filter(urn__in=urns)} if urns else {}
        self.providers_by_ukprn = {p.ukprn: p for p in Provider.objects.filter(ukprn__in=ukprns)} if ukprns else {}
        # Each such provider's provisions in a directory, read once: a provider recorded by this file has none.
        self.published: dict[int, list[Provision]] = defaultdict(list)
        for provision in Provision.objects.filter(
            provider__in=[*self.providers_by_urn.values(), *self.providers_by_ukprn.values()],
            status=Provision.Status.PUBLISHED,
        ).order_by("pk"):
            self.published[provision.provider_id].append(provision)
        self.schools_by_urn = {s.urn: s for s in School.objects.filter(urn__in=urns)} if urns else {}
        chosen = {row.provision_id for row in rows if row.provision_id is not None}
        self.directory = {
            provision.pk: provision
            for provision in Provision.objects.filter(pk__in=chosen, status=Provision.Status.PUBLISHED).select_related(
                "provider"
            )
        }
        # The LA's recorded provisions, by provider: schools share one provider's record (it has one URN or UKPRN).
        self.recorded: dict[int, Provision] = {}
        self.unnamed: dict[str, Provision] = {}  # (this school's) type of setting -> its unnamed provider
        self.named: dict[str, Provision] = {}  # a named provider without URN or UKPRN, by name in lower case
        for provision in Provision.objects.filter(
            local_authority=self.local_authority, status=Provision.Status.RECORDED
        ).select_related("provider"):
            provider = provision.provider
            self.recorded.setdefault(provider.pk, provision)
            if provider.unnamed:
                if provision.recorded_by_school_id == school.pk:
                    self.unnamed[provision.name.removesuffix(UNNAMED_SUFFIX).strip()] = provision
            elif not provider.urn and not provider.ukprn:
                self.named.setdefault(provider.legal_name.casefold(), provision)
        # A directory provider without a URN or UKPRN is named in the census file by its name (the export writes it).
        for provision in Provision.objects.filter(
            local_authority=self.local_authority,
            status=Provision.Status.PUBLISHED,
            provider__urn="",
            provider__ukprn="",
        ).select_related("provider"):
            self.named.setdefault(provision.provider.legal_name.casefold(), provision)
        pupil_ids = [pupil.pk for pupil in self.pupils.values()]
        self.open_episodes: dict[int, list[Episode]] = defaultdict(list)
        for episode in Episode.objects.filter(pupil_id__in=pupil_ids, status=Episode.Status.OPEN).select_related(
            "route"
        ):
            self.open_episodes[episode.pupil_id].append(episode)
        self.placements = list(
            Placement.objects.filter(pupil_id__in=pupil_ids)
            .exclude(status=Status.CANCELLED)
            .select_related("provision", "route")
        )
        self.placements_of: dict[int, list[Placement]] = defaultdict(list)  # by pupil id
        for placement in self.placements:
            self.placements_of[placement.pupil_id].append(placement)
        # The school's own placements, recorded or offered through AP Hub: its census file lists both, so a row
        # finds either again rather than recording it twice.
        self.schools_placements = {
            (p.pupil_id, p.provision_id, p.start_date): p
            for p in self.placements
            if p.commissioner == Payer.SCHOOL and p.commissioning_school_id == school.pk
        }

    def provision_for(self, row: SchoolArrangedRow) -> Provision | None:
        """The provision the row names, when AP Hub holds it already."""
        if row.provision_id is not None:
            return self.directory.get(row.provision_id)
        provider = None
        if row.urn:
            provider = self.providers_by_urn.get(row.urn)
        elif row.ukprn:
            provider = self.providers_by_ukprn.get(row.ukprn)
        elif row.provider_name:
            return self.named.get(row.provider_name.casefold())
        elif row.setting_type:
            return self.unnamed.get(_setting_label(row.setting_type))
        if provider is None:
            return None
        # The provider's provision in the LA's directory when it has exactly one, else its recorded one.
        listed = self.published.get(provider.pk, [])
        if len(listed) == 1:
            listed[0].provider = provider
            return listed[0]
        return self.recorded.get(provider.pk)

    def open_episode_for(self, pupil: Pupil | None, row: SchoolArrangedRow) -> Episode | None:
        if pupil is None or row.entry_date is None:
            return None
        episodes = sorted(self.open_episodes.get(pupil.pk, []), key=lambda e: e.start_date, reverse=True)
        if row.reason == PlacementReason.PERMANENT_EXCLUSION:
            return next((e for e in episodes if e.route.kind == EpisodeKind.PERMANENT_EXCLUSION), None)
        return next((e for e in episodes if e.school_id == self.school.pk and e.start_date <= row.entry_date), None)


def _setting_label(setting_type: str) -> str:
    from aphub.placements.models import SettingType

    return SettingType(setting_type).label


def _status(row: SchoolArrangedRow, on: datetime.date) -> str:
    assert row.entry_date is not None
    if row.leaving_date is not None and row.leaving_date < on:
        return Status.ENDED
    return Status.ACTIVE if row.entry_date <= on else Status.ACCEPTED


def _overlaps(start: datetime.date, end: datetime.date | None, other_start: datetime.date, other_end) -> bool:
    return (end is None or other_start <= end) and (other_end is None or start <= other_end)


def check_rows(known: _Known, rows: list[SchoolArrangedRow]) -> None:
    """Add to each row's problems what AP Hub's records refuse; nothing is written."""
    on = today()
    seen: dict[tuple, int] = {}
    details_by_upn: dict[str, tuple[str, str, datetime.date | None, int]] = {}
    full_time_rows: dict[str, list[SchoolArrangedRow]] = defaultdict(list)
    for row in rows:
        if row.entry_date is not None and is_weekend(row.entry_date):
            row.refuse(
                f"The entry date, {weekday_date(row.entry_date)}, is a weekend day: give the first school day",
                "entry_date",
            )
        if row.tier not in Tier.values:
            row.refuse("Choose the tier", "tier")
        if row.provision_id is not None:
            chosen = known.directory.get(row.provision_id)
            if chosen is None:
                row.refuse("Choose a provision that is published in the directory", "provision")
            elif not (chosen.provider.urn or chosen.provider.ukprn) and not row.setting_type:
                row.refuse(
                    f"{chosen.provider.display_name} has no URN or UKPRN: choose its type of setting for the census",
                    "setting_type",
                )
        if not row.upn:
            continue
        pupil = known.pupils.get(row.upn)
        if pupil is not None and pupil.pk not in known.visible:
            row.refuse(
                f"A pupil with UPN {row.upn} is already recorded in {known.local_authority}, not on your school's "
                "roll: ask the LA to add your school's enrolment, then send the file again",
                "upn",
            )
            continue
        if pupil is not None:
            differ = []
            if row.surname and row.surname.casefold() != pupil.last_name.casefold():
                differ.append(f"surname {pupil.last_name}")
            if row.forename and row.forename.casefold() not in (
                pupil.first_name.casefold(),
                pupil.preferred_name.casefold(),
            ):
                differ.append(f"forename {pupil.first_name}")
            if row.date_of_birth and row.date_of_birth != pupil.date_of_birth:
                differ.append(f"date of birth {pupil.date_of_birth:%d/%m/%Y}")
            if differ:
                row.refuse(
                    f"AP Hub records UPN {row.upn} with {' and '.join(differ)}: correct the row, or the pupil's "
                    "details on their page",
                    "upn",
                )
        else:
            given = (row.surname.casefold(), row.forename.casefold(), row.date_of_birth, row.line)
            earlier = details_by_upn.setdefault(row.upn, given)
            if earlier[:3] != given[:3]:
                row.refuse(f"Line {earlier[3]} gives UPN {row.upn} another name or date of birth", "upn")
            elif row.surname and row.forename and row.date_of_birth:
                for problem in pupil_details_problems(_pupil_details(row), sex_required=False, on=on):
                    row.refuse(problem.message, "date_of_birth" if problem.field == "date_of_birth" else "upn")
        # A row that finds its placement again was checked when it was first recorded: next term's census lists a
        # placement whose exclusion the LA has since closed.
        again = _found_again(known, pupil, row)
        if (
            row.reason == PlacementReason.PERMANENT_EXCLUSION
            and again is None
            and known.open_episode_for(pupil, row) is None
        ):
            row.refuse(
                "AP Hub has no open permanent exclusion for this pupil. The LA records a permanent exclusion (its "
                "duty runs from the sixth school day): tell the LA of the exclusion, then send the row again",
                "reason",
            )
        if row.entry_date is None:
            continue
        key = (row.upn, row.provider_key, row.entry_date)
        if key in seen:
            row.refuse(f"Repeats line {seen[key]}: the same pupil, provider and entry date", "entry_date")
            continue
        seen[key] = row.line
        offered = again if again is not None and not again.recorded_by_school else None
        if offered is not None and _census_values(row, offered) != _census_values_of(offered):
            row.refuse(
                f"This placement at {offered.provision.name} was offered through AP Hub and its record differs from "
                "the row: change it on the placement's page, or correct the row",
                "entry_date",
            )
        if row.is_full_time:
            full_time_rows[row.upn].append(row)
    _check_full_time_clashes(known, full_time_rows, on)


def _check_full_time_clashes(
    known: _Known, full_time_rows: dict[str, list[SchoolArrangedRow]], on: datetime.date
) -> None:
    """One full-time placement at a time: a full-time row may not overlap another full-time row of the child, nor a
    full-time placement AP Hub holds (other than the one the row records again)."""
    for upn, rows in full_time_rows.items():
        pupil = known.pupils.get(upn)
        for index, row in enumerate(rows):
            assert row.entry_date is not None
            end = row.leaving_date
            for other in rows[:index]:
                assert other.entry_date is not None
                if _overlaps(row.entry_date, end, other.entry_date, other.leaving_date):
                    row.refuse(
                        f"Overlaps the full-time placement on line {other.line}: a child has one at a time",
                        "attendance_pattern",
                    )
                    break
            if pupil is None:
                continue
            provision = known.provision_for(row)
            for placement in known.placements_of.get(pupil.pk, ()):
                if not placement.is_full_time:
                    continue
                if provision is not None and placement is known.schools_placements.get(
                    (pupil.pk, provision.pk, row.entry_date)
                ):
                    continue  # the same placement, recorded again
                other_end = placement.end_date or placement.planned_end_date
                if _overlaps(row.entry_date, end, placement.start_date, other_end):
                    row.refuse(
                        f"{pupil.full_name} already has a full-time placement at {placement.provision.name} from "
                        f"{weekday_date(placement.start_date)}: a child has one at a time",
                        "attendance_pattern",
                    )
                    break


def _found_again(known: _Known, pupil: Pupil | None, row: SchoolArrangedRow) -> Placement | None:
    """The school's placement the row records again (recorded by it, or offered through AP Hub), if any."""
    provision = known.provision_for(row)
    if pupil is None or provision is None or row.entry_date is None:
        return None
    return known.schools_placements.get((pupil.pk, provision.pk, row.entry_date))


def _census_values(row: SchoolArrangedRow, placement: Placement) -> tuple:
    """What the census file says of a placement, from a row."""
    return (
        row.leaving_date, row.reason or census_reason(placement), row.sessions_per_week, row.is_full_time,
        row.hours_per_week, row.annual_cost,
    )  # fmt: skip


def _census_values_of(placement: Placement) -> tuple:
    """What the census file says of a placement, from the placement (exports.py writes these)."""
    return (
        placement.end_date or placement.planned_end_date, census_reason(placement), placement.sessions_per_week,
        placement.is_full_time, placement.hours_per_week,
        weekly_cost_of(placement.annual_cost) * SCHOOL_WEEKS_A_YEAR,
    )  # fmt: skip


def _pupil_details(row: SchoolArrangedRow) -> dict:
    return {"first_name": row.forename, "last_name": row.surname, "date_of_birth": row.date_of_birth}


def record_school_arranged(*, user: User, rows: list[SchoolArrangedRow]) -> SchoolArrangedOutcome:
    """Record the placements of `rows` for the user's school, all or none (see the module's docstring).

    Raises ImportRejected naming each bad row of a file (rows with a line), DomainErrors with each problem's field
    for the page and the API (a single row without a line), NotPermitted for anyone but the school's staff.
    """
    membership = membership_of(user)
    require(can_record_school_arranged(membership), "Only school staff record the AP their school arranged")
    assert membership is not None and membership.school is not None
    school = membership.school
    known = _Known(user, school, rows)
    check_rows(known, rows)
    bad = [row for row in rows if row.problems]
    if bad:
        if len(rows) == 1 and rows[0].line == 0:
            raise DomainErrors(rows[0].problems) if len(rows[0].problems) > 1 else rows[0].problems[0]
        raise ImportRejected(
            [
                CensusProblem(
                    row.line,
                    f"{_column(problem.field)}: {problem.message}",
                    field=problem.field or "row",
                    problem=problem.message,
                )
                for row in bad
                for problem in row.problems
            ]
        )
    with transaction.atomic():
        return _write(user, known, rows)


def _column(name: str | None) -> str:
    return (name or "row").replace("_", " ")


def _write(user: User, known: _Known, rows: list[SchoolArrangedRow]) -> SchoolArrangedOutcome:
    on = today()
    school = known.school
    outcome = SchoolArrangedOutcome()
    # Children new to AP Hub, once each, on the school's roll from their first entry date.
    new_children: dict[str, tuple[str, datetime.date, dict]] = {}
    for row in rows:
        if row.upn not in known.pupils:
            assert row.entry_date is not None
            upn, start, details = new_children.get(row.upn, (row.upn, row.entry_date, _pupil_details(row)))
            new_children[row.upn] = (upn, min(start, row.entry_date), details)
    if new_children:
        for pupil in record_census_pupils(user=user, school=school, children=list(new_children.values())):
            known.pupils[pupil.upn] = pupil
            known.created_pupils.add(pupil.pk)
        outcome.pupils_created = len(new_children)

    provisions = {row.line or id(row): known.provision_for(row) or _new_provision(known, row) for row in rows}
    new_rows = [
        row
        for row in rows
        if (known.pupils[row.upn].pk, provisions[row.line or id(row)].pk, row.entry_date)
        not in known.schools_placements
    ]
    episodes = _episodes(user, known, new_rows)
    new, changed = [], []
    policy = duties.policy_for(known.local_authority)
    for row in rows:
        assert row.entry_date is not None and row.sessions_per_week is not None and row.hours_per_week is not None
        pupil = known.pupils[row.upn]
        provision = provisions[row.line or id(row)]
        status = _status(row, on)
        values = {
            "status": status,
            "end_date": row.leaving_date if status == Status.ENDED else None,
            "planned_end_date": row.leaving_date if status != Status.ENDED else None,
            "placement_reason": row.reason,
            "setting_type": row.setting_type if not (provision.provider.urn or provision.provider.ukprn) else "",
            "sessions_per_week": row.sessions_per_week,
            "is_full_time": bool(row.is_full_time),
            "hours_per_week": row.hours_per_week,
            "annual_cost": row.annual_cost,
        }
        existing = known.schools_placements.get((pupil.pk, provision.pk, row.entry_date))
        if existing is not None and not existing.recorded_by_school:
            outcome.unchanged.append(existing)  # offered through AP Hub: check_rows found the row agrees with it
            continue
        if existing is not None:
            differences = [name for name in CENSUS_FIELDS if getattr(existing, name) != values[name]]
            if not differences:
                outcome.unchanged.append(existing)
                continue
            for name in differences:
                setattr(existing, name, values[name])
            existing.save(update_fields=differences)
            changed.append((existing, differences))
            outcome.updated.append(existing)
            continue
        episode = episodes[row.upn] if row.upn in episodes else known.open_episode_for(pupil, row)
        assert episode is not None
        new.append(
            {
                "pupil": pupil,
                "episode": episode,
                "provision": provision,
                "route": episode.route,
                "commissioner": Payer.SCHOOL,
                "commissioning_school": school,
                "tier": row.tier,
                "start_date": row.entry_date,
                "registration": episode.route.registration,
                # 'Working together to improve school attendance' (2024): B, educated off site, when the school
                # arranged it.
                "expected_attendance_code": "B",
                "next_review_due": (
                    row.entry_date + datetime.timedelta(weeks=policy.review_interval_weeks)
                    if status != Status.ENDED
                    else None
                ),
                "recorded_by_school": True,
                "offered_by": user,
                **values,
            }
        )
    created = insert_all(Placement, new_objects(Placement, new))
    outcome.created = created
    _follow_up(user, known, created, changed)
    return outcome


def _new_provision(known: _Known, row: SchoolArrangedRow) -> Provision:
    """Record, once, the provider a row names that AP Hub does not hold: without users, outside the directory."""
    school = known.school
    if row.urn:
        establishment = known.schools_by_urn.get(row.urn)
        name = row.provider_name or (establishment.name if establishment else urn_placeholder(row.urn))
        provider = known.providers_by_urn.get(row.urn) or Provider.objects.create(
            legal_name=name, urn=row.urn, registration_status=Provider.RegistrationStatus.REGISTERED_SCHOOL,
            local_authority=establishment.local_authority if establishment else None,
        )  # fmt: skip
        known.providers_by_urn[row.urn] = provider
    elif row.ukprn:
        provider = known.providers_by_ukprn.get(row.ukprn) or Provider.objects.create(
            legal_name=row.provider_name or ukprn_placeholder(row.ukprn), ukprn=row.ukprn,
            registration_status=Provider.RegistrationStatus.REGISTERED_FE,
        )  # fmt: skip
        known.providers_by_ukprn[row.ukprn] = provider
    elif row.provider_name:
        provider = Provider.objects.create(
            legal_name=row.provider_name, registration_status=Provider.RegistrationStatus.UNREGISTERED,
            local_authority=known.local_authority,
        )  # fmt: skip
    else:
        label = _setting_label(row.setting_type)
        provider = Provider.objects.create(
            legal_name=f"{label} {UNNAMED_SUFFIX}", registration_status=Provider.RegistrationStatus.UNREGISTERED,
            local_authority=known.local_authority, unnamed=True,
        )  # fmt: skip
    name = provider.legal_name
    provision = Provision.objects.create(
        provider=provider,
        local_authority=known.local_authority,
        status=Provision.Status.RECORDED,
        recorded_by_school=school,
        name=name[: Provision._meta.get_field("name").max_length],
        summary=f"Recorded by {school.name} as AP it arranged",
        age_min=4,
        age_max=25,
        attendance_pattern=Provision.AttendancePattern.EITHER,
    )
    provision.provider = provider
    known.recorded.setdefault(provider.pk, provision)
    if provider.unnamed:
        known.unnamed[_setting_label(row.setting_type)] = provision
    elif not provider.urn and not provider.ukprn:
        known.named[provider.legal_name.casefold()] = provision
    return provision


def _episodes(user: User, known: _Known, rows: list[SchoolArrangedRow]) -> dict[str, Episode]:
    """A new off-site direction for each child whose new placements need an episode (none open at the school): one,
    from the first entry date, closed on the last leaving date when every one of its placements has ended."""
    needed: dict[str, list[SchoolArrangedRow]] = defaultdict(list)
    for row in rows:
        pupil = known.pupils[row.upn]
        if known.open_episode_for(pupil, row) is None:
            needed[row.upn].append(row)
    if not needed:
        return {}
    ensure_routes(local_authority=known.local_authority)
    route = Route.objects.get(local_authority=known.local_authority, kind=EpisodeKind.OFF_SITE_DIRECTION)
    on = today()
    episodes = {}
    for upn, child_rows in needed.items():
        starts = [row.entry_date for row in child_rows if row.entry_date is not None]
        all_ended = all(_status(row, on) == Status.ENDED for row in child_rows)
        last_day = max((row.leaving_date for row in child_rows if row.leaving_date), default=None)
        episodes[upn] = {
            "pupil": known.pupils[upn],
            "route": route,
            "school": known.school,
            "start_date": min(starts),
            "summary": "Recorded from the school's record of AP it arranged",
            "status": Episode.Status.CLOSED if all_ended else Episode.Status.OPEN,
            "closed_on": last_day if all_ended else None,
            "recorded_by": user,
        }
    # An off-site direction starts no statutory clock (duties.services._episode_starts), so none is started here.
    created = insert_all(Episode, new_objects(Episode, list(episodes.values())))
    log_access_many(user=user, objs=created, verb="create")
    return dict(zip(episodes, created, strict=True))


def _follow_up(user: User, known: _Known, created: list[Placement], changed: list[tuple[Placement, list[str]]]) -> None:
    """What follows a placement's record, as for any placement: its change log, funding lines, clocks and the
    access log; a full-time placement that has started meets its episode's duty to provide full-time education."""
    school = known.school
    # Change log entries, funding lines and clocks are written as rows, not objects: a return brings thousands.
    recorded = f"Recorded by {school.name} as AP it arranged"
    insert_rows(
        PlacementChange,
        [{"placement_id": p.pk, "by_id": user.pk, "summary": recorded} for p in created]
        + [
            {
                "placement_id": p.pk,
                "by_id": user.pk,
                "summary": f"Updated by {school.name}'s record of AP it arranged: "
                + ", ".join(FIELD_WORDS[name] for name in names),
            }
            for p, names in changed
        ],
    )
    # Every pupil is of the school's LA: its place funding rate, read once rather than once a placement.
    rate = place_funding_rate(known.local_authority.pk)
    lines = [line for placement in created for line in planned_line_rows(placement, place_funding=rate)]
    FundingLine.objects.filter(placement_id__in=[p.pk for p, _ in changed]).delete()
    lines += [line for placement, _ in changed for line in planned_line_rows(placement, place_funding=rate)]
    insert_rows(FundingLine, lines)
    running = [p for p in created if p.status != Status.ENDED]
    if running:
        calendar = calendar_for(local_authority=known.local_authority, school=school)
        duties.start_new_placements_clocks(placements=running, calendar=calendar)
    for placement, _names in changed:
        if placement.status == Status.ENDED and placement.end_date is not None:
            duties.stop_placement_clocks(placement=placement, on=placement.end_date)
        else:
            duties.start_placement_clocks(placement=placement)
    for placement in created:
        episode = placement.episode
        if (
            placement.is_full_time
            and placement.status != Status.ACCEPTED
            and episode.route.kind in (EPISODES_WITH_EDUCATION_CLOCKS)
        ):
            duties.meet_episode_clocks(episode=episode, placement=placement, on=placement.start_date)
    log_access_many(user=user, objs=[*created, *(p for p, _ in changed)], verb="change")
    # A child this import recorded is logged once, as created (pupils.services.record_census_pupils).
    log_access_many(
        user=user,
        objs={p.pupil_id: p.pupil for p in created if p.pupil_id not in known.created_pupils}.values(),
        verb="change",
    )


@dataclass
class DatesFollowed:
    started: int = 0
    ended: int = 0

    def summary(self) -> str:
        return (
            f"School-arranged placements: {self.started} started on their entry date, {self.ended} ended after their "
            "leaving date."
        )


@transaction.atomic
def follow_dates(*, on: datetime.date | None = None) -> DatesFollowed:
    """What cron runs each school day (`aphub sweep-placements`): a placement a school recorded has no provider user
    to start or end it, so its state follows its dates, as when it was recorded. An accepted one starts on its entry
    date; an active one whose leaving date has passed ends on that day (its destination is left for the school to
    add). Clocks, funding lines and the episode follow as when a placement starts or ends. Run twice, the second run
    changes nothing.
    """
    on = on or today()
    followed = DatesFollowed()
    starting = Placement.objects.select_for_update().filter(
        recorded_by_school=True, status=Status.ACCEPTED, start_date__lte=on
    )
    for placement in starting.select_related("episode__route", "pupil__local_authority", "provision"):
        placement.status = Status.ACTIVE
        placement.save(update_fields=["status"])
        PlacementChange.objects.create(placement=placement, by=None, summary="Started on its entry date")
        if placement.is_full_time and placement.episode.route.kind in EPISODES_WITH_EDUCATION_CLOCKS:
            duties.meet_episode_clocks(episode=placement.episode, placement=placement, on=placement.start_date)
        FundingLine.objects.filter(placement_id=placement.pk).delete()
        FundingLine.objects.bulk_create(planned_lines(placement))
        followed.started += 1
    ending = Placement.objects.select_for_update().filter(
        recorded_by_school=True, status=Status.ACTIVE, planned_end_date__lt=on
    )
    for placement in ending.select_related("episode", "pupil__local_authority", "provision"):
        assert placement.planned_end_date is not None
        placement.status, placement.end_date = Status.ENDED, placement.planned_end_date
        placement.planned_end_date = None
        placement.save(update_fields=["status", "end_date", "planned_end_date"])
        PlacementChange.objects.create(placement=placement, by=None, summary="Ended on its leaving date")
        duties.stop_placement_clocks(placement=placement, on=placement.end_date)
        FundingLine.objects.filter(placement_id=placement.pk).delete()
        FundingLine.objects.bulk_create(planned_lines(placement))
        episode = placement.episode
        still_placed = episode.placements.filter(status__in=Placement.HOLDING_STATES).exists()
        if (
            not still_placed
            and episode.status == Episode.Status.OPEN
            and episode.route.kind == (EpisodeKind.OFF_SITE_DIRECTION)
        ):
            close_episode_on(episode, placement.end_date)
        followed.ended += 1
    return followed


# --- The LA names the providers its schools recorded -------------------------------------------------------------


def _the_las_alone(provider: Provider, local_authority_id: int) -> bool:
    """Only this LA's schools' records hold the provider: it has no users nor directory entry of its own, and no
    other LA's schools recorded it (a provider is one row per URN or UKPRN, shared by every LA's records of it)."""
    elsewhere = provider.provisions.exclude(status=Provision.Status.RECORDED, local_authority_id=local_authority_id)
    return not provider.memberships.exists() and not elsewhere.exists()


@transaction.atomic
def rename_recorded_provider(*, user: User, provision: Provision, name: str, provision_name: str = "") -> Provision:
    """The LA names a provider its schools recorded by URN or UKPRN (replacing "Establishment with URN ..."), and
    its provision: the provision's own name if given, else the provider's. Placements, the city-wide view and the
    census export read the names, so they show the new ones at once; the importer finds the provider by its number,
    so a school's next return finds it again. Each change is in the access log."""
    require(
        can_rename_recorded_provider(membership_of(user), provision),
        "Only your LA's officers and admins can rename a provider your schools recorded by URN or UKPRN",
    )
    problems = Problems()
    name = check_required(problems, limits.PROVIDER_NAME, name, field="name", missing="Enter the provider's name")
    with problems.check():
        provision_name = check_limit(limits.PROVISION_NAME, provision_name, field="provision_name")
    problems.raise_any()
    provision = Provision.objects.select_for_update().select_related("provider").get(pk=provision.pk)
    provider = provision.provider
    if name != provider.legal_name:
        if not _the_las_alone(provider, provision.local_authority_id):
            raise DomainError(
                "Another local authority's schools recorded this provider too, or it keeps its own record in AP Hub, "
                "so its name is not yours alone to change. You can still change the provision's name.",
                field="name",
            )
        provider.legal_name = name
        provider.save(update_fields=["legal_name"])
        log_access(user=user, obj=provider, verb="change")
    provision_name = provision_name or name
    if provision_name != provision.name:
        provision.name = provision_name
        provision.save(update_fields=["name"])
        log_access(user=user, obj=provision, verb="change")
    return provision
