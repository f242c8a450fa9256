from contextlib import contextmanager

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A rule of the domain was broken; `message` is the sentence a user will read."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def errors(self) -> list["DomainError"]:
        """Every problem this error reports: itself, or each of a DomainErrors."""
        return [self]


class NotPermitted(DomainError, PermissionDenied):
    """The user may not do this, whatever they enter: views answer 403, the API 403 (not a form error, not a 400).

    It is also Django's PermissionDenied, so a page that refuses before it calls a service (`core.permissions.require`
    in the view) gets the 403 page from Django itself, without catching it."""


class InvalidTransition(DomainError):
    """A lifecycle move that the state machine does not allow."""


class DomainErrors(DomainError):
    """Several problems of one submission, reported together: GOV.UK forms show every error at once, so a service
    that checks several values says everything that is wrong, not only the first thing it found."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__(" ".join(error.message for error in errors), field=errors[0].field)
        self._errors = list(errors)

    @property
    def errors(self) -> list[DomainError]:
        return list(self._errors)


class Problems:
    """Collects the problems of a submission, then raises them together (one DomainError, or DomainErrors).

    problems = Problems()
    if not reasons:
        problems.add("Enter the reasons", field="reasons")
    with problems.check():
        check_dates(...)  # a DomainError raised here is collected, not raised at once
    problems.raise_any()
    """

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def add(self, message: str, *, field: str | None = None) -> None:
        self.errors.append(DomainError(message, field=field))

    @contextmanager
    def check(self):
        try:
            yield
        except DomainError as error:
            self.errors.extend(error.errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise DomainErrors(self.errors)
