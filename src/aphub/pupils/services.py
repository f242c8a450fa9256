"""Writes of pupils and their enrolments. Every write is access-logged; sensitive values never reach the log."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from aphub.audit.services import log_access, log_access_many
from aphub.core.bulk import insert_all, insert_rows, new_objects
from aphub.core.clock import today
from aphub.core.days.school_years import age_on
from aphub.core.errors import DomainError, NotPermitted, Problems
from aphub.core.forms.validators import Limit, at_most, check_limit
from aphub.core.identifiers import is_temporary_upn, validate_postcode, validate_upn
from aphub.core.model_fields import max_length
from aphub.core.permissions import require
from aphub.organisations.models import LA_ROLES, SCHOOL_ROLES, School, User
from aphub.organisations.permissions import acts_as, is_school_staff_of
from aphub.organisations.queries import membership_of

from .models import Enrolment, Pupil
from .permissions import can_record_pupils

PUPIL_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "postcode",
    "uln",
    "free_school_meals",
    "sen_status",
    "primary_need",
    "ethnicity",
    "medical_needs",
    "looked_after",
    "safeguarding",
)

# The pupil's names, each limit written once (decision 0025): the pupil form's fields run them and _clean asks them
# again, so a long name is refused in the same words by the page and by every other caller.
NAME_LIMITS: dict[str, Limit[str]] = {
    name: at_most(max_length(Pupil, name), what)
    for name, what in (
        ("first_name", "The first name"),
        ("last_name", "The last name"),
        ("preferred_name", "The preferred name"),
    )
}


# Each field's choices, read once: a census return checks thousands of children.
SEXES = frozenset(Pupil.Sex.values)
SEN_STATUSES = frozenset(Pupil.SenStatus.values)
PRIMARY_NEEDS = frozenset(Pupil.PrimaryNeed.values)
ETHNICITIES = frozenset(Pupil.Ethnicity.values)
SAFEGUARDING = frozenset(Pupil.Safeguarding.values)


def _clean(fields: dict, *, sex_required: bool = True, on: datetime.date | None = None) -> dict:
    """The pupil's details, checked all together: every problem is reported at once (GOV.UK forms). Ages are on
    `on` (today when not given)."""
    cleaned = dict(fields)
    for name in ("first_name", "last_name", "preferred_name", "medical_needs", "uln", "postcode"):
        if name in cleaned and cleaned[name] is not None:
            cleaned[name] = str(cleaned[name]).strip()
    problems = Problems()
    if not cleaned.get("first_name"):
        problems.add("Enter the pupil's first name", field="first_name")
    if not cleaned.get("last_name"):
        problems.add("Enter the pupil's last name", field="last_name")
    for name, limit in NAME_LIMITS.items():
        if cleaned.get(name):
            with problems.check():
                check_limit(limit, cleaned[name], field=name)
    born = cleaned.get("date_of_birth")
    if not isinstance(born, datetime.date):
        problems.add("Enter the pupil's date of birth", field="date_of_birth")
    elif not 2 <= age_on(born, on or today()) <= 25:
        problems.add("The date of birth must make the pupil between 2 and 25 years old", field="date_of_birth")
    if cleaned.get("sex") not in SEXES and (sex_required or cleaned.get("sex")):
        problems.add("Select the pupil's sex", field="sex")
    if cleaned.get("postcode"):
        try:
            cleaned["postcode"] = validate_postcode(cleaned["postcode"])
        except ValidationError as error:
            problems.add(error.messages[0], field="postcode")
    uln = cleaned.get("uln") or ""
    if uln and (len(uln) != 10 or not uln.isdigit()):
        problems.add("A ULN is 10 digits", field="uln")
    sen_status = cleaned.get("sen_status", Pupil.SenStatus.NONE)
    if sen_status not in SEN_STATUSES:
        problems.add("Select the pupil's SEN status", field="sen_status")
    need = cleaned.get("primary_need") or ""
    if need and need not in PRIMARY_NEEDS:
        problems.add("Select the pupil's primary need from the list", field="primary_need")
    elif need and sen_status == Pupil.SenStatus.NONE:
        # The school census records a type of need only for a pupil with SEN support or an EHC plan.
        problems.add(
            "Record a primary need only for a pupil with SEN support or an EHC plan, or change their SEN status",
            field="primary_need",
        )
    if (cleaned.get("ethnicity") or "") not in ETHNICITIES | {""}:
        problems.add("Select the pupil's ethnicity from the list", field="ethnicity")
    if cleaned.get("safeguarding", Pupil.Safeguarding.NONE) not in SAFEGUARDING:
        problems.add("Select child in need or protection status", field="safeguarding")
    problems.raise_any()
    return cleaned


def _upn(value: str) -> str:
    try:
        return validate_upn(value or "")
    except ValidationError as error:
        raise DomainError(error.messages[0], field="upn") from None


@transaction.atomic
def record_pupil(
    *,
    user: User,
    upn: str,
    enrol_at: School | None = None,
    enrolment_start: datetime.date | None = None,
    from_census_return: bool = False,
    **fields,
) -> Pupil:
    """Record a child. LA staff record their LA's children; school staff their own pupils, enrolled at their school.

    `from_census_return`: the child comes from a school's census AP return, which carries no sex; it is left blank
    for the school to complete on the pupil's page."""
    membership = membership_of(user)
    require(can_record_pupils(membership), "Only LA officers and school staff can record a pupil")
    assert membership is not None  # can_record_pupils is False for None
    # Membership's check constraint gives school staff a school and LA staff an LA.
    if acts_as(membership, SCHOOL_ROLES):
        assert membership.school is not None
        enrol_at = membership.school
        local_authority = membership.school.local_authority
    else:
        assert membership.local_authority is not None
        local_authority = membership.local_authority
        if enrol_at is not None and enrol_at.local_authority_id != local_authority.pk:
            raise DomainError("Choose a school in your local authority", field="enrol_at")
    unknown = set(fields) - set(PUPIL_FIELDS)
    if unknown:
        raise ValueError(f"Unknown pupil fields {sorted(unknown)}")
    problems = Problems()
    with problems.check():
        cleaned = _clean(fields, sex_required=not from_census_return)
    with problems.check():
        upn = _upn(upn)
    problems.raise_any()
    if Pupil.objects.filter(local_authority=local_authority, upn=upn).exists():
        raise DomainError(
            f"A pupil with UPN {upn} is already recorded in {local_authority}. "
            "Find them in the list of pupils, or ask the LA to add your school's enrolment.",
            field="upn",
        )
    try:
        with transaction.atomic():
            pupil = Pupil.objects.create(
                local_authority=local_authority,
                upn=upn,
                upn_is_temporary=is_temporary_upn(upn),
                created_by=user,
                **cleaned,
            )
    except IntegrityError:  # a second request with the same UPN won the race
        raise DomainError(f"A pupil with UPN {upn} is already recorded", field="upn") from None
    log_access(user=user, obj=pupil, verb="create")
    if enrol_at is not None:
        # The child is the user's own new record: enrolling it is part of recording it.
        _enrol(
            user=user,
            pupil=pupil,
            school=enrol_at,
            start_date=enrolment_start or today(),
            registration=Enrolment.Registration.SINGLE,
        )
    return pupil


