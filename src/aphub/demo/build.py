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
import os
import random
import tomllib
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
from aphub.organisations.two_factor.services import add_authenticator

from .action_plan import build_action_plan
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
# Every demo account's authenticator key (two-factor sign-in, decision 0042): printed by `aphub demo` and given in the
# README, so whoever runs `make run` can add it to an authenticator app. Fictional accounts only: a real account's
# key is made at random on its set-up page.
DEMO_TOTP_KEY = "APHUBDEMOAPHUBDEMOAPHUBDEMOAPHUB"

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

# The hand-written providers and their provisions are data, in data/providers.toml (its head says what is there).
with (Path(__file__).resolve().parent / "data" / "providers.toml").open("rb") as _file:
    _PROVIDERS = tomllib.load(_file)
REGISTERED_PROVIDERS: list[dict] = _PROVIDERS["registered"]
OTHER_LA_PROVIDERS: list[dict] = _PROVIDERS["other_la"]
INDEPENDENT_POOL: dict[str, list[dict]] = _PROVIDERS["independent"]
SECOND_LA_PROVIDERS: list[dict] = _PROVIDERS["second_la"]

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
        add_authenticator(user=user, key_base32=DEMO_TOTP_KEY)
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
    counts.update(build_action_plan(la=main))
    return DemoResult(created=True, sign_ins=demo_sign_ins(), counts=counts)
