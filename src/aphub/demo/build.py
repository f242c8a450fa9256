"""A fictional local authority's AP system, calibrated on the seed reports, for `aphub demo` and the benchmarks.

Shape (seed 004, sections 10 to 12, with the names changed): about 217 AP places across three registered providers
(an AP academy of 150 places with a 20-place short-stay centre of 20-week placements, a 35-place AP academy and a
32-place medical PRU), two 8-place additionally resourced provisions in mainstream schools, an LA nurture centre and
home tuition service. Seed 003 (Oxfordshire) adds independent providers: therapeutic, vocational, online and
one-to-one tuition. How many of those independents are registered, tuition or unregistered follows the DfE
'school-arranged AP by setting' shares when ../shared/data is present, else the built-in national shares below.

Everything here is invented: the councils, schools, people, postcodes' use (the points come from the shipped demo
postcode lookup so the offline geocoder finds them), e-mail addresses (example.org) and phone numbers (Ofcom's
01632 960xxx drama range).
"""

from __future__ import annotations

import csv
import datetime
import os
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from aphub.core.clock import now
from aphub.directory.models import CostOption, Provision, Term
from aphub.directory.services import ensure_terms
from aphub.directory.snapshots import snapshot_of
from aphub.organisations.models import LocalAuthority, Membership, Provider, Role, School, User

from .applications import build_demo_applications
from .budget import build_demo_budget
from .commissioning import build_demo_arrangement
from .journeys import build_journeys
from .places import build_demo_places
from .recharges import build_recharges
from .school_arranged import build_school_arranged
from .top_up_bands import build_top_up_bands

DEMO_LA_NAME = "Elmbridge Vale Council"
DEMO_LA_CODE = "990"  # not a DfE LA number in use
DEMO_GSS_CODE = "E06000990"
SECOND_LA_NAME = "Ashcombe Moor Council"
SECOND_LA_CODE = "991"
SECOND_GSS_CODE = "E06000991"

# One shared password for every demo sign-in; it passes the password validators (checked when the demo is built).
DEMO_PASSWORD = "lantern-harbour-demo-route"

POSTCODES_CSV = Path(__file__).resolve().parent.parent / "directory" / "data" / "demo_postcodes.csv"
# The DfE file lives beside the project, never inside it (its README: read it from ../shared/data).
SETTING_SHARES_CSV = "dfe_school_arranged_ap_by_setting_2022-23.csv"
# England, 2022-23, school-arranged AP placements by setting type, rounded: used when the file is absent.
DEFAULT_SETTING_SHARES = {
    "Education setting with URN": 33000,
    "One on one tuition": 3500,
    "Other unregistered provider": 2600,
    "Registered provider with UKPRN": 1200,
    "Non-maintained further education college": 700,
    "Work based placement": 260,
}
# DfE setting type -> the kind of independent provider the demo makes.
SETTING_GROUP = {
    "Education setting with URN": "registered-school",
    "Registered provider with UKPRN": "registered-fe",
    "Non-maintained further education college": "registered-fe",
    "Work based placement": "registered-fe",
    "One on one tuition": "tuition",
    "Other unregistered provider": "unregistered",
}

SCALES = {
    # schools, providers, provisions in the demo LA (the hand-written ones count towards these).
    "normal": None,
    "large": (500, 150, 400),
}


@dataclass
class DemoSignIn:
    role: str
    organisation: str
    email: str
    password: str = DEMO_PASSWORD


@dataclass
class DemoResult:
    created: bool
    sign_ins: list[DemoSignIn]
    counts: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------------
# Inputs: postcodes and setting shares
# ---------------------------------------------------------------------------------------------------------------


