from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "aphub.placements"
    label = "placements"

    def ready(self) -> None:
        # Pupils, the directory and funding sit below placements (docs/decisions/0022-layers.md) and never import
        # it; what they read of placements (who sees a child, places held, the placements a finance page names) we
        # hand them here, as organisations hands core its membership resolver.
        from aphub.directory.queries import register_places_held
        from aphub.funding.queries import register_visible_placements
        from aphub.pupils.models import register_placed_pupils

        from .models import Placement, places_held, pupils_commissioned_by_school, pupils_placed_with_provider

        register_placed_pupils(
            commissioned_by_school=pupils_commissioned_by_school, placed_with_provider=pupils_placed_with_provider
        )
        register_places_held(places_held)
        register_visible_placements(Placement.objects.visible_to)
