"""Imports that change AP Hub's records. Each checks the whole file first and writes all of it or nothing."""

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from aphub.core.errors import DomainError
from aphub.core.identifiers import validate_postcode, validate_ukprn, validate_urn
from aphub.core.model_fields import max_length
from aphub.exchange import gias
from aphub.organisations.models import LocalAuthority, Provider, School

GSS_CODE_PATTERN = re.compile(r"[EWSN]\d{8}")


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.message}"


class ImportRejected(DomainError):
    """The file has bad rows; nothing was imported. `problems` names each one."""

    def __init__(self, problems: list[RowProblem]) -> None:
        count = len({problem.row for problem in problems})
        rows = "1 row of the file has" if count == 1 else f"{count} rows of the file have"
        super().__init__(f"{rows} problems, so nothing was imported")
        self.problems = problems


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class GiasImportResult:
    schools: Counts = field(default_factory=Counts)
    providers: Counts = field(default_factory=Counts)
    local_authorities_created: int = 0
    rows_skipped: int = 0  # rows of LAs that were not asked for
    dry_run: bool = False


@dataclass(frozen=True)
class _Establishment:
    row: int
    urn: str
    name: str
    phase: str
    establishment_type: str
    status: str
    la_code: str
    la_name: str
    gss_code: str
    postcode: str
    ukprn: str

    @property
    def is_open(self) -> bool:
        return self.status in gias.OPEN_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status == gias.CLOSED

    @property
    def is_registered_ap(self) -> bool:
        return self.establishment_type in gias.REGISTERED_AP_TYPES

    def school_fields(self, local_authority: LocalAuthority) -> dict[str, object]:
        return {
            "name": self.name,
            "phase": self.phase,
            "establishment_type": self.establishment_type,
            "is_open": self.is_open,
            # By id: comparing the related object would load it once for every school in the file.
            "local_authority_id": local_authority.pk,
            "postcode": self.postcode,
            "ukprn": self.ukprn,
        }

    def provider_fields(self, local_authority: LocalAuthority) -> dict[str, object]:
        fields: dict[str, object] = {
            "legal_name": self.name,
            "registration_status": Provider.RegistrationStatus.REGISTERED_SCHOOL,
            "local_authority_id": local_authority.pk,
        }
        # A UKPRN typed in by the LA is kept when GIAS has none.
        if self.ukprn:
            fields["ukprn"] = self.ukprn
        return fields


def import_gias_establishments(
    *, path: Path, la_codes: Collection[str] = (), dry_run: bool = False
) -> GiasImportResult:
    """Create or update schools, and providers for registered AP, from a GIAS establishments CSV file.

    `la_codes` limits the import to those LAs' establishments (the national file holds every LA's). Raises
    GiasFileError when the file cannot be read and ImportRejected, before any write, when any row is bad.
    """
    _, rows = gias.read_gias_file(path)
    result = GiasImportResult(dry_run=dry_run)
    wanted = {code.strip() for code in la_codes}
    if wanted:
        kept = [row for row in rows if row[gias.LA_CODE] in wanted]
        result.rows_skipped = len(rows) - len(kept)
        rows = kept

    problems: list[RowProblem] = []
    establishments = [e for e in (_parse_row(row, problems) for row in rows) if e is not None]
    try:
        with transaction.atomic():
            # Checked inside the transaction so the rows read for the checks are the ones the writes see.
            local_authorities, new_local_authorities = _resolve_local_authorities(establishments, problems)
            existing_providers = _check_providers(establishments, problems)
            _check_unique_urns(establishments, problems)
            if problems:
                raise ImportRejected(sorted(problems, key=lambda problem: problem.row))
            for local_authority in new_local_authorities:
                local_authority.save()
                local_authorities[local_authority.la_code] = local_authority
            result.local_authorities_created = len(new_local_authorities)
            _write_schools(establishments, local_authorities, result.schools)
            _write_providers(establishments, local_authorities, existing_providers, result.providers)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError:
        # Someone saved a clashing school, provider or LA between the checks and the writes.
        raise DomainError(
            "Another change to the same records was saved meanwhile, so nothing was imported; run the import again"
        ) from None
    return result