def demo_postcodes() -> list[tuple[str, float, float]]:
    with POSTCODES_CSV.open(newline="", encoding="utf-8") as handle:
        return [(row["postcode"], float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(handle)]


def shared_data_dir() -> Path | None:
    candidates = [os.environ.get("APHUB_SHARED_DATA", "")]
    here = Path(__file__).resolve()
    candidates += [str(parent / "shared" / "data") for parent in here.parents]
    for candidate in candidates:
        if candidate and (Path(candidate) / SETTING_SHARES_CSV).is_file():
            return Path(candidate)
    return None


def setting_shares() -> tuple[dict[str, int], str]:
    """National school-arranged AP placements by setting type, and where they came from."""
    directory = shared_data_dir()
    if directory is None:
        return dict(DEFAULT_SETTING_SHARES), "built-in national shares"
    shares: dict[str, int] = {}
    with (directory / SETTING_SHARES_CSV).open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row.get("geographic_level") != "National" or row.get("setting_type") not in SETTING_GROUP:
                continue
            try:
                shares[row["setting_type"]] = int(row["placements"])
            except (TypeError, ValueError):  # suppressed ('x', 'c') or blank
                continue
    if not shares:
        return dict(DEFAULT_SETTING_SHARES), "built-in national shares"
    return shares, str(directory / SETTING_SHARES_CSV)


def allocate(total: int, weights: dict[str, float], minimum: int = 0) -> dict[str, int]:
    """Split `total` slots by weight (largest remainder), giving each key at least `minimum`."""
    result = dict.fromkeys(weights, minimum)
    left = total - minimum * len(weights)
    if left <= 0:
        return result
    weight_sum = sum(weights.values()) or 1
    exact = {key: left * weight / weight_sum for key, weight in weights.items()}
    for key, value in exact.items():
        result[key] += int(value)
    remaining = left - sum(int(v) for v in exact.values())
    for key in sorted(exact, key=lambda k: (exact[k] - int(exact[k]), k), reverse=True)[:remaining]:
        result[key] += 1
    return result


def group_weights(shares: dict[str, int]) -> dict[str, float]:
    groups: dict[str, float] = {}
    for setting, placements in shares.items():
        group = SETTING_GROUP.get(setting)
        if group:
            groups[group] = groups.get(group, 0) + placements
    return groups


# ---------------------------------------------------------------------------------------------------------------
# The hand-written demo LA
# ---------------------------------------------------------------------------------------------------------------

# Provider kwargs, then its provisions. `place` indexes the demo postcodes so every point is a real lookup row.
REGISTERED_PROVIDERS = [
    {
        "provider": {
            "legal_name": "Vale Inclusion Academy Trust",
            "trading_name": "Elmbridge Vale Academy",
            "urn": "990901",
            "ukprn": "10990901",
            "companies_house_number": "09900001",
            "registration_status": Provider.RegistrationStatus.REGISTERED_SCHOOL,
            "ofsted_outcome": Provider.OfstedOutcome.GOOD,
            "ofsted_date": (2023, 3, 14),
        },
        "provisions": [
            {
                "name": "Elmbridge Vale Academy: KS4 destination places",
                "summary": "Full-time places to the end of Year 11 for young people at risk of permanent exclusion",
                "terms": ["tier-3", "on-site", "vocational", "ks4", "semh", "behaviour"],
                "ages": (14, 16),
                "pattern": "full-time",
                "duration": 78,
                "places": 102,
                "costs": [("Place funding", "10000.00", "year"), ("Top-up, full-time place", "98.50", "day")],
            },
            {
                "name": "Elmbridge Vale Academy: KS3 zone",
                "summary": "Small-group teaching for Key Stage 3 pupils at risk of permanent exclusion",
                "terms": ["tier-2", "tier-3", "on-site", "ks3", "semh", "behaviour"],
                "ages": (11, 14),
                "pattern": "full-time",
                "duration": 39,
                "places": 16,
                "costs": [("Place funding", "10000.00", "year"), ("Top-up, full-time place", "104.00", "day")],
            },
            {
                "name": "Kestrel Centre",
                "summary": "Bespoke specialist teaching for KS4 pupils with complex SEND while a permanent school "
                "place is found",
                "terms": ["tier-2", "on-site", "therapeutic", "ks4", "autism", "slcn", "semh", "mld"],
                "ages": (14, 16),
                "pattern": "full-time",
                "duration": 26,
                "places": 12,
                "costs": [("Place funding", "10000.00", "year"), ("Top-up, full-time place", "142.00", "day")],
            },
            {
                "name": "Lantern Centre short-stay assessment",
                "summary": "A 20-week assessment and intervention placement for KS3 and KS4 pupils who have been "
                "permanently excluded",
                "terms": ["tier-2", "on-site", "ks3", "ks4", "semh", "behaviour", "anxiety-ebsa"],
                "ages": (11, 16),
                "pattern": "full-time",
                "duration": 20,
                "places": 20,
                "description": "A stand-alone short-stay centre in the north of the borough. Each placement lasts "
                "20 weeks, after which pupils move to a mainstream or special school or a long-term AP "
                "destination place. Up to 40 pupils can be helped over a school year.",
                "exit": "At week 16 the centre, the pupil, their family and the LA agree the next school or AP "
                "destination; the placement ends at week 20 with a supported transition.",
                "costs": [("Place funding", "10000.00", "year"), ("Top-up, 20-week placement", "9850.00", "term")],
            },
        ],
    },
    {
        "provider": {
            "legal_name": "Vale Inclusion Academy Trust (Millbrook)",
            "trading_name": "Millbrook Academy",
            "urn": "990902",
            "ukprn": "10990902",
            "registration_status": Provider.RegistrationStatus.REGISTERED_SCHOOL,
            "ofsted_outcome": Provider.OfstedOutcome.NOT_INSPECTED,
        },
        "provisions": [
            {
                "name": "Millbrook Academy",
                "summary": "Secondary AP academy places that the LA or schools can commission",
                "terms": ["tier-2", "tier-3", "on-site", "outreach", "ks3", "ks4", "semh", "mld", "behaviour"],
                "ages": (11, 16),
                "pattern": "either",
                "duration": 39,
                "places": 35,
                "costs": [
                    ("Place funding", "10000.00", "year"),
                    ("Top-up, full-time place", "96.00", "day"),
                    ("Outreach visit to a school", "180.00", "session"),
                ],
            }
        ],
    },
    {
        "provider": {
            "legal_name": "Elmbridge Vale Council (Harbour Light Centre PRU)",
            "trading_name": "Harbour Light Centre",
            "urn": "990903",
            "registration_status": Provider.RegistrationStatus.REGISTERED_SCHOOL,
            "ofsted_outcome": Provider.OfstedOutcome.GOOD,
            "ofsted_date": (2022, 11, 8),
        },
        "provisions": [
            {
                "name": "Harbour Light Centre medical pathway",
                "summary": "Short-stay pupil referral unit for secondary pupils who cannot attend school for "
                "medical reasons",
                "terms": [
                    "tier-2",
                    "hospital-medical",
                    "on-site",
                    "online",
                    "ks3",
                    "ks4",
                    "medical-mental-health",
                    "anxiety-ebsa",
                ],
                "ages": (11, 16),
                "pattern": "either",
                "duration": 26,
                "places": 32,
                "admissions": "Referral through the council's medical pathway with evidence from a consultant or "
                "CAMHS that the pupil cannot attend school because of their health.",
                "exit": "A phased return to the home school, planned with the school and health professionals, "
                "when the medical evidence supports it.",
                "costs": [("Place funding", "10000.00", "year"), ("Top-up, medical place", "112.00", "day")],
            }
        ],
    },
]

OTHER_LA_PROVIDERS = [
    {
        "provider": {
            "legal_name": "Kingsmead Learning Trust",
            "ukprn": "10990904",
            "companies_house_number": "09900004",
            "registration_status": Provider.RegistrationStatus.REGISTERED_SCHOOL,
            "ofsted_outcome": Provider.OfstedOutcome.GOOD,
            "ofsted_date": (2024, 1, 23),
        },
        "provisions": [
            {
                "name": "The Rowans resourced provision",
                "summary": "8 places at Kingsmead Academy for Key Stage 3 pupils with SEMH needs; pupils stay on "
                "their school's roll",
                "terms": ["tier-1", "tier-2", "on-site", "ks3", "semh"],
                "ages": (11, 14),
                "pattern": "part-time",
                "duration": 12,
                "places": 8,
                "admissions": "Referral by the pupil's school. Only for pupils with a mainstream school place.",
                "costs": [("Place funding", "10000.00", "year")],
            },
            {
                "name": "The Willows resourced provision",
                "summary": "8 places at Kingsmead Primary Academy for primary pupils with SEMH needs",
                "terms": ["tier-1", "tier-2", "on-site", "ks1", "ks2", "semh"],
                "ages": (5, 11),
                "pattern": "part-time",
                "duration": 12,
                "places": 8,
                "admissions": "Referral by the pupil's school. Only for pupils with a mainstream school place.",
                "costs": [("Place funding", "10000.00", "year")],
            },
        ],
    },
    {
        "provider": {
            "legal_name": "Elmbridge Vale Council Inclusion Support Service",
            "registration_status": Provider.RegistrationStatus.UNREGISTERED,
            "ofsted_outcome": Provider.OfstedOutcome.NOT_APPLICABLE,
        },
        "provisions": [
            {
                "name": "Fresh Start nurture centre",
                "summary": "Part-time nurture and therapeutic support for primary pupils with SEMH needs, in "
                "partnership with their school",
                "terms": ["tier-1", "tier-2", "on-site", "therapeutic", "ks1", "ks2", "semh", "slcn"],
                "ages": (5, 11),
                "pattern": "part-time",
                "duration": 12,
                "places": 18,
                "sessions": "Three mornings a week; the pupil's school provides the rest of the week",
                "costs": [("Part-time place", "1450.00", "term")],
            },
            {
                "name": "Home tuition for children out of school",
                "summary": "One-to-one teaching at home or in a community venue while a school place is arranged",
                "terms": ["tier-2", "one-to-one-tuition", "ks2", "ks3", "ks4", "medical-mental-health", "anxiety-ebsa"],
                "ages": (7, 16),
                "pattern": "part-time",
                "duration": 12,
                "places": 10,
                "costs": [("Tuition", "42.00", "hour")],
            },
            {
                "name": "Behaviour support outreach",
                "summary": "Outreach from the LA behaviour support team (replaced by the academies' outreach)",
                "terms": ["tier-1", "outreach", "ks2", "ks3", "behaviour"],
                "ages": (7, 14),
                "pattern": "part-time",
                "duration": 6,
                "places": 0,
                "costs": [("Visit", "150.00", "session")],
                "status": Provision.Status.ARCHIVED,
            },
        ],
    },
]

# Independent providers (seed 003's lots), by the group their DfE setting type falls in.
INDEPENDENT_POOL: dict[str, list[dict]] = {
    "registered-school": [
        {
            "provider": {
                "legal_name": "Calm Harbour Education Ltd",
                "trading_name": "Calm Harbour School",
                "urn": "990911",
                "companies_house_number": "09900011",
                "registration_status": Provider.RegistrationStatus.REGISTERED_SCHOOL,
                "ofsted_outcome": Provider.OfstedOutcome.GOOD,
                "ofsted_date": (2023, 6, 20),
            },
            "provisions": [
                {
                    "name": "Calm Harbour therapeutic day school",
                    "summary": "Therapeutic teaching in small classes with on-site psychotherapy and play therapy",
                    "terms": [
                        "tier-2",
                        "tier-3",
                        "therapeutic",
                        "on-site",
                        "ks2",
                        "ks3",
                        "ks4",
                        "semh",
                        "autism",
                        "anxiety-ebsa",
                    ],
                    "ages": (9, 16),
                    "pattern": "full-time",
                    "duration": 39,
                    "places": 14,
                    "costs": [("Full-time place", "265.00", "day")],
                    "pending": {
                        "summary": "Therapeutic teaching in classes of six, with on-site psychotherapy, "
                        "play therapy and a new sensory room",
                        "places": 16,
                    },
                },
                {
                    "name": "Calm Harbour outreach",
                    "summary": "Therapeutic mentoring in the pupil's own school to prevent a placement breaking down",
                    "terms": ["tier-1", "outreach", "therapeutic", "ks2", "ks3", "ks4", "semh", "anxiety-ebsa"],
                    "ages": (7, 16),
                    "pattern": "part-time",
                    "duration": 10,
                    "places": 12,
                    "costs": [("Outreach session", "85.00", "session")],
                },
            ],
        },
        {
            "provider": {
                "legal_name": "Kingfisher Online Academy Ltd",
                "urn": "990912",
                "companies_house_number": "09900012",
                "registration_status": Provider.RegistrationStatus.REGISTERED_SCHOOL,
                "ofsted_outcome": Provider.OfstedOutcome.REQUIRES_IMPROVEMENT,
                "ofsted_date": (2024, 5, 2),
            },
            "provisions": [
                {
                    "name": "Kingfisher live online lessons",
                    "summary": "Live online lessons in small virtual classes for pupils who cannot attend in person",
                    "terms": ["tier-2", "online", "ks3", "ks4", "anxiety-ebsa", "medical-mental-health", "autism"],
                    "ages": (11, 16),
                    "pattern": "either",
                    "duration": 26,
                    "places": 40,
                    "costs": [("Full timetable", "420.00", "week"), ("Single subject", "38.00", "hour")],
                },
            ],
        },
        {
            "provider": {
                "legal_name": "Oakridge Specialist Education Ltd",
                "trading_name": "Oakridge School",
                "urn": "990913",
                "registration_status": Provider.RegistrationStatus.REGISTERED_SCHOOL,
                "ofsted_outcome": Provider.OfstedOutcome.OUTSTANDING,
                "ofsted_date": (2021, 10, 5),
            },
            "provisions": [
                {
                    "name": "Oakridge autism pathway",
                    "summary": "Independent school places for autistic pupils with SLCN who need a low-arousal setting",
                    "terms": [
                        "tier-3",
                        "on-site",
                        "therapeutic",
                        "ks2",
                        "ks3",
                        "ks4",
                        "autism",
                        "slcn",
                        "sensory-physical",
                    ],
                    "ages": (8, 16),
                    "pattern": "full-time",
                    "duration": 52,
                    "places": 10,
                    "costs": [("Full-time place", "310.00", "day")],
                },
            ],
        },
        {
            "provider": {
                "legal_name": "Northfield Hall School Ltd",
                "urn": "990914",
                "registration_status": Provider.RegistrationStatus.REGISTERED_SCHOOL,
                "ofsted_outcome": Provider.OfstedOutcome.GOOD,
                "ofsted_date": (2022, 2, 1),
            },
            "provisions": [
                {
                    "name": "Northfield Hall Key Stage 4 programme",
                    "summary": "GCSE English, maths and science with a land-based or construction option",
                    "terms": ["tier-3", "on-site", "vocational", "ks4", "semh", "mld", "behaviour"],
                    "ages": (14, 16),
                    "pattern": "full-time",
                    "duration": 39,
                    "places": 24,
                    "costs": [("Full-time place", "185.00", "day")],
                },
            ],
        },
    ],
    "registered-fe": [
        {
            "provider": {
                "legal_name": "Northgate Skills College",
                "ukprn": "10990921",
                "registration_status": Provider.RegistrationStatus.REGISTERED_FE,
                "ofsted_outcome": Provider.OfstedOutcome.GOOD,
                "ofsted_date": (2023, 9, 12),
            },
            "provisions": [
                {
                    "name": "Northgate motor vehicle and construction tasters",
                    "summary": "Two days a week of vocational courses for Key Stage 4 pupils, with functional skills",
                    "terms": ["tier-1", "tier-2", "vocational", "ks4", "post-16", "semh", "mld"],
                    "ages": (14, 18),
                    "pattern": "part-time",
                    "duration": 33,
                    "places": 30,
                    "sessions": "Tuesdays and Thursdays, 9am to 3pm",
                    "costs": [("Day", "75.00", "day")],
                },
                {
                    "name": "Northgate Next Steps (post-16)",
                    "summary": "A first-year study programme for young people not ready for a full college course",
                    "terms": ["tier-3", "vocational", "post-16", "semh", "anxiety-ebsa", "young-parents"],
                    "ages": (16, 18),
                    "pattern": "full-time",
                    "duration": 36,
                    "places": 20,
                    "costs": [("Study programme", "2100.00", "term")],
                },
            ],
        },
    ],
    "tuition": [
        {
            "provider": {
                "legal_name": "One Step Tuition Ltd",
                "companies_house_number": "09900031",
                "registration_status": Provider.RegistrationStatus.UNREGISTERED,
            },
            "provisions": [
                {
                    "name": "One Step one-to-one tuition",
                    "summary": "Qualified teachers giving one-to-one tuition at home, in a library or online",
                    "terms": [
                        "tier-1",
                        "tier-2",
                        "one-to-one-tuition",
                        "online",
                        "ks2",
                        "ks3",
                        "ks4",
                        "anxiety-ebsa",
                        "medical-mental-health",
                        "spld",
                    ],
                    "ages": (7, 16),
                    "pattern": "part-time",
                    "duration": 12,
                    "places": 25,
                    "costs": [("Tuition", "45.00", "hour"), ("Online tuition", "38.00", "hour")],
                },
            ],
        },
        {
            "provider": {
                "legal_name": "Bridgeway Tutors CIC",
                "companies_house_number": "09900032",
                "registration_status": Provider.RegistrationStatus.UNREGISTERED,
            },
            "provisions": [
                {
                    "name": "Bridgeway reintegration tutoring",
                    "summary": "One-to-one tutoring that moves into the pupil's school as they return",
                    "terms": ["tier-1", "one-to-one-tuition", "outreach", "ks3", "ks4", "anxiety-ebsa", "semh"],
                    "ages": (11, 16),
                    "pattern": "part-time",
                    "duration": 10,
                    "places": 12,
                    "costs": [("Tuition", "40.00", "hour")],
                },
            ],
        },
    ],
    "unregistered": [
        {
            "provider": {
                "legal_name": "Greenway Farm Learning CIC",
                "companies_house_number": "09900041",
                "registration_status": Provider.RegistrationStatus.UNREGISTERED,
            },
            "provisions": [
                {
                    "name": "Greenway Farm land-based learning",
                    "summary": "Animal care, horticulture and outdoor learning on a working farm, two days a week",
                    "terms": [
                        "tier-1",
                        "tier-2",
                        "vocational",
                        "therapeutic",
                        "ks3",
                        "ks4",
                        "semh",
                        "mld",
                        "anxiety-ebsa",
                    ],
                    "ages": (11, 16),
                    "pattern": "part-time",
                    "duration": 20,
                    # Schools and the LA both buy days here (the recharge and top-up band journeys).
                    "places": 20,
                    "sessions": "Mondays and Wednesdays, 9.30am to 2.30pm",
                    "costs": [("Session", "68.00", "session")],
                },
                {
                    "name": "Greenway Farm forest school for primary pupils",
                    "summary": "Weekly forest school sessions for primary pupils at risk of exclusion",
                    "terms": ["tier-1", "therapeutic", "ks1", "ks2", "semh", "slcn"],
                    "ages": (5, 11),
                    "pattern": "part-time",
                    "duration": 12,
                    "places": 8,
                    "costs": [("Session", "55.00", "session")],
                    "status": Provision.Status.SUBMITTED,
                },
                {
                    "name": "Greenway Farm summer transition weeks",
                    "summary": "Two weeks on the farm in the summer holiday to help Year 6 pupils settle into "
                    "secondary school",
                    "terms": ["tier-1", "vocational", "ks2", "ks3", "anxiety-ebsa", "semh"],
                    "ages": (10, 12),
                    "pattern": "part-time",
                    "duration": 2,
                    "places": 16,
                    "costs": [("Two-week programme", "390.00", "term")],
                    "status": Provision.Status.DRAFT,
                },
            ],
        },
        {
            "provider": {
                "legal_name": "Phoenix Boxing and Mentoring CIC",
                "charity_number": "1990051",
                "registration_status": Provider.RegistrationStatus.UNREGISTERED,
            },
            "provisions": [
                {
                    "name": "Phoenix boxing and mentoring",
                    "summary": "Non-contact boxing, fitness and mentoring to rebuild engagement and self-control",
                    "terms": ["tier-1", "vocational", "ks3", "ks4", "behaviour", "semh"],
                    "ages": (11, 16),
                    "pattern": "part-time",
                    "duration": 12,
                    "places": 10,
                    "costs": [("Half-day session", "55.00", "session")],
                },
            ],
        },
        {
            "provider": {
                "legal_name": "Riverside Arts Collective",
                "charity_number": "1990052",
                "registration_status": Provider.RegistrationStatus.UNREGISTERED,
            },
            "provisions": [
                {
                    "name": "Riverside creative arts therapy",
                    "summary": "Art, music and drama therapy in small groups for pupils who are anxious about school",
                    "terms": ["tier-1", "therapeutic", "ks2", "ks3", "anxiety-ebsa", "semh", "autism"],
                    "ages": (8, 14),
                    "pattern": "part-time",
                    "duration": 10,
                    "places": 8,
                    "costs": [("Session", "60.00", "session")],
                    "status": Provision.Status.DRAFT,
                },
            ],
        },
    ],
}

SECOND_LA_PROVIDERS = [
    {
        "provider": {
            "legal_name": "Ashcombe Moor Pupil Referral Service",
            "urn": "991901",
            "registration_status": Provider.RegistrationStatus.REGISTERED_SCHOOL,
            "ofsted_outcome": Provider.OfstedOutcome.GOOD,
            "ofsted_date": (2023, 4, 18),
        },
        "provisions": [
            {
                "name": "Ashcombe Moor key stage 3 and 4 centre",
                "summary": "Ashcombe Moor's PRU places for excluded secondary pupils",
                "terms": ["tier-2", "tier-3", "on-site", "ks3", "ks4", "semh", "behaviour"],
                "ages": (11, 16),
                "pattern": "full-time",
                "duration": 39,
                "places": 40,
                "costs": [("Place funding", "10000.00", "year"), ("Top-up", "92.00", "day")],
            },
            {
                "name": "Ashcombe Moor hospital teaching",
                "summary": "Teaching for Ashcombe Moor pupils in hospital or at home for medical reasons",
                "terms": [
                    "tier-2",
                    "hospital-medical",
                    "one-to-one-tuition",
                    "ks2",
                    "ks3",
                    "ks4",
                    "medical-mental-health",
                ],
                "ages": (7, 16),
                "pattern": "part-time",
                "duration": 12,
                "places": 12,
                "costs": [("Tuition", "44.00", "hour")],
            },
        ],
    },
    {
        "provider": {
            "legal_name": "Moorside Outdoor Learning CIC",
            "registration_status": Provider.RegistrationStatus.UNREGISTERED,
        },
        "provisions": [
            {
                "name": "Moorside outdoor learning",
                "summary": "Outdoor education and bushcraft for pupils who struggle in a classroom",
                "terms": ["tier-1", "vocational", "therapeutic", "ks3", "ks4", "semh"],
                "ages": (11, 16),
                "pattern": "part-time",
                "duration": 12,
                "places": 10,
                "costs": [("Day", "70.00", "day")],
            },
        ],
    },
]

PLACES = [
    "Elmbridge",
    "Vale Green",
    "Kingsmead",
    "Ashby Cross",
    "Marston Heath",
    "Northgate",
    "Fernley",
    "Holloway",
    "Brackenfield",
    "Copperdale",
    "Linwood",
    "Starling Hill",
    "Whitmoor",
    "Cranford Vale",
    "Oakhurst",
    "Sedgebrook",
    "Thornbury Park",
    "Wrenfield",
    "Harebell",
    "Millbrook",
]
SECOND_PLACES = ["Ashcombe", "Moorside", "Heathfield", "Stonebridge", "Upper Ashcombe"]
PRIMARY_KINDS = [
    "Primary School",
    "Church of England Primary School",
    "Junior School",
    "Infant School",
    "Primary Academy",
    "St Mary's Catholic Primary School",
]
SECONDARY_KINDS = ["Academy", "High School", "School", "Community College", "Catholic High School"]
STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Mill Road",
    "School Lane",
    "Park Avenue",
    "Victoria Road",
    "Meadow Way",
    "Orchard Close",
    "Canal Street",
]
FIRST_NAMES = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Grace",
    "Harun",
    "Isla",
    "Jonah",
    "Kiran",
    "Lena",
    "Marcus",
    "Nadia",
    "Owen",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Vik",
    "Wes",
    "Yasmin",
]
LAST_NAMES = [
    "Ashdown",
    "Brennan",
    "Carver",
    "Dhillon",
    "Ellery",
    "Fairbairn",
    "Gallagher",
    "Hussain",
    "Ingram",
    "Jardine",
    "Kowalski",
    "Lindqvist",
    "Mensah",
    "Nowak",
    "Okafor",
    "Pemberton",
    "Quayle",
    "Rahman",
]

