"""Year-on-year change and pace to multi-year targets, for the whole dataset at once."""
from __future__ import annotations

import pandas as pd

from .frames import KEY, _actuals, for_engine, with_periods
from .sql import query
from .rules import THRESHOLDS, Thresholds, pace_class


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


def pace(obs: pd.DataFrame, ind: pd.DataFrame, th: Thresholds = THRESHOLDS) -> pd.DataFrame:
    """Pace to every multi-year target (a target with a baseline year), never mixing scopes.

    The baseline and latest values come only from actual levels of the same park, scope and indicator: a
    district target with no district baseline says "no baseline" rather than borrowing the park's figure.
    """
    obs = with_periods(obs)
    targets = obs[(obs["kind"] == "target") & obs["baseline_year"].notna()].merge(ind, on="indicator_id", how="left")
    levels = _actuals(obs, "level")
    # only the levels of the multi-year targets' own park, scope and indicator, grouped once
    levels = levels.merge(targets[KEY].drop_duplicates(), on=KEY)
    points: dict[tuple, list[tuple[int, float]]] = {}  # (year, value) per key, in the data's order
    for key, year, value in zip(zip(levels["park_id"], levels["scope"], levels["indicator_id"]),
                                levels["year"].tolist(), levels["value_std"].tolist()):
        points.setdefault(key, []).append((year, value))
    rows = []
    for r in targets.itertuples(index=False):
        same = points.get((r.park_id, r.scope, r.indicator_id), [])
        base_values = [v for y, v in same if y == r.baseline_year]
        later = sorted([(y, v) for y, v in same if r.baseline_year < y <= r.year], key=lambda point: point[0])
        row = {"park_id": r.park_id, "scope": r.scope, "indicator_id": r.indicator_id,
               "target_level": r.target_level, "basis": r.basis,
               "baseline_year": int(r.baseline_year), "baseline_value": None, "current_year": None,
               "current_value": None, "target_year": r.year, "target_value": r.value_std, "comparator": r.comparator,
               "unit": r.unit_std,
               "required_cagr_pct": None, "observed_cagr_pct": None, "ratio": None, "note": None}
        # note: why there is no pace (a code; worded by i18n.PACE_NOTE with the row's basis, scope and years)
        if r.basis not in ("level", "reduction_pct"):
            cls, row["note"] = "not_applicable", "no_level_path"     # a share, rank or count: no level path
        elif not base_values:
            cls, row["note"] = "no_baseline", "no_baseline_actual"
        elif not later:
            cls, row["note"] = "no_progress_data", "no_later_actual"
            row["baseline_value"] = float(base_values[0])
        else:
            baseline = float(base_values[0])
            current_year, current_value = later[-1]
            target_value = r.value_std
            if r.basis == "reduction_pct":  # a reduction of X % from the baseline level
                target_value = baseline * (1 - r.value_std / 100)
            res = pace_class(baseline, float(current_value), target_value, int(r.baseline_year),
                             int(current_year), int(r.year), r.direction, th)
            cls = res["class"]
            row |= {"baseline_value": baseline, "current_year": int(current_year),
                    "current_value": float(current_value), "ratio": res["ratio"],
                    "required_cagr_pct": None if res["required_cagr"] is None else res["required_cagr"] * 100,
                    "observed_cagr_pct": None if res["observed_cagr"] is None else res["observed_cagr"] * 100}
        rows.append(row | {"class": cls})
    return pd.DataFrame(rows, columns=PACE_COLUMNS).sort_values(KEY + ["target_year"], ignore_index=True)


# every self-check `checks` can return (i18n.CHECK labels each): a stated relation, then the catalogue's structure
