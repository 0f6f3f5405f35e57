"""Summaries that stay readable for thousands of parks: counts, the highest and lowest N, and who did not state a
figure. Pure functions on tables (no streamlit, no duckdb, no plotly); views (views/home.py, views/compare.py) turn them into figures.

The honest rules, in one place:
* Only a value is ranked. A park without the figure is 未载明 (not stated) and a park whose figure cannot be set
  beside the others (another basis, the district's figure, a 1-9月 figure, no previous-year level) is counted
  apart — neither is ever ranked first or last, and both are counted, so the parks shown always add up.
* Ranks: 1 for the first in the chosen order; tied values share the best rank (1, 2, 2, 4), and a tie is broken
  by park id, so the same data always gives the same picture.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

CARDS_MAX = 6        # up to this many parks the overview shows a card for every park (as it always did)
BARS_MAX = 30        # up to this many parks one bar per park; beyond, the highest and lowest N and a distribution
TOP_CHOICES = (10, 20, 30)
PIN_MAX = 12         # parks a reader can pin on the overview (each pinned park is a card)


def many(n_parks: int, limit: int = BARS_MAX) -> bool:
    return n_parks > limit


def counts_by(parks: pd.DataFrame, column: str) -> pd.DataFrame:
    """Parks per value of `column` (province, level, kind): columns `value`, `parks`; most parks first, ties by
    value. A park without the field counts under None (never dropped)."""
    counts = parks[column].value_counts(dropna=False)
    out = pd.DataFrame({"value": list(counts.index), "parks": [int(n) for n in counts.to_numpy()]})
    return out.sort_values(["parks", "value"], ascending=[False, True], kind="stable",
                           na_position="last").reset_index(drop=True)


def status_totals(att: pd.DataFrame, order: list[str]) -> pd.Series:
    """Targets per status, in `order` (zeros included); a status not in `order` is added after it."""
    counts = att["status"].value_counts()
    extra = [s for s in counts.index if s not in order]
    return counts.reindex(list(order) + extra, fill_value=0).astype(int)


def top_bottom(values: pd.DataFrame, n: int, higher_first: bool = True) -> pd.DataFrame:
    """The first and the last `n` of `values` (park_id, value) in order: the highest first when `higher_first`.

    Rows without a finite value are never ranked. Adds `rank` (ties share the best rank) and `part`: 'top' for
    the first n, 'bottom' for the last n — or 'all' for every row when there are no more than 2·n, so a park is
    never shown twice. Never more than n rows in a part; the rows come in display order (first to last)."""
    v = values.assign(value=pd.to_numeric(values["value"], errors="coerce"))
    v = v[np.isfinite(v["value"].to_numpy(dtype=float, na_value=np.nan))]
    if n < 1 or v.empty:
        return v.assign(rank=pd.Series(dtype=int), part=pd.Series(dtype=object)).iloc[0:0]
    v = v.sort_values(["value", "park_id"], ascending=[not higher_first, True], kind="stable")
    v = v.assign(rank=v["value"].rank(method="min", ascending=not higher_first).astype(int))
    if len(v) <= 2 * n:
        return v.assign(part="all").reset_index(drop=True)
    return pd.concat([v.head(n).assign(part="top"), v.tail(n).assign(part="bottom")], ignore_index=True)


def not_ranked(parks: list[str], ranked: object, stated: object) -> dict[str, int]:
    """How the parks divide: `ranked` (have a comparable value), `other` (stated a figure for it that cannot be set
    beside the others: another basis, scope or period), `not_stated` (stated nothing); they add up to `total`."""
    every = set(parks)
    ranked_ids = set(ranked) & every
    other = (set(stated) & every) - ranked_ids
    return {"total": len(every), "ranked": len(ranked_ids), "other": len(other),
            "not_stated": len(every) - len(ranked_ids) - len(other)}


def yoy_changes(yoy: pd.DataFrame, indicator_id: str, year: int) -> tuple[pd.DataFrame, set[str]]:
    """Year-on-year movers of one indicator: (park_id, value = nominal change %, estimate, source) for every park
    whose full-year, park-scope level is stated in `year` and the year before (metrics.yoy: full-year actuals
    only), and the parks that stated any full-year figure of it in `year` (a stated rate alone is not ranked: it
    may be at comparable prices, and it is not the same basis as a change of levels)."""
    sel = yoy[(yoy["indicator_id"] == indicator_id) & (yoy["year"] == year) & (yoy["scope"] == "park")]
    stated = set(sel["park_id"])
    change = pd.to_numeric(sel["nominal_change_pct"], errors="coerce")
    sel = sel[change.notna()]
    values = pd.DataFrame({"park_id": sel["park_id"], "value": change[change.notna()],
                           "estimate": sel["estimate"].astype(bool), "source": sel["source"]})
    return values.drop_duplicates("park_id").reset_index(drop=True), stated


def best_status(att: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Per park and indicator the best status among its targets (the first in `order`), as the status matrix
    shows a cell: columns park_id, indicator_id, status."""
    if att.empty:
        return pd.DataFrame(columns=["park_id", "indicator_id", "status"])
    rank = att["status"].astype(object).map({s: k for k, s in enumerate(order)}).fillna(len(order))
    cells = (att.assign(_rank=rank).sort_values("_rank", kind="stable")
             .drop_duplicates(["park_id", "indicator_id"]))
    return cells[["park_id", "indicator_id", "status"]].reset_index(drop=True)


