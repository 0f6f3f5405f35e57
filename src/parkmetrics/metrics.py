"""Metrics — placeholder replaced below."""
from __future__ import annotations

import pandas as pd


def indicator_frame(indicators: dict) -> pd.DataFrame:
    return pd.DataFrame([{"indicator_id": i.id, "direction": i.direction, "indicator_unit": i.unit,
                          "name_zh": i.name_zh, "name_en": i.name_en} for i in indicators.values()])


def coverage(obs: pd.DataFrame) -> pd.DataFrame:
    g = obs.groupby(["park_id", "scope", "indicator_id", "year"])["kind"]
    return pd.DataFrame({"targets": g.apply(lambda k: int((k == "target").sum())),
                         "actuals": g.apply(lambda k: int((k == "actual").sum()))}).reset_index()
