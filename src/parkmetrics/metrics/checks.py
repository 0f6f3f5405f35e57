"""The self-checks: what a document states against what its own figures give (stated growth, net change, multiple,
share of plan, parts summing to the whole), for the whole dataset at once."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from .frames import KEY, for_engine, with_periods
from .sql import query
from .rules import THRESHOLDS, Thresholds


# every self-check `checks` can return (i18n.CHECK labels each): a stated relation, then the catalogue's structure
CHECK_NAMES = ("stated_growth", "stated_net_change", "stated_multiple", "share_of_plan", "parts_sum_to_whole",
               "subset_within_superset", "share_matches_parts")
CHECK_COLUMNS = ["check", "park_id", "scope", "year", "indicator_id", "kind", "target_level", "stated", "computed",
                 "difference", "status", "detail", "detail_args", "quote", "period"]
# The table's types, whatever its rows: numbers as floats (NaN where there is none), text as text
CHECK_DTYPES = {"year": "int64", "stated": float, "computed": float, "difference": float} | {
    c: "str" for c in CHECK_COLUMNS if c not in ("year", "stated", "computed", "difference")}


def detail_args(**args) -> str:
    """A check's detail arguments as compact JSON (numbers to 6 significant digits, so the row-by-row reference and
    the vectorised table agree): codes and numbers only; views.check_detail words them from i18n.CHECK_DETAIL."""
    return json.dumps({k: float(f"{v:.6g}") if isinstance(v, float) else v for k, v in args.items()},
                      ensure_ascii=False, separators=(",", ":"), sort_keys=True)





def _by_park(checks: pd.DataFrame) -> pd.DataFrame:
    """Checks grouped by park (a stable sort: within a park, by relation, then in the order of the data), so that
    a park's rows are one block, as in every other metric table (`splice` replaces a park's block)."""
    return checks.sort_values("park_id", kind="stable", ignore_index=True)


# Each stated relation beside the levels it is made of: the year's and the year before's last level actual of the
# same park, scope, indicator and period, and (为年度预算的 X%) the year's first full-year level target of the park and
# indicator; the computed side, the status and the previous level (or plan) the relation implies where it cannot be
# checked. Keyed by period: 1-9月 growth against the 1-9月 levels of both years, never a full-year level.
_STATED = """
WITH levels AS (
    SELECT * FROM obs WHERE kind = 'actual' AND basis = 'level'
    QUALIFY row_number() OVER (PARTITION BY park_id, scope, indicator_id, period, year ORDER BY row_order DESC) = 1
), plans AS (
    SELECT * FROM obs WHERE kind = 'target' AND basis = 'level' AND full_year
    QUALIFY row_number() OVER (PARTITION BY park_id, indicator_id, year ORDER BY row_order) = 1
), stated AS (
    SELECT s.*, now.value_std AS now, before.value_std AS before, plan.value_std AS plan,
           list_position(['growth_pct', 'change_abs', 'growth_multiple', 'pct_of_plan'], s.basis) AS relation
    FROM obs s
    LEFT JOIN levels now ON now.park_id = s.park_id AND now.scope = s.scope AND now.indicator_id = s.indicator_id
         AND now.period = s.period AND now.year = s.year
    LEFT JOIN levels before ON before.park_id = s.park_id AND before.scope = s.scope
         AND before.indicator_id = s.indicator_id AND before.period = s.period AND before.year = s.year - 1
    LEFT JOIN plans plan ON plan.park_id = s.park_id AND plan.indicator_id = s.indicator_id AND plan.year = s.year
    WHERE s.kind = 'actual' AND s.basis IN ('growth_pct', 'change_abs', 'growth_multiple', 'pct_of_plan')
), computed AS (
    SELECT *,
           CASE WHEN basis = 'pct_of_plan' THEN now IS NOT NULL AND coalesce(plan > 0, false)
                ELSE now IS NOT NULL AND before IS NOT NULL END AS can,
           CASE basis WHEN 'growth_pct' THEN nominal_change_pct(now, before)
                      WHEN 'change_abs' THEN now - before
                      WHEN 'growth_multiple' THEN CASE WHEN before > 0 THEN now / before - 1 END
                      WHEN 'pct_of_plan' THEN CASE WHEN plan > 0 THEN now / plan * 100 END END AS value_computed,
           CASE basis WHEN 'growth_pct' THEN implied_previous(now, value_std)
                      WHEN 'change_abs' THEN now - value_std
                      WHEN 'growth_multiple' THEN implied_previous_from_multiple(now, value_std)
                      WHEN 'pct_of_plan' THEN CASE WHEN value_std <> 0 THEN now / (value_std / 100) END END AS implied,
           CASE WHEN basis IN ('growth_pct', 'pct_of_plan') THEN $tolerance ELSE 0.5 END AS tolerance
    FROM stated
)
SELECT ['stated_growth', 'stated_net_change', 'stated_multiple', 'share_of_plan'][relation] AS "check",
       park_id, scope, year, indicator_id, value_std AS stated,
       CASE WHEN can THEN value_computed END AS computed,
       CASE WHEN NOT can THEN 'unverifiable'
            WHEN abs(value_computed - value_std) <= tolerance THEN 'ok' ELSE 'mismatch' END AS status,
       CASE WHEN can AND abs(value_computed - value_std) <= tolerance THEN ''
            WHEN can THEN CASE WHEN basis = 'growth_pct' THEN 'comparable_prices' ELSE '' END
            WHEN basis = 'pct_of_plan' THEN CASE WHEN now IS NOT NULL AND plan <= 0 THEN 'zero_plan'
                                                 WHEN coalesce(implied <> 0, false) THEN 'implied_plan'
                                                 ELSE 'no_level' END
            WHEN implied IS NOT NULL THEN 'implied_previous' ELSE 'missing_level' END AS detail,
       implied, row_order AS quote_row, period