def _parse_row(row: gias.GiasRow, problems: list[RowProblem]) -> _Establishment | None:
    def problem(message: str) -> None:
        problems.append(RowProblem(row.number, message))

    before = len(problems)

    def checked(validator: Callable[[str], str], value: str, label: str) -> str:
        try:
            return validator(value)
        except ValidationError as error:
            problem(f"{label}: {error.messages[0]}")
            return ""

    def given(value: str, field: str, missing: str, too_long: str) -> None:
        """A text the establishment must have, no longer than School.`field` holds."""
        if not value:
            problem(missing)
        elif len(value) > max_length(School, field):
            problem(too_long)

    urn = checked(validate_urn, row[gias.URN], "URN")
    name = row[gias.NAME]
    given(name, "name", "the establishment has no name", "the establishment name is longer than 200 characters")
    la_code = row[gias.LA_CODE]
    if not re.fullmatch(r"\d{3}", la_code):
        problem(f"the LA code must be 3 digits, not {la_code!r}")
    phase = row[gias.PHASE]
    if phase not in School.Phase.values:
        problem(f"the phase of education {phase!r} is not one GIAS uses")
    establishment_type = row[gias.TYPE]
    given(
        establishment_type,
        "establishment_type",
        "the establishment has no type",
        "the type of establishment is longer than 100 characters",
    )
    status = row[gias.STATUS]
    if status not in gias.KNOWN_STATUSES:
        problem(f"the establishment status {status!r} is not one GIAS uses")
    # Some closed establishments have no postcode or UKPRN in GIAS; a value that is there must be right.
    postcode = checked(validate_postcode, row[gias.POSTCODE], "Postcode") if row[gias.POSTCODE] else ""
    ukprn = checked(validate_ukprn, row[gias.UKPRN], "UKPRN") if row[gias.UKPRN] else ""
    if len(problems) > before:
        return None
    return _Establishment(
        row=row.number,
        urn=urn,
        name=name,
        phase=phase,
        establishment_type=establishment_type,
        status=status,
        la_code=la_code,
        la_name=row[gias.LA_NAME],
        gss_code=row[gias.GSS_CODE].upper(),
        postcode=postcode,
        ukprn=ukprn,
    )


def _resolve_local_authorities(
    establishments: list[_Establishment], problems: list[RowProblem]
) -> tuple[dict[str, LocalAuthority], list[LocalAuthority]]:
    """The LAs the rows need, by LA code, and the ones to create. An LA AP Hub already has is never changed."""
    known = {la.la_code: la for la in LocalAuthority.objects.filter(la_code__in={e.la_code for e in establishments})}
    gss_in_use = dict(LocalAuthority.objects.values_list("gss_code", "la_code"))
    new: dict[str, LocalAuthority] = {}
    for establishment in establishments:
        code = establishment.la_code
        if code in known:
            continue
        gss_code = establishment.gss_code
        if not gss_code:
            problems.append(RowProblem(establishment.row, f"LA {code} is not set up in AP Hub"))
        elif not GSS_CODE_PATTERN.fullmatch(gss_code):
            problems.append(
                RowProblem(establishment.row, f"LA {code} is not set up in AP Hub and {gss_code!r} is not a GSS code")
            )
        elif code in new:
            if new[code].gss_code != gss_code:
                problems.append(
                    RowProblem(
                        establishment.row,
                        f"LA {code} has GSS code {new[code].gss_code} on an earlier row but {gss_code} here",
                    )
                )
        elif gss_code in gss_in_use:
            problems.append(
                RowProblem(establishment.row, f"GSS code {gss_code} already belongs to LA {gss_in_use[gss_code]}")
            )
        elif not establishment.la_name:
            problems.append(RowProblem(establishment.row, f"LA {code} is not set up in AP Hub and has no name here"))
        else:
            new[code] = LocalAuthority(la_code=code, name=establishment.la_name, gss_code=gss_code)
            gss_in_use[gss_code] = code
    return known, list(new.values())


