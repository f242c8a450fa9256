"""The dashboards group by a provider's pk and name it as the provider filter does (its trading name, else its legal
name), from the filter's kept list: a provider placed with since the list was kept is named all the same."""

import datetime

from aphub.insight.dashboards import filters
from aphub.insight.dashboards.filters import provider_names
from tests.factories import PlacementFactory


def placed_with(town, provider):
    PlacementFactory(pupil=town.pupil(), provision=town.provision(provider), start_date=datetime.date(2026, 9, 7))


def test_providers_are_named_by_their_trading_name_else_their_legal_name(town):
    town.provider_p2.trading_name = "Second Chance"
    town.provider_p2.save()
    placed_with(town, town.provider_p1)
    placed_with(town, town.provider_p2)
    wanted = [town.provider_p1.pk, town.provider_p2.pk]
    assert provider_names(town.officer, wanted) == {
        town.provider_p1.pk: "Pathways One Learning Ltd",
        town.provider_p2.pk: "Second Chance",
    }


def test_a_provider_not_yet_in_the_filters_kept_list_is_named_all_the_same(town, monkeypatch):
    placed_with(town, town.provider_p1)
    placed_with(town, town.provider_p2)
    # The list as kept before the LA first placed a child with the second provider.
    kept = [(str(town.provider_p1.pk), "Pathways One Learning Ltd")]
    monkeypatch.setattr(filters, "_providers_placed_with", lambda user, la_id: kept)
    assert provider_names(town.officer, [town.provider_p2.pk]) == {town.provider_p2.pk: "Second Chance Tuition Ltd"}
