"""`aphub committee-pack --la CODE --period YYYY-YY --out FILE.pdf`: the committee pack of an LA for an academic year
(or, with `--term`, one of its terms), written as a PDF; `--out FILE.xlsx` writes its tables as a workbook instead.

It reads as the LA's auditor would (insight.pack.reader_for): every record of the LA, nothing of another's, and it
changes nothing. The pack names no child and withholds small counts as the page's does.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aphub.core.files.exports import workbook_response
from aphub.insight import pack
from aphub.insight.dashboards.filters import TERMS
from aphub.organisations.models import LocalAuthority


class Command(BaseCommand):
    help = (
        "Write an LA's committee pack on alternative provision for an academic year as a PDF (or, for a file ending "
        ".xlsx, its tables as a workbook). Counts under the LA's publication threshold are withheld."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--la", required=True, metavar="CODE", help="the LA's three-digit DfE number, like 334")
        parser.add_argument("--period", required=True, metavar="YYYY-YY", help="the academic year, like 2025-26")
        parser.add_argument("--term", choices=sorted(TERMS), help="one term of the year only")
        parser.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["la"].strip()
        local_authority = LocalAuthority.objects.filter(la_code=code).first()
        if local_authority is None:
            raise CommandError(f"No local authority has the LA code {code!r}")
        try:
            period = pack.period_from_years(options["period"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["term"]:
            period = f"{period}-{options['term']}"
        out: Path = options["out"]
        if out.suffix.lower() not in (".pdf", ".xlsx"):
            raise CommandError(f"Write the pack to a .pdf or .xlsx file, not {out.name}")
        if not out.parent.is_dir():
            raise CommandError(f"There is no folder {out.parent}")
        made = pack.committee_pack_for(pack.reader_for(local_authority), period=period)
        if out.suffix.lower() == ".pdf":
            content = pack.pack_pdf(made)
        else:
            content = workbook_response(pack.pack_sheets(made), name=made.file_name).content
        out.write_bytes(content)
        self.stdout.write(f"{local_authority.name}: committee pack for {made.label} written to {out}")
