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





def _check_row(check: str, r, stated, computed, status: str, detail: tuple[str, str], quote: str | None,
               kind: str = "actual", target_level=None, indicator_id: str | None = None) -> dict:
    diff = None if stated is None or computed is None else computed - stated
    return {"check": check, "park_id": r.park_id, "scope": r.scope, "year": r.year,
            "indicator_id": indicator_id or r.indicator_id, "kind": kind, "target_level": target_level,
            "stated": stated, "computed": computed, "difference": diff, "status": status, "detail": detail[0],
            "detail_args": detail[1], "quote": quote, "period": getattr(r, "period", "")}


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
       implied, quote, period
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

    The stated relations are a DuckDB query (_STATED); the catalogue's structure (parts, subsets, shares) is
    walked in Python. The same relations, rows and order as the row-by-row reference in
    tests/reference/metrics_rowwise.py.
    """
    obs = with_periods(obs)
    columns = KEY + ["year", "kind", "period", "full_year", "basis", "value_std", "quote"]
    stated = query(_STATED, obs=for_engine(obs, columns), params={"tolerance": th.check_tolerance_pp})
    implied = stated.pop("implied").to_numpy(dtype=float, na_value=np.nan)
    told = stated["detail"].isin(["implied_plan", "implied_previous"]).to_numpy()
    args = np.full(len(stated), "", dtype=object)
    args[told] = [detail_args(value=float(v)) for v in implied[told]]
    stated = stated.assign(kind="actual", target_level=None, difference=stated["computed"] - stated["stated"],
                           detail_args=args)
    rows = _structural_checks(obs, ind, th)
    columns = {c: stated[c].tolist() + [r[c] for r in rows] for c in CHECK_COLUMNS}
    return _by_park(pd.DataFrame(columns, columns=CHECK_COLUMNS).astype(CHECK_DTYPES))


def _structural_checks(obs: pd.DataFrame, ind: pd.DataFrame, th: Thresholds) -> list[dict]:
    rows: list[dict] = []
    parents: dict[str, list[str]] = {}
    for child, parent in zip(ind["indicator_id"], ind["parent"]):
        if isinstance(parent, str):
            parents.setdefault(parent, []).append(child)
    superset_of = {i: sup for i, sup in zip(ind["indicator_id"], ind["subset_of"]) if isinstance(sup, str)}
    related = {*parents, *(c for cs in parents.values() for c in cs), *superset_of, *superset_of.values()}
    flows = obs[(obs["basis"] == "level") & obs["indicator_id"].isin(list(related))]  # only what a relation names
    group_key = ["park_id", "scope", "year", "period", "kind", "target_level"]   # parts of H1 sum to H1's whole
    value_at = {(r.park_id, r.scope, r.year, r.period, r.kind, r.target_level, r.indicator_id): r
                for r in flows.itertuples(index=False)}
    for parent, children in parents.items():
        parts = flows[flows["indicator_id"].isin(children)]
        for key, g in parts.groupby(group_key, dropna=False):
            whole = value_at.get((*key, parent))
            if whole is None or len(g) < len(children):
                continue
            total = float(g["value_std"].sum())
            ok = abs(total - whole.value_std) <= th.check_tolerance_rel * max(abs(whole.value_std), 1)
            rows.append(_check_row("parts_sum_to_whole", whole, whole.value_std, total, "ok" if ok else "mismatch",
                                   ("parts", detail_args(parts=list(g["indicator_id"]))), whole.quote, kind=whole.kind,
                                   target_level=whole.target_level))
    for r in flows[flows["indicator_id"].isin(list(superset_of))].itertuples(index=False):
        superset_id = superset_of[r.indicator_id]
        sup = value_at.get((r.park_id, r.scope, r.year, r.period, r.kind, r.target_level, superset_id))
        if sup is None:
            continue
        ok = r.value_std <= sup.value_std
        rows.append(_check_row("subset_within_superset", r, r.value_std, sup.value_std, "ok" if ok else "mismatch",
                               ("subset", detail_args(subset=r.indicator_id, superset=superset_id)), r.quote,
                               kind=r.kind, target_level=r.target_level))
    return rows + _share_checks(obs, ind, th)


# A stated share and what it is made of. Declared here because it is arithmetic, not data.
SHARE_RELATIONS = {
    "strategic_emerging_share": (["industrial_output_biomedicine", "industrial_output_new_energy"],
                                 "industrial_output"),
}


def _share_checks(obs: pd.DataFrame, ind: pd.DataFrame, th: Thresholds) -> list[dict]:
    rows = []
    named = {i for parts, whole in SHARE_RELATIONS.values() for i in [*parts, whole]}
    by_key = {(r.park_id, r.scope, r.year, r.period, r.indicator_id): r for r in
              obs[(obs["kind"] == "target") & (obs["target_level"] == "base") & obs["indicator_id"].isin(named)]
              .itertuples(index=False)}
    for r in obs[(obs["basis"] == "share_pct") & obs["indicator_id"].isin(SHARE_RELATIONS)].itertuples(index=False):
        parts, whole = SHARE_RELATIONS[r.indicator_id]
        got = [by_key.get((r.park_id, r.scope, r.year, r.period, p)) for p in parts]
        total = by_key.get((r.park_id, r.scope, r.year, r.period, whole))
        if total is None or any(g is None for g in got) or total.value_std == 0:
            continue
        computed = sum(g.value_std for g in got) / total.value_std * 100
        ok = abs(computed - r.value_std) <= th.check_tolerance_pp
        rows.append(_check_row("share_matches_parts", r, r.value_std, computed, "ok" if ok else "mismatch",
                               ("share_parts", detail_args(parts=list(parts), whole=whole)), r.quote, kind=r.kind,
                               target_level=r.target_level))
    return rows
