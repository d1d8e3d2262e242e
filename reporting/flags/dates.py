"""Date arithmetic the rules share: calendar months, ages, working days, and dates said aloud."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Sequence

MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


# Window rules ask for the same few thousand (day, offset) pairs on every evaluation of a case.
@functools.lru_cache(maxsize=65536)
def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier); the 31st falls back to the month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    if day.day <= 28:
        return dt.date(year, month + 1, day.day)
    last = 29 if month == 1 and calendar.isleap(year) else MONTH_DAYS[month]
    return dt.date(year, month + 1, min(day.day, last))


def age_in_years(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_in_months(born: dt.date, on: dt.date) -> int:
    months = (on.year - born.year) * 12 + on.month - born.month
    if add_months(born, months) > on:
        months -= 1
    return months


def within_months(first: dt.date, last: dt.date, months: int) -> bool:
    """True when `last` is no later than `months` calendar months after `first`."""
    return last <= add_months(first, months)


# Working days are Monday to Friday except the bank holidays of the partnership's nation
# (settings.BANK_HOLIDAYS_NATION), from the `holidays` library rather than a hand-kept list.
BANK_HOLIDAY_NATIONS = {"england_and_wales": "ENG", "scotland": "SCT", "northern_ireland": "NIR"}
DEFAULT_NATION = "england_and_wales"


def bank_holiday_nation() -> str:
    """The nation whose bank holidays are not working days: the setting, read when asked (tests change it)."""
    from django.conf import settings

    nation = getattr(settings, "BANK_HOLIDAYS_NATION", DEFAULT_NATION) if settings.configured else DEFAULT_NATION
    return nation if nation in BANK_HOLIDAY_NATIONS else DEFAULT_NATION


@functools.lru_cache(maxsize=512)
def bank_holidays(nation: str, year: int) -> frozenset[dt.date]:
    """The bank holidays of a nation in a year (substitute days included)."""
    import holidays

    found = holidays.country_holidays("GB", subdiv=BANK_HOLIDAY_NATIONS[nation], years=year)
    return frozenset(found.keys())


def is_working_day(day: dt.date, nation: str | None = None) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(nation or bank_holiday_nation(), day.year)


def add_working_days(day: dt.date, count: int, nation: str | None = None) -> dt.date:
    """The date `count` working days after `day` (Monday to Friday, not a bank holiday of the nation)."""
    return _add_working_days(day, count, nation or bank_holiday_nation())


# Deadline rules ask for the same (day, count) pairs on every evaluation (and review mode many times).
@functools.lru_cache(maxsize=65536)
def _add_working_days(day: dt.date, count: int, nation: str) -> dt.date:
    current = day
    added = 0
    while added < count:
        current += dt.timedelta(days=1)
        if is_working_day(current, nation):
            added += 1
    return current


def working_days_between(first: dt.date, last: dt.date, nation: str | None = None) -> int:
    """Working days after `first` up to and including `last` (0 when `last` is not later).

    Whole weeks are counted at once and the nation's bank holidays taken off, so a span of years
    costs what a span of days does."""
    if last <= first:
        return 0
    nation = nation or bank_holiday_nation()
    weeks, rest = divmod((last - first).days, 7)
    count = weeks * 5 + sum(1 for k in range(1, rest + 1) if (first + dt.timedelta(days=k)).weekday() < 5)
    for year in range(first.year, last.year + 1):
        count -= sum(1 for day in bank_holidays(nation, year) if first < day <= last and day.weekday() < 5)
    return count


# Explanations say the same few thousand dates over and over; strftime is the slow part.
@functools.lru_cache(maxsize=65536)
def say_date(day: dt.date, *, year: bool = True) -> str:
    return f"{day.day} {day:%B} {day.year}" if year else f"{day.day} {day:%B}"


def say_span(first: dt.date, last: dt.date) -> str:
    """A span said aloud: '9 days', '3 weeks', '4 months'."""
    days = (last - first).days
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 10 * 7 + 1:
        weeks = round(days / 7)
        return f"{weeks} weeks"
    months = max(1, round(days / 30.44))
    return f"{months} month{'s' if months != 1 else ''}"


def say_age(born: dt.date | None, on: dt.date) -> str:
    """'3 weeks old', '5 months old', '4 years old'; empty when the date of birth is unknown."""
    if born is None or on < born:
        return ""
    months = age_in_months(born, on)
    if months < 1:
        weeks = (on - born).days // 7
        return f"{weeks} week{'s' if weeks != 1 else ''} old" if weeks else f"{(on - born).days} days old"
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''} old"
    return f"{age_in_years(born, on)} years old"


def dates_in_words(days: Sequence[dt.date]) -> list[str]:
    """Dates for one sentence: the year is said only where it changes, and on the last date."""
    if not days:
        return []
    # The year is said where the next date's year differs, and on the last date.
    said = [say_date(day, year=day.year != after.year) for day, after in zip(days[:-1], days[1:], strict=True)]
    said.append(say_date(days[-1], year=True))
    return said
