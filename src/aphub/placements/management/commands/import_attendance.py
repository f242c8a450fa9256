"""`aphub import-attendance FILE --provider UKPRN`: load a provider's attendance return (CSV) from the command line."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aphub.core.errors import DomainError
from aphub.core.identifiers import validate_ukprn
from aphub.exchange.services import ImportRejected
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
        try:
            ukprn = validate_ukprn(options["provider"])
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        provider = Provider.objects.filter(ukprn=ukprn).first()
        if provider is None:
            raise CommandError(f"No provider has the UKPRN {ukprn}")
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            result = import_attendance(user=None, provider=provider, source=data)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(f"Line {problem.row}: {problem.message}")
            raise CommandError(rejected.message) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"{provider.display_name}: {result}")
        if result.alerts:
            self.stdout.write(f"Absence alerts queued: {result.alerts}")
