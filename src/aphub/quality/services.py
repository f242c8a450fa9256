"""The nightly quality sweep: commissioning's evidence reminders, then placements' unregistered oversight alerts.

It sits here, above placements, because the alerts count placements (placements.oversight).
"""

import datetime
from dataclasses import dataclass

from aphub.commissioning.models import EvidenceReminder
from aphub.commissioning.quality.services import EvidenceSwept, send_evidence_reminders
from aphub.core.clock import today as clock_today
from aphub.placements.oversight import raise_alerts


@dataclass
class QualitySwept:
    evidence: EvidenceSwept
    alerts_raised: int
    alerts_cleared: int

    def summary(self) -> str:
        stages = self.evidence.by_stage
        return (
            f"Evidence reminders sent: {stages[EvidenceReminder.Stage.DAYS_30]} at 30 days, "
            f"{stages[EvidenceReminder.Stage.DAYS_7]} at 7 days; expired evidence flagged: "
            f"{stages[EvidenceReminder.Stage.EXPIRED]}. Unregistered providers newly nearing or at the registration "
            f"threshold: {self.alerts_raised} (alerts cleared: {self.alerts_cleared})."
        )


def sweep(*, today: datetime.date | None = None) -> QualitySwept:
    """What cron runs (aphub sweep-commissioning): evidence reminders, then the unregistered oversight alerts."""
    today = today or clock_today()
    evidence = send_evidence_reminders(today=today)
    alerts = raise_alerts(today=today)
    return QualitySwept(evidence=evidence, alerts_raised=alerts.raised, alerts_cleared=alerts.cleared)
