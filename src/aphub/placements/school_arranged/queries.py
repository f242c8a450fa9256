"""Reads of the AP schools arranged themselves, for the LA's city-wide view (insight) and its Schools Forum pack
(finance): the census's category of setting of a placement, and the placements a school recorded over a period.
Every read starts from `Placement.objects.visible_to(user)`: an LA sees its own children's only."""

import datetime

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from aphub.organisations.models import User
from aphub.placements.models import Placement, SettingCategory

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
