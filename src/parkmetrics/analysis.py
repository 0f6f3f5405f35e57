"""Load, validate and compute every metric once per data version — what the app caches and the benchmark times."""
from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from . import metrics
from .loader import Dataset, load_dataset
from .store import Store


@dataclass
class Analysis:
    dataset: Dataset
    store: Store
    indicators: pd.DataFrame
    attainment: pd.DataFrame
    yoy: pd.DataFrame
    pace: pd.DataFrame
    checks: pd.DataFrame
    coverage: pd.DataFrame
    _memo: dict = field(default_factory=dict, repr=False)

    def memo(self, key: tuple, compute):
        """Compute once per data version: an Analysis is rebuilt whenever the files change, and its memo with it."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute()
            return value

    def park_ids(self) -> list[str]:
        return list(self.dataset.parks)

    def status_counts(self) -> pd.DataFrame:
        """The parks' own targets per park and status (park × status, zeros included): a host district's targets
        are the district's, never counted as the park's."""
        att = self.attainment
        counts = att[att["scope"] == "park"].groupby(["park_id", "status"]).size().unstack(fill_value=0)
        return counts.reindex(index=self.park_ids(), columns=list(metrics.STATUS_CODES), fill_value=0)

    def sources_of(self, frame: pd.DataFrame) -> list:
        """The source documents behind the rows of `frame`, in a stable order."""
        ids = sorted(set(frame["source"].dropna()))
        return [self.dataset.sources[i] for i in ids if i in self.dataset.sources]


def memoized(fn):
    """Cache `fn(analysis, *hashable_args)` in the analysis it was given."""
    @functools.wraps(fn)
    def wrapper(analysis: Analysis, *args):
        return analysis.memo((fn.__qualname__, *args), lambda: fn(analysis, *args))
    return wrapper


# The metric tables, each computed from the observations (with their periods parsed) and the catalogue.
TABLES = {"attainment": metrics.attainment, "yoy": metrics.yoy, "pace": metrics.pace, "checks": metrics.checks,
          "coverage": lambda obs, ind: metrics.coverage(obs)}
# Beyond this share of the parks changed, computing everything again is as quick as splicing.
SPLICE_MAX_SHARE = 0.5
PARKS_PER_BATCH = 250   # compute_tables: parks computed together (at 3,000 parks, 12 batches)
# A single batch's tables are computed side by side: on data this small each is mostly DuckDB planning its query,
# which runs outside the GIL (the shipped data: ~0.7 of the time on 2 cores). Batches stay one table at a time, so
# the working memory stays one query's.
_SIDE_BY_SIDE = ThreadPoolExecutor(max_workers=len(TABLES), thread_name_prefix="metric-table")


def analyse(dataset: Dataset, previous: Analysis | None = None) -> Analysis:
    """Every metric of `dataset`. Given the analysis of an earlier version of the same files (`previous`), only
    the parks whose observation files changed are computed again and spliced into its tables: at 3,000 parks an
    edit to one file then costs one park's metrics, not every park's."""
    ind = metrics.indicator_frame(dataset.indicators)
    obs = dataset.observations
    parks = changed_parks(previous, dataset, ind)
    if parks is None:
        tables = compute_tables(obs, ind)
    else:
        part = compute_tables(obs[obs["park_id"].isin(list(parks)).to_numpy(dtype=bool)], ind)
        tables = {name: metrics.splice(getattr(previous, name), part[name], parks) for name in TABLES}
    return Analysis(dataset=dataset, store=Store(dataset), indicators=ind, **tables)


def compute_tables(obs: pd.DataFrame, ind: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every metric table of `obs`, PARKS_PER_BATCH parks at a time (every relation lies within one park): the
    working memory is one batch's, not all parks' at once."""
    parks = sorted(str(p) for p in obs["park_id"].unique())
    if len(parks) <= PARKS_PER_BATCH:
        with_periods = metrics.with_periods(obs)  # parsed once here, not again in every metric table
        tables = {name: _SIDE_BY_SIDE.submit(compute, with_periods, ind) for name, compute in TABLES.items()}
        return {name: table.result() for name, table in tables.items()}
    codes = np.asarray(pd.Categorical(obs["park_id"], categories=parks).codes)
    last = (len(parks) - 1) // PARKS_PER_BATCH
    batch_of = np.where(codes < 0, last, codes // PARKS_PER_BATCH)   # a row without a park: last, as sorting puts it
    done: dict[str, list] = {name: [] for name in TABLES}
    for batch in range(last + 1):
        with_periods = metrics.with_periods(obs[batch_of == batch])
        for name, compute in TABLES.items():
            done[name].append(compute(with_periods, ind))
        del with_periods
        pa.default_memory_pool().release_unused()   # the batch's working memory, back before the next batch
    return {name: metrics.stack(done.pop(name)) for name in TABLES}


def changed_parks(previous: Analysis | None, dataset: Dataset, ind: pd.DataFrame) -> set[str] | None:
    """The parks whose observations may differ between `previous` and `dataset`: every park with a row, before or
    after, in an observation file whose (size, mtime, inode) changed, was added or removed. None when the two are
    not comparable (no previous analysis, parks.yaml or the catalogue changed) or most parks changed."""
    if previous is None:
        return None
    before = previous.dataset
    if dataset.context is None or before.context != dataset.context or not previous.indicators.equals(ind):
        return None
    names = set(before.file_stats) | set(dataset.file_stats)   # a file added or removed has a None side
    files = [rel for rel in names if before.file_stats.get(rel) != dataset.file_stats.get(rel)]
    parks: set[str] = set()
    for obs in (before.observations, dataset.observations):
        if len(obs):
            parks.update(obs.loc[obs["file"].isin(files).to_numpy(dtype=bool), "park_id"].unique().tolist())
    return parks if len(parks) <= SPLICE_MAX_SHARE * max(len(dataset.parks), 1) else None


def analyse_root(root: str | Path, previous: Analysis | None = None) -> Analysis:
    return analyse(load_dataset(root), previous)
