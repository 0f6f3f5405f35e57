"""The tracker page (目标跟踪): every target with its status, filtered."""
from __future__ import annotations

import pandas as pd

from ..analysis import Analysis, memoized
from .common import ALL, in_table_order


@memoized
def tracked_targets(analysis: Analysis, park: str = ALL, status: str = ALL, horizon: str = ALL,
                    family: str = ALL, scope: str = ALL) -> pd.DataFrame:
    """The attainment rows a tracker selection keeps (horizon: annual or multi_year; scope: park or district), in
    table order. Kept per selection: at national scale (1.4 M targets) the page shows 200 of them at a time and
    formats only those."""
    att = analysis.attainment
    if park != ALL:
        att = att[att["park_id"] == park]
    if scope != ALL:
        att = att[att["scope"] == scope]
    if status != ALL:
        att = att[att["status"] == status]
    if horizon != ALL:
        att = att[att["baseline_year"].notna() == (horizon == "multi_year")]
    if family != ALL:
        category = {i: ind.category for i, ind in analysis.dataset.indicators.items()}
        att = att[att["indicator_id"].map(category) == family]
    return in_table_order(att)