def status_counts_by_indicator(cells: pd.DataFrame, indicator_ids: list[str], n_parks: int,
                               order: list[str]) -> pd.DataFrame:
    """Parks per indicator and best status (`cells` from best_status), plus `not_stated`: the parks with no
    target for it. Rows: indicator_ids; columns: order + not_stated; every row sums to n_parks."""
    counts = (cells.groupby(["indicator_id", "status"]).size().unstack(fill_value=0)
              if not cells.empty else pd.DataFrame())
    counts = counts.reindex(index=indicator_ids, columns=list(order), fill_value=0).fillna(0).astype(int)
    return counts.assign(not_stated=n_parks - counts.sum(axis=1))


COVERAGE_CLASSES = ("both", "targets_only", "actuals_only", "not_stated")


def coverage_counts(cov: pd.DataFrame, indicator_ids: list[str], n_parks: int) -> pd.DataFrame:
    """Parks per indicator by what they report (any year): targets and actuals, targets only, actuals only
    (a year-to-date actual counts as an actual), or nothing (not_stated). Every row sums to n_parks."""
    actual = cov["actuals"] + (cov["partial_actuals"] if "partial_actuals" in cov else 0)
    per = (cov.assign(_t=cov["targets"] > 0, _a=actual > 0)
           .groupby(["indicator_id", "park_id"])[["_t", "_a"]].any().reset_index())
    cls = np.select([per["_t"] & per["_a"], per["_t"], per["_a"]], list(COVERAGE_CLASSES[:3]), "not_stated")
    counts = (per.assign(cls=cls).groupby(["indicator_id", "cls"]).size().unstack(fill_value=0)
              if not per.empty else pd.DataFrame())
    counts = counts.reindex(index=indicator_ids, columns=list(COVERAGE_CLASSES[:3]), fill_value=0)
    counts = counts.fillna(0).astype(int)
    return counts.assign(not_stated=n_parks - counts.sum(axis=1))


def parse_pins(raw: object, known: object, limit: int = PIN_MAX) -> tuple[list[str], list[str]]:
    """`pin=id1,id2` from a link: (the known park ids, in link order, without repeats, at most `limit`; the
    unknown values, as sent). Blank items are ignored; nothing in the value is ever evaluated."""
    if raw is None:
        return [], []
    known = set(known)
    valid, unknown = [], []
    for item in str(raw).split(","):
        item = item.strip()
        if not item:
            continue
        if item in known:
            if item not in valid:
                valid.append(item)
        elif item not in unknown:
            unknown.append(item)
    return valid[:limit], unknown
