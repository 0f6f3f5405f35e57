"""What every metric table is built with: the catalogue columns, the observations with their periods parsed, the
columns a metric query reads (for_engine), and splicing one park's rows into a table."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..periods import parse_period
from .sql import query


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
    return obs.assign(period=period, **{c: np.array(looked_up[c], dtype=t)[codes] if len(obs) else
                                        np.zeros(0, dtype=t) for c, t in dtypes.items()})


_COVERAGE = """
SELECT park_id, scope, indicator_id, year,
       count(*) FILTER (WHERE kind = 'target')                   AS targets,
       count(*) FILTER (WHERE kind = 'actual' AND full_year)     AS actuals,
       count(*) FILTER (WHERE kind = 'actual' AND NOT full_year) AS partial_actuals
FROM obs GROUP BY ALL ORDER BY park_id, scope, indicator_id, year
"""


def coverage(obs: pd.DataFrame) -> pd.DataFrame:
    """Which park reports which indicator: targets, full-year actuals and partial-year actuals per year — a DuckDB
    query over the observations, whose full_year column is periods.py's one definition (with_periods)."""
    counts = query(_COVERAGE, obs=with_periods(obs)[KEY + ["year", "kind", "full_year"]])
    return counts.astype({c: "int64" for c in ("year", "targets", "actuals", "partial_actuals")})


FLAGS = ("estimate", "approximate")


def for_engine(obs: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The columns a metric query reads, with row_order (the documents' order, which decides "the first actual") and
    the flags as strict booleans (a missing flag is not True)."""
    out = obs[columns].assign(row_order=np.arange(len(obs)))
    flags = {c: out[c].eq(True).fillna(False).astype(bool) for c in FLAGS if c in out and out[c].dtype != bool}
    return out.assign(**flags) if flags else out


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
