"""aphub sweep-committee-packs: for cron, daily. Safe to run as often as you like.

Deletes the committee packs asked for over 30 days ago, with their files (insight.pack_requests.sweep_packs): the
pack is a document of the day it was made, and a committee reads the one its officers sent. Marks failed any pack a
worker stopped in the middle of (still "being made" an hour after it started), so the page stops saying to refresh
and the pack can be asked for again. Prints one summary line.

    # /etc/cron.d/aphub: every night at 2
    0 2 * * *  aphub  aphub sweep-committee-packs
"""

from django.core.management.base import BaseCommand

from aphub.insight.pack_requests import sweep_packs


class Command(BaseCommand):
    help = "Delete committee packs asked for over 30 days ago and fail those a stopped worker left. Run it from cron."

    def handle(self, *args, **options):
        self.stdout.write(sweep_packs().summary())
