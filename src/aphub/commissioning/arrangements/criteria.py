"""The conditions of participation and evaluation criteria, read from versioned data (data/criteria.json).

A new procurement round adds a version; an arrangement names the version it uses, so changing the file never
changes what an earlier round asked for.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "criteria.json"


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    guidance: str
    evidence: tuple[str, ...]
    expires: bool
    minimum_cover: Decimal | None = None
    applies_to: str = "all"  # "all", "registered" or "unregistered" providers


@dataclass(frozen=True)
class Declaration:
    code: str
    text: str


@dataclass(frozen=True)
class CriteriaSet:
    version: str
    criteria: tuple[Criterion, ...]
    declarations: tuple[Declaration, ...]
    by_code: dict[str, Criterion] = field(default_factory=dict, compare=False)

    def get(self, code: str) -> Criterion:
        try:
            return self.by_code[code]
        except KeyError:
            raise KeyError(f"No criterion {code!r} in criteria version {self.version}") from None


@cache
def _all_versions() -> dict[str, CriteriaSet]:
    raw = json.loads(DATA.read_text())
    sets = [raw] if "version" in raw else raw["versions"]
    versions = {}
    for entry in sets:
        criteria = tuple(
            Criterion(
                code=item["code"],
                title=item["title"],
                guidance=item["guidance"],
                evidence=tuple(item["evidence"]),
                expires=bool(item["expires"]),
                minimum_cover=Decimal(item["minimum_cover"]) if item.get("minimum_cover") else None,
                applies_to=item.get("applies_to", "all"),
            )
            for item in entry["criteria"]
        )
        declarations = tuple(Declaration(code=d["code"], text=d["text"]) for d in entry["declarations"])
        versions[entry["version"]] = CriteriaSet(
            version=entry["version"],
            criteria=criteria,
            declarations=declarations,
            by_code={criterion.code: criterion for criterion in criteria},
        )
    return versions


def criteria_set(version: str) -> CriteriaSet:
    try:
        return _all_versions()[version]
    except KeyError:
        raise KeyError(f"No criteria version {version!r}; known: {sorted(_all_versions())}") from None


def criteria_for_lot(lot) -> list[Criterion]:
    """The criteria a lot asks for, in the order the data file lists them."""
    chosen = criteria_set(lot.arrangement.criteria_version)
    wanted = set(lot.criteria)
    return [criterion for criterion in chosen.criteria if criterion.code in wanted]