# Generated provisions for `--scale large`: (name stem, summary, delivery modes, needs, tiers).
GENERATED_KINDS = [
    (
        "learning centre",
        "Small-group teaching for pupils at risk of exclusion",
        ["on-site"],
        ["semh", "behaviour"],
        ["tier-2", "tier-3"],
    ),
    (
        "outreach team",
        "Support in the pupil's own school to keep their place",
        ["outreach"],
        ["semh", "anxiety-ebsa"],
        ["tier-1"],
    ),
    (
        "online school",
        "Live online lessons for pupils who cannot attend in person",
        ["online"],
        ["anxiety-ebsa", "medical-mental-health"],
        ["tier-2"],
    ),
    (
        "tuition service",
        "One-to-one tuition at home or in a community venue",
        ["one-to-one-tuition"],
        ["medical-mental-health", "spld"],
        ["tier-1", "tier-2"],
    ),
    (
        "skills academy",
        "Vocational courses with English and maths",
        ["vocational"],
        ["mld", "semh"],
        ["tier-2", "tier-3"],
    ),
    (
        "therapeutic provision",
        "Therapeutic education with on-site therapists",
        ["therapeutic", "on-site"],
        ["semh", "autism", "slcn"],
        ["tier-2", "tier-3"],
    ),
    (
        "medical teaching service",
        "Teaching for pupils who are unwell",
        ["hospital-medical"],
        ["medical-mental-health"],
        ["tier-2"],
    ),
]
KEY_STAGE_BANDS = [
    (["ks1", "ks2"], 5, 11),
    (["ks2", "ks3"], 9, 14),
    (["ks3"], 11, 14),
    (["ks3", "ks4"], 11, 16),
    (["ks4"], 14, 16),
    (["ks4", "post-16"], 14, 18),
]


