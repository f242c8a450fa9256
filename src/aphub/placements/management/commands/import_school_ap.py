"""`aphub import-school-ap PATH --school URN --user EMAIL`: record a school's census AP file from the command line.

The importer acts as a person (docs/decisions/0026): what a school arranged is recorded by its staff, the change log
and the access log name who did it, and the scoping of pupils is theirs. So the command is run for a named member of
the school's staff (`--user`, required), never as the system: the attendance import can run as the system because
a provider's register changes no child's record, but this one records pupils, episodes and placements.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aphub.core.identifiers import validate_urn
from aphub.exchange.commands import identifier, read_file, refusals
from aphub.organisations.models import Membership, Role, School
from aphub.placements.school_arranged.census import COLUMNS
from aphub.placements.school_arranged.imports import import_file


class Command(BaseCommand):
    help = (
        "Record the AP a school arranged itself from its census AP file (CSV or XLSX) with the columns "
        f"{','.join(COLUMNS)} (and provider_name, optional), as a member of the school's staff. Every row is "
        "checked first; a file with any bad row records nothing and each problem is listed with its line. Sending "
        "the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the census AP file, CSV or XLSX")
        parser.add_argument("--school", required=True, metavar="URN", help="the school's 6-digit URN")
        parser.add_argument(
            "--user",
            required=True,
            metavar="EMAIL",
            help="the email of a member of the school's staff in AP Hub: the records name them as who recorded them",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        urn = identifier(options["school"], validate_urn)
        school = School.objects.filter(urn=urn).first()
        if school is None:
            raise CommandError(f"No school has the URN {urn}")
        email = options["user"].strip()
        membership = (
            Membership.objects.filter(
                user__email__iexact=email, user__is_active=True, school=school, role=Role.SCHOOL_STAFF
            )
            .select_related("user", "school__local_authority")
            .first()
        )
        if membership is None:
            raise CommandError(f"{email} is not a member of {school.name}'s staff in AP Hub")
        data = read_file(options["file"])
        user = membership.user
        # Acting for this school, whichever organisation they last chose on the web (as an API token acts).
        user.membership = membership  # type: ignore[attr-defined]
        with refusals(self):
            outcome = import_file(user=user, content=data)
        self.stdout.write(f"{school.name}: {outcome}")
