"""The row-by-row references for the set-wise metric tables (parkmetrics.metrics): the scalar rules applied one
row at a time, as the oracle tests/test_metrics.py compares the engine with. Never imported by the product."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from parkmetrics.metrics.rules import (THRESHOLDS, Thresholds, _finite, assess_progress, assess_target, pace_class,
                                       implied_previous, implied_previous_from_multiple, nominal_change_pct)
from parkmetrics.metrics.attainment import ATTAINMENT_COLUMNS, ATTAINMENT_DTYPES
from parkmetrics.metrics.change import PACE_COLUMNS, PACE_DTYPES, YOY_COLUMNS, YOY_DTYPES
from parkmetrics.metrics.checks import CHECK_COLUMNS, CHECK_DTYPES, SHARE_RELATIONS, _by_park, detail_args
from parkmetrics.metrics.frames import KEY, with_periods


def _actuals(obs: pd.DataFrame, basis: str, full_year: bool = True) -> pd.DataFrame:
    """Actuals of one basis; by default full-year only, so a Q1 figure can never stand as the year's level."""
    obs = with_periods(obs)
    rows = (obs["kind"] == "actual").to_numpy(dtype=bool) & (obs["basis"] == basis).to_numpy(dtype=bool)
    if full_year:
        rows &= obs["full_year"].to_numpy(dtype=bool)
    # one take of the columns wanted, not a filtered copy of every column (the fixed cost of small frames)
    return obs.loc[rows, KEY + ["year", "period", "value_std", "estimate", "approximate", "source", "quote"]]



def _check_row(check: str, r, stated, computed, status: str, detail: tuple[str, str], quote: str | None,
               kind: str = "actual", target_level=None, indicator_id: str | None = None) -> dict:
    diff = None if stated is None or computed is None else computed - stated
    return {"check": check, "park_id": r.park_id, "scope": r.scope, "year": r.year,
            "indicator_id": indicator_id or r.indicator_id, "kind": kind, "target_level": target_level,
            "stated": stated, "computed": computed, "difference": diff, "status": status, "detail": detail[0],
            "detail_args": detail[1], "quote": quote, "period": getattr(r, "period", "")}


def attainment_inputs_rowwise(obs: pd.DataFrame, ind: pd.DataFrame) -> list[SimpleNamespace]:
    """Every target with what attainment needs beside it, looked up in dictionaries one row at a time: the first
    actual of the same park, scope, indicator, period, basis and year; the two years' levels (share_pct levels for
    a pp_change target); the cumulative partial actual reaching furthest into the year; the slices of the year."""
    obs = with_periods(obs)
    direction = dict(zip(ind["indicator_id"], ind["direction"]))
    rows = list(obs.itertuples(index=False))
    first: dict[tuple, object] = {}        # (park, scope, indicator, period, basis, year) → the first actual
    parts: dict[tuple, object] = {}        # (park, scope, indicator, basis, year) → the furthest cumulative part
    slices: dict[tuple, list[str]] = {}    # (park, scope, indicator, basis, year) → the slices' periods
    for r in rows:
        if r.kind != "actual":
            continue
        first.setdefault((r.park_id, r.scope, r.indicator_id, r.period, r.basis, r.year), r)
        of_year = (r.park_id, r.scope, r.indicator_id, r.basis, r.year)
        if r.cumulative and not r.full_year:
            best = parts.get(of_year)
            if best is None or (r.last_month, str(r.period)) >= (best.last_month, str(best.period)):
                parts[of_year] = r
        elif not r.cumulative and not r.full_year:
            slices.setdefault(of_year, []).append(r.period)
    out = []
    for r in rows:
        if r.kind != "target":
            continue
        same = first.get((r.park_id, r.scope, r.indicator_id, r.period, r.basis, r.year))
        level_basis = "share_pct" if r.basis == "pp_change" else "level"
        now = first.get((r.park_id, r.scope, r.indicator_id, r.period, level_basis, r.year))
        prev = first.get((r.park_id, r.scope, r.indicator_id, r.period, level_basis, r.year - 1))
        part = parts.get((r.park_id, r.scope, r.indicator_id, r.basis, r.year))
        periods = slices.get((r.park_id, r.scope, r.indicator_id, r.basis, r.year))
        out.append(SimpleNamespace(
            **r._asdict(), direction=direction.get(r.indicator_id),
            actual_same=same.value_std if same else None, a_est=same.estimate if same else None,
            a_approx=same.approximate if same else None,
            level_now=now.value_std if now else None, level_est=now.estimate if now else None,
            level_prev=prev.value_std if prev else None, prev_est=prev.estimate if prev else None,
            part_value=part.value_std if part else None, part_period=part.period if part else None,
            part_elapsed=part.elapsed_share if part else None, part_est=part.estimate if part else None,
            part_approx=part.approximate if part else None,
            slice_periods=" ".join(sorted(periods)) if periods else None))
    return out


