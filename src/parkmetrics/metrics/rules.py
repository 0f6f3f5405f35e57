"""The scalar rules of the metrics: one target against one actual, a level implied by a growth, the pace to a
multi-year target — each documented in docs/metrics.md with its formula and a worked example — and the thresholds
and codes they return. Pure functions of numbers and codes; no table, no streamlit, no duckdb."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..units import UNITS


# --- configuration: every threshold in one place ------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    exceeded: float = 1.05          # met and attainment ratio ≥ 1.05 → 超额完成
    near: float = 0.90              # not met but ratio ≥ 0.90 → 接近
    approx_tolerance: float = 0.05  # ≈ (左右/约): within 5 % of the target counts as reached
    check_tolerance_pp: float = 0.5  # self-checks: a stated growth may differ from levels by rounding only
    check_tolerance_rel: float = 0.005  # self-checks: sums and shares agree within 0.5 %
    # Statistics Canada's progress classes (used by Open SDG): R = observed CAGR / required CAGR.
    on_track: float = 0.95
    acceleration: float = 0.60
    # 时序进度 (a cumulative partial-year actual against an annual target): pace = share of the target reached ÷
    # share of the year elapsed (lower is better: the inverse). ≥ 1.05 → 进度超前; ≥ 1.00 → 时序进度正常
    # (时间过半、任务过半); below → 进度滞后. 1.05 mirrors `exceeded`; a ≈ target lowers the 1.00 bar by
    # approx_tolerance, as it does at the year's end.
    schedule_ahead: float = 1.05
    schedule_on: float = 1.00


THRESHOLDS = Thresholds()

# The codes the metric tables speak (labels: i18n.STATUS, i18n.PACE, i18n.CHECK_STATUS). STATUS_CODES is in rank
# order: 时序进度 (provisional, from a cumulative partial-year actual: never met/not met) after the final statuses
# and before no_actual; charts rank a cell by the first status in this order.
STATUS_CODES = ("exceeded", "met", "near", "not_met", "ahead_of_schedule", "on_schedule", "behind_schedule",
                "no_actual", "not_comparable")
PACE_CODES = ("achieved", "on_track", "acceleration_needed", "limited_progress", "deterioration", "no_baseline",
              "no_progress_data", "not_applicable")
CHECK_CODES = ("ok", "mismatch", "unverifiable")

# --- scalar rules -------------------------------------------------------------------------------------------


def _finite(x: object) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x)) and x is not pd.NA


def meets(actual: float, comparator: str, target: float, direction: str = "higher",
          tolerance: float = THRESHOLDS.approx_tolerance) -> bool:
    """Does `actual` satisfy the target `comparator target`?

    '=' on a target means "reach it": at least the target when higher is better, at most when lower is better.
    '≈' (左右/约) accepts anything within `tolerance` of the target on the wrong side, and anything beyond it on
    the right side (releasing 1,700 亩 against "1,500 亩左右" is not a failure).
    """
    if comparator == "≥":
        return actual >= target
    if comparator == ">":
        return actual > target
    if comparator == "≤":
        return actual <= target
    if comparator == "<":
        return actual < target
    if comparator == "≈":
        slack = abs(target) * tolerance
        return actual >= target - slack if direction == "higher" else actual <= target + slack
    if comparator == "=":
        return actual >= target if direction == "higher" else actual <= target
    raise ValueError(f"unknown comparator {comparator!r}")


def attainment_ratio(actual: float, target: float, direction: str = "higher") -> float | None:
    """actual ÷ target when higher is better, target ÷ actual when lower is better (1.0 = exactly on target).

    Undefined (None) when the divisor is not positive — except a lower-is-better target of zero ("零事故"),
    which is 1.0 when the actual is zero too and 0.0 otherwise.
    """
    if direction == "lower":
        if target == 0:
            return 1.0 if actual <= 0 else 0.0
        if actual <= 0:
            return None
        return target / actual
    if target <= 0:
        return None
    return actual / target


def classify(met: bool, ratio: float | None, th: Thresholds = THRESHOLDS) -> str:
    if met:
        return "exceeded" if ratio is not None and ratio >= th.exceeded else "met"
    return "near" if ratio is not None and ratio >= th.near else "not_met"


def implied_level(previous: float, growth_pct: float) -> float:
    """The level a growth rate implies: previous × (1 + g/100)."""
    return previous * (1 + growth_pct / 100)


def implied_previous(level: float, growth_pct: float) -> float | None:
    """The previous-year level a stated growth implies: level ÷ (1 + g/100). 56.8 at +30.5 % → 43.52."""
    factor = 1 + growth_pct / 100
    return None if factor <= 0 else level / factor


def implied_previous_from_multiple(level: float, multiple: float) -> float | None:
    """增长 m 倍 read strictly: the new level is (1 + m) times the old one."""
    return None if multiple <= -1 else level / (1 + multiple)


def nominal_change_pct(level: float, previous: float) -> float | None:
    """(level ÷ previous − 1) × 100; undefined for a zero or negative previous level."""
    if previous is None or previous <= 0:
        return None
    return (level / previous - 1) * 100


def cagr(start: float, end: float, years: float) -> float | None:
    """Compound annual growth rate, as a fraction. Undefined unless start > 0, end ≥ 0 and years > 0."""
    if start is None or end is None or start <= 0 or end < 0 or years <= 0:
        return None
    return (end / start) ** (1 / years) - 1


def pace_class(baseline: float, current: float, target: float, baseline_year: int, current_year: int,
               target_year: int, direction: str = "higher", th: Thresholds = THRESHOLDS) -> dict:
    """Statistics Canada's method for progress towards a target (used by Open SDG's progress status):

    observed CAGR from baseline to the latest value, required CAGR from baseline to the target, R = observed ÷
    required; target already met → achieved; R ≥ 0.95 on track; 0.6 ≤ R < 0.95 acceleration needed;
    0 ≤ R < 0.6 limited progress; R < 0 deterioration.
    Source: Statistics Canada, "Sustainable Development Goals Data Hub — progress assessment methodology";
    open-sdg.org documentation, "Progress status" (the same thresholds).
    """
    out = {"required_cagr": cagr(baseline, target, target_year - baseline_year),
           "observed_cagr": cagr(baseline, current, current_year - baseline_year), "ratio": None}
    if meets(current, "=", target, direction):
        return out | {"class": "achieved"}
    req, obs = out["required_cagr"], out["observed_cagr"]
    if req is None or obs is None or req == 0:
        return out | {"class": "no_progress_data"}
    out["ratio"] = obs / req
    return out | {"class": progress_class(out["ratio"], th)}


def progress_class(ratio: float, th: Thresholds = THRESHOLDS) -> str:
    """The progress class of R = observed CAGR ÷ required CAGR (pace_class)."""
    if ratio >= th.on_track:
        return "on_track"
    if ratio >= th.acceleration:
        return "acceleration_needed"
    return "limited_progress" if ratio >= 0 else "deterioration"


def assess_target(basis: str, comparator: str, target: float, direction: str = "higher", *,
                  actual: float | None = None, actual_level: float | None = None,
                  previous_level: float | None = None, th: Thresholds = THRESHOLDS) -> dict:
    """Attainment of one target.

    `actual` is the actual of the same basis (a level for a level target, a count of new units for a new_count
    target, a stated growth for a growth target, a rank for a rank target…). A growth target is compared on
    levels when both this year's and last year's levels are known (target level = previous × (1 + g/100));
    otherwise on the stated growth, in percentage points.
    """
    out = {"actual": None, "ratio": None, "gap": None, "met": None, "method": None, "implied_target_level": None}
    if basis == "pp_change" and not _finite(actual) and _finite(actual_level) and _finite(previous_level):
        # 提高 X 个百分点 with no stated change: the two years' shares (share_pct levels) give it.
        actual = actual_level - previous_level
        met = meets(actual, comparator, target, direction, th.approx_tolerance)
        ratio = attainment_ratio(actual, target, direction)
        return out | {"actual": actual, "ratio": ratio, "gap": actual - target, "met": met,
                      "method": "share levels (pp)", "status": classify(met, ratio, th)}
    if basis == "growth_pct" and _finite(previous_level):
        out["implied_target_level"] = implied_level(previous_level, target)
        if _finite(actual_level):
            target_level = out["implied_target_level"]
            met = meets(actual_level, comparator, target_level, direction, th.approx_tolerance)
            ratio = attainment_ratio(actual_level, target_level, direction)
            growth = nominal_change_pct(actual_level, previous_level)
            return out | {"actual": growth, "ratio": ratio, "gap": None if growth is None else growth - target,
                          "met": met, "method": "levels", "status": classify(met, ratio, th)}
    if not _finite(actual):
        return out | {"status": "no_actual"}
    met = meets(actual, comparator, target, direction, th.approx_tolerance)
    if basis == "growth_pct":
        # Compare growth factors: the same as comparing levels against the same (unknown) previous level.
        ratio = (1 + actual / 100) / (1 + target / 100) if target > -100 else None
        method = "stated growth (pp)"
    elif basis == "rank":
        ratio = target / actual if actual > 0 else None
        method = "rank"
    elif basis == "pp_change":
        # Percentage points against percentage points; the gap is the headline (−0.3 pp), the ratio the status.
        ratio = attainment_ratio(actual, target, direction)
        method = "stated change (pp)"
    else:
        ratio = attainment_ratio(actual, target, direction)
        method = basis
    return out | {"actual": actual, "ratio": ratio, "gap": actual - target, "met": met, "method": method,
                  "status": classify(met, ratio, th)}


# Unit families whose figures accumulate over the year (an amount, a count): only these can be read as a share
# of an annual target. A rate, an intensity or a lead time to date is not a share of anything.
_ACCUMULATING = {"money", "area_mu", "area_km2", "floor_area", "people"}


def accumulates(unit: str | None) -> bool:
    fam = UNITS.get(unit or "", ("",))[0]
    return fam.startswith("count:") or fam in _ACCUMULATING


def schedule_class(pace_ratio: float, comparator: str = "=", th: Thresholds = THRESHOLDS) -> str:
    """时序进度 class from pace = (share of target reached) ÷ (share of year elapsed), inverted for lower is better."""
    on_bar = th.schedule_on - (th.approx_tolerance if comparator == "≈" else 0.0)
    if pace_ratio >= th.schedule_ahead:
        return "ahead_of_schedule"
    return "on_schedule" if pace_ratio >= on_bar else "behind_schedule"


def assess_progress(basis: str, comparator: str, target: float, direction: str = "higher", *, actual: float,
                    elapsed_share: float, unit: str | None = None, period: str = "",
                    th: Thresholds = THRESHOLDS) -> dict:
    """时序进度 of an annual target from a cumulative partial-year actual (1-9月 → 75 % of the year elapsed).

    level / new_count (an amount that accumulates from January): progress share = actual ÷ target, set against
    the elapsed share; pace = progress ÷ elapsed. Lower is better (a ceiling on a cumulative count, 安全事故 ≤ 3
    起): the share of the ceiling used should stay at or below the elapsed share; pace = elapsed ÷ used.
    growth_pct: the growth to date against the target rate — the gap in pp, the pace as the ratio of growth
    factors (the same as levels against the target path, whatever last year's monthly profile).
    Anything else (shares, ranks, reductions, pp changes, rates or intensities to date) is not comparable.
    Never met / not met: the year is not over.
    """
    out = {"actual": actual, "ratio": None, "gap": actual - target, "met": None, "implied_target_level": None,
           "progress_share": None, "elapsed_share": elapsed_share}
    label = f"year to date ({period})"
    if basis in ("level", "new_count"):
        if not accumulates(unit):
            return out | {"status": "not_comparable",
                          "method": f"{label}: {unit or basis} does not accumulate over the year"}
        if direction == "lower":
            if target <= 0:  # 零事故: any event already breaks the ceiling
                share, pace = (0.0, th.schedule_on) if actual <= 0 else (None, 0.0)
            else:
                share = actual / target
                pace = math.inf if share <= 0 else elapsed_share / share
        else:
            if target <= 0:
                return out | {"status": "not_comparable", "method": f"{label}: target ≤ 0"}
            share = actual / target
            pace = share / elapsed_share
        return out | {"progress_share": share, "method": f"{label}: share of target vs share of year",
                      "status": schedule_class(pace, comparator, th)}
    if basis == "growth_pct":
        if target <= -100 or actual <= -100:
            return out | {"status": "not_comparable", "method": f"{label}: growth of −100 % or less"}
        factor = (1 + actual / 100) / (1 + target / 100)
        pace = factor if direction != "lower" else 1 / factor
        return out | {"method": f"{label}: growth to date vs target rate (pp)",
                      "status": schedule_class(pace, comparator, th)}
    return out | {"status": "not_comparable",
                  "method": f"{label}: {basis} to date is not compared with an annual target"}
