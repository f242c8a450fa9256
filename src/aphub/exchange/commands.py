"""What every import command does with its file and with a refusal, written once (`aphub import-attendance`,
`aphub import-school-ap`): a file that cannot be read, or an import refused, ends the command with status 1 and
says why; a refused file names each bad row with its line."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from aphub.core.errors import DomainError

from .services import ImportRejected


def identifier(value: str, validate: Callable[[str], str]) -> str:
    """A URN or UKPRN given on the command line, normalised, or the command stops with the validator's message."""
    try:
        return validate(value)
    except ValidationError as error:
        raise CommandError(error.messages[0]) from None


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}") from None


@contextmanager
def refusals(command: BaseCommand) -> Iterator[None]:
    """Run an import: each bad row of a refused file on stderr ("Line 3: ..."), then the command stops."""
    try:
        yield
    except ImportRejected as rejected:
        for problem in rejected.problems:
            command.stderr.write(f"Line {problem.row}: {problem.message}")
        raise CommandError(rejected.message) from None
    except DomainError as error:
        raise CommandError(error.message) from None
