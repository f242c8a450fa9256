"""The criteria data file is well formed: a new procurement round can be added without code, but not wrongly."""

import json
from decimal import Decimal

import jsonschema

from aphub.commissioning.arrangements.criteria import DATA, criteria_set

SCHEMA = {
    "type": "object",
    "required": ["version", "criteria", "declarations"],
    "properties": {
        "version": {"type": "string", "pattern": r"^\d{4}-\d+$"},
        "criteria": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "title", "guidance", "evidence", "expires"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "pattern": "^[a-z0-9-]+$"},
                    "title": {"type": "string", "minLength": 3},
                    "guidance": {"type": "string", "minLength": 40},
                    "evidence": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "expires": {"type": "boolean"},
                    "minimum_cover": {"type": "string", "pattern": r"^\d+\.\d{2}$"},
                    "applies_to": {"enum": ["all", "registered", "unregistered"]},
                },
            },
        },
        "declarations": {
            "type": "array",
            "items": {"type": "object", "required": ["code", "text"]},
        },
    },
}


def test_the_criteria_file_matches_its_schema_and_codes_are_unique():
    raw = json.loads(DATA.read_text())
    jsonschema.validate(raw, SCHEMA)
    codes = [criterion["code"] for criterion in raw["criteria"]]
    assert len(codes) == len(set(codes))


def test_insurance_minimums_are_money_and_the_unregistered_standards_are_there():
    criteria = criteria_set("2025-1")
    assert criteria.get("insurance-public-liability").minimum_cover == Decimal("5000000.00")
    assert criteria.get("national-standards-unregistered-ap").applies_to == "unregistered"
