"""Who may read a child's sensitive facts (DESIGN.md section 5): health, SEN and its primary need, ethnicity,
safeguarding, looked-after status.

- LA officers and admins: all of them (the LA holds the s.19 duty and the safeguarding lead).
- School staff: all of them, for the pupils on their roll (they know them already and share the duty of care).
- Provider staff: SEN status, primary need and medical needs, which they need to teach the child safely, and
  ethnicity, which a school passes on with the child's record; not safeguarding status or looked-after status, which
  the commissioner shares in person through the designated safeguarding leads.
- Ethnicity is special category data (UK GDPR art. 9): read only by the roles that read SEN status.
- Auditors: none; they oversee who saw what, not what was seen.
- Finance officers: none; they pay for placements and bill schools, which needs the child's name and UPN but none of
  these facts (docs/decisions/0027-finance-officer.md). Nor do they read the free text written about a child's case
  (`reads_case_notes`), which can carry any of them.
"""

from aphub.organisations.models import CASE_READERS, Role
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of

HEALTH_AND_SEN = frozenset({"sen_status", "primary_need", "medical_needs"})
ETHNICITY = frozenset({"ethnicity"})
SAFEGUARDING = frozenset({"looked_after", "safeguarding"})

_BY_ROLE = {
    Role.LA_ADMIN: HEALTH_AND_SEN | ETHNICITY | SAFEGUARDING,
    Role.LA_OFFICER: HEALTH_AND_SEN | ETHNICITY | SAFEGUARDING,
    Role.SCHOOL_STAFF: HEALTH_AND_SEN | ETHNICITY | SAFEGUARDING,
    Role.PROVIDER_STAFF: HEALTH_AND_SEN | ETHNICITY,
    # Named, though .get() would give them nothing too: the role sees none of them by decision, not by omission.
    Role.FINANCE_OFFICER: frozenset(),
}


def sensitive_fields_for(user) -> frozenset[str]:
    membership = membership_of(user)
    if membership is None:
        return frozenset()
    return _BY_ROLE.get(membership.role, frozenset())


def reads_case_notes(user) -> bool:
    """Whether the user may read what people wrote about a child's case: a referral's reason, a review's notes, an
    episode's summary, why a placement is part time, was declined or cancelled or passes the LA's limits, the
    placement's change log. Such text may name a diagnosis, a need or a risk, so a page that shows a role without it
    the placement itself leaves those parts out."""
    return acts_as(membership_of(user), CASE_READERS)