def pupil_details_problems(
    fields: dict, *, sex_required: bool = True, on: datetime.date | None = None
) -> list[DomainError]:
    """Every problem record_pupil would find in a child's details (ages on `on`, today when not given), without
    recording anything: an import checks every row of its file before it writes one."""
    try:
        _clean(fields, sex_required=sex_required, on=on)
    except DomainError as error:
        return list(error.errors)
    return []


def record_census_pupils(*, user: User, school: School, children: list[tuple[str, datetime.date, dict]]) -> list[Pupil]:
    """Children first met in a school's census AP return, each `(upn, enrolment start, details)`: recorded at once
    and put on the school's roll, as record_pupil does for one (a return brings thousands; one INSERT each).

    The caller has checked each child's details (pupil_details_problems) and that the LA holds no child with the UPN:
    the unique (LA, UPN) constraint still refuses a duplicate, rolling the whole import back.
    """
    membership = membership_of(user)
    require(
        can_record_pupils(membership) and is_school_staff_of(membership, school.pk),
        "Only the school's staff can record its pupils from its census return",
    )
    on = today()
    pupils = insert_all(
        Pupil,
        new_objects(
            Pupil,
            [
                {
                    "local_authority": school.local_authority,
                    "upn": upn,
                    "upn_is_temporary": is_temporary_upn(upn),
                    "created_by": user,
                    **_clean(details, sex_required=False, on=on),
                }
                for upn, _, details in children
            ],
        ),
    )
    insert_rows(  # rows, not objects: nobody reads these enrolments back here
        Enrolment,
        [
            {
                "pupil_id": pupil.pk,
                "school_id": school.pk,
                "start_date": start,
                "registration": Enrolment.Registration.SINGLE,
            }
            for pupil, (_, start, _) in zip(pupils, children, strict=True)
        ],
    )
    log_access_many(user=user, objs=pupils, verb="create")
    return pupils