def _has_field(name: str) -> bool:
    return any(f.name == name for f in Provision._meta.get_fields())


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.postcodes = demo_postcodes()
        # The first postcode district (CV7) is the second LA's; the rest are Elmbridge Vale's.
        self.second_postcodes = [p for p in self.postcodes if p[0].startswith("CV7")]
        self.main_postcodes = [p for p in self.postcodes if not p[0].startswith("CV7")] or self.postcodes
        self.phone = 0
        self.terms = dict(Term.objects.values_list("code", "id"))
        self.now = now()

    def next_phone(self) -> str:
        # Ofcom reserves 01632 960000 to 960999 for drama: never a real line.
        self.phone = self.phone % 999 + 1
        return f"01632 960{self.phone:03d}"

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def point(self, main: bool = True) -> tuple[str, float, float]:
        return self.rng.choice(self.main_postcodes if main else self.second_postcodes or self.postcodes)

    # Schools -----------------------------------------------------------------------------------------------
    def schools(
        self, la: LocalAuthority, count: int, first_urn: int, places: list[str], main: bool, offset: int = 0
    ) -> list[School]:
        schools = []
        for index in range(offset, offset + count):
            place = places[index % len(places)]
            secondary = index % 4 == 3  # about one in four schools is secondary, as in most LAs
            kinds = SECONDARY_KINDS if secondary else PRIMARY_KINDS
            name = f"{place} {kinds[(index // len(places)) % len(kinds)]}"
            if index >= len(places) * len(kinds):
                name = f"{name} ({index // (len(places) * len(kinds)) + 1})"
            schools.append(
                School(
                    urn=str(first_urn + index - offset),
                    name=name,
                    phase=School.Phase.SECONDARY if secondary else School.Phase.PRIMARY,
                    establishment_type=self.rng.choice(
                        ["Academy converter", "Community school", "Voluntary aided school", "Academy sponsor led"]
                    ),
                    local_authority=la,
                    postcode=self.point(main)[0],
                )
            )
        return School.objects.bulk_create(schools)

    # Providers and provisions ------------------------------------------------------------------------------
    def provider(self, la: LocalAuthority, spec: dict) -> Provider:
        fields = dict(spec)
        if isinstance(fields.get("ofsted_date"), tuple):
            fields["ofsted_date"] = datetime.date(*fields["ofsted_date"])
        slug = (fields.get("trading_name") or fields["legal_name"]).lower().split(" (")[0]
        slug = "".join(c if c.isalnum() else "-" for c in slug).strip("-")
        fields.setdefault("email", f"office.{slug}@example.org")
        fields.setdefault("phone", self.next_phone())
        fields.setdefault("website", f"https://{slug}.example.org/")
        return Provider.objects.create(local_authority=la, **fields)

    def provision(self, provider: Provider, la: LocalAuthority, spec: dict, main: bool = True) -> Provision:
        postcode, latitude, longitude = self.point(main)
        contact = self.person()
        slug = "".join(c if c.isalnum() else "." for c in provider.display_name.lower().split(" (")[0]).strip(".")
        age_min, age_max = spec["ages"]
        status = spec.get("status", Provision.Status.PUBLISHED)
        provision = Provision.objects.create(
            provider=provider,
            local_authority=la,
            status=status,
            name=spec["name"],
            summary=spec["summary"][:300],
            description=spec.get("description", spec["summary"] + "."),
            age_min=age_min,
            age_max=age_max,
            attendance_pattern=spec["pattern"],
            sessions_offered=spec.get(
                "sessions",
                "Monday to Friday, 9am to 3pm" if spec["pattern"] == "full-time" else "By arrangement, up to 3 days",
            ),
            typical_duration_weeks=spec.get("duration"),
            admissions_criteria=spec.get(
                "admissions",
                f"Pupils aged {age_min} to {age_max} referred by their school or the LA's AP panel, with the "
                "school's graduated response and a current support plan.",
            ),
            exit_criteria=spec.get(
                "exit",
                "The placement ends when the review agrees the pupil's targets are met and a return to school or "
                "a next step is ready, or at the planned end date.",
            ),
            places=spec["places"],
            address_line_1=f"{self.rng.randint(1, 180)} {self.rng.choice(STREETS)}",
            town=self.rng.choice(PLACES if main else SECOND_PLACES),
            postcode=postcode,
            latitude=latitude,
            longitude=longitude,
            contact_name=contact,
            contact_email=f"referrals.{slug}@example.org",
            contact_phone=self.next_phone(),
            website=provider.website,
            how_to_refer=f"E-mail the referral form to {contact}, with the pupil's support plan and latest "
            "attendance. We reply within 5 school days.",
            created_at=self.now,
            updated_at=self.now,
            published_at=self.now if status == Provision.Status.PUBLISHED else None,
        )
        provision.terms.set([self.terms[code] for code in spec["terms"] if code in self.terms])
        CostOption.objects.bulk_create(
            CostOption(provision=provision, label=label, amount=Decimal(amount), unit=unit)
            for label, amount, unit in spec["costs"]
        )
        if status == Provision.Status.SUBMITTED and _has_field("submitted_at"):
            Provision.objects.filter(pk=provision.pk).update(submitted_at=self.now)
        if spec.get("pending"):
            # A provider's edit waiting for approval: the whole proposed snapshot, as the directory services store it.
            proposal = snapshot_of(provision)
            proposal["fields"].update(spec["pending"])
            provision.pending_changes = proposal
            provision.pending_submitted_at = self.now
            provision.save(update_fields=["pending_changes", "pending_submitted_at"])
        return provision

    def organisation(self, la: LocalAuthority, entry: dict, main: bool = True) -> Provider:
        provider = self.provider(la, entry["provider"])
        for spec in entry["provisions"]:
            self.provision(provider, la, spec, main)
        return provider

    # --scale large -----------------------------------------------------------------------------------------
    def generated(self, la: LocalAuthority, providers: int, provisions: int, first_number: int) -> None:
        statuses = list(Provider.RegistrationStatus)
        weights = group_weights(setting_shares()[0])
        status_weights = [
            weights.get("registered-school", 0),
            weights.get("registered-fe", 0),
            weights.get("tuition", 0) + weights.get("unregistered", 0),
        ]
        new_providers = []
        for index in range(providers):
            number = first_number + index
            status = self.rng.choices(statuses, weights=status_weights)[0]
            place = PLACES[index % len(PLACES)]
            new_providers.append(
                Provider(
                    legal_name=f"{place} {self.rng.choice(['Learning', 'Futures', 'Pathways', 'Inclusion'])} "
                    f"{number} Ltd",
                    registration_status=status,
                    urn=f"{number}" if status == Provider.RegistrationStatus.REGISTERED_SCHOOL else "",
                    ukprn=f"10{number}" if status == Provider.RegistrationStatus.REGISTERED_FE else "",
                    email=f"office.provider{number}@example.org",
                    phone=self.next_phone(),
                    local_authority=la,
                )
            )
        new_providers = Provider.objects.bulk_create(new_providers)
        if not new_providers or provisions <= 0:
            return
        rows = []
        term_sets = []
        costs = []
        for index in range(provisions):
            provider = new_providers[index % len(new_providers)]
            stem, summary, modes, needs, tiers = GENERATED_KINDS[index % len(GENERATED_KINDS)]
            stages, age_min, age_max = self.rng.choice(KEY_STAGE_BANDS)
            extra_needs = self.rng.sample(["slcn", "autism", "mld", "anxiety-ebsa", "behaviour"], 1)
            postcode, latitude, longitude = self.point(True)
            status = Provision.Status.PUBLISHED if index % 20 else Provision.Status.DRAFT
            rows.append(
                Provision(
                    provider=provider,
                    local_authority=la,
                    status=status,
                    name=f"{provider.legal_name.rsplit(' ', 2)[0]} {stem} {index + 1}",
                    summary=summary,
                    description=summary + ".",
                    age_min=age_min,
                    age_max=age_max,
                    attendance_pattern=self.rng.choice(list(Provision.AttendancePattern)),
                    typical_duration_weeks=self.rng.choice([6, 12, 20, 26, 39]),
                    places=self.rng.randint(4, 40),
                    admissions_criteria="Referral by the pupil's school or the LA's AP panel.",
                    exit_criteria="A planned return to school or a next step agreed at review.",
                    town=self.rng.choice(PLACES),
                    postcode=postcode,
                    latitude=latitude,
                    longitude=longitude,
                    contact_email=f"referrals.provider{first_number + index % len(new_providers)}@example.org",
                    contact_phone=self.next_phone(),
                    created_at=self.now,
                    updated_at=self.now,
                    published_at=self.now if status == Provision.Status.PUBLISHED else None,
                )
            )
            term_sets.append(tiers + modes + stages + needs + extra_needs)
            costs.append(Decimal(self.rng.randint(4000, 30000)) / 100)
        rows = Provision.objects.bulk_create(rows)
        through = Provision.terms.through
        through.objects.bulk_create(
            through(provision_id=provision.pk, term_id=self.terms[code])
            for provision, codes in zip(rows, term_sets, strict=True)
            for code in dict.fromkeys(codes)
            if code in self.terms
        )
        CostOption.objects.bulk_create(
            CostOption(provision=provision, label="Place", amount=amount, unit=CostOption.Unit.PER_DAY)
            for provision, amount in zip(rows, costs, strict=True)
        )