def attainment_rowwise(obs: pd.DataFrame, ind: pd.DataFrame, th: Thresholds = THRESHOLDS) -> pd.DataFrame:
    """The reference for `attainment`: the scalar rules (assess_target, assess_progress) row by row."""
    rows = []
    for r in attainment_inputs_rowwise(obs, ind):
        res = assess_target(r.basis, r.comparator, r.value_std, r.direction, th=th,
                            actual=r.actual_same if _finite(r.actual_same) else None,
                            actual_level=r.level_now if _finite(r.level_now) else None,
                            previous_level=r.level_prev if _finite(r.level_prev) else None)
        res |= {"progress_share": None, "elapsed_share": None}
        # The period of the actual used (None: no actual); a partial-year target (上半年目标) keeps its own.
        period = r.period if res["status"] != "no_actual" or r.period != "" else None
        est = r.a_est is True if res["method"] not in ("levels", "share levels (pp)") else (
            r.level_est is True or r.prev_est is True)
        approx = r.a_approx is True
        partial = r.period != "" and period is not None   # a partial-year target met by the same period
        # A full-year actual always wins; only an annual target with none falls back to partial figures.
        if res["status"] == "no_actual" and r.period == "":
            if _finite(r.part_value):
                implied = res["implied_target_level"]
                res = assess_progress(r.basis, r.comparator, r.value_std, r.direction, actual=r.part_value,
                                      elapsed_share=r.part_elapsed, unit=r.unit_std, period=r.part_period, th=th)
                res["implied_target_level"] = implied
                period, est, approx, partial = r.part_period, r.part_est is True, r.part_approx is True, True
            elif isinstance(r.slice_periods, str):
                res |= {"status": "not_comparable",
                        "method": f"{r.slice_periods}: a slice of the year, not compared with an annual target"}
                period, est, partial = r.slice_periods, False, True
        flags = []
        if est:
            flags.append("estimate")
        if r.approximate or approx:
            flags.append("approximate")
        if r.scope == "district":
            flags.append("district")
        if pd.notna(r.baseline_year):
            flags.append("multi_year")
        if partial:
            flags.append("partial_year")
        rows.append({
            "park_id": r.park_id, "scope": r.scope, "indicator_id": r.indicator_id, "year": r.year,
            "baseline_year": r.baseline_year, "target_level": r.target_level, "comparator": r.comparator,
            "basis": r.basis, "target_value": r.value_std, "unit": r.unit_std, "actual_value": res["actual"],
            "ratio": res["ratio"], "gap": res["gap"], "status": res["status"],
            "method": res["method"], "implied_target_level": res["implied_target_level"], "flags": " ".join(flags),
            "source": r.source, "quote": r.quote, "period": period, "elapsed_share": res["elapsed_share"],
            "progress_share": res["progress_share"], "_target_period": r.period})
    # base and stretch reported together per target group, in the documents' order; none when a part has no level
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row[c] for c in KEY + ["year", "basis", "_target_period"]), []).append(row)
    for members in groups.values():
        parts = [f"{m['target_level']}:{m['status']}" if isinstance(m["target_level"], str) else None for m in members]
        for m in members:
            m["summary"] = None if None in parts else " ".join(parts)
    out = pd.DataFrame(rows, columns=ATTAINMENT_COLUMNS).astype(ATTAINMENT_DTYPES)
    return out.sort_values(KEY + ["year", "basis", "target_level"], ignore_index=True)



