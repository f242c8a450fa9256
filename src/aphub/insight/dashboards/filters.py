"""The dashboards' filters, the same on every dashboard: a period (an academic year or one of its terms) and what
narrows the children counted (phase, key stage, tier, route, primary need, provider, school, locality).

`DashboardFilters` is what the form gives the builders. It narrows placements (`placements`) and, for records that
hang off a child rather than a placement (referrals, clocks, exclusions), gives the conditions on the child
(`pupil_q`). Phase and key stage are worked out from the date of birth as the DfE does: a child is in national
curriculum year Y in the academic year starting on 1 September A when born between 1 September A-Y-5 and 31 August
A-Y-4 (Reception is year 0), so they filter in SQL on a range of birth dates.

Terms are the three of the school year as councils report them: autumn (September to December), spring (January to
March) and summer (April to August).
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from aphub.core.days.school_years import academic_year_label, school_year_start
from aphub.core.forms.fields import form_helper
from aphub.organisations.models import Provider, School, User
from aphub.organisations.queries import membership_of
from aphub.placements.models import Placement, Route, Tier
from aphub.pupils.models import Pupil

YEARS_SHOWN = 5
TERMS = {
    "autumn": ("Autumn term", (9, 1), (12, 31), 0),
    "spring": ("Spring term", (1, 1), (3, 31), 1),
    "summer": ("Summer term", (4, 1), (8, 31), 1),
}
PRIMARY, SECONDARY = "primary", "secondary"
PHASES = {PRIMARY: ("Primary (Reception to year 6)", 0, 6), SECONDARY: ("Secondary (years 7 to 13)", 7, 13)}
KEY_STAGES = {
    "ks1": ("Key stage 1 (years 1 and 2)", 1, 2),
    "ks2": ("Key stage 2 (years 3 to 6)", 3, 6),
    "ks3": ("Key stage 3 (years 7 to 9)", 7, 9),
    "ks4": ("Key stage 4 (years 10 and 11)", 10, 11),
    "ks5": ("Post-16 (years 12 and 13)", 12, 13),
}
NOT_RECORDED = "not-recorded"
# A postcode district: the outward code, e.g. LS12 or SW1A.
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
DISTRICT_MESSAGE = "Enter a postcode district, like LS12 or SW1A: the part before the space"
NARROWING = ("phase", "key_stage", "tier", "route", "need", "provider", "school", "locality")


def born_in_years(academic_year: int, first: int, last: int) -> tuple[datetime.date, datetime.date]:
    """The birth dates of children in national curriculum years first..last in the academic year starting in
    `academic_year` (Reception is 0)."""
    return datetime.date(academic_year - last - 5, 9, 1), datetime.date(academic_year - first - 4, 8, 31)


@dataclass(frozen=True)
class DashboardFilters:
    start: datetime.date
    end: datetime.date  # inclusive
    label: str  # "2025/26" or "Autumn term 2025/26"
    academic_year: int
    phase: str = ""
    key_stage: str = ""
    tier: str = ""
    route_id: int | None = None
    need: str = ""  # a Pupil.PrimaryNeed, or NOT_RECORDED
    provider_id: int | None = None
    school_id: int | None = None  # the child's school: the commissioning or referring school
    locality: str = ""  # a postcode district

    def pupil_q(self, prefix: str = "pupil__") -> Q:
        """The conditions on the child, for any record reached from it through `prefix` ("" on Pupil itself)."""
        q = Q()
        for chosen in (PHASES.get(self.phase), KEY_STAGES.get(self.key_stage)):
            if chosen:
                born_from, born_to = born_in_years(self.academic_year, chosen[1], chosen[2])
                q &= Q(**{f"{prefix}date_of_birth__range": (born_from, born_to)})
        if self.need == NOT_RECORDED:
            q &= Q(**{f"{prefix}primary_need": ""})
        elif self.need:
            q &= Q(**{f"{prefix}primary_need": self.need})
        if self.locality:
            # An erased record keeps only its district (data_protection.erasure), the whole of which matches.
            q &= Q(**{f"{prefix}postcode__istartswith": f"{self.locality} "}) | Q(
                **{f"{prefix}postcode__iexact": self.locality}
            )
        return q

    def placement_q(self, prefix: str = "") -> Q:
        """The conditions on a placement (reached through `prefix`), the child's included."""
        q = self.pupil_q(f"{prefix}pupil__")
        if self.tier:
            q &= Q(**{f"{prefix}tier": self.tier})
        if self.route_id is not None:
            q &= Q(**{f"{prefix}route_id": self.route_id})
        if self.provider_id is not None:
            q &= Q(**{f"{prefix}provision__provider_id": self.provider_id})
        if self.school_id is not None:
            q &= Q(**{f"{prefix}commissioning_school_id": self.school_id}) | Q(
                **{f"{prefix}referral__referring_school_id": self.school_id}
            )
        return q

    def placements(self, user: User) -> QuerySet[Placement]:
        """The user's placements matching the filters, whatever their dates: each dashboard says which dates count
        (`overlapping` for those running in the period)."""
        return Placement.objects.visible_to(user).filter(self.placement_q()).order_by()

    def overlapping(self, placements: QuerySet[Placement]) -> QuerySet[Placement]:
        """Those of `placements` that ran on at least one day of the period (started, not ended before it)."""
        return placements.filter(start_date__lte=self.end).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=self.start)
        )

    def narrowed(self) -> bool:
        chosen = (self.phase, self.key_stage, self.tier, self.route_id, self.need)
        return any(value not in ("", None) for value in (*chosen, self.provider_id, self.school_id, self.locality))


