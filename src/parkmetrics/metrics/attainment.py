"""Target attainment for the whole dataset at once: every target with its same-basis actual, the ratio, the
status and the schedule — a DuckDB query whose rules are the scalar rules of rules.py written as SQL macros
(metrics/sql.py); tests/reference/metrics_rowwise.py applies rules.py row by row as the oracle."""
from __future__ import annotations

import pandas as pd

from .frames import KEY, for_engine, with_periods
from .sql import query
from .rules import THRESHOLDS, Thresholds, accumulates


ATTAINMENT_COLUMNS = ["park_id", "scope", "indicator_id", "year", "baseline_year", "target_level", "comparator",
                      "basis", "target_value", "unit", "actual_value", "ratio", "gap", "status", "method",
                      "implied_target_level", "summary", "flags", "source", "quote", "period", "elapsed_share",
                      "progress_share"]
# The table's types, whatever its rows: numbers as floats (NaN where there is none), text as text
ATTAINMENT_DTYPES = {"year": "int64", "baseline_year": "Int64", "target_value": float, "actual_value": float,
                     "ratio": float, "gap": float, "implied_target_level": float, "elapsed_share": float,
                     "progress_share": float} | {c: "str" for c in ("park_id", "scope", "indicator_id", "target_level",
                                                                    "comparator", "basis", "unit", "status", "method",
                                                                    "summary", "flags", "source", "quote", "period")}
FLAG_NAMES = ("estimate", "approximate", "district", "multi_year", "partial_year")  # an attainment row's flags

