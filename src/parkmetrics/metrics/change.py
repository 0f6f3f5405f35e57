"""Year-on-year change and pace to multi-year targets, for the whole dataset at once."""
from __future__ import annotations

import pandas as pd

from .frames import KEY, for_engine, with_periods
from .sql import query
from .rules import THRESHOLDS, Thresholds


YOY_COLUMNS = ["park_id", "scope", "indicator_id", "year", "value", "unit", "previous_value",
               "nominal_change_pct", "stated_change_pct", "gap_pp", "implied_previous", "implied_previous_basis",
               "derived", "approximate", "estimate", "source", "quote"]
# The table's types, whatever its rows: numbers as floats (NaN where there is none), flags as booleans, text as text
YOY_DTYPES = {"year": "int64"} | {c: float for c in ("value", "previous_value", "nominal_change_pct",
                                                    "stated_change_pct", "gap_pp", "implied_previous")} \
    | {c: bool for c in ("derived", "approximate", "estimate")} \
    | {c: "str" for c in ("park_id", "scope", "indicator_id", "unit", "implied_previous_basis", "source", "quote")}


# Per park, scope, indicator and year: the first full-year actual of each basis (the documents' order), then the
# year's level with the year before's, the stated growth, net change or multiple beside it, and the previous level
# that stated relation implies (the macros of metrics/sql.py).
_YOY = """
WITH firsts AS (
    SELECT * FROM obs
    WHERE kind = 'actual' AND full_year AND basis IN ('level', 'growth_pct', 'change_abs', 'growth_multiple')
    QUALIFY row_number() OVER (PARTITION BY park_id, scope, indicator_id, year, basis ORDER BY row_order) = 1
), years AS (
    SELECT * FROM firsts
    PIVOT (first(value_std) AS v, first(estimate) AS est, first(approximate) AS approx, first(source) AS src,
           first(quote) AS q
           FOR basis IN ('level' AS l, 'growth_pct' AS g, 'change_abs' AS c, 'growth_multiple' AS m)
           GROUP BY park_id, scope, indicator_id, year)
), joined AS (
    SELECT y.*, before.l_v AS previous_value, catalogue.indicator_unit AS unit,
           CASE WHEN y.l_v IS NULL THEN NULL
                WHEN y.g_v IS NOT NULL THEN 'growth_pct'
                WHEN y.c_v IS NOT NULL THEN 'change_abs'
                WHEN y.m_v IS NOT NULL THEN 'growth_multiple' END AS implied_previous_basis
    FROM years y
    LEFT JOIN years before ON before.park_id = y.park_id AND before.scope = y.scope
         AND before.indicator_id = y.indicator_id AND before.year = y.year - 1
    LEFT JOIN catalogue ON catalogue.indicator_id = y.indicator_id
), computed AS (
    SELECT *,
           nominal_change_pct(l_v, previous_value) AS nominal,
           CASE implied_previous_basis
                WHEN 'growth_pct' THEN implied_previous(l_v, g_v)
                WHEN 'change_abs' THEN l_v - c_v
                WHEN 'growth_multiple' THEN implied_previous_from_multiple(l_v, m_v) END AS implied
    FROM joined
)
SELECT park_id, scope, indicator_id, year, l_v AS value, unit, previous_value,
       nominal AS nominal_change_pct, g_v AS stated_change_pct, nominal - g_v AS gap_pp,
       implied AS implied_previous, implied_previous_basis, implied IS NOT NULL AS derived,
       coalesce(l_approx, false)
           OR (coalesce(implied_previous_basis, '') = 'growth_multiple' AND coalesce(m_approx, false)) AS approximate,
       coalesce(l_est, false) OR coalesce(g_est, false) AS estimate,
       coalesce(l_src, g_src) AS source, coalesce(g_q, c_q, m_q, l_q) AS quote
FROM computed ORDER BY park_id, scope, indicator_id, year
"""


