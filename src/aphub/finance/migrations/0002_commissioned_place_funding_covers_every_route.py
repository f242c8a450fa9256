"""Commissioned place funding is covered once, on every route (route kind empty), not per route: a commissioned
place serves every route (docs/decisions/0029-commissioned-places.md, "In the outturn")."""

from django.db import migrations, models


def one_cover_per_la(apps, schema_editor):
    """Any covers of commissioned place funding chosen per route become one, in the first line that had one."""
    BudgetCover = apps.get_model("finance", "BudgetCover")
    kept: set[int] = set()
    for cover in BudgetCover.objects.filter(kind="commissioned-place-funding").order_by("budget_line_id", "pk"):
        if cover.local_authority_id in kept:
            cover.delete()
            continue
        kept.add(cover.local_authority_id)
        cover.route_kind = ""
        cover.save(update_fields=["route_kind"])


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="budgetcover",
            name="route_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("permanent-exclusion", "Permanent exclusion"),
                    ("suspension", "Suspension of more than 5 days"),
                    ("off-site-direction", "Off-site direction"),
                    ("health-needs", "Health needs"),
                    ("awaiting-school-place", "Awaiting a school place"),
                    ("short-term-intervention", "Short-term assessment or intervention"),
                    ("long-term-ap", "Long-term alternative provision"),
                    ("part-time-vocational", "Part-time vocational or other course"),
                    ("other-s19", "Other section 19 reason"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(one_cover_per_la, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="budgetcover",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind", "commissioned-place-funding"), ("route_kind", ""))
                | (~models.Q(("kind", "commissioned-place-funding")) & ~models.Q(("route_kind", ""))),
                name="budget_cover_commissioned_places_on_every_route",
            ),
        ),
    ]
