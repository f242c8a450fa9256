"""The DfE's school census days: the Thursdays on which schools count who is on their roll, and so the days councils
count the children in AP on. The DfE's school census guide sets the autumn census on the first Thursday of October,
the spring census on the third Thursday of January and the summer census on the third Thursday of May (2025 to 2026:
2 October 2025, 15 January 2026 and 21 May 2026)."""

import datetime
from dataclasses import dataclass

THURSDAY = 3  # datetime.date.weekday(): Monday is 0


def nth_thursday(year: int, month: int, nth: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(THURSDAY - first.weekday()) % 7 + 7 * (nth - 1))


def third_thursday(year: int, month: int) -> datetime.date:
    return nth_thursday(year, month, 3)


@dataclass(frozen=True)
class SchoolCensus:
    term: str  # "Autumn", "Spring" or "Summer"
    day: datetime.date

    @property
    def name(self) -> str:
        """ "Autumn census, 2 October 2025"."""
        return f"{self.term} census, {self.day.day} {self.day:%B %Y}"

    @property
    def named(self) -> str:
        """ "2 October 2025 (autumn census)", in a sentence."""
        return f"{self.day.day} {self.day:%B %Y} ({self.term.lower()} census)"


def school_census_days(academic_year: int) -> list[SchoolCensus]:
    """The three census days of the academic year starting on 1 September `academic_year`, in order."""
    return [
        SchoolCensus("Autumn", nth_thursday(academic_year, 10, 1)),
        SchoolCensus("Spring", third_thursday(academic_year + 1, 1)),
        SchoolCensus("Summer", third_thursday(academic_year + 1, 5)),
    ]
