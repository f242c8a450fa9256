"""aphub sweep-duties: for cron, once or a few times a day. Safe to run as often as you like.

It works out every running statutory clock's state for today (open, due soon, breached) in every LA, then sends
one reminder per clock and kind (due soon, breached) through the task queue: a second run sends nothing new.
Prints one summary line: clocks checked, states changed, reminders sent.

    # /etc/cron.d/aphub: every morning at 6, before officers start
    0 6 * * 1-5  aphub  aphub sweep-duties
"""

from django.core.management.base import BaseCommand

from aphub.duties.services import sweep


class Command(BaseCommand):
    help = (
        "Refresh the state of every running statutory clock (open, due soon, breached) and send each reminder "
        "once. Idempotent: run it from cron as often as you like."
    )

    def handle(self, *args, **options):
        result = sweep()
        self.stdout.write(result.summary())
