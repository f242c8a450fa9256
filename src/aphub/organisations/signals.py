"""What organisations tells the access log, which sits above it (audit imports organisations, never the reverse:
docs/decisions/0022-layers.md). As Django's `user_logged_in` tells audit of a sign-in, `team_changed` tells it of a
change to an LA's team (decision 0027); audit/signals.py writes the row, in the same transaction as the change.

    team_changed.send(sender=Membership, user=admin, obj=membership, verb="change")
"""

from django.dispatch import Signal

# kwargs: user (who made the change), obj (the Membership or User changed), verb (an AccessLogEntry.Verb value).
team_changed = Signal()

# kwargs: kind (a two_factor.services.Event value), request (or None, from a management command), user (the account).
# A security event of the second factor: set up, verified, a wrong code, a lockout, a recovery code used, a reset.
second_factor_event = Signal()
