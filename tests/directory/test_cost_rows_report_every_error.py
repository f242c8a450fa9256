"""A cost row with a bad amount and no unit is told both at once, not the second after the first is fixed."""

from aphub.directory.forms import CostOptionForm


def test_a_cost_row_names_every_problem_at_once():
    form = CostOptionForm({"label": "Full day", "amount": "ninety", "unit": ""})
    assert not form.is_valid()
    assert form.errors["amount"] == ["Enter the cost of 'Full day' in pounds, like 95.00"]
    assert form.errors["unit"] == ["Choose what the cost is for"]


def test_a_row_without_a_description_asks_for_the_cost_without_naming_it():
    form = CostOptionForm({"label": "", "amount": "ninety", "unit": "day"})
    assert form.errors == {
        "amount": ["Enter the cost in pounds, like 95.00"],
        "label": ["Enter a description of the cost, like Full day"],
    }


def test_a_complete_or_empty_row_is_fine():
    assert CostOptionForm({"label": "Full day", "amount": "95.00", "unit": "day"}).is_valid()
    assert CostOptionForm({"label": "", "amount": "", "unit": ""}).is_valid()
