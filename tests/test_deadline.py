"""Statutory deadlines against worked examples (holidays from the `holidays` package)."""

from datetime import date

import pytest

from classifier.deadline import due


@pytest.mark.parametrize(
    "received, expected, skipped",
    [
        # Christmas: skips 25 and 28 Dec, 1 Jan, and Scotland's 4 Jan substitute day
        ("2026-12-18", "2027-01-21", ["2026-12-25", "2026-12-28", "2027-01-01", "2027-01-04"]),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March
        ("2027-03-19", "2027-04-20", ["2027-03-26", "2027-03-29"]),
        # the seed request: received 10 Sep 2020, answered within 20 working days
        ("2020-09-10", "2020-10-08", []),
        # Northern Ireland's 12 July counts for an English council too (Mon 12 July 2027)
        ("2027-07-01", "2027-07-30", ["2027-07-12"]),
        # Scotland's 2 January holiday (Fri 2 Jan 2026) is skipped as well
        ("2025-12-24", "2026-01-27", ["2025-12-25", "2025-12-26", "2026-01-01", "2026-01-02"]),
    ],
)
def test_foi_twenty_working_days(received, expected, skipped):
    d = due("foi", date.fromisoformat(received))
    assert d["date"] == expected
    assert [h["date"] for h in d["skipped_holidays"]] == skipped


@pytest.mark.parametrize(
    "received, expected",
    [
        ("2027-01-31", "2027-03-01"),  # no 31 Feb -> 28 Feb (a Sunday) -> Monday 1 March
        ("2026-03-15", "2026-04-15"),  # corresponding day
        ("2026-11-30", "2026-12-30"),
        ("2027-11-25", "2027-12-29"),  # 25 Dec Sat, substitute days 27 and 28 Dec: next working day 29th
    ],
)
def test_subject_access_one_month(received, expected):
    assert due("sar", date.fromisoformat(received))["date"] == expected


def test_eir_notes_the_extension_and_bau_has_no_clock():
    assert "40 working days" in due("eir", date(2026, 5, 1))["notes"][0]
    assert due("business_as_usual", date(2026, 5, 1)) is None
