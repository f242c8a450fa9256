"""The application lifecycle, in one table: every move, who makes it, and where it leads.

The provider's services (commissioning.applications.services) make the provider's moves and the LA's
(commissioning.evaluation.services) the LA's; a (status, action) pair that is not here is an InvalidTransition for
everyone.
"""

from aphub.commissioning.models import Application
from aphub.core.lifecycle import Lifecycle, Move, Words

Status = Application.Status
PROVIDER, LA = "provider", "la"
PROVIDER_SIDE, LA_SIDE = frozenset({PROVIDER}), frozenset({LA})

# How the provider's pages say a status after "because it is".
STATUS_PHRASE: dict[str, str] = {
    Status.DRAFT: "a draft",
    Status.SUBMITTED: "with the council",
    Status.CLARIFICATION: "waiting for your answers to the council's questions",
    Status.RECOMMENDED: "waiting for the council's decision",
    Status.ADMITTED: "decided: admitted",
    Status.REJECTED: "decided: not admitted",
    Status.WITHDRAWN: "withdrawn",
}
PROVIDER_WORDS = Words("application", states=STATUS_PHRASE, actions={"answer": "send answers on"})
# How the officers' pages say a move after "cannot be".
LA_WORDS = {
    "score": "scored",
    "ask": "sent back to the provider with questions",
    "recommend-admit": "recommended for admission",
    "recommend-reject": "recommended for rejection",
    "sign-off-admit": "signed off",
    "sign-off-reject": "signed off",
    "send-back": "sent back",
}


def _cannot(state: str, action: str) -> str:
    """The provider reads "You cannot submit this application because it is with the council."; an officer reads
    "An application that is submitted cannot be scored"."""
    if action not in LA_WORDS:
        return PROVIDER_WORDS.invalid(state, action)
    return f"An application that is {Status(state).label.lower()} cannot be {LA_WORDS[action]}"


def _refused(state: str, action: str) -> str:
    if action not in LA_WORDS:
        return "You can only change your own organisation's applications."
    return "Only LA officers and admins can evaluate applications"


APPLICATION: Lifecycle[str, str] = Lifecycle(
    "application",
    {
        # The provider writes, submits and may withdraw until an officer has recommended a decision.
        (Status.DRAFT, "submit"): Move(Status.SUBMITTED, PROVIDER_SIDE),
        (Status.DRAFT, "withdraw"): Move(Status.WITHDRAWN, PROVIDER_SIDE),
        (Status.SUBMITTED, "withdraw"): Move(Status.WITHDRAWN, PROVIDER_SIDE),
        (Status.CLARIFICATION, "withdraw"): Move(Status.WITHDRAWN, PROVIDER_SIDE),
        # Answering every clarification question hands it back to the LA and restarts the decision clock.
        (Status.CLARIFICATION, "answer"): Move(Status.SUBMITTED, PROVIDER_SIDE),
        # Officers score, ask questions (pausing the clock), recommend, and a second officer signs off or sends back.
        # "score" records met or not met and changes nothing else; "ask" scores at least one criterion "clarification
        # needed" and sends the questions to the provider.
        (Status.SUBMITTED, "score"): Move(Status.SUBMITTED, LA_SIDE),
        (Status.CLARIFICATION, "score"): Move(Status.CLARIFICATION, LA_SIDE),
        (Status.SUBMITTED, "ask"): Move(Status.CLARIFICATION, LA_SIDE),
        (Status.CLARIFICATION, "ask"): Move(Status.CLARIFICATION, LA_SIDE),
        (Status.SUBMITTED, "recommend-admit"): Move(Status.RECOMMENDED, LA_SIDE),
        (Status.SUBMITTED, "recommend-reject"): Move(Status.RECOMMENDED, LA_SIDE),
        # A provider that never answers can still be turned down; recommending admission waits for the answers.
        (Status.CLARIFICATION, "recommend-reject"): Move(Status.RECOMMENDED, LA_SIDE),
        (Status.RECOMMENDED, "sign-off-admit"): Move(Status.ADMITTED, LA_SIDE),
        (Status.RECOMMENDED, "sign-off-reject"): Move(Status.REJECTED, LA_SIDE),
        (Status.RECOMMENDED, "send-back"): Move(Status.SUBMITTED, LA_SIDE),
    },
    choices=Status,
    invalid=_cannot,
    refused=_refused,
)
