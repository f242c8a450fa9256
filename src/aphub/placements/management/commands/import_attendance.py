"""`aphub import-attendance FILE --provider UKPRN`: load a provider's attendance return (CSV) from the command line."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aphub.core.identifiers import validate_ukprn
from aphub.exchange.commands import identifier, read_file, refusals
from aphub.organisations.models import Provider
from aphub.placements.attendance.imports import import_attendance


class Command(BaseCommand):
    help = (
        "Import a provider's register marks from a CSV file with the columns upn, date (YYYY-MM-DD), session "
        "(AM or PM), code (a DfE attendance code) and note (optional). Every row is checked first; a file with any "
        "bad row imports nothing and each problem is listed with its line number. Sending the same file again "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the attendance CSV file")
        parser.add_argument("--provider", required=True, metavar="UKPRN", help="the provider's 8-digit UKPRN")

    def handle(self, *args: Any, **options: Any) -> None:
        ukprn = identifier(options["provider"], validate_ukprn)
        provider = Provider.objects.filter(ukprn=ukprn).first()
        if provider is None:
            raise CommandError(f"No provider has the UKPRN {ukprn}")
        data = read_file(options["file"])
        with refusals(self):
            result = import_attendance(user=None, provider=provider, source=data)
        self.stdout.write(f"{provider.display_name}: {result}")
        if result.alerts:
            self.stdout.write(f"Absence alerts queued: {result.alerts}")