# ---------------------------------------------------------------------------------------------------------------
# Sign-ins
# ---------------------------------------------------------------------------------------------------------------

SIGN_INS = [
    # (e-mail, full name, role, which organisation)
    ("elmbridge.admin@example.org", "Morgan Ellery", Role.LA_ADMIN, ("la", DEMO_LA_CODE)),
    ("elmbridge.officer@example.org", "Priya Dhillon", Role.LA_OFFICER, ("la", DEMO_LA_CODE)),
    ("elmbridge.auditor@example.org", "Owen Fairbairn", Role.AUDITOR, ("la", DEMO_LA_CODE)),
    ("elmbridge.finance@example.org", "Ruth Adebayo", Role.FINANCE_OFFICER, ("la", DEMO_LA_CODE)),
    ("school.kingsmead@example.org", "Grace Okafor", Role.SCHOOL_STAFF, ("school", "990003")),
    ("school.valegreen@example.org", "Tariq Rahman", Role.SCHOOL_STAFF, ("school", "990002")),
    ("provider.academy@example.org", "Lena Carver", Role.PROVIDER_STAFF, ("provider", "Vale Inclusion Academy Trust")),
    ("provider.greenway@example.org", "Jonah Brennan", Role.PROVIDER_STAFF, ("provider", "Greenway Farm Learning CIC")),
    ("ashcombe.officer@example.org", "Nadia Mensah", Role.LA_OFFICER, ("la", SECOND_LA_CODE)),
]


