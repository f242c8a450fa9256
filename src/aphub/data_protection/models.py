"""The LA's retention schedule: how long each kind of record is kept before its personal data is erased.

A row exists only where the LA changed the period; otherwise the default of the record type applies
(data_protection.retention.RECORD_TYPES, with the guidance each default comes from).
"""

from django.contrib.auth import get_user_model
from django.db import models

from aphub.core.clock import now
from aphub.organisations.models import LocalAuthority

User = get_user_model()


class RetentionPeriod(models.Model):
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="retention_periods")
    record_type = models.CharField(max_length=40)  # a key of retention.RECORD_TYPES
    years = models.PositiveSmallIntegerField()
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "record_type"], name="one_retention_period_per_type"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type}: {self.years} years"
