class DomainError(Exception):
    """A rule of the domain was broken; `message` is the sentence a user will read."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """A lifecycle move that the state machine does not allow."""


class BrokenRules(DomainError):
    """Several rules broken by one submission: each a DomainError, so a form shows them all at once in its error
    summary (GOV.UK pattern) and the API lists each. `message` joins their sentences for any single-line reader."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__(". ".join(error.message.rstrip(".") for error in errors), field=errors[0].field)
        self.errors = errors
