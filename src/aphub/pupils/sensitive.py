"""Who may read a child's sensitive facts (DESIGN.md section 5): health, SEN, safeguarding, looked-after status.

- LA officers and admins: all of them (the LA holds the s.19 duty and the safeguarding lead).
- School staff: all of them, for the pupils on their roll (they know them already and share the duty of care).
- Provider staff: SEN status and medical needs, which they need to teach the child safely; not safeguarding status
  or looked-after status, which the commissioner shares in person through the designated safeguarding leads.
- Auditors: none; they oversee who saw what, not what was seen.
"""

from aphub.organisations.models import Role
from aphub.organisations.queries import membership_of

HEALTH_AND_SEN = frozenset({"sen_status", "medical_needs"})
SAFEGUARDING = frozenset({"looked_after", "safeguarding"})

_BY_ROLE = {
    Role.LA_ADMIN: HEALTH_AND_SEN | SAFEGUARDING,
    Role.LA_OFFICER: HEALTH_AND_SEN | SAFEGUARDING,
    Role.SCHOOL_STAFF: HEALTH_AND_SEN | SAFEGUARDING,
    Role.PROVIDER_STAFF: HEALTH_AND_SEN,
}


def sensitive_fields_for(user) -> frozenset[str]:
    membership = membership_of(user)
    if membership is None:
        return frozenset()
    return _BY_ROLE.get(membership.role, frozenset())