# Every target with what attainment needs beside it (each lookup keyed by period too: an annual target meets
# full-year figures only, an H1 target H1 ones), then assess_target's branches, then — for an annual target with
# no full-year actual — assess_progress on the cumulative partial actual reaching furthest into the year, or the
# slices of the year (Q2, H2, 3月) reported, which are never compared with it.
_ATTAINMENT = """
WITH actuals AS (
    SELECT * FROM obs WHERE kind = 'actual'
), firsts AS (       -- the first actual of each park, scope, indicator, period, basis and year (the documents' order)
    SELECT * FROM actuals
    QUALIFY row_number() OVER (PARTITION BY park_id, scope, indicator_id, period, basis, year ORDER BY row_order) = 1
), parts AS (        -- the cumulative partial actual reaching furthest into the year
    SELECT * FROM actuals WHERE cumulative AND NOT full_year
    QUALIFY row_number() OVER (PARTITION BY park_id, scope, indicator_id, basis, year
                               ORDER BY last_month DESC, period DESC, row_order DESC) = 1
), slices AS (
    SELECT park_id, scope, indicator_id, basis, year, string_agg(period, ' ' ORDER BY period) AS periods
    FROM actuals WHERE NOT cumulative AND NOT full_year GROUP BY ALL
), inputs AS (
    SELECT t.*, coalesce(c.direction = 'higher', false) AS higher, coalesce(c.direction = 'lower', false) AS lower,
           coalesce(u.accumulates, false) AS accumulates,
           same.value_std AS a_same, same.estimate AS a_est, same.approximate AS a_approx,
           now.value_std AS level_now, now.estimate AS level_est, prev.value_std AS level_prev, prev.estimate AS prev_est,
           part.value_std AS part_value, part.period AS part_period, part.elapsed_share AS part_elapsed,
           part.estimate AS part_est, part.approximate AS part_approx, sl.periods AS slice_periods
    FROM obs t
    LEFT JOIN catalogue c ON c.indicator_id = t.indicator_id
    LEFT JOIN units u ON u.unit = t.unit_std
    LEFT JOIN firsts same ON same.park_id = t.park_id AND same.scope = t.scope AND same.indicator_id = t.indicator_id
         AND same.period = t.period AND same.basis = t.basis AND same.year = t.year
    -- a pp_change target reads its two years' levels from the share_pct actuals; every other basis from levels
    LEFT JOIN firsts now ON now.park_id = t.park_id AND now.scope = t.scope AND now.indicator_id = t.indicator_id
         AND now.period = t.period AND now.year = t.year
         AND now.basis = CASE WHEN t.basis = 'pp_change' THEN 'share_pct' ELSE 'level' END
    LEFT JOIN firsts prev ON prev.park_id = t.park_id AND prev.scope = t.scope AND prev.indicator_id = t.indicator_id
         AND prev.period = t.period AND prev.year = t.year - 1
         AND prev.basis = CASE WHEN t.basis = 'pp_change' THEN 'share_pct' ELSE 'level' END
    LEFT JOIN parts part ON part.park_id = t.park_id AND part.scope = t.scope AND part.indicator_id = t.indicator_id
         AND part.basis = t.basis AND part.year = t.year
    LEFT JOIN slices sl ON sl.park_id = t.park_id AND sl.scope = t.scope AND sl.indicator_id = t.indicator_id
         AND sl.basis = t.basis AND sl.year = t.year
    WHERE t.kind = 'target'
), branch AS (       -- assess_target: which actual the target is judged on
    SELECT *,
           CASE WHEN basis = 'pp_change' AND a_same IS NULL AND level_now IS NOT NULL AND level_prev IS NOT NULL
                     THEN 'share levels (pp)'
                WHEN basis = 'growth_pct' AND level_prev IS NOT NULL AND level_now IS NOT NULL THEN 'levels'
                WHEN a_same IS NOT NULL THEN CASE basis WHEN 'growth_pct' THEN 'stated growth (pp)'
                                                        WHEN 'rank' THEN 'rank'
                                                        WHEN 'pp_change' THEN 'stated change (pp)' ELSE basis END
           END AS judged,
           CASE WHEN basis = 'growth_pct' AND level_prev IS NOT NULL
                THEN implied_level(level_prev, value_std) END AS implied_target_level
    FROM inputs
), judged AS (
    SELECT *,
           CASE judged WHEN 'share levels (pp)' THEN level_now - level_prev
                       WHEN 'levels' THEN nominal_change_pct(level_now, level_prev)
                       ELSE a_same END AS actual,
           CASE WHEN judged = 'share levels (pp)'
                     THEN meets(level_now - level_prev, comparator, value_std, higher, $tolerance)
                WHEN judged = 'levels' THEN meets(level_now, comparator, implied_target_level, higher, $tolerance)
                WHEN judged IS NOT NULL THEN meets(a_same, comparator, value_std, higher, $tolerance) END AS met,
           CASE WHEN judged = 'share levels (pp)' THEN attainment_ratio(level_now - level_prev, value_std, lower)
                WHEN judged = 'levels' THEN attainment_ratio(level_now, implied_target_level, lower)
                WHEN judged = 'stated growth (pp)'
                     THEN CASE WHEN value_std > -100 THEN (1 + a_same / 100) / (1 + value_std / 100) END
                WHEN judged = 'rank' THEN CASE WHEN a_same > 0 THEN value_std / a_same END
                WHEN judged IS NOT NULL THEN attainment_ratio(a_same, value_std, lower) END AS ratio
    FROM branch
), progress AS (     -- assess_progress, for an annual target with no full-year actual and a cumulative part
    SELECT *,
           period = '' AND judged IS NULL AND part_value IS NOT NULL AS by_progress,
           'year to date (' || part_period || ')' AS label,
           CASE WHEN basis IN ('level', 'new_count') AND accumulates THEN
                CASE WHEN lower AND value_std <= 0 THEN CASE WHEN part_value <= 0 THEN 0.0 END
                     WHEN value_std > 0 THEN part_value / value_std END END AS progress_share
    FROM judged
), scheduled AS (
    SELECT *,
           CASE WHEN basis IN ('level', 'new_count') THEN
                CASE WHEN NOT accumulates THEN NULL
                     WHEN lower AND value_std <= 0 THEN CASE WHEN part_value <= 0 THEN $on ELSE 0.0 END
                     WHEN lower THEN CASE WHEN progress_share <= 0 THEN 'inf'::DOUBLE
                                          ELSE part_elapsed / progress_share END
                     WHEN value_std > 0 THEN progress_share / part_elapsed END
                WHEN basis = 'growth_pct' AND value_std > -100 AND part_value > -100 THEN
                     CASE WHEN lower THEN 1 / ((1 + part_value / 100) / (1 + value_std / 100))
                          ELSE (1 + part_value / 100) / (1 + value_std / 100) END
           END AS pace,
           CASE WHEN basis IN ('level', 'new_count') THEN
                CASE WHEN NOT accumulates
                         THEN label || ': ' || coalesce(nullif(unit_std, ''), basis) || ' does not accumulate over the year'
                     WHEN NOT lower AND value_std <= 0 THEN label || ': target ≤ 0'
                     ELSE label || ': share of target vs share of year' END
                WHEN basis = 'growth_pct' THEN
                     CASE WHEN value_std <= -100 OR part_value <= -100 THEN label || ': growth of −100 % or less'
                          ELSE label || ': growth to date vs target rate (pp)' END
                ELSE label || ': ' || basis || ' to date is not compared with an annual target'
           END AS progress_method
    FROM progress
), assessed AS (
    SELECT *,
           period = '' AND judged IS NULL AND NOT by_progress AND slice_periods IS NOT NULL AS by_slices,
           CASE WHEN by_progress THEN CASE WHEN pace IS NULL THEN 'not_comparable'
                                           ELSE schedule_class(pace, comparator, $ahead, $on, $tolerance) END
                WHEN judged IS NULL THEN 'no_actual'
                ELSE classify(met, ratio, $exceeded, $near) END AS status0
    FROM scheduled
), rows AS (
    SELECT park_id, scope, indicator_id, year, baseline_year, target_level, comparator, basis,
           value_std AS target_value, unit_std AS unit,
           CASE WHEN by_progress THEN part_value ELSE actual END AS actual_value,
           CASE WHEN NOT by_progress THEN ratio END AS ratio,
           CASE WHEN by_progress THEN part_value - value_std ELSE actual - value_std END AS gap,
           CASE WHEN by_slices THEN 'not_comparable' ELSE status0 END AS status,
           CASE WHEN by_progress THEN progress_method
                WHEN by_slices THEN slice_periods || ': a slice of the year, not compared with an annual target'
                ELSE judged END AS method,
           implied_target_level,
           CASE WHEN by_progress THEN part_period WHEN by_slices THEN slice_periods
                WHEN judged IS NOT NULL OR period <> '' THEN period END AS period_used,
           CASE WHEN by_progress THEN coalesce(part_est, false)
                WHEN by_slices THEN false
                WHEN judged IN ('levels', 'share levels (pp)') THEN coalesce(level_est, false) OR coalesce(prev_est, false)
                ELSE coalesce(a_est, false) END AS f_estimate,
           coalesce(approximate, false) OR coalesce(CASE WHEN by_progress THEN part_approx ELSE a_approx END, false)
               AS f_approximate,
           by_progress OR by_slices OR period <> '' AS f_partial,
           source, quote, CASE WHEN by_progress THEN part_elapsed END AS elapsed_share,
           CASE WHEN by_progress THEN progress_share END AS progress_share,
           period AS target_period, row_order
    FROM assessed
), summaries AS (    -- base and stretch reported together per target group, in the documents' order
                     -- ("base:met stretch:not_met", worded by i18n.target_summary); none when a part has no level
    SELECT park_id, scope, indicator_id, year, basis, target_period,
           CASE WHEN count(*) = count(target_level)   -- (a list sorted on the row order: quicker than an ordered aggregate)
                THEN array_to_string(list_transform(list_sort(list({'o': row_order, 'part': target_level || ':' || status})),
                                                    lambda x: x.part), ' ') END AS summary
    FROM rows GROUP BY ALL
)
SELECT r.* EXCLUDE (period_used, f_estimate, f_approximate, f_partial, target_period, row_order), s.summary,
       concat_ws(' ', CASE WHEN f_estimate THEN 'estimate' END, CASE WHEN f_approximate THEN 'approximate' END,
                 CASE WHEN r.scope = 'district' THEN 'district' END,
                 CASE WHEN baseline_year IS NOT NULL THEN 'multi_year' END,
                 CASE WHEN f_partial THEN 'partial_year' END) AS flags,
       period_used AS period
FROM rows r
JOIN summaries s ON s.park_id = r.park_id AND s.scope = r.scope AND s.indicator_id = r.indicator_id
     AND s.year = r.year AND s.basis = r.basis AND s.target_period = r.target_period
ORDER BY r.park_id, r.scope, r.indicator_id, r.year, r.basis, r.target_level NULLS LAST, r.row_order
"""


