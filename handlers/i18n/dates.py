"""Dates and times as a person reads them: Babel's (CLDR) names in their language, in the desk's
time zone, e.g. "Jumanne, 1 Desemba 2026 14:30 EAT" / "Tuesday, 1 December 2026 14:30 EAT"."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_timedelta

from handlers.i18n.catalogs import LOCALE_IDS

PATTERN = "EEEE, d MMMM y HH:mm"


def day(local: datetime, language: str) -> str:
    """A short date ("Mon 30 Nov 2026", "Jumatatu 30 Nov 2026") of an already-local time."""
    return format_date(local, "EEE d MMM y", locale=LOCALE_IDS.get(language, language))


def when(moment: datetime, language: str, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    # The zone's own abbreviation (EAT, UTC): CLDR has no short name for East Africa Time in
    # either language and would print "+0300".
    text = format_datetime(local, PATTERN, locale=LOCALE_IDS.get(language, language))
    return f"{text} {local.tzname()}"


SHORT_PATTERN = "EEE d MMM HH:mm"


def short_when(moment: datetime, language: str, zone: str) -> str:
    """A time in a line of text: "Tue 1 Dec 12:00 EAT", "Jumanne 1 Des 12:00 EAT"."""
    local = moment.astimezone(ZoneInfo(zone))
    text = format_datetime(local, SHORT_PATTERN, locale=LOCALE_IDS.get(language, language))
    return f"{text} {local.tzname()}"


def spoken_duration(delta: timedelta, language: str) -> str:
    """A duration in words: "15 minutes", "dakika 15", "4 hours", "saa 4"."""
    return format_timedelta(
        delta, threshold=1.5, format="long", locale=LOCALE_IDS.get(language, language)
    )
