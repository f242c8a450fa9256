"""A provision's editable content as plain JSON: what `pending_changes` holds and what a reviewer compares.

A snapshot is {"fields": {name: value}, "term_codes": [code, ...], "cost_options": [{label, amount, unit}, ...]}.
It holds every editable value (not only the changed ones), so approving it is a plain overwrite and the review
page can compare any row against the published version.
"""

from decimal import Decimal
from typing import Any

from .models import CostOption, Provision, Term

# What provider staff may change. Status, organisation, approval and coordinates are set by the services.
EDITABLE_FIELDS: tuple[str, ...] = (
    "name",
    "summary",
    "description",
    "age_min",
    "age_max",
    "attendance_pattern",
    "sessions_offered",
    "typical_duration_weeks",
    "admissions_criteria",
    "exit_criteria",
    "places",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "how_to_refer",
)
# Derived from the postcode by the geocoder, carried in the snapshot so approval needs no second lookup.
DERIVED_FIELDS: tuple[str, ...] = ("latitude", "longitude")

Snapshot = dict[str, Any]


def cost_option_dict(label: str, amount: Decimal | str, unit: str) -> dict[str, str]:
    # Money travels as a string with two decimal places: JSON numbers would turn pence into floats.
    return {"label": label, "amount": f"{Decimal(amount):.2f}", "unit": unit}


def snapshot_of(provision: Provision) -> Snapshot:
    """The approved (column) values of a saved provision."""
    return {
        "fields": {name: getattr(provision, name) for name in EDITABLE_FIELDS + DERIVED_FIELDS},
        "term_codes": sorted(term.code for term in provision.terms.all()),
        "cost_options": [
            cost_option_dict(option.label, option.amount, option.unit) for option in provision.cost_options.all()
        ],
    }


def current_proposal(provision: Provision) -> Snapshot:
    """What the provider last proposed: the pending changes if any, else the approved values."""
    return provision.pending_changes or snapshot_of(provision)


def describe_terms(codes: list[str], labels: dict[str, str]) -> str:
    return ", ".join(labels.get(code, code) for code in codes) or "None"


def describe_cost_options(options: list[dict[str, str]]) -> str:
    units = dict(CostOption.Unit.choices)
    return "; ".join(f"{o['label']}: £{o['amount']} {units.get(o['unit'], o['unit'])}" for o in options) or "None"


def term_labels() -> dict[str, str]:
    return dict(Term.objects.values_list("code", "label"))