def yoy_rowwise(obs: pd.DataFrame, ind: pd.DataFrame) -> pd.DataFrame:
    """The reference for `yoy`: per park, scope, indicator and year, the first full-year actual of each basis,
    looked up in dictionaries, and the scalar rules applied row by row."""
    obs = with_periods(obs)
    firsts: dict[tuple, dict] = {}
    for r in obs.itertuples(index=False):
        if r.kind == "actual" and r.full_year and r.basis in ("level", "growth_pct", "change_abs", "growth_multiple"):
            firsts.setdefault((r.park_id, r.scope, r.indicator_id, int(r.year)), {}).setdefault(r.basis, r)
    unit = dict(zip(ind["indicator_id"], ind["indicator_unit"]))
    rows = []
    for (park, scope, indicator, year), found in sorted(firsts.items()):
        level, growth = found.get("level"), found.get("growth_pct")
        change, multiple = found.get("change_abs"), found.get("growth_multiple")
        before = firsts.get((park, scope, indicator, year - 1), {}).get("level")
        value = level.value_std if level is not None else None
        previous = before.value_std if before is not None else None
        stated = growth.value_std if growth is not None else None
        nominal = nominal_change_pct(value, previous) if value is not None and previous is not None else None
        implied, implied_basis, approx = None, None, False
        if value is not None and stated is not None:
            implied, implied_basis = implied_previous(value, stated), "growth_pct"
        elif value is not None and change is not None:
            implied, implied_basis = value - change.value_std, "change_abs"
        elif value is not None and multiple is not None:
            implied, implied_basis = implied_previous_from_multiple(value, multiple.value_std), "growth_multiple"
            approx = multiple.approximate is True
        quote = next((r.quote for r in (growth, change, multiple, level) if r is not None), None)
        rows.append({
            "park_id": park, "scope": scope, "indicator_id": indicator, "year": year, "value": value,
            "unit": unit.get(indicator), "previous_value": previous, "nominal_change_pct": nominal,
            "stated_change_pct": stated, "gap_pp": None if nominal is None or stated is None else nominal - stated,
            "implied_previous": implied, "implied_previous_basis": implied_basis, "derived": implied is not None,
            "approximate": approx or (level is not None and level.approximate is True),
            "estimate": any(r is not None and r.estimate is True for r in (level, growth)),
            "source": next((r.source for r in (level, growth) if r is not None), None), "quote": quote})
    return pd.DataFrame(rows, columns=YOY_COLUMNS).astype(YOY_DTYPES)


