"""Writes for organisations: API tokens for machine clients."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from aphub.core.clock import now
from aphub.core.errors import DomainError
from aphub.core.forms.validators import at_most, check_limit
from aphub.core.model_fields import max_length
from aphub.core.permissions import require

from .models import ApiToken, Membership
from .permissions import can_manage_api_tokens

# Machine clients act for an organisation through the membership of the person who issued the token.
MAX_TOKEN_DAYS = 366

# The token's name, as the page and the service both check it (decision 0025).
TOKEN_NAME = at_most(max_length(ApiToken, "name"), "The token's name")


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str  # shown once, never stored


@transaction.atomic
def issue_api_token(*, membership: Membership, name: str, valid_days: int = 90) -> IssuedToken:
    """Make a bearer token for a machine client. Only its SHA-256 digest is kept; the plaintext is returned once."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter a name for the token, such as the system that will use it", field="name")
    name = check_limit(TOKEN_NAME, name, field="name")
    # A refusal, not a form error (it was a DomainError, shown as if the name were wrong).
    require(can_manage_api_tokens(membership), "Only LA admins, school staff and provider staff can make API tokens")
    if not 1 <= valid_days <= MAX_TOKEN_DAYS:
        raise DomainError(f"A token must last between 1 and {MAX_TOKEN_DAYS} days", field="valid_days")
    plaintext = ApiToken.new_token()
    token = ApiToken.objects.create(
        membership=membership,
        name=name,
        digest=ApiToken.digest_of(plaintext),
        expires_at=now() + datetime.timedelta(days=valid_days),
    )
    return IssuedToken(token=token, plaintext=plaintext)


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> ApiToken:
    """Stop a token working at once. Revoking twice keeps the first time."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = now()
        token.save(update_fields=["revoked_at"])
    return token
