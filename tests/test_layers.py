"""The schema keeps the layers that import-linter checks for the code (pyproject.toml, docs/decisions/0022-layers.md).

import-linter reads imports, and a foreign key written as a string ("placements.Placement") is no import: these tests
read the foreign keys themselves, so a model that points up a layer is a decision written here, not an accident.
"""

import tomllib
from pathlib import Path

from django.apps import apps
from django.db import models

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"

# Clocks and funding lines point at the placements (and episodes) they concern, yet duties and funding sit below
# placements, which starts, meets and stops the clocks and plans the lines in the same transaction as the placement's
# own change. The lower apps follow these keys on an object they are handed, and never query placements' tables.
POINTS_UP = {
    "duties.Clock.episode",
    "duties.Clock.placement",
    "duties.Clock.met_by",
    "funding.FundingLine.placement",
    # The LA's decision that a school pays a placement's top-up, which funding.planning honours (decision 0031).
    "funding.SchoolPaysDecision.placement",
}


def _contracts() -> list[dict]:
    return tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]


def _layer_of() -> dict[str, int]:
    """Package ("aphub.placements") -> its layer, 0 at the top."""
    # The apps' layers: the one layers contract without `containers` (those order the sub-packages inside an app).
    (layers,) = [
        contract["layers"] for contract in _contracts() if contract["type"] == "layers" and "containers" not in contract
    ]
    return {package.strip(): depth for depth, layer in enumerate(layers) for package in layer.split("|")}


def _keys_between_apps() -> list[tuple[str, str, str]]:
    """(key, from package, to package) for every foreign key, one-to-one or many-to-many between two of our apps."""
    found = []
    for model in apps.get_models():
        source = model._meta.app_config.name
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and isinstance(field, models.Field)):
                continue
            target = field.related_model._meta.app_config.name
            if source != target and source.startswith("aphub.") and target.startswith("aphub."):
                found.append((f"{model._meta.label}.{field.name}", source, target))
    return found


def test_every_foreign_key_between_apps_points_down_a_layer_unless_listed():
    layer_of = _layer_of()
    pointing_up = {key for key, source, target in _keys_between_apps() if layer_of[target] <= layer_of[source]}
    assert pointing_up == POINTS_UP


def test_every_app_with_models_has_a_layer():
    layer_of = _layer_of()
    packages = {model._meta.app_config.name for model in apps.get_models()}
    assert {package for package in packages if package.startswith("aphub.")} <= set(layer_of)


def test_no_import_is_excused_from_a_contract():
    # Quality's pages, reads and sweep imported placements from inside commissioning, a layer below, excused by three
    # ignore_imports until they moved above it (aphub.quality). An import that breaks a contract is moved, not excused.
    assert {
        contract["name"]: contract["ignore_imports"] for contract in _contracts() if "ignore_imports" in contract
    } == {}