@transaction.atomic
def update_pupil(*, user: User, pupil: Pupil, upn: str | None = None, **fields) -> Pupil:
    """Change a child's details, or replace a temporary UPN with the permanent one. Sensitive fields may be
    changed only by roles that may see them."""
    from .sensitive import sensitive_fields_for

    require(can_record_pupils(membership_of(user)), "Only LA officers and school staff can change a pupil's details")
    if not Pupil.objects.visible_to(user).filter(pk=pupil.pk).exists():
        raise NotPermitted("You cannot change this pupil's details")
    allowed = set(PUPIL_FIELDS) - (set(Pupil.SENSITIVE_FIELDS) - sensitive_fields_for(user))
    refused = set(fields) - allowed
    if refused:
        raise NotPermitted("You cannot change " + ", ".join(sorted(refused)))
    current = {name: getattr(pupil, name) for name in PUPIL_FIELDS}
    current.update(fields)
    problems = Problems()
    with problems.check():
        cleaned = _clean(current)
    if upn is not None:
        with problems.check():
            upn = _upn(upn)
            if upn != pupil.upn and Pupil.objects.filter(local_authority=pupil.local_authority, upn=upn).exists():
                raise DomainError(f"A pupil with UPN {upn} is already recorded", field="upn")
    problems.raise_any()
    if upn is not None:
        pupil.upn, pupil.upn_is_temporary = upn, is_temporary_upn(upn)
    for name, value in cleaned.items():
        setattr(pupil, name, value)
    try:
        with transaction.atomic():
            pupil.save()
    except IntegrityError:  # another request gave this UPN to a pupil first
        raise DomainError(f"A pupil with UPN {pupil.upn} is already recorded", field="upn") from None
    log_access(user=user, obj=pupil, verb="change")
    return pupil


@transaction.atomic
@transaction.atomic
def enrol(
    *,
    user: User,
    pupil: Pupil,
    school: School,
    start_date: datetime.date,
    registration: str = Enrolment.Registration.SINGLE,
) -> Enrolment:
    # An enrolment is what makes a child visible to a school: only someone who already sees the child may add one.
    if not Pupil.objects.visible_to(user).filter(pk=pupil.pk).exists():
        raise NotPermitted("You cannot enrol this pupil")
    return _enrol(user=user, pupil=pupil, school=school, start_date=start_date, registration=registration)


def _enrol(*, user: User, pupil: Pupil, school: School, start_date: datetime.date, registration: str) -> Enrolment:
    membership = membership_of(user)
    if membership is None:
        raise NotPermitted("Sign in to enrol a pupil")
    if acts_as(membership, SCHOOL_ROLES):
        require(is_school_staff_of(membership, school.pk), "You can only enrol pupils at your own school")
    if acts_as(membership, LA_ROLES) and school.local_authority_id != membership.local_authority_id:
        raise DomainError("Choose a school in your local authority", field="school")
    require(can_record_pupils(membership), "Only LA officers and school staff can enrol a pupil")
    if registration not in Enrolment.Registration.values:
        raise DomainError("Choose how the pupil is registered", field="registration")
    if start_date < pupil.date_of_birth:
        raise DomainError("The enrolment cannot start before the pupil was born", field="start_date")
    if Enrolment.objects.filter(pupil=pupil, school=school, end_date__isnull=True).exists():
        raise DomainError(f"{pupil.full_name} is already on the roll of {school.name}", field="school")
    enrolment = Enrolment.objects.create(pupil=pupil, school=school, start_date=start_date, registration=registration)
    log_access(user=user, obj=pupil, verb="change")
    return enrolment


def current_school(pupil: Pupil) -> School | None:
    """The school of the pupil's current main or single enrolment, if any."""
    enrolment = (
        pupil.enrolments.filter(end_date__isnull=True)
        .exclude(registration=Enrolment.Registration.SUBSIDIARY)
        .select_related("school")
        .order_by("-start_date", "-id")
        .first()
    )
    return enrolment.school if enrolment else None
