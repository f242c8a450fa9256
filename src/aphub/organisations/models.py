"""Local authorities, schools, providers, the people who work for them and their roles."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac

from aphub.core.clock import now
from aphub.core.scoping import ScopedQuerySet
from aphub.organisations.scoping import LocalAuthorityScopedQuerySet


# Scoping (see aphub.core.scoping): each role sees its own organisation and what hangs off it; LA roles see their LA.
class LocalAuthorityQuerySet(LocalAuthorityScopedQuerySet["LocalAuthority"]):
    local_authority_path = "pk"

    for_finance_officer = LocalAuthorityScopedQuerySet.for_la_officer

    def for_school_staff(self, membership: "Membership") -> "LocalAuthorityQuerySet":
        return self.filter(schools=membership.school_id)

    def for_provider_staff(self, membership: "Membership") -> "LocalAuthorityQuerySet":
        return self.filter(providers=membership.provider_id)


class SchoolQuerySet(LocalAuthorityScopedQuerySet["School"]):
    local_authority_path = "local_authority_id"

    # The finance officer bills the LA's schools for the placements they commission (decision 0027).
    for_finance_officer = LocalAuthorityScopedQuerySet.for_la_officer

    def for_school_staff(self, membership: "Membership") -> "SchoolQuerySet":
        return self.filter(pk=membership.school_id)

    # Provider staff see no school records here: placements will tell them which school a pupil comes from.


class ProviderQuerySet(ScopedQuerySet["Provider"]):
    def in_local_authority(self, local_authority_id: int | None) -> "ProviderQuerySet":
        """Providers the LA maintains, or that list a provision in its directory."""
        if local_authority_id is None:
            return self.none()
        return self.filter(
            Q(local_authority_id=local_authority_id) | Q(provisions__local_authority_id=local_authority_id)
        ).distinct()

    def for_la_officer(self, membership: "Membership") -> "ProviderQuerySet":
        return self.in_local_authority(membership.local_authority_id)

    # The finance officer pays providers (decision 0027).
    for_la_admin = for_auditor = for_finance_officer = for_la_officer

    def for_school_staff(self, membership: "Membership") -> "ProviderQuerySet":
        # Schools commission AP directly, so they see the providers working in their LA.
        return self.in_local_authority(membership.school.local_authority_id)

    def for_provider_staff(self, membership: "Membership") -> "ProviderQuerySet":
        return self.filter(pk=membership.provider_id)


class MembershipQuerySet(ScopedQuerySet["Membership"]):
    def for_la_admin(self, membership: "Membership") -> "MembershipQuerySet":
        la = membership.local_authority_id
        return self.filter(
            Q(local_authority_id=la) | Q(school__local_authority_id=la) | Q(provider__local_authority_id=la)
        )

    for_auditor = for_la_admin

    def for_la_officer(self, membership: "Membership") -> "MembershipQuerySet":
        return self.filter(local_authority_id=membership.local_authority_id)

    def for_school_staff(self, membership: "Membership") -> "MembershipQuerySet":
        return self.filter(school_id=membership.school_id)

    def for_provider_staff(self, membership: "Membership") -> "MembershipQuerySet":
        return self.filter(provider_id=membership.provider_id)


class LocalAuthority(models.Model):
    name = models.CharField(max_length=200)
    # DfE's three-digit LA number, e.g. 334 for Solihull.
    la_code = models.CharField(
        "LA code", max_length=3, unique=True, validators=[RegexValidator(r"^\d{3}$", "Enter 3 digits")]
    )
    # ONS GSS code, e.g. E08000029.
    gss_code = models.CharField(
        "GSS code",
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^[EWSN]\d{8}$", "Enter a GSS code like E08000029")],
    )

    objects = LocalAuthorityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    class Phase(models.TextChoices):
        # Values are GIAS 'PhaseOfEducation (name)'.
        NURSERY = "Nursery"
        PRIMARY = "Primary"
        MIDDLE_DEEMED_PRIMARY = "Middle deemed primary"
        SECONDARY = "Secondary"
        MIDDLE_DEEMED_SECONDARY = "Middle deemed secondary"
        SIXTEEN_PLUS = "16 plus"
        ALL_THROUGH = "All-through"
        NOT_APPLICABLE = "Not applicable"

    urn = models.CharField("URN", max_length=6, unique=True)
    ukprn = models.CharField("UKPRN", max_length=8, blank=True)
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=40, choices=Phase.choices, default=Phase.NOT_APPLICABLE)
    # GIAS 'TypeOfEstablishment (name)', e.g. "Academy converter", "Community school".
    establishment_type = models.CharField(max_length=100, blank=True)
    is_open = models.BooleanField(default=True)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="schools")
    postcode = models.CharField(max_length=8, blank=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"


class Provider(models.Model):
    class RegistrationStatus(models.TextChoices):
        REGISTERED_SCHOOL = "registered-school", "Registered school"
        REGISTERED_FE = "registered-fe", "Registered further education provider"
        UNREGISTERED = "unregistered", "Unregistered"

    class OfstedOutcome(models.TextChoices):
        OUTSTANDING = "outstanding", "Outstanding"
        GOOD = "good", "Good"
        REQUIRES_IMPROVEMENT = "requires-improvement", "Requires improvement"
        INADEQUATE = "inadequate", "Inadequate"
        NOT_INSPECTED = "not-inspected", "Not yet inspected"
        NOT_APPLICABLE = "not-applicable", "Not inspected by Ofsted"

    legal_name = models.CharField(max_length=200)
    trading_name = models.CharField(max_length=200, blank=True)
    ukprn = models.CharField("UKPRN", max_length=8, blank=True)
    # Only when the provider is itself a registered school (PRU, AP academy, independent school).
    urn = models.CharField("URN", max_length=6, blank=True)
    companies_house_number = models.CharField(max_length=8, blank=True)
    charity_number = models.CharField(max_length=8, blank=True)
    registration_status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    ofsted_outcome = models.CharField(
        max_length=30, choices=OfstedOutcome.choices, default=OfstedOutcome.NOT_APPLICABLE
    )
    ofsted_date = models.DateField(null=True, blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    # A school recorded AP of one census type of setting without naming who provides it (the census asks only for
    # the type): one such record per school and type stands for several unknown providers, so the registration
    # threshold cannot be counted for it (placements.oversight leaves it out and lists it for the LA to chase).
    unnamed = models.BooleanField(default=False)
    # The LA that maintains this provider's record (for registered AP, the LA it sits in).
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="providers", null=True, blank=True
    )

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(fields=["urn"], condition=~Q(urn=""), name="provider_urn_unique"),
            models.UniqueConstraint(fields=["ukprn"], condition=~Q(ukprn=""), name="provider_ukprn_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.trading_name or self.legal_name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        if not email:
            raise ValueError("A user needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)  # Django admin only; AP Hub roles come from memberships.
    date_joined = models.DateTimeField(default=now)
    # Wrong second-factor codes in a row, and the end of the lockout the fifth one starts (organisations.two_factor).
    second_factor_failures = models.PositiveSmallIntegerField(default=0)
    second_factor_locked_until = models.DateTimeField(null=True, blank=True)
    # Counts the resets of the account's second factor; part of the session's auth hash, so a reset signs the account
    # out of every session it had verified (a lost or stolen phone: whoever holds a session must prove it again).
    second_factor_resets = models.PositiveIntegerField(default=0)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    def __str__(self) -> str:
        return self.email

    def _get_session_auth_hash(self, secret=None) -> str:
        # Django's own (an HMAC of the password hash, checked on every request at no extra query, and with
        # SECRET_KEY_FALLBACKS through this same method), with the resets of the second factor added once there are
        # any: a password change or a second-factor reset ends the account's other sessions.
        value = self.password if not self.second_factor_resets else f"{self.password}:{self.second_factor_resets}"
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class Payer(models.TextChoices):
    """Who commissions and pays for a place: the LA or a school. Placements record it (Placement.commissioner) and
    duties reads it to tell the commissioner, so it lives here, below both (docs/decisions/0022-layers.md)."""

    LA = "la", "Local authority"
    SCHOOL = "school", "School"


class Role(models.TextChoices):
    LA_ADMIN = "la-admin", "LA admin"
    LA_OFFICER = "la-officer", "LA officer"
    SCHOOL_STAFF = "school-staff", "School staff"
    PROVIDER_STAFF = "provider-staff", "Provider staff"
    AUDITOR = "auditor", "Auditor"
    # LA staff who manage the High Needs Block's money (issue 13): budgets, bands, place funding and recharges, and
    # the placements behind them, but no child's health, SEN or safeguarding details (pupils/sensitive.py).
    FINANCE_OFFICER = "finance-officer", "Finance officer"


# The role sets, named once (decision 0021): views' role_required, navigation and every app's permissions.py use
# these, so "who is an LA editor" cannot be written two ways.
ALL_ROLES = frozenset(Role.values)
# Every role of an LA, the auditor included: they read the LA's records.
LA_ROLES = frozenset({Role.LA_ADMIN, Role.LA_OFFICER, Role.AUDITOR})
LA_STAFF = LA_ROLES
# LA roles that may change things: auditors only read.
LA_EDITORS = frozenset({Role.LA_ADMIN, Role.LA_OFFICER})
LA_ADMINS = frozenset({Role.LA_ADMIN})
# The LA's finance officers are LA staff but not one of LA_ROLES: they see only what is given to them by name.
FINANCE_OFFICERS = frozenset({Role.FINANCE_OFFICER})
# Who sees the LA's money (funding lines, budgets, outturn, recharges): every LA role and its finance officers.
FINANCE_READERS = LA_ROLES | FINANCE_OFFICERS
# Who sets the LA's money (budgets, top-up bands, commissioned places, recharge statements).
FINANCE_EDITORS = LA_ADMINS | FINANCE_OFFICERS
# Who sets the prices and places the LA commissions (top-up bands, commissioned places): those who set its money
# (FINANCE_EDITORS), and its officers, who commission the placements, agree the bands with providers and see the
# demand that decides how many places to buy (seed 004: the commissioner pays the top-up; section 11's places).
COMMISSIONING_MONEY_EDITORS = FINANCE_EDITORS | LA_EDITORS
# Every role that belongs to an LA (the membership names the LA): the roles an LA admin gives colleagues on the LA's
# team page (decision 0027).
LA_MEMBER_ROLES = LA_ROLES | FINANCE_OFFICERS
# Who reads a child's case: referrals and their documents, the panel's notes, reviews, the timeline and any free text
# written about the child (reasons, notes, summaries), which may carry health, SEN or safeguarding facts. Every role
# but the finance officer, who sees the money and the placements behind it (docs/decisions/0027-finance-officer.md).
CASE_READERS = ALL_ROLES - FINANCE_OFFICERS
SCHOOL_ROLES = frozenset({Role.SCHOOL_STAFF})
PROVIDER_ROLES = frozenset({Role.PROVIDER_STAFF})
# Who commissions AP for a child: the LA's officers and admins, or a school buying a placement itself.
COMMISSIONERS = LA_EDITORS | SCHOOL_ROLES
# Machine clients (API tokens) act for an LA's admins or a provider's staff; officers use the pages.
# A school's MIS sends the AP the school arranged (its census AP module) through the API (issue 12).
API_TOKEN_ROLES = frozenset({Role.LA_ADMIN, Role.SCHOOL_STAFF, Role.PROVIDER_STAFF})


class Membership(models.Model):
    """A user's role in one organisation. Exactly one of LA, school or provider is set, matching the role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships")
    created_at = models.DateTimeField(default=now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=[Role.LA_ADMIN, Role.LA_OFFICER, Role.AUDITOR, Role.FINANCE_OFFICER],
                        local_authority__isnull=False,
                        school__isnull=True,
                        provider__isnull=True,
                    )
                    | Q(
                        role=Role.SCHOOL_STAFF,
                        local_authority__isnull=True,
                        school__isnull=False,
                        provider__isnull=True,
                    )
                    | Q(
                        role=Role.PROVIDER_STAFF,
                        local_authority__isnull=True,
                        school__isnull=True,
                        provider__isnull=False,
                    )
                ),
                name="membership_organisation_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation}"

    @property
    def organisation(self) -> LocalAuthority | School | Provider:
        return self.local_authority or self.school or self.provider  # type: ignore[return-value]

    @property
    def home_local_authority(self) -> LocalAuthority | None:
        """The LA whose name heads the page: the member's LA, or the school's LA."""
        if self.local_authority_id:
            return self.local_authority
        if self.school_id:
            return self.school.local_authority
        return self.provider.local_authority if self.provider_id else None


class ApiTokenQuerySet(ScopedQuerySet["ApiToken"]):
    """An LA admin manages their LA's tokens; school staff their school's; provider staff their provider's."""

    def for_la_admin(self, membership: Membership) -> "ApiTokenQuerySet":
        return self.filter(membership__local_authority_id=membership.local_authority_id)

    def for_school_staff(self, membership: Membership) -> "ApiTokenQuerySet":
        return self.filter(membership__school_id=membership.school_id)

    def for_provider_staff(self, membership: Membership) -> "ApiTokenQuerySet":
        return self.filter(membership__provider_id=membership.provider_id)


class ApiToken(models.Model):
    """A machine client's bearer token. Only a SHA-256 digest is stored; the token is shown once."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} ({self.membership})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return "aph_" + secrets.token_urlsafe(32)
