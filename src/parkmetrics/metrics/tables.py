"""The table-level metrics: attainment, year-on-year change, pace, self-checks and coverage for the whole dataset at
once, each one tidy DataFrame of codes and numbers, built from the scalar rules (rules.py) applied set-wise."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..periods import parse_period
from .rules import (THRESHOLDS, Thresholds, accumulates, pace_class)


# --- table-level functions: the whole dataset at once -------------------------------------------------------

KEY = ["park_id", "scope", "indicator_id"]


def indicator_frame(indicators: dict) -> pd.DataFrame:
    """The catalogue fields the metrics need, one row per indicator."""
    return pd.DataFrame(
        [{"indicator_id": i.id, "direction": i.direction, "indicator_unit": i.unit, "parent": i.parent,
          "subset_of": i.subset_of} for i in indicators.values()],
        columns=["indicator_id", "direction", "indicator_unit", "parent", "subset_of"])


def with_periods(obs: pd.DataFrame) -> pd.DataFrame:
    """`obs` with its period parsed: period ("" = full year), full_year, cumulative, elapsed_share, last_month.

    Frames without a period column (older exports, hand-built tests) are full-year throughout. An unknown code
    (the loader quarantines those) is treated as a slice: never a full year, never cumulative.
    """
    if "full_year" in obs:
        return obs  # parsed already
    if "period" in obs:
        raw = obs["period"]
        codes, uniques = pd.factorize(raw, use_na_sentinel=False)  # a handful of codes for any number of rows
        names = ["" if u is None or (isinstance(u, float) and math.isnan(u)) else str(u).strip().upper()
                 for u in uniques]
        if isinstance(raw.dtype, (pd.StringDtype, pd.CategoricalDtype)) and not raw.hasnans \
                and list(uniques) == names:
            period = raw  # written as codes already (the loader's output): nothing to normalise
        else:  # as .fillna("").astype(str).str.strip().str.upper() would give
            period = pd.Series(np.array(names, dtype=object)[codes] if len(names) else [], index=obs.index,
                               dtype="str")
    else:
        codes, names = np.zeros(len(obs), dtype=np.int64), [""]
        period = pd.Series("", index=obs.index, dtype=object)
    parsed = [parse_period(c) for c in names]
    looked_up = {"full_year": [p is not None and p.full_year for p in parsed],
                 "cumulative": [p is not None and p.cumulative for p in parsed],
                 "elapsed_share": [p.elapsed_share if p is not None else math.nan for p in parsed],
                 "last_month": [p.last_month if p is not None else 0 for p in parsed]}
    dtypes = {"full_year": bool, "cumulative": bool, "elapsed_share": float, "last_month": int}  # also when empty
    keys = {_code(c): pd.factorize(obs[c], use_na_sentinel=False)[0].astype(np.int32)
            for c in CODED if c != "period" and c in obs}
    return obs.assign(period=period, **{c: np.array(looked_up[c], dtype=t)[codes] if len(obs) else
                                        np.zeros(0, dtype=t) for c, t in dtypes.items()},
                      **keys, **{_code("period"): pd.factorize(np.array(names, dtype=object))[0].astype(np.int32)[codes]
                                 if len(obs) else np.zeros(0, dtype=np.int32)})


# Key columns numbered once (with the periods): every metric table finds rows by these integer codes.
CODED = ("park_id", "scope", "indicator_id", "period", "basis")


def _code(column: str) -> str:
    return f"_code_{column}"


def _actuals(obs: pd.DataFrame, basis: str, full_year: bool = True) -> pd.DataFrame:
    """Actuals of one basis; by default full-year only, so a Q1 figure can never stand as the year's level."""
    obs = with_periods(obs)
    rows = (obs["kind"] == "actual").to_numpy(dtype=bool) & (obs["basis"] == basis).to_numpy(dtype=bool)
    if full_year:
        rows &= obs["full_year"].to_numpy(dtype=bool)
    # one take of the columns wanted, not a filtered copy of every column (the fixed cost of small frames)
    return obs.loc[rows, KEY + ["year", "period", "value_std", "estimate", "approximate", "source", "quote"]]