def checks_rowwise(obs: pd.DataFrame, ind: pd.DataFrame, th: Thresholds = THRESHOLDS) -> pd.DataFrame:
    """The row-by-row reference for `checks` (the relations are listed there)."""
    obs = with_periods(obs)
    rows: list[dict] = []
    levels = _actuals(obs, "level", full_year=False)
    level_at = {(r.park_id, r.scope, r.indicator_id, r.year, r.period): r.value_std
                for r in levels.itertuples(index=False)}
    plans = obs[(obs["kind"] == "target") & (obs["basis"] == "level") & obs["full_year"]]
    for basis, label in (("growth_pct", "stated_growth"), ("change_abs", "stated_net_change"),
                         ("growth_multiple", "stated_multiple"), ("pct_of_plan", "share_of_plan")):
        for r in _actuals(obs, basis, full_year=False).itertuples(index=False):
            now = level_at.get((r.park_id, r.scope, r.indicator_id, r.year, r.period))
            before = level_at.get((r.park_id, r.scope, r.indicator_id, r.year - 1, r.period))
            if basis == "pct_of_plan":
                plan = plans[(plans["park_id"] == r.park_id) & (plans["indicator_id"] == r.indicator_id)
                             & (plans["year"] == r.year)]
                implied = None if now is None or r.value_std == 0 else now / (r.value_std / 100)
                if now is not None and not plan.empty and float(plan["value_std"].iloc[0]) <= 0:
                    rows.append(_check_row(label, r, r.value_std, None, "unverifiable", ("zero_plan", ""), r.quote))
                elif plan.empty or now is None:
                    rows.append(_check_row(label, r, r.value_std, None, "unverifiable",
                                           ("implied_plan", detail_args(value=implied)) if implied else
                                           ("no_level", ""), r.quote))
                else:
                    computed = now / float(plan["value_std"].iloc[0]) * 100
                    ok = abs(computed - r.value_std) <= th.check_tolerance_pp
                    rows.append(_check_row(label, r, r.value_std, computed, "ok" if ok else "mismatch", ("", ""),
                                           r.quote))
                continue
            if now is None or before is None:
                implied = None
                if now is not None:
                    implied = {"growth_pct": implied_previous(now, r.value_std),
                               "change_abs": now - r.value_std,
                               "growth_multiple": implied_previous_from_multiple(now, r.value_std)}[basis]
                detail = (("implied_previous", detail_args(value=implied)) if implied is not None
                          else ("missing_level", ""))
                rows.append(_check_row(label, r, r.value_std, None, "unverifiable", detail, r.quote))
                continue
            computed = {"growth_pct": nominal_change_pct(now, before), "change_abs": now - before,
                        "growth_multiple": None if before <= 0 else now / before - 1}[basis]
            tolerance = th.check_tolerance_pp if basis == "growth_pct" else 0.5  # counts and multiples: rounding
            ok = computed is not None and abs(computed - r.value_std) <= tolerance
            detail = ("comparable_prices", "") if not ok and basis == "growth_pct" else ("", "")
            rows.append(_check_row(label, r, r.value_std, computed, "ok" if ok else "mismatch", detail, r.quote))
    rows += structural_checks_rowwise(obs, ind, th)
    return _by_park(pd.DataFrame(rows, columns=CHECK_COLUMNS).astype(CHECK_DTYPES))


def coverage_rowwise(obs: pd.DataFrame) -> pd.DataFrame:
    """Counted one observation at a time with periods.is_full_year, as the SQL query must count them."""
    from parkmetrics.periods import is_full_year
    counts: dict[tuple, list[int]] = {}
    for r in obs.itertuples(index=False):
        c = counts.setdefault((r.park_id, r.scope, r.indicator_id, int(r.year)), [0, 0, 0])
        period = getattr(r, "period", "")
        full = is_full_year("" if period is None or (not isinstance(period, str) and pd.isna(period)) else period)
        if r.kind == "target":
            c[0] += 1
        elif r.kind == "actual":
            c[1 if full else 2] += 1
    rows = [(*key, *c) for key, c in sorted(counts.items())]
    frame = pd.DataFrame(rows, columns=KEY + ["year", "targets", "actuals", "partial_actuals"])
    return frame.astype({c: "int64" for c in ("year", "targets", "actuals", "partial_actuals")})
def pace_rowwise(obs: pd.DataFrame, ind: pd.DataFrame, th: Thresholds = THRESHOLDS) -> pd.DataFrame:
    """The reference for `pace`: each multi-year target's baseline and latest level looked up in Python and
    rules.pace_class applied row by row."""
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
    out = pd.DataFrame(rows, columns=PACE_COLUMNS).astype(PACE_DTYPES)
    return out.sort_values(KEY + ["target_year"], kind="stable", ignore_index=True)


def structural_checks_rowwise(obs: pd.DataFrame, ind: pd.DataFrame, th: Thresholds) -> list[dict]:
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
    return rows + _share_checks_rowwise(obs, ind, th)


def _share_checks_rowwise(obs: pd.DataFrame, ind: pd.DataFrame, th: Thresholds) -> list[dict]:
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
