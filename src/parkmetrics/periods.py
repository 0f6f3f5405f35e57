"""Reporting periods within a year: the `period` column of an observation.

Empty means the full year. Otherwise one of
  H1, H2            上半年 / 下半年
  Q1 … Q4           一季度 … 四季度 (a single quarter)
  Mk                one month (3月 → M3)
  Ma-Mb             months a to b (1-9月 / 前三季度 → M1-M9, 1至2月 → M1-M2)
A period that starts in January is cumulative (年初至今): its figure can be set against an annual target with
时序进度 — the share of the target reached against the share of the year elapsed. A period that starts later
(二季度, 下半年, 3月) is a slice of the year and is never compared with an annual target.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^(?:H([12])|Q([1-4])|M(1[0-2]|[1-9])(?:-M(1[0-2]|[1-9]))?)$")
PERIOD_HELP = "empty (full year), H1, H2, Q1…Q4, M3 or M1-M9"


@dataclass(frozen=True)
class Period:
    code: str          # "" for the full year
    first_month: int
    last_month: int

    @property
    def full_year(self) -> bool:
        return self.first_month == 1 and self.last_month == 12

    @property
    def cumulative(self) -> bool:
        """Counted from January (年初至今): comparable with an annual target as 时序进度."""
        return self.first_month == 1

    @property
    def elapsed_share(self) -> float:
        """The share of the year the period covers when counted from January (1-9月 → 0.75)."""
        return self.last_month / 12


def parse_period(text: str | None) -> Period | None:
    """The period a code names, or None when the code is not one of the vocabulary's. Empty → the full year."""
    code = (text or "").strip().upper()
    if not code:
        return Period("", 1, 12)
    m = _PATTERN.match(code)
    if m is None:
        return None
    half, quarter, first, last = m.groups()
    if half:
        h = int(half)
        return Period(code, 6 * h - 5, 6 * h)
    if quarter:
        q = int(quarter)
        return Period(code, 3 * q - 2, 3 * q)
    a, b = int(first), int(last or first)
    if b < a:
        return None
    return Period(code, a, b)


# "Full year", defined once: the codes whose period covers January to December; everything asks `is_full_year`.
FULL_YEAR_CODES = ("", "M1-M12")
assert all(parse_period(c).full_year for c in FULL_YEAR_CODES)


def is_full_year(code: object) -> bool:
    """Does this period code cover the whole year? '' and M1-M12 do; 1-9月, H1, Q4 and unknown codes do not."""
    parsed = parse_period(code if isinstance(code, str) else "")
    return parsed is not None and parsed.full_year
