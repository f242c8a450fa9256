"""aphub sweep-commissioning: for cron, once a day. Safe to run as often as you like.

It reminds providers' staff and LA officers 30 days and 7 days before a provider's evidence expires (insurance, DBS
checks, training), flags expired evidence of admitted providers, and tells the LA and the provider when an
unregistered provider newly nears or reaches the registration threshold. Each reminder and alert is sent once: a
second run sends nothing new. Prints one summary line.

    # /etc/cron.d/aphub: every morning at 6.15, after sweep-duties
    15 6 * * *  aphub  aphub sweep-commissioning
"""

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aphub.quality.services import sweep


class Command(BaseCommand):
    help = (
        "Send evidence expiry reminders (30 and 7 days before, once each), flag expired evidence of admitted "
        "providers, and alert LAs and providers when an unregistered provider newly nears or reaches the "
        "registration threshold. Idempotent: run it from cron as often as you like."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", metavar="YYYY-MM-DD", help="sweep as if today were this date (for catching up)")

    def handle(self, *args, **options) -> None:
        today = None
        if options.get("today"):
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("Give --today as a date like 2026-11-23") from None
        self.stdout.write(sweep(today=today).summary())