def yoy(obs: pd.DataFrame, ind: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year change per park, indicator and year with an actual level or a stated change.

    Nominal change comes from levels; the stated growth (often at comparable prices, 可比价) is shown beside it
    and never overwritten; the previous-year level a stated relation implies is marked derived. A DuckDB query
    (tests/reference/metrics_rowwise.py holds the row-by-row reference built from the scalar rules).
    """
    obs = with_periods(obs)
    columns = KEY + ["year", "kind", "full_year", "basis", "value_std", "estimate", "approximate", "source", "quote"]
    return query(_YOY, obs=for_engine(obs, columns),
                 catalogue=ind[["indicator_id", "indicator_unit"]])[YOY_COLUMNS].astype(YOY_DTYPES)


PACE_COLUMNS = ["park_id", "scope", "indicator_id", "target_level", "basis", "baseline_year",
                "baseline_value", "current_year", "current_value", "target_year", "target_value", "comparator",
                "unit", "required_cagr_pct", "observed_cagr_pct", "ratio", "class", "note"]
PACE_DTYPES = {"baseline_year": "int64", "current_year": "Int64", "target_year": "int64"} \
    | {c: float for c in ("baseline_value", "current_value", "target_value", "required_cagr_pct",
                          "observed_cagr_pct", "ratio")} \
    | {c: "str" for c in ("park_id", "scope", "indicator_id", "target_level", "basis", "comparator", "unit", "class",
                          "note")}


# Per multi-year target (a target with a baseline year): the first full-year actual level at its baseline year and
# the latest one after it up to the target year (the last in the documents' order within that year), both of the
# same park, scope and indicator; then Statistics Canada's class on R = observed ÷ required CAGR (rules.pace_class,
# whose parts are the macros cagr and progress_class). A reduction of X % aims at the baseline level × (1 − X/100).
# `note` says why a target has no pace (a code; i18n.PACE_NOTE words it with the row's basis, scope and years).
_PACE = """
WITH targets AS (
    SELECT t.*, coalesce(c.direction = 'higher', false) AS higher
    FROM obs t LEFT JOIN catalogue c ON c.indicator_id = t.indicator_id
    WHERE t.kind = 'target' AND t.baseline_year IS NOT NULL
), levels AS (
    SELECT park_id, scope, indicator_id, year, value_std, row_order FROM obs
    WHERE kind = 'actual' AND basis = 'level' AND full_year
), found AS (
    SELECT t.row_order AS target_row,
           arg_min(l.value_std, l.row_order) FILTER (WHERE l.year = t.baseline_year) AS baseline_value,
           max(l.year) FILTER (WHERE t.baseline_year < l.year AND l.year <= t.year) AS current_year,
           arg_max(l.value_std, [l.year, l.row_order])
               FILTER (WHERE t.baseline_year < l.year AND l.year <= t.year) AS current_value
    FROM targets t JOIN levels l
         ON l.park_id = t.park_id AND l.scope = t.scope AND l.indicator_id = t.indicator_id
    GROUP BY t.row_order
), placed AS (
    SELECT t.*, f.baseline_value, f.current_year, f.current_value,
           CASE WHEN t.basis NOT IN ('level', 'reduction_pct') THEN 'no_level_path'
                WHEN f.baseline_value IS NULL THEN 'no_baseline_actual'
                WHEN f.current_year IS NULL THEN 'no_later_actual' END AS note,
           CASE WHEN t.basis = 'reduction_pct' THEN f.baseline_value * (1 - t.value_std / 100)
                ELSE t.value_std END AS goal
    FROM targets t LEFT JOIN found f ON f.target_row = t.row_order
), rated AS (
    SELECT *, CASE WHEN note IS NULL THEN cagr(baseline_value, goal, year - baseline_year) END AS required,
           CASE WHEN note IS NULL THEN cagr(baseline_value, current_value, current_year - baseline_year) END
               AS observed,
           note IS NULL AND meets(current_value, '=', goal, higher, 0.0) AS achieved
    FROM placed
)
SELECT park_id, scope, indicator_id, target_level, basis, baseline_year,
       CASE WHEN note IS NULL OR note = 'no_later_actual' THEN baseline_value END AS baseline_value,
       CASE WHEN note IS NULL THEN current_year END AS current_year,
       CASE WHEN note IS NULL THEN current_value END AS current_value,
       year AS target_year, value_std AS target_value, comparator, unit_std AS unit,
       required * 100 AS required_cagr_pct, observed * 100 AS observed_cagr_pct,
       CASE WHEN NOT achieved AND required <> 0 THEN observed / required END AS ratio,
       CASE note WHEN 'no_level_path' THEN 'not_applicable' WHEN 'no_baseline_actual' THEN 'no_baseline'
                 WHEN 'no_later_actual' THEN 'no_progress_data'
                 ELSE CASE WHEN achieved THEN 'achieved'
                           WHEN required IS NULL OR observed IS NULL OR required = 0 THEN 'no_progress_data'
                           ELSE progress_class(observed / required, $on_track, $acceleration) END END AS class,
       note
FROM rated ORDER BY park_id, scope, indicator_id, target_year, row_order
"""


def pace(obs: pd.DataFrame, ind: pd.DataFrame, th: Thresholds = THRESHOLDS) -> pd.DataFrame:
    """Pace to every multi-year target (a target with a baseline year), never mixing scopes: a DuckDB query
    (tests/reference/metrics_rowwise.py holds the row-by-row reference built from rules.pace_class).

    The baseline and latest values come only from actual levels of the same park, scope and indicator: a
    district target with no district baseline says "no baseline" rather than borrowing the park's figure.
    """
    obs = with_periods(obs)
    columns = KEY + ["year", "kind", "full_year", "baseline_year", "target_level", "comparator", "basis",
                     "value_std", "unit_std"]
    table = query(_PACE, obs=for_engine(obs, columns), catalogue=ind[["indicator_id", "direction"]],
                  params={"on_track": th.on_track, "acceleration": th.acceleration})
    return table[PACE_COLUMNS].astype(PACE_DTYPES)
