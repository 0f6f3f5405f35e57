"""Load, validate and compute every metric once per data version — what the app caches and the benchmark times."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

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
        """Targets per park and status (park × status, zeros included)."""
        counts = self.attainment.groupby(["park_id", "status"]).size().unstack(fill_value=0)
        return counts.reindex(index=self.park_ids(), columns=list(metrics.STATUS_LABELS), fill_value=0)

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


def analyse(dataset: Dataset) -> Analysis:
    ind = metrics.indicator_frame(dataset.indicators)
    obs = metrics.with_periods(dataset.observations)  # parsed once here, not again in every metric table
    return Analysis(dataset=dataset, store=Store(dataset), indicators=ind,
                    attainment=metrics.attainment(obs, ind), yoy=metrics.yoy(obs, ind), pace=metrics.pace(obs, ind),
                    checks=metrics.checks(obs, ind), coverage=metrics.coverage(obs))


def analyse_root(root: str | Path) -> Analysis:
    return analyse(load_dataset(root))
