class DomainError(Exception):
    """A rule of the domain was broken; `message` is the sentence a user will read."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """A lifecycle move that the state machine does not allow."""
