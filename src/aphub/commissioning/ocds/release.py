"""Open Contracting Data Standard 1.1.5: one release per published arrangement (docs/decisions/0011).

`release_package` shapes what `arrangement_queries.published_for_ocds` reads:

- `tender`: the arrangement, its lots or parts in `tender.lots` (lots extension) and the technique the type uses
  (techniques extension): a DPS `hasDynamicPurchasingSystem`, an open framework `hasFrameworkAgreement`. A dynamic
  market (Procurement Act 2023) is neither; OCDS 1.1 has no code for it, so `procurementMethodDetails` says what it is;
- `awards`: one per admission (a provider on a lot), with `relatedLots` and the provider as supplier;
- `contracts`: the standard contract each admitted provider holds, pointing at its first award;
- `parties`: the owner LA as buyer and procuring entity, partner LAs as buyers, each admitted provider as supplier
  with its UKPRN ("GB-UKPRN"), else Companies House number ("GB-COH"), else charity number ("GB-CHC").

Never pupil data: nothing here reads placements, and the rows read carry no child.
"""

import datetime
import hashlib
import json
from typing import Any

from aphub.commissioning.arrangements.criteria import criteria_for_lot
from aphub.commissioning.models import Admission, ArrangementKind, CommercialArrangement, Contract, Lot

OCDS_VERSION = "1.1"
LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json"
)
TECHNIQUES_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/master/extension.json"
)
PAGINATION_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_pagination_extension/master/extension.json"
)
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

# Every kind admits any provider that meets the conditions; the council then buys each placement from admitted
# providers only, which is OCDS's "selective" (only qualified suppliers are invited).
METHOD_DETAILS = {
    ArrangementKind.DYNAMIC_MARKET: (
        "Dynamic market under the Procurement Act 2023, divided into parts. Any supplier that meets the conditions "
        "of participation is admitted while it is open, with no limit on numbers; the council buys each placement "
        "from admitted suppliers. OCDS 1.1 has no technique for a dynamic market, so none is flagged."
    ),
    ArrangementKind.DPS: (
        "Dynamic purchasing system under the Public Contracts Regulations 2015, divided into lots. Any supplier "
        "that meets the selection criteria is admitted while it is open; the council buys each placement from "
        "admitted suppliers under a standard contract and individual placement agreement."
    ),
    ArrangementKind.OPEN_FRAMEWORK: (
        "Open framework, divided into lots, reopened to new suppliers at set points; the council buys each "
        "placement from suppliers on the framework."
    ),
    ArrangementKind.APPROVED_LIST: (
        "The council's approved list of providers, divided into lots. Providers that meet the criteria are "
        "approved while it is open; the council buys each placement from approved providers."
    ),
}


def _datetime(value: datetime.datetime | datetime.date | None) -> str | None:
    """RFC 3339 in UTC, as OCDS asks; a date is taken as the start of that day in UTC."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time.min, tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _period(starts_on: datetime.date | None, ends_on: datetime.date | None) -> dict[str, str]:
    period = {"startDate": _datetime(starts_on)}
    if ends_on is not None:
        # The end date is the last day the arrangement runs: the period ends at the end of it.
        period["endDate"] = _datetime(datetime.datetime.combine(ends_on, datetime.time.max, tzinfo=datetime.UTC))
    return {key: value for key, value in period.items() if value}


def _la_id(local_authority) -> str:
    return f"la-{local_authority.la_code}"


def _provider_id(provider) -> str:
    return f"provider-{provider.pk}"


def _provider_identifiers(provider) -> list[dict[str, str]]:
    """The provider's identifiers, the first being the main one: UKPRN, Companies House, charity number."""
    found = []
    for scheme, value in (
        ("GB-UKPRN", provider.ukprn),
        ("GB-COH", provider.companies_house_number),
        ("GB-CHC", provider.charity_number),
    ):
        if value:
            found.append({"scheme": scheme, "id": value, "legalName": provider.legal_name})
    return found


def _buyer_party(local_authority, roles: list[str]) -> dict[str, Any]:
    return {"id": _la_id(local_authority), "name": local_authority.name, "roles": roles}


