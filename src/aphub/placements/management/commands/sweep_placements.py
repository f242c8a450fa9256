"""aphub sweep-placements: for cron, each school day. Safe to run as often as you like.

A placement a school recorded as AP it arranged (placements.school_arranged) has no provider user to start or end
it: this starts each one on its entry date and ends each one after its leaving date, with its clocks, funding lines
and episode following, as when a placement starts or ends. Prints one summary line.

    # /etc/cron.d/aphub: every morning at 6, before officers start
    0 6 * * 1-5  aphub  aphub sweep-placements
"""

from django.core.management.base import BaseCommand

from aphub.placements.school_arranged.services import follow_dates


class Command(BaseCommand):
    help = "Start and end the placements schools recorded as their dates arrive. Idempotent: run it from cron."

    def handle(self, *args, **options):
        self.stdout.write(follow_dates().summary())
