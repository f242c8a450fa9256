"""The append-only access log: who read or changed which child's record, never the values themselves."""

from django.db import models

from aphub.core.clock import now


class AppendOnlyError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The access log is append-only: rows cannot be updated.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only: rows cannot be deleted.")


class AccessLogEntry(models.Model):
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
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    verb = models.CharField(max_length=10, choices=Verb.choices)
    request_id = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=500, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        verbose_name_plural = "access log entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.user_email} {self.verb} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The access log is append-only: rows cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only: rows cannot be deleted.")
