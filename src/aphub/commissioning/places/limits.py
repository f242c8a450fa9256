"""The numbers typed for a provision's commissioned places, each limit written once with its message: the form's
fields run them (core.forms.validators.LimitField) and `set_commissioned_places` asks them again (decision 0025).
The rate a place is the LA policy's own limit (duties.limits.place_funding_annual)."""

from functools import partial

from aphub.core.forms.validators import whole_number
from aphub.duties.limits import place_funding_annual

# More places than this at one provision is a typing error: the largest AP academies have a few hundred.
MOST_PLACES = 2000
PLACES = f"Enter the places as a whole number from 0 to {MOST_PLACES:,}"

places = partial(whole_number, low=0, high=MOST_PLACES, message=PLACES)
rate_per_place = place_funding_annual

ACADEMIC_YEAR = "Choose an academic year from the list"
academic_year = partial(whole_number, low=2000, high=2100, message=ACADEMIC_YEAR)
