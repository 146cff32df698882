"""Model time: days from the first deal (BlackRock's MOU, 2025-09-22); outputs give dates."""

from __future__ import annotations

from datetime import date, timedelta

DAY0 = date(2025, 9, 22)
DAYS_PER_MONTH = 365.25 / 12
DAYS_PER_WEEK = 7.0


def to_day(when: date) -> float:
    return float((when - DAY0).days)


def to_date(day: float) -> date:
    return DAY0 + timedelta(days=int(day))