def coverage(obs: pd.DataFrame) -> pd.DataFrame:
    """Which park reports which indicator: targets, full-year actuals and partial-year actuals per year."""
    obs = with_periods(obs)
    actual = obs["kind"].eq("actual")
    counts = (obs.assign(targets=obs["kind"].eq("target").astype(int),
                         actuals=(actual & obs["full_year"]).astype(int),
                         partial_actuals=(actual & ~obs["full_year"]).astype(int))
              .groupby(KEY + ["year"], as_index=False)[["targets", "actuals", "partial_actuals"]].sum())
    return _plain(counts.sort_values(KEY + ["year"], ignore_index=True))


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


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Category columns (the loader's repeated text) back to text in a metric table, as the row-by-row rules give
    them: pages filter, map and join these tables freely."""
    cats = {c: "str" for c in frame if isinstance(frame[c].dtype, pd.CategoricalDtype)}
    return frame.astype(cats) if cats else frame


def _floats(frame: pd.DataFrame, col: str) -> np.ndarray:
    return pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _objects(frame: pd.DataFrame, col: str) -> np.ndarray:
    return frame[col].to_numpy(dtype=object, na_value=None)


def _is_true(frame: pd.DataFrame, col: str) -> np.ndarray:
    """`value is True` per row for a column of booleans with gaps (a missing value is not True)."""
    values = frame[col]
    if values.dtype == bool:
        return values.to_numpy(copy=True)
    return values.eq(True).fillna(False).to_numpy(dtype=bool, copy=True)


def _text(values: pd.Series):
    """A text column as is when pandas would infer the same dtype from its values (text, possibly with gaps)."""
    if isinstance(values.dtype, pd.StringDtype) and values.notna().any():
        return values
    return values.tolist()


def _column(values: np.ndarray, missing: np.ndarray | None = None) -> list | np.ndarray:
    """A column as the row-by-row functions built it (None where missing), in the dtype pandas infers from that:
    floats with NaN, or None throughout when nothing is there."""
    if missing is None:
        missing = pd.isna(values)
    if values.dtype.kind == "f":
        return [None] * len(values) if missing.all() else np.where(missing, np.nan, values)
    out = values.astype(object)
    out[missing] = None
    return out.tolist()


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


YOY_COLUMNS = ["park_id", "scope", "indicator_id", "year", "value", "unit", "previous_value",
               "nominal_change_pct", "stated_change_pct", "gap_pp", "implied_previous", "implied_previous_basis",
               "derived", "approximate", "estimate", "source", "quote"]


def _catalogue_columns(indicator_ids: pd.Series, ind: pd.DataFrame, columns: list[str]) -> dict[str, np.ndarray]:
    """Catalogue fields beside each row (NaN for an unknown indicator): looked up once per distinct indicator."""
    codes, uniques = pd.factorize(indicator_ids, use_na_sentinel=False)
    at = pd.Index(ind["indicator_id"]).get_indexer(uniques)
    out = {}
    for c in columns:
        values = ind[c].to_numpy(dtype=object, na_value=np.nan)
        per_unique = np.array([values[i] if i >= 0 else np.nan for i in at], dtype=object)
        out[c] = per_unique[codes] if len(codes) else np.zeros(0, dtype=object)
    return out


def _key_year(frame: pd.DataFrame, key: list[str]) -> np.ndarray:
    """One int64 per row for (key..., year): the key's group number and the year, so the year before is `code - 1`.
    Lookups on these codes replace merges on text keys, whose fixed cost dominated every metric table."""
    sizes = [int(frame[_code(c)].max()) + 1 if _code(c) in frame and len(frame) else None for c in key]
    if None not in sizes and math.prod(sizes) < 2 ** 42:  # numbered by with_periods: combine, no hashing of text
        group = np.zeros(len(frame), dtype=np.int64)
        for c, size in zip(key, sizes):
            group = group * size + frame[_code(c)].to_numpy(dtype=np.int64)
    else:
        group = frame.groupby(key, sort=False, dropna=False).ngroup().to_numpy(dtype=np.int64)
    return group << 20 | frame["year"].to_numpy(dtype=np.int64)


def _positions(codes: np.ndarray, wanted: np.ndarray, keep: str = "first") -> np.ndarray:
    """Where each of `wanted` is in `codes` (-1 where absent); of a repeated code, the first (or last) counts."""
    index = pd.Index(codes)
    if index.is_unique:
        return index.get_indexer(wanted)
    kept = np.flatnonzero(~index.duplicated(keep=keep))
    pos = index[kept].get_indexer(wanted)
    return np.where(pos >= 0, kept[np.maximum(pos, 0)], -1)


def _gather(frame: pd.DataFrame, rows: np.ndarray, pos: np.ndarray, columns: dict[str, str]) -> dict[str, pd.Series]:
    """Columns of `frame` at `rows[pos]` under new names, missing where pos is -1 (as a left merge gives them).
    Taken in their own dtype (text stays Arrow text): converting whole columns to Python objects cost more than
    every rule at national scale."""
    found = pos >= 0
    at = rows[np.maximum(pos, 0)] if len(rows) else None
    out = {}
    for col, name in columns.items():
        if at is None:
            out[name] = pd.Series(np.full(len(pos), np.nan))
            continue
        taken = frame[col].take(at).reset_index(drop=True)
        out[name] = taken if found.all() else taken.where(pd.Series(found))
    return out


def _yoy_inputs(obs: pd.DataFrame, ind: pd.DataFrame) -> pd.DataFrame:
    obs = with_periods(obs).reset_index(drop=True)
    at = _key_year(obs, KEY)
    full_actual = (obs["kind"] == "actual").to_numpy(dtype=bool) & obs["full_year"].to_numpy(dtype=bool)
    basis = obs["basis"].to_numpy(dtype=object)
    rows = {b: np.flatnonzero(full_actual & (basis == b))
            for b in ("level", "growth_pct", "change_abs", "growth_multiple")}
    # a row per park, scope, indicator and year with a level or a stated change, in that order of first sight
    base = np.concatenate(list(rows.values()))
    base = base[~pd.Index(at[base]).duplicated(keep="first")]
    code = at[base]
    t = obs.iloc[base][KEY + ["year"]].reset_index(drop=True)

    def beside(b: str, wanted: np.ndarray, columns: dict[str, str]) -> dict[str, np.ndarray]:
        return _gather(obs, rows[b], _positions(at[rows[b]], wanted), columns)
    return t.assign(
        **beside("level", code, {"period": "period", "value_std": "value", "estimate": "estimate",
                                 "approximate": "approximate", "source": "source", "quote": "quote"}),
        **beside("level", code - 1, {"value_std": "previous_value"}),
        **beside("growth_pct", code, {"value_std": "stated_change_pct", "estimate": "g_est", "source": "g_source",
                                      "quote": "g_quote"}),
        **beside("change_abs", code, {"value_std": "change_abs", "quote": "c_quote"}),
        **beside("growth_multiple", code, {"value_std": "multiple", "approximate": "m_approx", "quote": "m_quote"}),
        **_catalogue_columns(t["indicator_id"], ind, ["indicator_unit"]))


def yoy(obs: pd.DataFrame, ind: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year change per park, indicator and year with an actual level or a stated change.

    Nominal change comes from levels; the stated growth (often at comparable prices, 可比价) is shown beside it
    and never overwritten; the previous-year level a stated relation implies is marked derived. Set-wise
    (tests/reference/metrics_rowwise.py holds the row-by-row reference).
    """
    t = _yoy_inputs(obs, ind).reset_index(drop=True)
    if t.empty:
        return pd.DataFrame([], columns=YOY_COLUMNS)
    value, prev = _floats(t, "value"), _floats(t, "previous_value")
    stated, change, multiple = _floats(t, "stated_change_pct"), _floats(t, "change_abs"), _floats(t, "multiple")
    has_level, has_prev, has_stated = ~np.isnan(value), ~np.isnan(prev), ~np.isnan(stated)
    with np.errstate(all="ignore"):
        nominal = np.where(has_level & has_prev & (prev > 0), (value / prev - 1) * 100, np.nan)
        g = has_level & has_stated
        c = has_level & ~g & ~np.isnan(change)
        mm = has_level & ~g & ~c & ~np.isnan(multiple)
        factor = 1 + stated / 100
        implied = np.select([g, c, mm], [np.where(factor <= 0, np.nan, value / factor), value - change,
                                         np.where(multiple <= -1, np.nan, value / (1 + multiple))], np.nan)
    basis = np.select([g, c, mm], ["growth_pct", "change_abs", "growth_multiple"], "").astype(object)
    basis[basis == ""] = None
    approx = (mm & _is_true(t, "m_approx")) | _is_true(t, "approximate")
    quote = _objects(t, "quote")
    for col in ("m_quote", "c_quote", "g_quote"):  # the first that is text wins: growth, change, multiple, level
        q = _objects(t, col)
        has = np.array([isinstance(x, str) for x in q], dtype=bool)
        quote = np.where(has, q, quote)
    quote = np.where(np.array([isinstance(x, str) for x in quote], dtype=bool), quote, None)
    src = t["source"].to_numpy(dtype=object, na_value=np.nan)
    src = np.where(np.array([isinstance(x, str) for x in src], dtype=bool), src,
                   t["g_source"].to_numpy(dtype=object, na_value=np.nan))
    out = pd.DataFrame({
        "park_id": t["park_id"], "scope": t["scope"], "indicator_id": t["indicator_id"],
        "year": t["year"], "value": _column(value),
        "unit": _text(t["indicator_unit"]), "previous_value": _column(prev), "nominal_change_pct": _column(nominal),
        "stated_change_pct": _column(stated), "gap_pp": _column(nominal - stated),
        "implied_previous": _column(implied), "implied_previous_basis": basis.tolist(),
        "derived": ~np.isnan(implied), "approximate": approx,
        "estimate": _is_true(t, "estimate") | _is_true(t, "g_est"), "source": src.tolist(), "quote": quote.tolist()},
        columns=YOY_COLUMNS)
    return _plain(out.sort_values(KEY + ["year"], ignore_index=True))


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
CHECK_NAMES = ("stated_growth", "stated_net_change", "stated_multiple", "share_of_plan", "parts_sum_to_whole",
               "subset_within_superset", "share_matches_parts")
CHECK_COLUMNS = ["check", "park_id", "scope", "year", "indicator_id", "kind", "target_level", "stated", "computed",
                 "difference", "status", "detail", "detail_args", "quote", "period"]


def detail_args(**args) -> str:
    """A check's detail arguments as compact JSON (numbers to 6 significant digits, so the row-by-row reference and
    the vectorised table agree): codes and numbers only; views.check_detail words them from i18n.CHECK_DETAIL."""
    return json.dumps({k: float(f"{v:.6g}") if isinstance(v, float) else v for k, v in args.items()},
                      ensure_ascii=False, separators=(",", ":"), sort_keys=True)


SPLICE_PIECES_MAX = 16   # Arrow chunks a spliced text column may gather (about two per edit) before it is joined


def splice(old: pd.DataFrame, part: pd.DataFrame, parks: set[str]) -> pd.DataFrame:
    """The metric table `old` with the rows of `parks` replaced by `part`, the same metric computed on the
    observations of those parks alone. Every relation a metric follows lies within one park and every table is
    sorted by park first, so this is the table computing it on everything gives (tests/test_incremental.py).
    Built from slices of `old` between the parks' blocks: one copy, no sort."""
    part_ids = part["park_id"].to_numpy(dtype=object)
    pieces, cursor = [], 0
    for park in sorted(parks):
        lo, hi = _park_block(old["park_id"], park)
        pieces += [old.iloc[cursor:lo],
                   part.iloc[np.searchsorted(part_ids, park, "left"):np.searchsorted(part_ids, park, "right")]]
        cursor = hi
    pieces.append(old.iloc[cursor:])
    return stack(pieces, SPLICE_PIECES_MAX)


def stack(frames: list[pd.DataFrame], pieces_max: int = 1) -> pd.DataFrame:
    """Metric tables of disjoint sets of parks, in park order, as one table, the same as computing it on all of
    them gives: a column that some frames built without values (None throughout) takes the type the whole table
    would infer, and text columns in more than `pieces_max` Arrow pieces are joined into one. Empties `frames`
    (a column at a time is copied and the pieces it came from let go: the peak memory is the table's, plus one
    column)."""
    filled = [f for f in frames if len(f)]
    out = pd.concat(filled or frames[:1], ignore_index=True)
    mixed = [c for c in out if len({f[c].dtype for f in filled}) > 1]
    frames.clear()
    del filled
    for c in out.columns:
        if c in mixed:
            out[c] = pd.Series(out[c].tolist(), index=out.index, dtype=object if out[c].isna().all() else None)
        elif isinstance(out[c].dtype, pd.StringDtype) and pieces_of(out[c]) > pieces_max:
            # a take from text in pieces copies the whole column each time (Arrow); joining costs a copy too, so a
            # splice leaves a few pieces (joining every text column after each edit cost 1 s at 3,000 parks)
            out[c] = pd.Series(pd.array(pa.array(out[c].array).combine_chunks(), dtype=out[c].dtype),
                               index=out.index)
            pa.default_memory_pool().release_unused()
    return out


def pieces_of(text: pd.Series) -> int:
    """How many Arrow chunks hold a text column."""
    return getattr(pa.array(text.array), "num_chunks", 1)


def _park_block(ids: pd.Series, park: str) -> tuple[int, int]:
    """Where `park`'s rows are in a column sorted by park: [lo, hi), or an empty range at its place."""
    if isinstance(ids.dtype, pd.StringDtype):      # found by Arrow, without turning 1 M ids into Python text
        column = pa.array(ids.array)
        lo = pc.index(column, park).as_py()
        if lo >= 0:
            return lo, lo + pc.sum(pc.equal(column, park)).as_py()
    values = ids.to_numpy(dtype=object)
    return int(np.searchsorted(values, park, "left")), int(np.searchsorted(values, park, "right"))


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
