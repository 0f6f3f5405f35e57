"""The rules on one cell of a data file: numbers, years, choices and flags as an editor writes them (full-width
digits, separators, 是/否), and the figure and its unit against the quote it was read from.

Pure functions, each a documented rule with a problem code; the set-wise validation (validate.py) calls them once per
distinct cell value, and tests/reference/loader_rowwise.py row by row as the oracle it is compared with.
"""
from __future__ import annotations

import math
import re
import unicodedata

from .model import Basis
from .problems import Problem
from .units import UNITS, convert, same_family

YEAR_RANGE = (2000, 2050)

THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_TRUE = {"true", "1", "yes", "y", "是", "√"}
_FALSE = {"", "false", "0", "no", "n", "否"}


def normalise(raw: str, rel: str, line: int, fld: str, problems: list[Problem]) -> str:
    """NFKC turns full-width digits and signs (５６.８, ％, ，) into half-width ones; say so."""
    text = raw.strip()
    norm = unicodedata.normalize("NFKC", text)
    if norm != text:
        problems.append(Problem.of("fullwidth-normalised", rel, line, field=fld, value=raw, detail=f"read as {norm!r}"))
    return norm


def parse_number(raw: str, rel: str, line: int, fld: str, problems: list[Problem]) -> float | None:
    text = normalise(raw, rel, line, fld, problems)
    if THOUSANDS.match(text):
        problems.append(Problem.of("thousands-separator", rel, line, field=fld, value=raw))
        text = text.replace(",", "")
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem.of("not-a-number", rel, line, field=fld, value=raw))
        return None
    if value != value or value in (float("inf"), float("-inf")):
        problems.append(Problem.of("not-a-number", rel, line, field=fld, value=raw))
        return None
    return value


def parse_year(raw: str, rel: str, line: int, fld: str, problems: list[Problem]) -> int | None:
    value = parse_number(raw, rel, line, fld, problems)
    if value is None:
        return None
    if value != int(value) or not YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
        problems.append(Problem.of("year-out-of-range", rel, line, field=fld, value=raw))
        return None
    return int(value)


def parse_choice(raw: str, choices: type, rel: str, line: int, fld: str, problems: list[Problem]) -> str | None:
    text = raw.strip()
    allowed = [c.value for c in choices]
    if text not in allowed:
        problems.append(Problem.of("invalid-choice", rel, line, field=fld, value=raw,
                                   detail="allowed: " + ", ".join(allowed)))
        return None
    return text


def parse_flag(raw: str, rel: str, line: int, fld: str, problems: list[Problem]) -> bool | None:
    text = raw.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    problems.append(Problem.of("invalid-choice", rel, line, field=fld, value=raw, detail="allowed: true, false"))
    return None


CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "十": 10, "首": 1}


DECREASE = re.compile(r"下降|减少|降低|下滑|回落|负增长|减|降|[-−]")
NUMBER_IN_QUOTE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)")


def squash_quote(quote: str) -> str:
    """The quote as figures are compared: NFKC (full-width digits), no white space (but | between the digits of
    two table cells: 405.97 1.8), no thousands separators."""
    q = re.sub(r"(?<=\d)\s+(?=\d)", "|", unicodedata.normalize("NFKC", quote))  # a table row's cells stay apart
    q = re.sub(r"\s+", "", q)
    return re.sub(r"(?<=\d),(?=\d{3})", "", q)  # 1,500 → 1500


def figure_in_quote(value: float, quote: str) -> bool:
    """Does the figure appear in the quote as written — in digits at any scale, or as a Chinese numeral?
    A negative figure needs a fall in the quote (下降, 减少, a minus sign); zero needs a 0 of its own or 零."""
    q = squash_quote(quote)
    if value < 0 and not DECREASE.search(q):
        return False
    if value == 0:
        return any(float(n) == 0 for n in NUMBER_IN_QUOTE.findall(q)) or "零" in q
    for scale in (1, 1e-4, 1e-8, 1e4, 1e8, 100, 0.01):
        v = abs(value) * scale
        if 0 < v < 1e9:
            for digits in range(4):
                s = f"{v:.{digits}f}"
                if abs(float(s) - v) < 1e-9 * max(1.0, v):
                    s = s.rstrip("0").rstrip(".") if "." in s else s
                    if re.search(rf"(?<![\d.]){re.escape(s)}(?![\d])", q):
                        return True
                    break
    return any(v == abs(value) and ch in q for ch, v in CN_DIGITS.items())


# A number with the unit written right after it (余/多 may stand between: 100余亿元); longest unit first.
UNIT_AFTER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?:余|多)?(" + "|".join(
    re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + ")")


def unit_agrees_with_quote(value: float, unit: str, quote: str) -> bool:
    """False when the quote writes this figure with another unit: 390亿元 in the quote, 390 万元 in the row.
    True when it agrees (after conversion: 0.15 亿元 = 1500万元) or when the quote writes no unit to compare."""
    pairs = [(float(n), u) for n, u in UNIT_AFTER.findall(squash_quote(quote))]
    if any(same_family(u, unit) and math.isclose(convert(n, u, unit), abs(value), rel_tol=1e-9) for n, u in pairs):
        return True
    return not any(n == abs(value) and u != unit for n, u in pairs)


# Bases whose figure is never below zero: a count, a rank, a share. (A fall is a negative growth or a reduction.)
NONNEGATIVE_BASES = {Basis.level, Basis.new_count, Basis.rank, Basis.pct_of_plan, Basis.share_pct,
                     Basis.reduction_pct}