PROVIDER_CHOICES_SECONDS = 600


def _providers_placed_with(user: User, la_id: int | None) -> list[tuple[str, str]]:
    """The providers the user's LA has placed children with, by name, for the filter. Finding them joins every
    placement (about 60 ms on the large LA's 60,000, a fifth of a dashboard's time), so the list is kept for ten
    minutes per LA: a provider's first placement shows in the filter within ten minutes, and its counts at once."""

    def found() -> list[tuple[str, str]]:
        placed = Placement.objects.visible_to(user).filter(provision__provider_id=OuterRef("pk"))
        providers = Provider.objects.filter(Exists(placed)).order_by("legal_name").only("legal_name", "trading_name")
        return [(str(provider.pk), provider.display_name) for provider in providers]

    if la_id is None:
        return found()
    return cache.get_or_set(f"insight:providers-placed-with:{la_id}", found, PROVIDER_CHOICES_SECONDS)


def provider_names(user: User, pks: Iterable[int]) -> dict[int, str]:
    """The names of providers (by pk) the user's LA placed children with: those the provider filter lists (kept, see
    _providers_placed_with), any not among them yet read. A dashboard groups its rows by the provider's pk and names
    them from here: grouping by the names too joined and hashed the names of every row (half an attendance query's
    time on the large LA, make bench)."""
    membership = membership_of(user)
    names = {
        int(pk): name
        for pk, name in _providers_placed_with(user, membership.local_authority_id if membership else None)
    }
    wanted = set(pks)
    if missing := wanted - names.keys():
        names |= {provider.pk: provider.display_name for provider in Provider.objects.filter(pk__in=missing)}
    return {pk: names[pk] for pk in wanted if pk in names}


def period_choices(today: datetime.date) -> list[tuple[str, str]]:
    """This academic year and the four before it, each whole and by term, latest first."""
    this_year = school_year_start(today).year
    choices = []
    for year in range(this_year, this_year - YEARS_SHOWN, -1):
        choices.append((str(year), academic_year_label(year)))
        choices += [(f"{year}-{term}", f"{label} {academic_year_label(year)}") for term, (label, *_) in TERMS.items()]
    return choices


def period_of(value: str) -> tuple[datetime.date, datetime.date, str, int]:
    """A period's first and last days, its label and its academic year, from a choice ("2025" or "2025-spring")."""
    year_text, _, term = value.partition("-")
    year = int(year_text)
    if not term:
        return datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31), academic_year_label(year), year
    label, (first_month, first_day), (last_month, last_day), offset = TERMS[term]
    return (
        datetime.date(year + offset, first_month, first_day),
        datetime.date(year + offset, last_month, last_day),
        f"{label} {academic_year_label(year)}",
        year,
    )


class LongSelect(forms.Select):
    """A select of hundreds of options (a large LA's 500 schools and its providers) with its options written in one
    pass: Django's own builds a dictionary and includes a template for each option, a fifth of a dashboard's time on
    the large LA (make bench), and a template loop over them still a tenth. Options have no attributes but `selected`
    here, so the markup is Django's. No option groups."""

    template_name = "insight/widgets/long_select.html"

    def get_context(self, name: str, value, attrs) -> dict:
        # forms.Widget's context (name, value as a list of strings, attributes), without ChoiceWidget's optgroups.
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = context["widget"]["value"]
        options, found = [], False
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            # As Django's Select: only the first option of the chosen value is selected.
            selected = not found and text in chosen
            found = found or selected
            options.append(
                format_html('\n  <option value="{}"{}>{}</option>', text, SELECTED if selected else "", label)
            )
        context["widget"]["options"] = mark_safe("".join(options))  # noqa: S308 (each made by format_html)
        return context


