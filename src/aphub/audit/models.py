"""The append-only logs: who read or changed which child's record, and who signed in; never the values themselves.

Two tables, not one (docs/decisions/0006):
- `AccessLogEntry` answers "who saw or changed this child's record?" (DPO, subject access, disputes). Every row
  names a record.
- `SecurityEvent` answers "who got in, who tried to?" (sign-in, failed sign-in, sign-out, lock-out, second factor).
  Its rows name no record, keep the client's IP address, and are read for different reasons by different people;
  mixing them would fill a child's access history with sign-ins and make the record columns optional.

Both are append-only three times over: the model refuses save-after-create and delete, the QuerySet refuses
`update()` and `delete()`, and database triggers (audit's migration `0001_initial`) refuse UPDATE and DELETE from
any SQL.
"""

from django.db import models

from aphub.core.clock import now
from aphub.core.scoping import ScopedQuerySet


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("This log is append-only: rows cannot be updated.")

    def delete(self):
        raise AppendOnlyError("This log is append-only: rows cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("This log is append-only: rows cannot be updated.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("This log is append-only: rows cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("This log is append-only: rows cannot be deleted.")


class AccessLogQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    """LA admins and auditors read their LA's entries; no other role reads the log."""

    def for_la_admin(self, membership) -> "AccessLogQuerySet":
        return self.filter(local_authority_id=membership.local_authority_id)

    for_auditor = for_la_admin


class AccessLogEntry(AppendOnlyModel):
    class Verb(models.TextChoices):
        VIEW = "view"
        CREATE = "create"
        CHANGE = "change"
        EXPORT = "export"
        ERASE = "erase"

    at = models.DateTimeField(default=now, db_index=True)  # stored in UTC (USE_TZ)
    # Copied, not foreign keys: the log must outlive the user, the organisation and the record.
    user_id = models.BigIntegerField(null=True)
    user_email = models.CharField(max_length=254, blank=True)
    role = models.CharField(max_length=20, blank=True)
    organisation = models.CharField(max_length=250, blank=True)
    # The LA whose officers oversee this entry: the actor's home LA (for a school, its LA).
    local_authority_id = models.BigIntegerField(null=True, db_index=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    verb = models.CharField(max_length=10, choices=Verb.choices)
    request_id = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=500, blank=True)
    # A list page (the pupils list, the worklist...) is logged as one row naming every child it showed, not a row per
    # child (docs/decisions/0015). `pupil_ids` holds their ids between commas (",4,17,23,") so that "every read of
    # child 17" is one `LIKE '%,17,%'` on both databases. These three are NULL on a single record's row: nullable
    # columns are added in place (ALTER TABLE ADD COLUMN), so SQLite keeps the append-only triggers instead of
    # rebuilding the table without them.
    list_name = models.CharField(max_length=100, null=True, blank=True)
    page_number = models.PositiveIntegerField(null=True, blank=True)
    pupil_ids = models.TextField(null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        verbose_name_plural = "access log entries"

    def __str__(self) -> str:
        record = f"{self.list_name} ({self.count_shown} children)" if self.is_list else self.object_id
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.user_email} {self.verb} {self.object_type} {record}"

    @property
    def is_list(self) -> bool:
        return self.pupil_ids is not None

    @property
    def listed_pupil_ids(self) -> list[int]:
        """The ids of the children a list page showed, in the order shown."""
        return [int(pk) for pk in (self.pupil_ids or "").split(",") if pk]

    @property
    def count_shown(self) -> int:
        return len(self.listed_pupil_ids)


class SecurityEvent(AppendOnlyModel):
    class Kind(models.TextChoices):
        SIGNED_IN = "signed-in", "Signed in"
        SIGN_IN_FAILED = "sign-in-failed", "Sign-in failed"
        SIGNED_OUT = "signed-out", "Signed out"
        # Two-factor sign-in (organisations.two_factor.services.Event; decision 0042). Never the code typed.
        SECOND_FACTOR_SET_UP = "2fa-set-up", "Two-factor sign-in set up"
        SECOND_FACTOR_VERIFIED = "2fa-verified", "Second factor verified"
        SECOND_FACTOR_FAILED = "2fa-failed", "Wrong second-factor code"
        SECOND_FACTOR_LOCKED_OUT = "2fa-locked-out", "Locked out after wrong codes"
        RECOVERY_CODE_USED = "2fa-recovery-used", "Recovery code used"
        SECOND_FACTOR_RESET = "2fa-reset", "Second factor reset"
        # A security key or passkey (WebAuthn, decision 0044).
        SECURITY_KEY_ADDED = "2fa-key-added", "Security key or passkey added"
        SECURITY_KEY_REMOVED = "2fa-key-removed", "Security key or passkey removed"
        SECURITY_KEY_VERIFIED = "2fa-key-verified", "Second factor verified with a security key or passkey"
        SECURITY_KEY_FAILED = "2fa-key-failed", "Security key or passkey refused"

    at = models.DateTimeField(default=now, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Set only when the e-mail address belongs to an account. What was typed is never kept: people type
    # passwords into the e-mail box.
    user_id = models.BigIntegerField(null=True, db_index=True)
    user_email = models.CharField(max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.user_email or '(unknown account)'}"
