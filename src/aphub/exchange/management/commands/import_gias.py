"""`aphub import-gias FILE`: load schools and registered AP from a DfE GIAS establishments CSV file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aphub.core.errors import DomainError
from aphub.exchange.services import ImportRejected, import_gias_establishments


class Command(BaseCommand):
    help = (
        "Create or update schools, and providers for pupil referral units and AP academies and free schools, "
        "from a 'Get Information About Schools' establishments CSV file (Windows-1252 or UTF-8). A file with any "
        "bad row imports nothing; running the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the GIAS establishments CSV file, e.g. edubasealldata20261123.csv")
        parser.add_argument(
            "--la",
            action="append",
            default=[],
            metavar="CODE",
            help=(
                "import only this LA's establishments (3-digit LA code); repeat for several. The national file "
                "also lists establishments of no English LA (e.g. LA 000), so choose the LAs you serve"
            ),
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, but save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = import_gias_establishments(
                path=options["file"], la_codes=options["la"], dry_run=options["dry_run"]
            )
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(rejected.message) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        lines = [
            f"Schools: {result.schools}",
            f"Providers (registered AP): {result.providers}",
        ]
        if result.local_authorities_created:
            lines.append(f"Local authorities created: {result.local_authorities_created}")
        if result.rows_skipped:
            lines.append(f"Rows of other LAs skipped: {result.rows_skipped}")
        if result.dry_run:
            lines.append("Dry run: nothing was saved")
        self.stdout.write("\n".join(lines))
