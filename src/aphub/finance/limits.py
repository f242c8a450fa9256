"""The budget's limits, each written once with its message (decision 0025): the pages, the import and the services
ask these."""

from functools import partial

from aphub.core.forms.validators import at_most, pounds

NAME_LENGTH = 120

budget_line_name = at_most(NAME_LENGTH, "The budget line's name")
budget_amount = partial(pounds, message="Enter the budget as an amount in pounds, like 250000 or 250000.00")
allocation_amount = partial(
    pounds, message="Enter the High Needs Block allocation as an amount in pounds, like 45000000 or 45000000.00"
)