def demo_sign_ins() -> list[DemoSignIn]:
    """The sign-ins that exist in this database, with the organisation each one acts for."""
    result = []
    by_email = {
        m.user.email: m
        for m in Membership.objects.select_related("user", "local_authority", "school", "provider").filter(
            user__email__in=[email for email, *_ in SIGN_INS]
        )
    }
    for email, _name, role, _org in SIGN_INS:
        membership = by_email.get(email)
        if membership is not None:
            result.append(DemoSignIn(Role(role).label, str(membership.organisation), email))
    return result


def _sign_in_users() -> None:
    for email, full_name, role, (kind, key) in SIGN_INS:
        user = User(email=email, full_name=full_name)
        validate_password(DEMO_PASSWORD, user)  # a demo password that the service itself would refuse is no demo
        user.set_password(DEMO_PASSWORD)
        user.save()
        if kind == "la":
            organisation = {"local_authority": LocalAuthority.objects.get(la_code=key)}
        elif kind == "school":
            organisation = {"school": School.objects.get(urn=key)}
        else:
            organisation = {"provider": Provider.objects.get(legal_name=key)}
        Membership.objects.create(user=user, role=role, **organisation)


# ---------------------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------------------


def demo_exists() -> bool:
    return LocalAuthority.objects.filter(la_code=DEMO_LA_CODE).exists()