def _supplier_party(provider) -> dict[str, Any]:
    party: dict[str, Any] = {"id": _provider_id(provider), "name": provider.legal_name, "roles": ["supplier"]}
    identifiers = _provider_identifiers(provider)
    if identifiers:
        party["identifier"] = identifiers[0]
    if len(identifiers) > 1:
        party["additionalIdentifiers"] = identifiers[1:]
    if provider.website:
        party["contactPoint"] = {"url": provider.website}
    return party


def _lot_id(lot: Lot) -> str:
    return str(lot.number)


def _tender_status(arrangement: CommercialArrangement) -> str:
    # tenderStatus: "active" while suppliers may apply; "complete" once it takes no more.
    return "active" if arrangement.status == CommercialArrangement.Status.OPEN else "complete"


def _techniques(kind: str) -> dict[str, bool]:
    return {
        "hasFrameworkAgreement": kind == ArrangementKind.OPEN_FRAMEWORK,
        "hasDynamicPurchasingSystem": kind == ArrangementKind.DPS,
    }


def _lot(lot: Lot, status: str) -> dict[str, Any]:
    criteria = criteria_for_lot(lot)
    description = lot.description.strip()
    asks = "Conditions of participation: " + "; ".join(c.title for c in criteria) + "."
    if lot.for_unregistered:
        asks += " Open to unregistered providers."
    return {
        "id": _lot_id(lot),
        "title": f"{lot.arrangement.lot_word.capitalize()} {lot.number}: {lot.title}",
        "description": f"{description}\n\n{asks}" if description else asks,
        "status": status,
    }


def _award_status(admission: Admission) -> str:
    # A suspended provider keeps its award (no new placements until the suspension is lifted); removal cancels it.
    return "cancelled" if admission.status == Admission.Status.REMOVED else "active"


def _award(admission: Admission, lot: Lot) -> dict[str, Any]:
    award = {
        "id": f"admission-{admission.pk}",
        "title": f"{admission.provider.legal_name} admitted to {lot.arrangement.lot_word} {lot.number}",
        "status": _award_status(admission),
        "date": _datetime(admission.admitted_on),
        "suppliers": [{"id": _provider_id(admission.provider), "name": admission.provider.legal_name}],
        "relatedLots": [_lot_id(lot)],
    }
    if admission.status == Admission.Status.SUSPENDED:
        award["description"] = "Suspended: no new placements under this award until the council lifts it."
    return award


def _contract_status(contract: Contract, admissions: list[Admission], today: datetime.date) -> str:
    if admissions and all(a.status == Admission.Status.REMOVED for a in admissions):
        return "terminated"
    if contract.ends_on is not None and contract.ends_on < today:
        return "terminated"
    return "active" if contract.signed_on else "pending"


def _contract(contract: Contract, award_id: str, admissions: list[Admission], today: datetime.date) -> dict[str, Any]:
    shaped: dict[str, Any] = {
        "id": contract.reference,
        "awardID": award_id,
        "title": f"Standard contract with {contract.provider.legal_name}",
        "status": _contract_status(contract, admissions, today),
        "period": _period(contract.starts_on, contract.ends_on),
    }
    if contract.signed_on:
        shaped["dateSigned"] = _datetime(contract.signed_on)
    return shaped


def _last_change(arrangement: CommercialArrangement, admissions: list[Admission], contracts: list[Contract]):
    moments = [arrangement.published_at]
    for admission in admissions:
        moments.append(_as_moment(admission.status_changed_at or admission.admitted_on))
    for contract in contracts:
        moments.append(_as_moment(contract.signed_on or contract.starts_on))
    return max(moment for moment in moments if moment is not None)


