"""The self-checks: what a document states against what its own figures give (stated growth, net change, multiple,
share of plan, parts summing to the whole), for the whole dataset at once."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from .frames import KEY, _column, _floats, _key_year, _positions, with_periods
from .rules import THRESHOLDS, Thresholds


CHECK_NAMES = ("stated_growth", "stated_net_change", "stated_multiple", "share_of_plan", "parts_sum_to_whole",
               "subset_within_superset", "share_matches_parts")
CHECK_COLUMNS = ["check", "park_id", "scope", "year", "indicator_id", "kind", "target_level", "stated", "computed",
                 "difference", "status", "detail", "detail_args", "quote", "period"]


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


def _check_frame(check: str, r: pd.DataFrame, stated, computed, status, detail, quote=None, kind="actual",
                 target_level=None) -> dict:
    """`_check_row` for many rows at once: a dict of columns (lists, as the row-by-row version builds them)."""
    n = len(r)
    stated = np.asarray(stated, dtype=float)
    computed = np.asarray(computed, dtype=float)
    status = np.asarray(status, dtype=object)

    def full(x):
        return x.tolist() if isinstance(x, (pd.Series, np.ndarray)) else [x] * n
    return {"check": [check] * n, "park_id": r["park_id"].tolist(), "scope": r["scope"].tolist(),
            "year": r["year"].tolist(), "indicator_id": r["indicator_id"].tolist(), "kind": full(kind),
            "target_level": full(target_level), "stated": _column(stated), "computed": _column(computed),
            "difference": _column(computed - stated), "status": status.tolist(),
            "detail": full(detail[0]), "detail_args": full(detail[1]),
            "quote": r["quote"].tolist() if quote is None else full(quote),
            "period": r["period"].tolist() if "period" in r else [""] * n}


def checks(obs: pd.DataFrame, ind: pd.DataFrame, th: Thresholds = THRESHOLDS) -> pd.DataFrame:
    """Recompute every relation the documents state and list where they disagree beyond rounding:

    - stated growth (同比增长 X%) and net change (同比净增 X) against the two years' levels;
    - 为年度预算的 X% against the budget target, when the data holds one;
    - parts against their whole (five sectors sum to the district's output target);
    - a subset never larger than its superset (5000万元以上项目 ≤ 签约项目);
    - a stated share against the parts and the whole it is made of.
    Where the data lacks the other side of a relation, the row says "cannot check" and shows what the relation
    implies (the derived previous level), so an editor knows which figure would settle it.
    Every relation is keyed by period: 1-9月 growth is checked against the 1-9月 levels of both years, never
    against a full-year level; 为年度预算的 X% (to date) against the annual budget.

    The same relations, rows and order as the row-by-row reference in tests/reference/metrics_rowwise.py,
    computed set-wise: each stated relation is joined with the levels of both years (and the plan) at once.
    """
    obs = with_periods(obs).reset_index(drop=True)
    # Lookups by integer codes, not merges on text keys: (park, scope, indicator, period) and year in one int64,
    # so the previous year is `code - 1`; (park, indicator) and year for the plan.
    at, plan_at = _key_year(obs, KEY + ["period"]), _key_year(obs, ["park_id", "indicator_id"])
    kind, basis_of = obs["kind"].to_numpy(dtype=object), obs["basis"].to_numpy(dtype=object)
    value = _floats(obs, "value_std")
    actual = kind == "actual"
    level_rows = np.flatnonzero(actual & (basis_of == "level"))
    plan_rows = np.flatnonzero((kind == "target") & (basis_of == "level") & obs["full_year"].to_numpy(dtype=bool))

    def lookup(rows: np.ndarray, codes: np.ndarray, wanted: np.ndarray, keep: str) -> np.ndarray:
        """The value of the row among `rows` whose code is each of `wanted` (NaN where there is none)."""
        pos = _positions(codes[rows], wanted, keep)
        return np.where(pos >= 0, value[rows[np.maximum(pos, 0)]], np.nan) if len(rows) else \
            np.full(len(wanted), np.nan)

    columns = ["park_id", "scope", "indicator_id", "year", "period", "value_std", "quote"]
    parts: list[dict] = []
    for basis, label in (("growth_pct", "stated_growth"), ("change_abs", "stated_net_change"),
                         ("growth_multiple", "stated_multiple"), ("pct_of_plan", "share_of_plan")):
        rows = np.flatnonzero(actual & (basis_of == basis))
        if not len(rows):
            continue
        a = obs.iloc[rows][columns].reset_index(drop=True)
        v, now = value[rows], lookup(level_rows, at, at[rows], "last")
        before = lookup(level_rows, at, at[rows] - 1, "last")
        has_now, has_before = ~np.isnan(now), ~np.isnan(before)
        with np.errstate(all="ignore"):
            if basis == "pct_of_plan":
                plan = lookup(plan_rows, plan_at, plan_at[rows], "first")
                implied = np.where(~has_now | (v == 0), np.nan, now / (v / 100))
                zero_plan = has_now & (plan <= 0)      # decided: a plan of zero gives no share, not inf
                can = has_now & (plan > 0)
                computed = np.where(can, now / plan * 100, np.nan)
                ok = np.abs(computed - v) <= th.check_tolerance_pp
                status = np.where(can, np.where(ok, "ok", "mismatch"), "unverifiable")
                detail = np.full(len(a), "", dtype=object)
                args = np.full(len(a), "", dtype=object)
                for i in np.flatnonzero(~can):
                    imp = None if np.isnan(implied[i]) else float(implied[i])
                    detail[i], args[i] = (("zero_plan", "") if zero_plan[i] else
                                          ("implied_plan", detail_args(value=imp)) if imp else ("no_level", ""))
                parts.append(_check_frame(label, a, v, computed, status, (detail, args)))
                continue
            if basis == "growth_pct":
                computed = np.where(before <= 0, np.nan, (now / before - 1) * 100)
                factor = 1 + v / 100
                implied = np.where(factor <= 0, np.nan, now / factor)
            elif basis == "change_abs":
                computed, implied = now - before, now - v
            else:
                computed = np.where(before <= 0, np.nan, now / before - 1)
                implied = np.where(v <= -1, np.nan, now / (1 + v))
            can = has_now & has_before
            tolerance = th.check_tolerance_pp if basis == "growth_pct" else 0.5  # counts and multiples: rounding
            ok = ~np.isnan(computed) & (np.abs(computed - v) <= tolerance)
            status = np.where(can, np.where(ok, "ok", "mismatch"), "unverifiable")
            comparable = "comparable_prices" if basis == "growth_pct" else ""
            detail = np.where(ok, "", comparable).astype(object)
            args = np.full(len(a), "", dtype=object)
            for i in np.flatnonzero(~can):
                if has_now[i] and not np.isnan(implied[i]):
                    detail[i], args[i] = "implied_previous", detail_args(value=float(implied[i]))
                else:
                    detail[i] = "missing_level"
            parts.append(_check_frame(label, a, v, np.where(can, computed, np.nan), status, (detail, args)))
    rows = _structural_checks(obs, ind, th)
    if not rows and not any(part["check"] for part in parts):
        return pd.DataFrame([], columns=CHECK_COLUMNS)
    columns = {c: [x for part in parts for x in part[c]] + [r[c] for r in rows] for c in CHECK_COLUMNS}
    return _by_park(pd.DataFrame(columns, columns=CHECK_COLUMNS))


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