SELECTED = mark_safe(" selected")


class DashboardForm(forms.Form):
    period = forms.ChoiceField(label="Period")
    phase = forms.ChoiceField(
        label="Phase", required=False, choices=[("", "Any phase"), *((k, v[0]) for k, v in PHASES.items())]
    )
    key_stage = forms.ChoiceField(
        label="Key stage", required=False, choices=[("", "Any key stage"), *((k, v[0]) for k, v in KEY_STAGES.items())]
    )
    tier = forms.ChoiceField(
        label="Tier", required=False, choices=[("", "Any tier"), *((value, f"Tier {value}") for value in Tier.values)]
    )
    route = forms.ChoiceField(label="Route", required=False)
    need = forms.ChoiceField(
        label="Primary need",
        required=False,
        choices=[("", "Any need"), *Pupil.PrimaryNeed.choices, (NOT_RECORDED, "Not recorded")],
    )
    provider = forms.ChoiceField(label="Provider", required=False, widget=LongSelect)
    school = forms.ChoiceField(label="School", required=False, widget=LongSelect)
    locality = forms.CharField(
        label="Locality (postcode district)",
        required=False,
        max_length=20,
        help_text="The first half of the child's postcode, for example LS12",
        error_messages={"max_length": DISTRICT_MESSAGE},
    )

    def __init__(self, *args, user: User, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["period"].choices = period_choices(today)
        membership = membership_of(user)
        la_id = membership.local_authority_id if membership else None
        routes = Route.objects.visible_to(user).order_by("position", "name")
        self.fields["route"].choices = [("", "Any route"), *((str(route.pk), route.name) for route in routes)]
        self.fields["provider"].choices = [("", "Any provider"), *_providers_placed_with(user, la_id)]
        schools = School.objects.filter(local_authority_id=la_id) if la_id else School.objects.none()
        # Names only: a large LA's hundreds of schools, read whole, were a tenth of a dashboard's time (make bench).
        named = schools.order_by("name").values_list("pk", "name")
        self.fields["school"].choices = [("", "Any school"), *((str(pk), name) for pk, name in named)]
        for name, what in (
            ("period", "a period"),
            ("phase", "a phase"),
            ("key_stage", "a key stage"),
            ("tier", "a tier"),
            ("route", "a route"),
            ("need", "a primary need"),
            ("provider", "a provider"),
            ("school", "a school"),
        ):
            self.fields[name].error_messages["invalid_choice"] = f"Choose {what} from the list"
        self.fields["period"].error_messages["required"] = "Choose a period"
        self.helper = form_helper(
            *(Field.select(name, label_size=Size.SMALL) for name in ("period", *NARROWING[:-1])),
            Field.text("locality", field_width=5, label_size=Size.SMALL),
        )

    def clean_locality(self) -> str:
        district = self.cleaned_data["locality"].strip().upper()
        if district and not DISTRICT.match(district):
            raise forms.ValidationError(DISTRICT_MESSAGE)
        return district

    def filters(self) -> DashboardFilters:
        """The chosen filters; this academic year unnarrowed when the form has errors (the page shows them)."""
        if not self.is_valid():
            start, end, label, year = period_of(str(school_year_start(self.today).year))
            return DashboardFilters(start=start, end=end, label=label, academic_year=year)
        data = self.cleaned_data
        start, end, label, year = period_of(data["period"])
        return DashboardFilters(
            start=start,
            end=end,
            label=label,
            academic_year=year,
            phase=data["phase"],
            key_stage=data["key_stage"],
            tier=data["tier"],
            route_id=int(data["route"]) if data["route"] else None,
            need=data["need"],
            provider_id=int(data["provider"]) if data["provider"] else None,
            school_id=int(data["school"]) if data["school"] else None,
            locality=data["locality"],
        )


class PeriodForm(forms.Form):
    """The committee pack's one question: which period (an academic year or one of its terms)."""

    period = forms.ChoiceField(label="Period", error_messages={"required": "Choose a period"})

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(today)
        self.fields["period"].error_messages["invalid_choice"] = "Choose a period from the list"
        self.helper = form_helper(Field.select("period"))


def with_default_period(query: QueryDict, today: datetime.date) -> QueryDict:
    """The query with this academic year as its period where it names none, so the form shows what the page shows."""
    data = query.copy()
    if not data.get("period"):
        data["period"] = str(school_year_start(today).year)
    return data
