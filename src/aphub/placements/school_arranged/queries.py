"""Reads of the AP schools arranged themselves (issue 12, decision 0026), scoped to the user: the census's category
of setting of a placement and the placements a school recorded over a period, for the LA's city-wide view (insight)
and its Schools Forum pack (finance); and the providers outside the directory the LA's schools recorded AP at.
Every read starts from what the user may see (`visible_to`): an LA sees its own children's only."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When

from aphub.directory.models import Provision
from aphub.organisations.models import Provider, User
from aphub.placements.models import Placement, SettingCategory

from .services import has_placeholder_name

# A child is in AP on a day from the placement's start to its end, once the place is taken up: an offer not yet
# accepted (or a cancelled one) is no AP. A school's own record is accepted, active or ended by its dates.
IN_AP_STATES = (Placement.Status.ACCEPTED, Placement.Status.ACTIVE, Placement.Status.ENDED)

# The DfE's category of setting (SettingCategory): a URN, else a UKPRN, else the census's type of setting.
SETTING = Case(
    When(~Q(provision__provider__urn=""), then=Value(SettingCategory.URN.value)),
    When(~Q(provision__provider__ukprn=""), then=Value(SettingCategory.UKPRN.value)),
    When(~Q(setting_type=""), then=F("setting_type")),
    default=Value(SettingCategory.UNKNOWN.value),
    output_field=CharField(),
)


def recorded_by_schools_between(user: User, first: datetime.date, last: datetime.date) -> QuerySet[Placement]:
    """The placements schools recorded themselves (recorded_by_school) that were taken up and may run on a day from
    `first` to `last` (started by `last`, not ended before `first`), with their `setting_category`, school and
    provider. Whether a placement with no end reaches `first` is the caller's to work out (its funded period)."""
    return (
        Placement.objects.visible_to(user)
        .filter(recorded_by_school=True, status__in=IN_AP_STATES, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .annotate(setting_category=SETTING)
        .select_related("commissioning_school", "provision__provider")
        .order_by("start_date", "pk")
    )


@dataclass
class RecordedProvider:
    """A provider outside the directory that the LA's schools recorded AP at: its provision in the LA (RECORDED), how
    many placements there are at it and which schools recorded them."""

    provision: Provision
    placeholder: bool  # still called by the name AP Hub made up (or standing for providers a school did not name)
    placements: int
    schools: list[str] = field(default_factory=list)
    may_rename: bool = False  # the page sets it: permissions.can_rename_recorded_provider

    @property
    def provider(self) -> Provider:
        return self.provision.provider


def recorded_providers(user: User) -> list[RecordedProvider]:
    """The LA's recorded providers: those still called by a made-up name first (the LA's to put right), then by name."""
    provisions = list(
        Provision.objects.visible_to(user)
        .filter(status=Provision.Status.RECORDED)
        .select_related("provider", "recorded_by_school")
        .annotate(placement_count=Count("placements", filter=~Q(placements__status=Placement.Status.CANCELLED)))
    )
    schools: dict[int, set[str]] = defaultdict(set)
    recorded_by = (
        Placement.objects.visible_to(user)
        .filter(provision__in=[provision.pk for provision in provisions], commissioning_school__isnull=False)
        .values_list("provision_id", "commissioning_school__name")
        .distinct()
    )
    for provision_id, school in recorded_by:
        schools[provision_id].add(school)
    rows = []
    for provision in provisions:
        named = schools[provision.pk] or (
            {provision.recorded_by_school.name} if provision.recorded_by_school else set()
        )
        rows.append(
            RecordedProvider(
                provision=provision,
                placeholder=has_placeholder_name(provision.provider),
                placements=provision.placement_count,  # type: ignore[attr-defined]
                schools=sorted(named),
            )
        )
    rows.sort(key=lambda row: (not row.placeholder, row.provider.legal_name.casefold(), row.provision.pk))
    return rows


def recorded_provision(user: User, pk: int) -> Provision | None:
    """One of the LA's recorded provisions, with its provider; None for one the user may not see (a 404)."""
    return (
        Provision.objects.visible_to(user)
        .filter(status=Provision.Status.RECORDED, pk=pk)
        .select_related("provider")
        .first()
    )