def _check_providers(establishments: list[_Establishment], problems: list[RowProblem]) -> dict[str, Provider]:
    """Existing providers of the registered AP rows, by URN, after checking no UKPRN would belong to two."""
    ap_rows = [e for e in establishments if e.is_registered_ap]
    by_urn = {p.urn: p for p in Provider.objects.filter(urn__in={e.urn for e in ap_rows})}
    ukprn_owner = {
        p.ukprn: p for p in Provider.objects.filter(ukprn__in={e.ukprn for e in ap_rows if e.ukprn}).exclude(ukprn="")
    }
    seen_ukprns: dict[str, int] = {}
    for establishment in ap_rows:
        if not establishment.ukprn:
            continue
        owner = ukprn_owner.get(establishment.ukprn)
        if owner is not None and owner.urn != establishment.urn:
            problems.append(
                RowProblem(
                    establishment.row,
                    f"UKPRN {establishment.ukprn} already belongs to the provider {owner.legal_name}",
                )
            )
        if establishment.ukprn in seen_ukprns:
            problems.append(
                RowProblem(
                    establishment.row,
                    f"UKPRN {establishment.ukprn} is also on row {seen_ukprns[establishment.ukprn]}",
                )
            )
        else:
            seen_ukprns[establishment.ukprn] = establishment.row
    return by_urn


def _check_unique_urns(establishments: list[_Establishment], problems: list[RowProblem]) -> None:
    first_row: dict[str, int] = {}
    for establishment in establishments:
        if establishment.urn in first_row:
            problems.append(
                RowProblem(establishment.row, f"URN {establishment.urn} is also on row {first_row[establishment.urn]}")
            )
        else:
            first_row[establishment.urn] = establishment.row


def _apply(instance: object, fields: dict[str, object]) -> bool:
    """Set `fields` on `instance`; True when any value changed."""
    changed = False
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


SCHOOL_FIELDS = ["name", "phase", "establishment_type", "is_open", "local_authority", "postcode", "ukprn"]


def _write_schools(
    establishments: list[_Establishment], local_authorities: dict[str, LocalAuthority], counts: Counts
) -> None:
    existing = School.objects.in_bulk([e.urn for e in establishments], field_name="urn")
    to_create, to_update = [], []
    for establishment in establishments:
        fields = establishment.school_fields(local_authorities[establishment.la_code])
        school = existing.get(establishment.urn)
        if school is None:
            to_create.append(School(urn=establishment.urn, **fields))
        elif _apply(school, fields):
            to_update.append(school)
        else:
            counts.unchanged += 1
    School.objects.bulk_create(to_create, batch_size=500)
    School.objects.bulk_update(to_update, SCHOOL_FIELDS, batch_size=500)
    counts.created += len(to_create)
    counts.updated += len(to_update)


def _write_providers(
    establishments: list[_Establishment],
    local_authorities: dict[str, LocalAuthority],
    existing: dict[str, Provider],
    counts: Counts,
) -> None:
    for establishment in establishments:
        if not establishment.is_registered_ap:
            continue
        fields = establishment.provider_fields(local_authorities[establishment.la_code])
        provider = existing.get(establishment.urn)
        if provider is None:
            # A closed PRU is history, not somewhere to place a child: only open (or opening) AP joins.
            if not establishment.is_closed:
                Provider.objects.create(urn=establishment.urn, **fields)
                counts.created += 1
        elif _apply(provider, fields):
            provider.save(update_fields=list(fields))
            counts.updated += 1
        else:
            counts.unchanged += 1
