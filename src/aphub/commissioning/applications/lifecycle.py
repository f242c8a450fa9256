"""The application lifecycle, in one table: every move, who makes it, and where it leads.

The provider's services (commissioning.applications.services) and the LA's (commissioning.evaluation.services)
each read their own side of this table; a (status, action) pair that is not here is an InvalidTransition for everyone.
"""

from aphub.commissioning.models import Application

Status = Application.Status
PROVIDER, LA = "provider", "la"

# (from status, action) -> (to status, who moves it)
MOVES: dict[tuple[str, str], tuple[str, str]] = {
    # The provider writes, submits and may withdraw until an officer has recommended a decision.
    (Status.DRAFT, "submit"): (Status.SUBMITTED, PROVIDER),
    (Status.DRAFT, "withdraw"): (Status.WITHDRAWN, PROVIDER),
    (Status.SUBMITTED, "withdraw"): (Status.WITHDRAWN, PROVIDER),
    (Status.CLARIFICATION, "withdraw"): (Status.WITHDRAWN, PROVIDER),
    # Answering every clarification question hands it back to the LA and restarts the decision clock.
    (Status.CLARIFICATION, "answer"): (Status.SUBMITTED, PROVIDER),
    # Officers score, ask questions (pausing the clock), recommend, and a second officer signs off or sends back.
    (Status.SUBMITTED, "score"): (Status.SUBMITTED, LA),
    (Status.CLARIFICATION, "score"): (Status.CLARIFICATION, LA),
    (Status.SUBMITTED, "ask"): (Status.CLARIFICATION, LA),
    (Status.CLARIFICATION, "ask"): (Status.CLARIFICATION, LA),
    (Status.SUBMITTED, "recommend-admit"): (Status.RECOMMENDED, LA),
    (Status.SUBMITTED, "recommend-reject"): (Status.RECOMMENDED, LA),
    # A provider that never answers can still be turned down; recommending admission waits for the answers.
    (Status.CLARIFICATION, "recommend-reject"): (Status.RECOMMENDED, LA),
    (Status.RECOMMENDED, "sign-off-admit"): (Status.ADMITTED, LA),
    (Status.RECOMMENDED, "sign-off-reject"): (Status.REJECTED, LA),
    (Status.RECOMMENDED, "send-back"): (Status.SUBMITTED, LA),
}


def moves_of(side: str) -> dict[tuple[str, str], str]:
    """(from status, action) -> to status, for one side's moves."""
    return {key: to for key, (to, who) in MOVES.items() if who == side}
