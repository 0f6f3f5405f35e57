"""Target attainment for the whole dataset at once: every target with its same-basis actual, the ratio, the
status and the schedule, built from the scalar rules (rules.py) applied set-wise."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .frames import (KEY, _catalogue_columns, _column, _floats, _gather, _is_true, _key_year, _objects, _plain,
                     _positions, _text, with_periods)
from .rules import THRESHOLDS, Thresholds, accumulates


ATTAINMENT_COLUMNS = ["park_id", "scope", "indicator_id", "year", "baseline_year", "target_level", "comparator",
                      "basis", "target_value", "unit", "actual_value", "ratio", "gap", "status", "method",
                      "implied_target_level", "summary", "flags", "source", "quote", "period", "elapsed_share",
                      "progress_share"]


def _attainment_inputs(obs: pd.DataFrame, ind: pd.DataFrame) -> pd.DataFrame:
    """Every target with what attainment needs beside it: the same-basis actual, the two years' levels, the
    latest cumulative partial actual and the slices of the year. Rows are found by integer codes of their keys
    (`_key_year`, `_positions`); the targets' own columns are taken once."""
    obs = with_periods(obs).reset_index(drop=True)
    kind, basis = obs["kind"].to_numpy(dtype=object), obs["basis"].to_numpy(dtype=object)
    full_year, cumulative = obs["full_year"].to_numpy(dtype=bool), obs["cumulative"].to_numpy(dtype=bool)
    target_rows, actual = np.flatnonzero(kind == "target"), kind == "actual"
    wanted = KEY + ["year", "period", "full_year", "cumulative", "elapsed_share", "last_month", "baseline_year",
                    "target_level", "comparator", "basis", "value_std", "unit_std", "approximate", "source", "quote"]
    t = obs.iloc[target_rows][[c for c in wanted if c in obs]].reset_index(drop=True)
    t = t.assign(**_catalogue_columns(t["indicator_id"], ind, ["direction"]))

    # Everything is keyed by period: an annual target meets full-year figures only, an H1 target H1 ones.
    same = _key_year(obs, KEY + ["period", "basis"])
    rows = np.flatnonzero(actual)
    found = _gather(obs, rows, _positions(same[rows], same[target_rows]),
                    {"value_std": "actual_same", "estimate": "a_est", "approximate": "a_approx"})
    # pp_change targets read their two years' levels from the share_pct actuals; every other basis from levels.
    levels_of = KEY + ["period"]
    at = _key_year(obs, levels_of)
    by_share = basis[target_rows] == "pp_change"
    level_rows, share_rows = (np.flatnonzero(actual & (basis == b)) for b in ("level", "share_pct"))
    for name, offset in (("now", 0), ("prev", 1)):
        columns = {"value_std": f"level_{name}", "estimate": "level_est" if name == "now" else "prev_est"}
        wanted_at = at[target_rows] - offset
        from_levels = _gather(obs, level_rows, _positions(at[level_rows], wanted_at), columns)
        from_shares = _gather(obs, share_rows, _positions(at[share_rows], wanted_at), columns)
        found |= {c: np.where(by_share, from_shares[c], from_levels[c]) for c in columns.values()}
    # An annual target with no full-year actual: the cumulative partial actual reaching furthest into the year...
    of_year = _key_year(obs, KEY + ["basis"])
    cum = np.flatnonzero(actual & cumulative & ~full_year)
    cum = cum[np.lexsort((obs["period"].to_numpy(dtype=object)[cum].astype(str), obs["last_month"].to_numpy()[cum]))]
    found |= _gather(obs, cum, _positions(of_year[cum], of_year[target_rows], keep="last"),
                     {"value_std": "part_value", "period": "part_period", "elapsed_share": "part_elapsed",
                      "estimate": "part_est", "approximate": "part_approx"})
    # ...and the slices of the year reported (Q2, H2, M3…), which are never compared with it.
    slices = np.flatnonzero(actual & ~cumulative & ~full_year)
    joined = pd.Series(obs["period"].to_numpy(dtype=object)[slices]).groupby(of_year[slices]).agg(
        lambda periods: " ".join(sorted(periods)))
    pos = joined.index.get_indexer(of_year[target_rows]) if len(joined) else np.full(len(target_rows), -1)
    found["slice_periods"] = np.where(pos >= 0, joined.to_numpy(dtype=object)[np.maximum(pos, 0)]
                                      if len(joined) else np.nan, np.nan)
    return t.assign(**found)


