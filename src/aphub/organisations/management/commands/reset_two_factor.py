"""`aphub reset_two_factor EMAIL`: for whoever runs AP Hub, when no LA admin can do it (the LA admin's own phone, or
a school's only user). The account sets up two-factor sign-in again at its next sign-in; the security log keeps it."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aphub.organisations.models import User
from aphub.organisations.two_factor.services import remove_second_factor


class Command(BaseCommand):
    help = "Reset an account's second factor: it sets up an authenticator app again at its next sign-in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The e-mail address the account signs in with")

    def handle(self, *args, email: str, **options) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account signs in with {email}.")
        remove_second_factor(user=user)
        self.stdout.write(f"Reset the second factor of {user.email}: they set it up again when they next sign in.")