FROM computed ORDER BY relation, row_order
"""


def checks(obs: pd.DataFrame, ind: pd.DataFrame, th: Thresholds = THRESHOLDS) -> pd.DataFrame:
    """Recompute every relation the documents state and list where they disagree beyond rounding:

    - stated growth (同比增长 X%) and net change (同比净增 X) against the two years' levels;
    - 为年度预算的 X% against the budget target, when the data holds one;
    - parts against their whole (five sectors sum to the district's output target);
    - a subset never larger than its superset (5000万元以上项目 ≤ 签约项目);
    - a stated share against the parts and the whole it is made of.
    Where the data lacks the other side of a relation, the row says "cannot check" and shows what the relation
    implies (the derived previous level), so an editor knows which figure would settle it.

    The stated relations and the catalogue's structure (parts, subsets, shares) are DuckDB queries (_STATED,
    _STRUCTURE): the same relations, rows and order as the row-by-row reference in tests/reference/metrics_rowwise.py.
    """
    obs = with_periods(obs)
    columns = KEY + ["year", "kind", "period", "full_year", "basis", "value_std"]
    stated = _cited(query(_STATED, obs=for_engine(obs, columns), params={"tolerance": th.check_tolerance_pp}), obs)
    implied = stated.pop("implied").to_numpy(dtype=float, na_value=np.nan)
    told = stated["detail"].isin(["implied_plan", "implied_previous"]).to_numpy()
    args = np.full(len(stated), "", dtype=object)
    args[told] = [detail_args(value=float(v)) for v in implied[told]]
    stated = stated.assign(kind="actual", target_level=None, difference=stated["computed"] - stated["stated"],
                           detail_args=args)
    structure = _structural_checks(obs, ind, th).assign(difference=lambda t: t["computed"] - t["stated"])
    return _by_park(pd.concat([stated[CHECK_COLUMNS].astype(CHECK_DTYPES),
                               structure[CHECK_COLUMNS].astype(CHECK_DTYPES)], ignore_index=True))


def _cited(table: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """A check table with the quote of the row each check cites (its `quote_row`), taken once the few rows are known:
    the documents' sentences never go through the engine."""
    rows = table.pop("quote_row").to_numpy(dtype="int64")
    return table.assign(quote=obs["quote"].take(rows).array)   # taken in its own dtype: no Python strings


