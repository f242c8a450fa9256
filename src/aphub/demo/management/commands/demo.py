"""`aphub demo`: build the fictional demo LAs and print the demo sign-ins."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aphub.demo.build import DEMO_LA_NAME, DEMO_TOTP_KEY, SCALES, build_demo, demo_exists, demo_sign_ins, setting_shares


class Command(BaseCommand):
    help = "Build a fictional local authority's AP directory and demo sign-ins for each role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing but print the sign-ins when the demo already exists (make run calls this every time).",
        )
        parser.add_argument("--scale", choices=sorted(SCALES), default="normal", help="large: for benchmarks")
        parser.add_argument("--seed", type=int, default=2025, help="Random seed; the same seed builds the same demo")

    def handle(self, *args, if_empty: bool, scale: str, seed: int, **options) -> None:
        if demo_exists():
            if not if_empty:
                raise CommandError(
                    f"{DEMO_LA_NAME} already exists in this database. Use --if-empty, or start from an empty database."
                )
            self.print_sign_ins(demo_sign_ins())
            return
        started = time.monotonic()
        result = build_demo(seed=seed, scale=scale)
        source = setting_shares()[1]
        counts = ", ".join(f"{n} {what}" for what, n in result.counts.items())
        self.stdout.write(
            f"Built {DEMO_LA_NAME} ({scale}): {counts} in {time.monotonic() - started:.1f}s. "
            f"Independent provider mix from {source}."
        )
        self.print_sign_ins(result.sign_ins)

    def print_sign_ins(self, sign_ins) -> None:
        if not sign_ins:
            self.stdout.write("No demo sign-ins in this database.")
            return
        rows = [("Role", "Organisation", "E-mail", "Password")]
        rows += [(s.role, s.organisation, s.email, s.password) for s in sign_ins]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("\nDemo sign-ins")
        for index, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write(
            f"\nEvery demo account asks for a code after the password: add the key {DEMO_TOTP_KEY} to an "
            "authenticator app (time-based, 6 digits, 30 seconds) and enter the code it shows."
        )
