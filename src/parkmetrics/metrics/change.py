"""Year-on-year change and pace to multi-year targets, for the whole dataset at once."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .frames import (KEY, _actuals, _catalogue_columns, _column, _floats, _gather, _is_true, _key_year, _objects,
                     _plain, _positions, _text, with_periods)
from .rules import THRESHOLDS, Thresholds, pace_class


YOY_COLUMNS = ["park_id", "scope", "indicator_id", "year", "value", "unit", "previous_value",
               "nominal_change_pct", "stated_change_pct", "gap_pp", "implied_previous", "implied_previous_basis",
               "derived", "approximate", "estimate", "source", "quote"]


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
