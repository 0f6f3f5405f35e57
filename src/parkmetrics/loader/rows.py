"""A CSV's rows as the loader reads them (header, rows set aside when a file they need is broken), and the shape of
the observation frame: its columns, types, categories, duplicates and assembly from cached pieces."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from ..model import OBSERVATION_COLUMNS, REQUIRED_COLUMNS
from ..problems import Problem
from ..read import read_csv, read_data, read_text, simple_csv
from .dataset import KEY_COLUMNS, Dataset, _quarantine_record


def _blocking_cause(ds: Dataset, needs: tuple[str, ...]) -> Problem | None:
    """The first root cause among the files these rows need (parks.yaml, the catalogue), if any."""
    return next((p for p in ds.root_causes() if p.file in needs), None)


def _read_rows(root: Path, rel: str, ds: Dataset, path: Path | None = None):
    """Header and rows of one CSV; rows the reader refused go to the quarantine here. None if unreadable."""
    text = read_text(root, rel, ds.problems, path=path)
    if text is None:
        return None
    header, rows, refused = read_csv(text, rel, ds.problems)
    ds.rows_read += len(rows) + len(refused)
    return header, rows, [_quarantine_record(rel, r["line"], r["codes"], r["raw"]) for r in refused]


def _header_problems(header: list[str], rel: str, problems: list[Problem]) -> list[str]:
    """Report the required columns an observation CSV's header lacks and the columns it should not have;
    returns the missing ones (a file missing any has all its rows quarantined)."""
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    problems += [Problem.of("missing-csv-column", rel, 1, field=col) for col in missing]
    problems += [Problem.of("unknown-csv-column", rel, 1, field=col) for col in header if col not in OBSERVATION_COLUMNS]
    return missing


def _set_aside(rel: str, rows: list[tuple[int, list[str]]], cause: Problem, ds: Dataset) -> list[dict]:
    """Rows that depend on an unusable file: one problem naming the cause, every row quarantined (not lost)."""
    if rows:
        ds.problems.append(Problem.of("blocked-by-file", rel, rows[0][0], value=f"{len(rows)} rows",
                                      detail=f"{cause.location()} {cause.code}"))
    return [_quarantine_record(rel, line, "blocked-by-file", ",".join(cells)) for line, cells in rows]


# --- the observation frame ------------------------------------------------------------------------------

OUTPUT_COLUMNS = OBSERVATION_COLUMNS + ["value_std", "unit_std", "file", "line"]
_DTYPES = {"year": "int64", "baseline_year": "Int64", "value": "float64", "value_std": "float64",
           "estimate": "bool", "approximate": "bool", "line": "int64"}
_TEXT_COLUMNS = [c for c in OUTPUT_COLUMNS if c not in _DTYPES]
# Text that repeats (ids, codes, units, file names) is kept as categories: at national scale Arrow text cost
# ~15 bytes a cell in each of these columns, categories one or two. Categories are in lexical order, so sorting
# on them is unchanged; quotes and notes stay text.
CATEGORY_COLUMNS = ["park_id", "scope", "indicator_id", "kind", "target_level", "unit", "comparator", "basis",
                    "source", "unit_std", "file", "period"]


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame([], columns=OUTPUT_COLUMNS).astype(_DTYPES)


def _categorised(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    fixes = {}
    for c in CATEGORY_COLUMNS:
        col = frame.get(c)
        if col is None or not col.notna().any():
            continue
        if not isinstance(col.dtype, pd.CategoricalDtype):
            fixes[c] = col.astype("category")
        elif list(col.cat.categories) != sorted(col.cat.categories):
            fixes[c] = col.cat.reorder_categories(sorted(col.cat.categories))
    return frame.assign(**fixes) if fixes else frame


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """pd.concat that keeps category columns categories: their categories are united first (pandas would turn
    pieces with different categories into text, row by row, and the categories would have to be found again)."""
    parts = [f for f in frames if len(f)] or frames[:1]
    cats = [c for c in CATEGORY_COLUMNS if c in parts[0]
            and all(isinstance(f[c].dtype, pd.CategoricalDtype) for f in parts)]
    out = pd.concat([f.drop(columns=cats) for f in parts], ignore_index=True)
    united = {c: pd.Series(union_categoricals(_same_category_dtype([f[c] for f in parts]), sort_categories=True),
                           index=out.index) for c in cats}
    return out.assign(**united)[list(parts[0].columns)]


def _same_category_dtype(cols: list[pd.Series]) -> list[pd.Series]:
    """Category columns whose categories share one dtype: a piece with no value at all (a 工作总结's target_level:
    every row an actual) has empty categories of object dtype, which union_categoricals refuses beside text."""
    kinds = [c.cat.categories.dtype for c in cols if len(c.cat.categories)]
    if not kinds:
        return cols
    return [c.cat.set_categories(pd.Index([], dtype=kinds[0])) if not len(c.cat.categories) and
            c.cat.categories.dtype != kinds[0] else c for c in cols]


def _as_built(frame: pd.DataFrame) -> pd.DataFrame:
    """The dtypes a frame built from the rows' dicts has: a text column with no value at all is an object column
    of None (pandas infers no text type from it), any other text column is str."""
    fixes = {}
    if frame.empty:
        return frame
    for c in _TEXT_COLUMNS:
        col = frame[c]
        if len(col) and col.isna().all():
            if col.dtype != object:
                fixes[c] = pd.Series([None] * len(col), index=frame.index, dtype=object)
        elif col.dtype == object:
            fixes[c] = col.astype("str")
        elif isinstance(col.dtype, pd.CategoricalDtype):  # a category whose rows were set aside is not shown
            if not _uses_every_category(col):
                fixes[c] = col.cat.remove_unused_categories()
    return frame.assign(**fixes) if fixes else frame


def _uses_every_category(col: pd.Series) -> bool:
    """Whether each of a category column's categories has a row (a count of its codes: quicker than pandas'
    remove_unused_categories, which copies the column). Codes of one or two bytes are counted as unsigned, where a
    missing value's -1 is the top count, past every category: no filtered copy of 4 M codes."""
    codes, n = col.cat.codes.to_numpy(), len(col.cat.categories)
    if codes.dtype.itemsize <= 2:
        counts = np.bincount(codes.view(np.dtype(f"u{codes.dtype.itemsize}")), minlength=n)[:n]
    else:
        counts = np.bincount(codes[codes >= 0], minlength=n)
    return bool((counts > 0).all())