# The catalogue's structure against the figures (levels only): parts that sum to their whole (same park, scope,
# year, period, kind and target level, every part present), a subset never above its superset, a stated share
# against the base targets of its parts and whole (SHARE_RELATIONS). Where one key holds several rows, the last in
# the documents' order stands for it. Ordered as the report lists them: parts by parent (catalogue order), subsets
# and shares in the documents' order.
_STRUCTURE = """
WITH flows AS (
    SELECT * FROM obs WHERE basis = 'level' AND indicator_id IN (SELECT indicator_id FROM related)
), value_at AS (
    SELECT * FROM flows
    QUALIFY row_number() OVER (PARTITION BY park_id, scope, year, period, kind, target_level, indicator_id
                               ORDER BY row_order DESC) = 1
), sums AS (
    SELECT c.parent, c.parent_order, c.children, f.park_id, f.scope, f.year, f.period, f.kind, f.target_level,
           count(*) AS n, sum(f.value_std) AS total, list(f.indicator_id ORDER BY f.row_order) AS parts
    FROM flows f JOIN children c ON c.child = f.indicator_id
    GROUP BY ALL
), whole_checks AS (
    SELECT 1 AS section, s.parent_order AS position, 'parts_sum_to_whole' AS "check", w.park_id, w.scope, w.year,
           w.indicator_id, w.kind, w.target_level, w.value_std AS stated, s.total AS computed,
           CASE WHEN abs(s.total - w.value_std) <= $rel * greatest(abs(w.value_std), 1) THEN 'ok' ELSE 'mismatch' END
               AS status,
           'parts' AS detail, '{"parts":' || to_json(s.parts) || '}' AS detail_args, w.row_order AS quote_row,
           w.period, 0 AS row_order
    FROM sums s JOIN value_at w ON w.indicator_id = s.parent AND w.park_id = s.park_id AND w.scope = s.scope
         AND w.year = s.year AND w.period = s.period AND w.kind = s.kind
         AND w.target_level IS NOT DISTINCT FROM s.target_level
    WHERE s.n >= s.children
), subset_checks AS (
    SELECT 2, 0, 'subset_within_superset', f.park_id, f.scope, f.year, f.indicator_id, f.kind, f.target_level,
           f.value_std, sup.value_std, CASE WHEN f.value_std <= sup.value_std THEN 'ok' ELSE 'mismatch' END,
           'subset', '{"subset":' || to_json(f.indicator_id) || ',"superset":' || to_json(r.superset) || '}',
           f.row_order, f.period, f.row_order
    FROM flows f JOIN supersets r ON r.subset = f.indicator_id
    JOIN value_at sup ON sup.indicator_id = r.superset AND sup.park_id = f.park_id AND sup.scope = f.scope
         AND sup.year = f.year AND sup.period = f.period AND sup.kind = f.kind
         AND sup.target_level IS NOT DISTINCT FROM f.target_level
), bases AS (
    SELECT * FROM obs WHERE kind = 'target' AND target_level = 'base'
    QUALIFY row_number() OVER (PARTITION BY park_id, scope, year, period, indicator_id ORDER BY row_order DESC) = 1
), share_sums AS (
    SELECT o.park_id, o.scope, o.year, o.indicator_id, o.kind, o.target_level, o.value_std AS stated,
           sum(p.value_std) / any_value(w.value_std) * 100 AS computed,
           any_value('{"parts":' || to_json(r.parts) || ',"whole":' || to_json(r.whole) || '}') AS detail_args,
           o.row_order AS quote_row, o.period, o.row_order
    FROM obs o JOIN shares r ON r.share = o.indicator_id
    JOIN bases w ON w.indicator_id = r.whole AND w.park_id = o.park_id AND w.scope = o.scope AND w.year = o.year
         AND w.period = o.period
    JOIN bases p ON list_contains(r.parts, p.indicator_id) AND p.park_id = o.park_id AND p.scope = o.scope
         AND p.year = o.year AND p.period = o.period
    WHERE o.basis = 'share_pct' AND w.value_std <> 0
    GROUP BY ALL HAVING count(*) = any_value(len(r.parts))
), share_checks AS (
    SELECT 3, 0, 'share_matches_parts', park_id, scope, year, indicator_id, kind, target_level, stated, computed,
           CASE WHEN abs(computed - stated) <= $pp THEN 'ok' ELSE 'mismatch' END, 'share_parts', detail_args, quote_row,
           period, row_order
    FROM share_sums
)
SELECT * EXCLUDE (section, position, row_order) FROM (
    SELECT * FROM whole_checks UNION ALL SELECT * FROM subset_checks UNION ALL SELECT * FROM share_checks)
ORDER BY section, position, row_order, park_id, scope, year, period, kind, target_level NULLS LAST
"""


def _structural_checks(obs: pd.DataFrame, ind: pd.DataFrame, th: Thresholds) -> pd.DataFrame:
    """The catalogue's structure checked set-wise (_STRUCTURE)."""
    children = ind.loc[ind["parent"].notna(), ["indicator_id", "parent"]].rename(columns={"indicator_id": "child"})
    order = {parent: n for n, parent in enumerate(dict.fromkeys(children["parent"]))}
    children = children.assign(parent_order=children["parent"].map(order),
                               children=children.groupby("parent")["child"].transform("size"))
    supersets = ind.loc[ind["subset_of"].notna(), ["indicator_id", "subset_of"]].set_axis(["subset", "superset"],
                                                                                         axis=1)
    related = pd.DataFrame({"indicator_id": pd.unique(pd.concat(
        [children["child"], children["parent"], supersets["subset"], supersets["superset"]], ignore_index=True))},
        dtype="str")
    shares = pd.DataFrame([{"share": k, "parts": parts, "whole": whole} for k, (parts, whole) in SHARE_RELATIONS.items()])
    named = set(related["indicator_id"]) | {i for k, (parts, whole) in SHARE_RELATIONS.items() for i in [k, *parts, whole]}
    obs = obs[obs["indicator_id"].isin(named).to_numpy(dtype=bool)]   # only what a relation names: a small part
    columns = KEY + ["year", "kind", "target_level", "period", "basis", "value_std"]
    return _cited(query(_STRUCTURE, obs=for_engine(obs, columns), children=children, supersets=supersets,
                        related=related, shares=shares,
                        params={"rel": th.check_tolerance_rel, "pp": th.check_tolerance_pp}), obs)


# A stated share and what it is made of. Declared here because it is arithmetic, not data.
SHARE_RELATIONS = {
    "strategic_emerging_share": (["industrial_output_biomedicine", "industrial_output_new_energy"],
                                 "industrial_output"),
}
