"""`aphub retention-sweep [--la CODE]`: what is past each LA's retention schedule today, by kind of record.

Run nightly (cron or the platform's scheduler): it lists and counts, and erases nothing. Erasure waits for an LA
admin's approval on the retention page (/audit/retention/), which shows the same counts.
"""

from django.core.management.base import BaseCommand, CommandError

from aphub.data_protection import retention
from aphub.organisations.models import LocalAuthority


class Command(BaseCommand):
    help = "Count what is past each LA's retention schedule today (nothing is erased)"

    def add_arguments(self, parser):
        parser.add_argument("--la", metavar="CODE", help="only this LA (its three-digit DfE number, like 334)")

    def handle(self, *args, **options):
        authorities = LocalAuthority.objects.order_by("la_code")
        if options["la"]:
            code = options["la"].strip()
            authorities = authorities.filter(la_code=code)
            if not authorities.exists():
                raise CommandError(f"No local authority has the LA code {code!r}")
        total = 0
        for authority in authorities:
            for line in retention.schedule_for(authority.pk):
                due = retention.due(authority.pk, line.record.key).count()
                total += due
                self.stdout.write(
                    f"{authority.la_code} {authority.name}: {line.record.counted(due)} past "
                    f"{line.years} years after {line.record.basis}"
                )
        self.stdout.write(f"retention sweep: {total} records due for erasure, awaiting an LA admin's approval")