def _duplicates(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose key repeats an earlier row's (file, then line order), and the position of that first row."""
    n = len(frame)
    if n == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64)
    key = np.zeros(n, dtype=np.int64)
    radix = 1
    for c in KEY_COLUMNS:
        codes, size = _key_codes(frame[c])
        radix *= size + 1
        if radix > 2 ** 62:  # too many combinations for one integer: let pandas number the key's groups
            key = frame.groupby(KEY_COLUMNS, sort=False, dropna=False).ngroup().to_numpy().astype(np.int64)
            break
        key *= size + 1   # in place: each pass over 4 M keys is memory-bound
        key += codes
    # A stable sort puts each key's rows together in their order: all but the first of a run repeat it. (A sort
    # of nearly ordered integers: 40 ms for 4 M rows, where a hash table took 0.5 s.)
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    dup = np.zeros(n, dtype=bool)
    dup[order[~starts]] = True
    first = np.zeros(n, dtype=np.int64)
    if dup.any():
        first[order] = order[np.flatnonzero(starts)][np.cumsum(starts) - 1]
    return dup, first


def _key_codes(col: pd.Series) -> tuple[np.ndarray, int]:
    """A column's values as integers 0..size-1, equal where the values are (a missing value is one value too).
    A category column has them already (its codes, a missing value -1 → 0), and a year column is its offset
    from the first year. (Hashing them took 0.15 s of a 0.8 s reload at 3,000 parks, 4 M rows.)"""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy().astype(np.int64)
        codes += 1
        return codes, len(col.cat.categories) + 1
    if isinstance(col.dtype, np.dtype) and col.dtype.kind in "iu" and len(col):   # (no NA in a numpy integer)
        values = col.to_numpy()
        low, high = int(values.min()), int(values.max())
        if high - low < 1 << 20:
            codes = values.astype(np.int64)
            codes -= low
            return codes, high - low + 1
    codes, uniques = pd.factorize(col, use_na_sentinel=False)
    return codes, len(uniques)


def _raw_lines(root: Path, rel: str, lines: set[int]) -> dict[int, str]:
    """The raw text of a few rows (quarantined duplicates), read again: ",".join(cells) as the reader gives them."""
    got = read_data(root, rel, [])
    if got is None:
        return {}
    text, data = got
    simple = simple_csv(data)
    if simple is not None:
        out = {}
        for i, raw in enumerate(simple[1].decode("utf-8").split("\n")[:-1], start=2):
            if i in lines:
                out[i] = raw
        return out
    _, rows, _ = read_csv(text, rel, [])
    return {line: ",".join(cells) for line, cells in rows if line in lines}


def _assemble(pieces: list[tuple[pd.DataFrame, int, int]]) -> pd.DataFrame:
    merged: list[list] = []
    for src, a, b in pieces:
        if merged and merged[-1][0] is src and merged[-1][2] == a:
            merged[-1][2] = b
        else:
            merged.append([src, a, b])
    if not merged:
        return _empty_frame()
    if len(merged) == 1 and merged[0][1] == 0 and merged[0][2] == len(merged[0][0]):
        return merged[0][0]
    return _concat([src.iloc[a:b] for src, a, b in merged])
