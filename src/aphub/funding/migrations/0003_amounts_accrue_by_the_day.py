"""Stored funding lines take the amount of money accruing by the day along the financial year
(funding.periods.amount_between), so a line cut at any day (today, a billing term, a month) adds up to it exactly.
A line's amount moves by at most a penny."""

from django.db import migrations

from aphub.funding.periods import amount_between


def recompute(apps, schema_editor):
    FundingLine = apps.get_model("funding", "FundingLine")
    changed = []
    for line in FundingLine.objects.only("pk", "annual_rate", "period_start", "period_end", "amount").iterator():
        amount = amount_between(line.annual_rate, line.period_start, line.period_end)
        if amount != line.amount:
            line.amount = amount
            changed.append(line)
    FundingLine.objects.bulk_update(changed, ["amount"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("funding", "0002_initial")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
