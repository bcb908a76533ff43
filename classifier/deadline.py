"""Statutory deadlines.

FOIA s10(1) and EIR reg 5(2): 20 working days following the date of receipt, where a
working day is not a Saturday, Sunday, Christmas Day, Good Friday or a bank holiday in
any part of the United Kingdom (FOIA s10(6), EIR reg 2(1)). Bank holidays come from the
``holidays`` package for England, Wales, Scotland and Northern Ireland, merged.
UK GDPR Art. 12(3) subject access: one calendar month by the corresponding-day rule.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

__all__ = ["uk_non_working_days", "add_working_days", "due"]

_SUBDIVISIONS = ("ENG", "WLS", "SCT", "NIR")


@lru_cache(maxsize=64)
def uk_non_working_days(year: int) -> dict[date, str]:
    """Bank holidays in any part of the UK, plus Christmas Day and Good Friday."""
    days: dict[date, str] = {}
    for subdiv in _SUBDIVISIONS:
        for day, name in holidays.country_holidays("GB", subdiv=subdiv, years=year).items():
            days.setdefault(day, f"{name} ({subdiv})")
    return days


def _holiday(day: date) -> str | None:
    return uk_non_working_days(day.year).get(day)


def add_working_days(start: date, n: int) -> tuple[date, list[dict]]:
    """The n-th working day after ``start`` and the holidays skipped on the way."""
    day, counted, skipped = start, 0, []
    while counted < n:
        day += timedelta(days=1)
        if day.weekday() >= 5:
            continue
        name = _holiday(day)
        if name:
            skipped.append({"date": day.isoformat(), "name": name})
            continue
        counted += 1
    return day, skipped


def _one_month_later(received: date) -> date:
    year, month = (received.year + 1, 1) if received.month == 12 else (received.year, received.month + 1)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(received.day, last))


def due(regime: str, received: date) -> dict | None:
    """The ``due`` block of a result, or None when no statutory clock runs."""
    if regime in ("foi", "eir"):
        day, skipped = add_working_days(received, 20)
        notes = (["EIR reg 7: may extend to 40 working days for complex and voluminous requests"]
                 if regime == "eir" else
                 ["FOIA s10(3): a reasonable extension is allowed to consider the public interest for qualified exemptions"])
        return {"date": day.isoformat(), "working_days": 20, "rule": "EIR reg 5(2)" if regime == "eir" else "FOIA s10",
                "skipped_holidays": skipped, "notes": notes}
    if regime == "sar":
        day = _one_month_later(received)
        moved = []
        while day.weekday() >= 5 or _holiday(day):
            if _holiday(day):
                moved.append({"date": day.isoformat(), "name": _holiday(day)})
            day += timedelta(days=1)
        return {"date": day.isoformat(), "working_days": None, "rule": "UK GDPR Art. 12(3)",
                "skipped_holidays": moved,
                "notes": ["one calendar month (corresponding day); may be extended by two further months for complex requests"]}
    return None
