"""The demo LA's outturn (`make run`): a budget in four lines with the year's allocation, every figure reconciling
with its drill-down on the demo's own placements."""

from html import unescape

import pytest
from django.urls import reverse

from aphub.core.money import format_money
from aphub.organisations.models import User

from .test_outturn_reconciles import DRILL_DOWN_LINK, drill_down_sum

pytestmark = pytest.mark.django_db
OFFICER = "elmbridge.officer@example.org"


@pytest.mark.usefixtures("demo_read_only")
class TestTheDemoOutturn:
    def test_the_demo_las_outturn_is_filled_and_every_figure_reconciles(self, client):
        client.force_login(User.objects.get(email=OFFICER))
        page = client.get(reverse("finance:outturn")).content.decode()
        for name in (
            "Place funding: PRU and AP academy places",
            "Top-ups: permanently excluded pupils",
            "Top-ups: section 19 and awaiting a school place",
            "Hospital and medical education",
        ):
            assert name in page
        assert "£48,500,000.00" in page  # the High Needs Block allocation
        assert "None set" not in page  # every line has a budget for the year
        links = DRILL_DOWN_LINK.findall(page)
        assert any(shown != "£0.00" for _, shown in links)
        for href, shown in links:
            total, _ = drill_down_sum(client, href)
            assert format_money(total) == shown, unescape(href)

    def test_the_demo_las_schools_forum_report_has_something_in_every_section(self, client):
        """`make run`: Elmbridge's finance officer finds a report worth taking to Schools Forum."""
        from aphub.core.clock import today
        from aphub.finance.forum import forum_pack_for
        from aphub.funding.periods import financial_year_of

        user = User.objects.get(email="elmbridge.finance@example.org")
        client.force_login(user)
        response = client.get(reverse("finance:forum"))
        assert response.status_code == 200
        page = response.content.decode()
        pack = forum_pack_for(user, financial_year=financial_year_of(today()))
        assert len(pack.outturn.rows) >= 4 and pack.outturn.total.forecast > 0
        assert pack.places and pack.places_totals.funding_in_year > 0 and pack.places_totals.cost_of_empty_in_year > 0
        assert len(pack.by_provider) >= 3 and len(pack.by_route) >= 2
        assert pack.spend_total.total == pack.outturn.total.actuals + pack.outturn.total.commitments
        assert len(pack.by_setting) >= 3 and len(pack.by_school) >= 3 and pack.bought_total.children >= 10
        for figure in (pack.places_totals.funding_in_year, pack.spend_total.total, pack.bought_total.cost):
            assert format_money(figure) in page
        assert "No places are commissioned" not in page and "No school recorded" not in page
        # The spend includes the PRU's commissioned places, which are no placement: the sentence says so.
        assert "placements and the places it commissions in" in page

    def test_the_demo_pru_places_are_in_the_place_funding_line_and_the_academies_for_context(self, client):
        client.force_login(User.objects.get(email=OFFICER))
        page = client.get(reverse("finance:outturn")).content.decode()
        # The academies' places the DfE pays: 7/12 of this year's 185 and 5/12 of last year's, at £10,000.
        assert "the DfE pays academies and free schools £1,850,000.00 of place funding" in page
        place_line = next(href for href, _ in DRILL_DOWN_LINK.findall(page) if "figure=commitments" in href)
        drill = client.get(unescape(place_line)).content.decode()
        assert "Harbour Light Centre medical pathway" in drill and "Commissioned places" in drill