def attainment(obs: pd.DataFrame, ind: pd.DataFrame, th: Thresholds = THRESHOLDS) -> pd.DataFrame:
    """A row per target: the matching actual (same park, scope, indicator, year, basis and period), ratio, status.

    An annual target with no full-year actual falls back to the latest cumulative partial actual (1-9月) and
    reports 时序进度 (`assess_progress`); a slice of the year (Q2, H2, 3月) is never compared with it.
    """
    obs = with_periods(obs)
    columns = KEY + ["year", "kind", "period", "full_year", "cumulative", "elapsed_share", "last_month",
                     "baseline_year", "target_level", "comparator", "basis", "value_std", "unit_std", "estimate",
                     "approximate", "source", "quote"]
    units = pd.Series(obs["unit_std"].dropna().unique(), dtype="str")   # rules.accumulates once per distinct unit
    table = query(_ATTAINMENT, obs=for_engine(obs, columns),
                  catalogue=ind[["indicator_id", "direction"]],
                  units=pd.DataFrame({"unit": units, "accumulates": pd.Series([accumulates(u) for u in units], dtype=bool)}),
                  params={"tolerance": th.approx_tolerance, "exceeded": th.exceeded, "near": th.near,
                          "ahead": th.schedule_ahead, "on": th.schedule_on})
    return table[ATTAINMENT_COLUMNS].astype(ATTAINMENT_DTYPES)