def _vmeets(actual: np.ndarray, comparator: np.ndarray, target: np.ndarray, higher: np.ndarray,
            tolerance: float) -> np.ndarray:
    """`meets` for arrays (NaN never meets). Raises on an unknown comparator, as `meets` does."""
    with np.errstate(all="ignore"):
        slack = np.abs(target) * tolerance
        conds = [comparator == "≥", comparator == ">", comparator == "≤", comparator == "<", comparator == "≈",
                 comparator == "="]
        vals = [actual >= target, actual > target, actual <= target, actual < target,
                np.where(higher, actual >= target - slack, actual <= target + slack),
                np.where(higher, actual >= target, actual <= target)]
    known = np.logical_or.reduce(conds)
    if not known.all():
        raise ValueError(f"unknown comparator {comparator[~known][0]!r}")
    return np.select(conds, vals, False)


def _vratio(actual: np.ndarray, target: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """`attainment_ratio` for arrays; NaN where it is None."""
    with np.errstate(all="ignore"):
        low = np.where(target == 0, np.where(actual <= 0, 1.0, 0.0), np.where(actual <= 0, np.nan, target / actual))
        high = np.where(target <= 0, np.nan, actual / target)
    return np.where(lower, low, high)


def _vclassify(met: np.ndarray, ratio: np.ndarray, th: Thresholds) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.where(met, np.where(ratio >= th.exceeded, "exceeded", "met"),
                        np.where(ratio >= th.near, "near", "not_met")).astype(object)


def _vschedule(pace: np.ndarray, comparator: np.ndarray, th: Thresholds) -> np.ndarray:
    on_bar = np.where(comparator == "≈", th.schedule_on - th.approx_tolerance, th.schedule_on - 0.0)
    return np.where(pace >= th.schedule_ahead, "ahead_of_schedule",
                    np.where(pace >= on_bar, "on_schedule", "behind_schedule")).astype(object)




FLAG_NAMES = ("estimate", "approximate", "district", "multi_year", "partial_year")  # an attainment row's flags
_FLAG_TEXT = [" ".join(name for bit, name in enumerate(FLAG_NAMES) if code >> bit & 1) for code in range(32)]


def attainment(obs: pd.DataFrame, ind: pd.DataFrame, th: Thresholds = THRESHOLDS) -> pd.DataFrame:
    """A row per target: the matching actual (same park, scope, indicator, year, basis and period), ratio, status.

    An annual target with no full-year actual falls back to the latest cumulative partial actual (1-9月) and
    reports 时序进度 (`assess_progress`); a slice of the year (Q2, H2, 3月) is never compared with it.
    Set-wise: the rules of assess_target and assess_progress on whole columns (the row-by-row reference is in
    tests/reference/metrics_rowwise.py; tests/test_metrics.py checks that the two agree).
    """
    t = _attainment_inputs(obs, ind).reset_index(drop=True)
    n = len(t)
    if n == 0:  # as the row-by-row version builds it
        out = pd.DataFrame([], columns=[c for c in ATTAINMENT_COLUMNS if c != "summary"]
                           + ["_target_period"])
        return _with_base_stretch_summary(out)[ATTAINMENT_COLUMNS].sort_values(
            KEY + ["year", "basis", "target_level"], ignore_index=True)
    basis, comparator = _objects(t, "basis"), _objects(t, "comparator")
    direction = _objects(t, "direction")
    higher, lower = direction == "higher", direction == "lower"
    target = _floats(t, "value_std")
    a_same, lvl_now, lvl_prev = _floats(t, "actual_same"), _floats(t, "level_now"), _floats(t, "level_prev")
    nan = np.full(n, np.nan)
    actual, ratio, gap, implied = nan.copy(), nan.copy(), nan.copy(), nan.copy()
    status = np.full(n, None, dtype=object)
    method = np.full(n, None, dtype=object)
    with np.errstate(all="ignore"):
        c1 = (basis == "pp_change") & np.isnan(a_same) & ~np.isnan(lvl_now) & ~np.isnan(lvl_prev)
        if c1.any():
            act = lvl_now[c1] - lvl_prev[c1]
            met = _vmeets(act, comparator[c1], target[c1], higher[c1], th.approx_tolerance)
            r = _vratio(act, target[c1], lower[c1])
            actual[c1], ratio[c1], gap[c1], method[c1] = act, r, act - target[c1], "share levels (pp)"
            status[c1] = _vclassify(met, r, th)
        grow = (basis == "growth_pct") & ~np.isnan(lvl_prev) & ~c1
        implied[grow] = lvl_prev[grow] * (1 + target[grow] / 100)
        c2 = grow & ~np.isnan(lvl_now)
        if c2.any():
            tl = implied[c2]
            met = _vmeets(lvl_now[c2], comparator[c2], tl, higher[c2], th.approx_tolerance)
            r = _vratio(lvl_now[c2], tl, lower[c2])
            prev = lvl_prev[c2]
            growth = np.where(prev <= 0, np.nan, (lvl_now[c2] / prev - 1) * 100)
            actual[c2], ratio[c2], gap[c2], method[c2] = growth, r, growth - target[c2], "levels"
            status[c2] = _vclassify(met, r, th)
        rest = ~c1 & ~c2
        status[rest & np.isnan(a_same)] = "no_actual"
        c4 = rest & ~np.isnan(a_same)
        if c4.any():
            a, tg, b = a_same[c4], target[c4], basis[c4]
            met = _vmeets(a, comparator[c4], tg, higher[c4], th.approx_tolerance)
            plain = _vratio(a, tg, lower[c4])
            r = np.select([b == "growth_pct", b == "rank"],
                          [np.where(tg > -100, (1 + a / 100) / (1 + tg / 100), np.nan), np.where(a > 0, tg / a, np.nan)],
                          plain)
            method[c4] = np.select([b == "growth_pct", b == "rank", b == "pp_change"],
                                   ["stated growth (pp)", "rank", "stated change (pp)"], b).astype(object)
            actual[c4], ratio[c4], gap[c4] = a, r, a - tg
            status[c4] = _vclassify(met, r, th)
    t_period = _objects(t, "period")
    no_actual = status == "no_actual"
    period = np.where(~no_actual | (t_period != ""), t_period, None)
    by_levels = (method == "levels") | (method == "share levels (pp)")
    est = np.where(by_levels, _is_true(t, "level_est") | _is_true(t, "prev_est"), _is_true(t, "a_est"))
    approx = _is_true(t, "a_approx")
    partial = (t_period != "") & (period != None)  # noqa: E711 (element-wise)
    elapsed = nan.copy()
    progress = nan.copy()
    fallback = no_actual & (t_period == "")
    part_value = _floats(t, "part_value")
    prog = fallback & ~np.isnan(part_value)
    if prog.any():
        i = np.flatnonzero(prog)
        pa_, tg, e, b = part_value[i], target[i], _floats(t, "part_elapsed")[i], basis[i]
        pper = _objects(t, "part_period")[i]
        units = _objects(t, "unit_std")[i]
        label = np.array([f"year to date ({p})" for p in pper], dtype=object)
        acc = np.array([accumulates(u) for u in units], dtype=bool)
        st = np.full(len(i), "not_comparable", dtype=object)
        me = np.array([f"{lb}: {bs} to date is not compared with an annual target" for lb, bs in zip(label, b)],
                      dtype=object)
        share = np.full(len(i), np.nan)
        with np.errstate(all="ignore"):
            lv = (b == "level") | (b == "new_count")
            na = lv & ~acc
            me[na] = [f"{lb}: {u or bs} does not accumulate over the year" for lb, u, bs in zip(label[na], units[na], b[na])]
            low = lv & acc & lower[i]
            zero = low & (tg <= 0)
            sh_low = np.where(zero, np.where(pa_ <= 0, 0.0, np.nan), pa_ / tg)
            pace_low = np.where(zero, np.where(pa_ <= 0, th.schedule_on, 0.0),
                                np.where(sh_low <= 0, np.inf, e / sh_low))
            high = lv & acc & ~lower[i]
            bad_t = high & (tg <= 0)
            me[bad_t] = [f"{lb}: target ≤ 0" for lb in label[bad_t]]
            good = high & ~bad_t
            sh_high = pa_ / tg
            pace_high = sh_high / e
            ok = low | good
            share[low], share[good] = sh_low[low], sh_high[good]
            pace_ = np.where(low, pace_low, pace_high)
            st[ok] = _vschedule(pace_[ok], comparator[i][ok], th)
            me[ok] = [f"{lb}: share of target vs share of year" for lb in label[ok]]
            gr = b == "growth_pct"
            bad_g = gr & ((tg <= -100) | (pa_ <= -100))
            me[bad_g] = [f"{lb}: growth of −100 % or less" for lb in label[bad_g]]
            okg = gr & ~bad_g
            factor = (1 + pa_ / 100) / (1 + tg / 100)
            pace_g = np.where(direction[i] != "lower", factor, 1 / factor)
            st[okg] = _vschedule(pace_g[okg], comparator[i][okg], th)
            me[okg] = [f"{lb}: growth to date vs target rate (pp)" for lb in label[okg]]
        status[i], method[i], actual[i], ratio[i], gap[i] = st, me, pa_, np.nan, pa_ - tg
        progress[i], elapsed[i] = share, e
        period[i] = pper
        est[i], approx[i], partial[i] = _is_true(t, "part_est")[i], _is_true(t, "part_approx")[i], True
    slices = _objects(t, "slice_periods")
    sl = fallback & ~prog & np.array([isinstance(x, str) for x in slices], dtype=bool)
    if sl.any():
        status[sl] = "not_comparable"
        method[sl] = [f"{x}: a slice of the year, not compared with an annual target" for x in slices[sl]]
        period[sl], est[sl], partial[sl] = slices[sl], False, True
    flag_code = (est.astype(int) | (t["approximate"].astype(bool).to_numpy() | approx).astype(int) << 1
                 | (_objects(t, "scope") == "district").astype(int) << 2
                 | t["baseline_year"].notna().to_numpy().astype(int) << 3 | partial.astype(int) << 4)
    out = pd.DataFrame({
        "park_id": t["park_id"], "scope": t["scope"], "indicator_id": t["indicator_id"], "year": t["year"], "baseline_year": t["baseline_year"].tolist(), "target_level": _text(t["target_level"]),
        "comparator": t["comparator"], "basis": t["basis"], "target_value": t["value_std"].tolist(),
        "unit": _text(t["unit_std"]), "actual_value": _column(actual), "ratio": _column(ratio),
        "gap": _column(gap), "status": status.tolist(),
        "method": method.tolist(), "implied_target_level": _column(implied),
        "flags": np.array(_FLAG_TEXT, dtype=object)[flag_code].tolist(), "source": _text(t["source"]),
        "quote": _text(t["quote"]), "period": period.tolist(), "elapsed_share": _column(elapsed),
        "progress_share": _column(progress), "_target_period": t_period.tolist()})
    out = _with_base_stretch_summary(out)
    return _plain(out[ATTAINMENT_COLUMNS].sort_values(KEY + ["year", "basis", "target_level"], ignore_index=True))


def _with_base_stretch_summary(att: pd.DataFrame) -> pd.DataFrame:
    """One code per target group reporting base and stretch together, "base:met stretch:not_met" (worded by
    i18n.target_summary: 基本目标完成，力争目标未完成)."""
    group = KEY + ["year", "basis", "_target_period"]
    parts = (att["target_level"] + ":" + att["status"]).to_numpy(dtype=object, na_value=None)
    # Joined per group in the rows' order (the documents' order: base, then stretch), set-wise: the k-th part of
    # every group at once. A group with a part that is missing (no target level) has no summary.
    gid = att.groupby(group, sort=False, dropna=False).ngroup().to_numpy()
    nth = pd.Series(gid).groupby(gid).cumcount().to_numpy()
    groups = int(gid.max()) + 1 if len(gid) else 0
    out = np.full(groups, None, dtype=object)
    broken = np.zeros(groups, dtype=bool)
    for k in range(int(nth.max()) + 1 if len(nth) else 0):
        sel = nth == k
        g, part = gid[sel], parts[sel]
        broken[g[pd.isna(part)]] = True
        out[g] = part if k == 0 else [a + " " + b if a is not None and b is not None else None
                                      for a, b in zip(out[g], part)]
    out[broken] = None
    return att.assign(summary=pd.Series(out[gid].tolist(), index=att.index, dtype="str"))


