"""Load, validate and compute every metric once per data version — what the app caches and the benchmark times."""
from __future__ import annotations

from dataclasses import dataclass
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


def analyse(dataset: Dataset) -> Analysis:
    ind = metrics.indicator_frame(dataset.indicators)
    obs = dataset.observations
    return Analysis(dataset=dataset, store=Store(dataset), indicators=ind,
                    attainment=metrics.attainment(obs, ind), yoy=metrics.yoy(obs, ind), pace=metrics.pace(obs, ind),
                    checks=metrics.checks(obs, ind), coverage=metrics.coverage(obs))


def analyse_root(root: str | Path) -> Analysis:
    return analyse(load_dataset(root))
