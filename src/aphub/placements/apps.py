from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "aphub.placements"
    label = "placements"

    def ready(self) -> None:
        # Pupils, the directory, funding and commissioning sit below placements (docs/decisions/0022-layers.md) and
        # never import it; what they read of placements (who sees a child, places held, the placements a finance page
        # names, the pupils on roll in commissioned places) we hand them here, as organisations hands core its
        # membership resolver.
        from aphub.commissioning.places.queries import register_periods_on_roll
        from aphub.directory.queries import register_places_held
        from aphub.funding.queries import register_visible_placements
        from aphub.pupils.models import register_placed_pupils

        from .models import (
            Placement,
            periods_on_roll,
            places_held,
            pupils_commissioned_by_school,
            pupils_placed_with_provider,
        )

        register_placed_pupils(
            commissioned_by_school=pupils_commissioned_by_school, placed_with_provider=pupils_placed_with_provider
        )
        register_places_held(places_held)
        register_periods_on_roll(periods_on_roll)
        register_visible_placements(Placement.objects.visible_to)
