"""A child's age, school year (year group), key stage and compulsory school age: the one place they are counted.

England's school year runs from 1 September to 31 August, and a child's year group follows from their age on the
31 August before it starts, not from their age on the day (Education Act 1996 s.8 and the DfE's 'School census
guide': "national curriculum year group" by date of birth; Education Act 2002 s.82 for the key stages):

    age on 31 August before the year   4          5-6       7-10      11-13     14-15      16-17
    year group                         Reception  1-2       3-6       7-9       10-11      12-13
    key stage                          early years ks1      ks2       ks3       ks4        post-16

So a Year 9 pupil who turns 14 in March is still in key stage 3 until the September after. The key stage codes
are the directory's (aphub.directory.models key stage vocabulary); "early-years" (nursery and Reception) has no
directory term because AP providers do not take children that young.

Compulsory school age (Education Act 1996 s.8): it begins on the prescribed day on or after the fifth birthday
(31 December, 31 March or 31 August: the Education (Start of Compulsory School Age) Order 1998) and ends on the
last Friday in June of the school year in which the child turns 16 (the Education (School Leaving Date) Order
1997).
"""

import datetime

# The last day of the school year; the year group is set by the age on this day before the year starts.
SCHOOL_YEAR_LAST_MONTH_DAY = (8, 31)
RECEPTION_AGE = 4  # age on 31 August at the start of Reception; Year n starts at age n + 4

EARLY_YEARS = "early-years"
KS1, KS2, KS3, KS4, POST_16 = "ks1", "ks2", "ks3", "ks4", "post-16"


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    """Whole years old on `day` (a 29 February birthday comes round on 1 March in other years, as in law)."""
    had_birthday = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if had_birthday else 1)


def birthday(date_of_birth: datetime.date, age: int) -> datetime.date:
    """The day the child turns `age` (1 March for a 29 February birthday in a year that has none)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + age)
    except ValueError:
        return datetime.date(date_of_birth.year + age, 3, 1)


def school_year_start(day: datetime.date) -> datetime.date:
    """1 September of the school year that `day` falls in."""
    year = day.year if (day.month, day.day) > SCHOOL_YEAR_LAST_MONTH_DAY else day.year - 1
    return datetime.date(year, 9, 1)


def academic_year_label(year: int) -> str:
    """The school year starting in September of `year` as the DfE writes it: 2025/26."""
    return f"{year}/{(year + 1) % 100:02d}"


def age_at_start_of_school_year(date_of_birth: datetime.date, day: datetime.date) -> int:
    """The age on the 31 August before the school year that `day` falls in: what sets the year group."""
    return age_on(date_of_birth, school_year_start(day) - datetime.timedelta(days=1))


def year_group(date_of_birth: datetime.date, day: datetime.date) -> int:
    """The national curriculum year group on `day`: 0 is Reception, 1 to 13 are Years 1 to 13 (negative: nursery
    or younger, 14 and more: beyond Year 13)."""
    return age_at_start_of_school_year(date_of_birth, day) - RECEPTION_AGE


# Key stage -> its first and last year groups (None: no bound), the table of the module docstring.
KEY_STAGE_YEAR_GROUPS: dict[str, tuple[int | None, int | None]] = {
    EARLY_YEARS: (None, 0),
    KS1: (1, 2),
    KS2: (3, 6),
    KS3: (7, 9),
    KS4: (10, 11),
    POST_16: (12, None),
}
KEY_STAGE_LABELS = {
    EARLY_YEARS: "Early years (Reception and younger)",
    KS1: "Key stage 1 (Years 1 to 2)",
    KS2: "Key stage 2 (Years 3 to 6)",
    KS3: "Key stage 3 (Years 7 to 9)",
    KS4: "Key stage 4 (Years 10 to 11)",
    POST_16: "Post-16 (Year 12 and above)",
}


def key_stage(date_of_birth: datetime.date, day: datetime.date) -> str:
    """The key stage code on `day`, from the year group (not the age on the day)."""
    group = year_group(date_of_birth, day)
    for stage, (first, last) in KEY_STAGE_YEAR_GROUPS.items():
        if (first is None or group >= first) and (last is None or group <= last):
            return stage
    raise AssertionError("the key stages cover every year group")  # pragma: no cover


def dates_of_birth_in_key_stage(stage: str, day: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last dates of birth (None: no bound) of the children in key stage `stage` in the school year of
    `day`: the same rule as `key_stage`, turned round so that a database can filter on the date of birth.

    Year group g is age g + 4 on the 31 August before the year, so it is the children born from 1 September
    (g + 5) years before that 31 August to that 31 August (g + 4) years before it.
    """
    first, last = KEY_STAGE_YEAR_GROUPS[stage]
    august = school_year_start(day).year
    earliest = None if last is None else datetime.date(august - (last + RECEPTION_AGE) - 1, 9, 1)
    latest = None if first is None else datetime.date(august - (first + RECEPTION_AGE), 8, 31)
    return earliest, latest


def year_group_label(group: int) -> str:
    if group == 0:
        return "Reception"
    if group < 0:
        return "Nursery"
    return f"Year {group}"


def school_year_starts_in_year_group(date_of_birth: datetime.date, group: int) -> datetime.date:
    """1 September of the school year in which the child is in year `group` (0 for Reception)."""
    age = group + RECEPTION_AGE
    # The 31 August on which the child is `age`: of the year they turn it when born by 31 August, else the next.
    born_by_31_august = (date_of_birth.month, date_of_birth.day) <= SCHOOL_YEAR_LAST_MONTH_DAY
    return datetime.date(date_of_birth.year + age + (0 if born_by_31_august else 1), 9, 1)


def compulsory_school_age_starts(date_of_birth: datetime.date) -> datetime.date:
    """The prescribed day on or after the fifth birthday: 31 March, 31 August or 31 December (Education Act 1996
    s.8(2) and the Education (Start of Compulsory School Age) Order 1998)."""
    fifth = birthday(date_of_birth, 5)
    for day in (
        datetime.date(fifth.year, 3, 31),
        datetime.date(fifth.year, 8, 31),
        datetime.date(fifth.year, 12, 31),
    ):
        if day >= fifth:
            return day
    raise AssertionError("31 December is never before a date of the same year")  # pragma: no cover


def compulsory_school_age_ends(date_of_birth: datetime.date) -> datetime.date:
    """The last Friday in June of the school year in which the child turns 16 (Education Act 1996 s.8(3) and the
    Education (School Leaving Date) Order 1997)."""
    sixteenth = birthday(date_of_birth, 16)
    june = school_year_start(sixteenth).year + 1
    last = datetime.date(june, 6, 30)
    return last - datetime.timedelta(days=(last.weekday() - 4) % 7)


def is_compulsory_school_age(date_of_birth: datetime.date, on: datetime.date) -> bool:
    return compulsory_school_age_starts(date_of_birth) <= on <= compulsory_school_age_ends(date_of_birth)