def _as_moment(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(value, datetime.time.min, tzinfo=datetime.UTC)


def ocid(arrangement: CommercialArrangement, prefix: str) -> str:
    return f"{prefix}-{arrangement.reference}"


def release(arrangement: CommercialArrangement, *, prefix: str, today: datetime.date) -> dict[str, Any]:
    """One release of a published arrangement: its tender, awards, contracts and parties as they stand."""
    lots = list(arrangement.lots.all())
    for lot in lots:
        lot.arrangement = arrangement  # criteria_for_lot reads the arrangement's criteria version
    lot_status = _tender_status(arrangement)
    admissions = [(admission, lot) for lot in lots for admission in lot.admissions.all()]
    contracts = list(arrangement.contracts.all())
    partners = sorted(arrangement.partners.all(), key=lambda la: la.name)

    parties = [_buyer_party(arrangement.owner, ["buyer", "procuringEntity"])]
    parties += [_buyer_party(partner, ["buyer"]) for partner in partners]
    suppliers: dict[int, Any] = {}
    for admission, _lot_row in admissions:
        suppliers.setdefault(admission.provider_id, admission.provider)
    parties += [_supplier_party(provider) for provider in sorted(suppliers.values(), key=lambda p: p.pk)]

    awards = [_award(admission, lot) for admission, lot in admissions]
    first_award: dict[int, str] = {}
    by_provider: dict[int, list[Admission]] = {}
    for admission, _lot_row in sorted(admissions, key=lambda pair: (pair[1].number, pair[0].pk)):
        first_award.setdefault(admission.provider_id, f"admission-{admission.pk}")
        by_provider.setdefault(admission.provider_id, []).append(admission)
    # OCDS 1.1 gives a contract one awardID: a provider's contract covers every lot it is admitted to, so it points
    # at the award of its first lot. A contract with no admission behind it has no award to name and is left out.
    shaped_contracts = [
        _contract(contract, first_award[contract.provider_id], by_provider[contract.provider_id], today)
        for contract in contracts
        if contract.provider_id in first_award
    ]

    buyer = {"id": _la_id(arrangement.owner), "name": arrangement.owner.name}
    tender: dict[str, Any] = {
        "id": arrangement.reference,
        "title": arrangement.title,
        "status": lot_status,
        "procuringEntity": buyer,
        "procurementMethod": "selective",
        "procurementMethodDetails": METHOD_DETAILS[ArrangementKind(arrangement.kind)],
        "mainProcurementCategory": "services",
        "tenderPeriod": _period(arrangement.starts_on, arrangement.ends_on),
        "contractPeriod": _period(arrangement.starts_on, arrangement.ends_on),
        "techniques": _techniques(arrangement.kind),
        "lots": [_lot(lot, lot_status) for lot in lots],
    }
    if arrangement.description:
        tender["description"] = arrangement.description

    tags = ["tender"] + (["award"] if awards else []) + (["contract"] if shaped_contracts else [])
    body = {
        "ocid": ocid(arrangement, prefix),
        "date": _datetime(_last_change(arrangement, [a for a, _ in admissions], contracts)),
        "tag": tags,
        "initiationType": "tender",
        "language": "en",
        "buyer": buyer,
        "parties": parties,
        "tender": tender,
        "awards": awards,
        "contracts": shaped_contracts,
    }
    # The release id changes whenever anything in the release changes, so a consumer can tell a new release from
    # one it already holds (OCDS: a release id is unique within its ocid).
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]
    return {"ocid": body["ocid"], "id": f"{body['ocid']}-{digest}", **{k: v for k, v in body.items() if k != "ocid"}}


def release_package(
    arrangements: list[CommercialArrangement],
    *,
    uri: str,
    prefix: str,
    publisher: str,
    today: datetime.date,
    fallback_date: datetime.datetime,
    links: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A release package of the given arrangements' releases, dated by the latest of them."""
    releases = [release(arrangement, prefix=prefix, today=today) for arrangement in arrangements]
    extensions = [LOTS_EXTENSION, TECHNIQUES_EXTENSION]
    package: dict[str, Any] = {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": extensions,
        "publishedDate": max((r["date"] for r in releases), default=_datetime(fallback_date)),
        "publisher": {"name": publisher},
        "license": OGL,
        "releases": releases,
    }
    if links:
        extensions.append(PAGINATION_EXTENSION)
        package["links"] = links
    return package
