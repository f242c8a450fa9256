from django.db import migrations


def seed_terms(apps, schema_editor):
    from aphub.directory.models import TERMS

    Term = apps.get_model("directory", "Term")
    for vocabulary, terms in TERMS.items():
        for position, (code, label) in enumerate(terms):
            Term.objects.update_or_create(
                vocabulary=str(vocabulary), code=code, defaults={"label": label, "position": position}
            )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(seed_terms, migrations.RunPython.noop)]