def independent_mix(count: int) -> dict[str, int]:
    """How many independent providers of each kind: the DfE setting shares, at least one of each kind."""
    return allocate(count, group_weights(setting_shares()[0]), minimum=1)


@transaction.atomic
def build_demo(
    *, seed: int = 2025, scale: str = "normal", sizes: tuple[int, int, int] | None = None, independents: int = 8
) -> DemoResult:
    """Build the demo LAs. `sizes` (schools, providers, provisions) overrides the scale's totals, for tests."""
    if demo_exists():
        return DemoResult(created=False, sign_ins=demo_sign_ins())
    ensure_terms()
    builder = _Builder(seed)
    main = LocalAuthority.objects.create(name=DEMO_LA_NAME, la_code=DEMO_LA_CODE, gss_code=DEMO_GSS_CODE)
    second = LocalAuthority.objects.create(name=SECOND_LA_NAME, la_code=SECOND_LA_CODE, gss_code=SECOND_GSS_CODE)

    targets = sizes or SCALES.get(scale)
    school_count = 70
    builder.schools(main, school_count, 990001, PLACES, True)
    builder.schools(second, 6, 991001, SECOND_PLACES, False)
    # The resourced provisions sit in named mainstream schools (seed 004 section 12).
    School.objects.filter(urn="990003").update(name="Kingsmead Academy", phase=School.Phase.SECONDARY)
    School.objects.filter(urn="990001").update(name="Kingsmead Primary Academy")

    for entry in REGISTERED_PROVIDERS + OTHER_LA_PROVIDERS:
        builder.organisation(main, entry)
    for group, count in independent_mix(independents).items():
        pool = INDEPENDENT_POOL.get(group, [])
        for entry in pool[:count]:
            builder.organisation(main, entry)
    for entry in SECOND_LA_PROVIDERS:
        builder.organisation(second, entry, main=False)

    if targets:
        schools, providers, provisions = targets
        builder.schools(main, max(0, schools - school_count), 990001 + school_count, PLACES, True, school_count)
        made_providers = Provider.objects.filter(local_authority=main).count()
        made_provisions = Provision.objects.filter(local_authority=main).count()
        builder.generated(main, max(0, providers - made_providers), max(0, provisions - made_provisions), 992001)

    _sign_in_users()
    journeys = build_journeys(la=main, seed=seed)
    journeys.update(build_demo_arrangement(main))
    journeys.update(build_demo_applications(main))
    journeys.update(build_demo_places(main))
    counts = {
        "schools": School.objects.filter(local_authority=main).count(),
        "providers": Provider.objects.filter(local_authority=main).count(),
        "provisions": Provision.objects.filter(local_authority=main).count(),
        **journeys,
    }
    # After the directory's counts: the providers the schools record are outside the directory.
    counts.update(build_school_arranged(la=main, seed=seed))
    # After the journeys, whose offers agreed an annual cost before the LA had bands (decision 0030).
    counts.update(build_top_up_bands(la=main, seed=seed))
    counts.update(build_recharges(la=main, seed=seed))
    # After every placement: the budget is set near what they cost in the year.
    counts.update(build_demo_budget(la=main))
    return DemoResult(created=True, sign_ins=demo_sign_ins(), counts=counts)
