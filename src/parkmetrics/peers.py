"""A park among its peers: who its peers are, where it ranks on an indicator, and how ambitious its target is
compared with theirs. Pure functions on tables (no streamlit, no duckdb), vectorised for thousands of parks.

Peers share a level (国家级/省级/市级), a province or a kind (高新区/开发区/工业园区) — the user picks. Ranks are
1 for the best (the highest value when higher is better, the lowest when lower is better); the percentile is
the share of peers the park does at least as well as (100 = best). Only full-year, park-scope figures of one
basis are compared: a district's figure or a 1-9月 figure is never set against a park's year.
"""
from __future__ import annotations

import pandas as pd

PEER_GROUPS = ("level", "province", "kind", "all")
PARK_COLUMNS = ["park_id", "name_zh", "name_en", "short_name_zh", "aliases", "province", "level", "kind", "area_km2"]


def park_frame(parks: dict) -> pd.DataFrame:
    """One row per park with the fields peers are grouped and searched by."""
    return pd.DataFrame([{"park_id": p.id, "name_zh": p.name_zh, "name_en": p.name_en,
                          "short_name_zh": p.short_name_zh or p.name_zh, "aliases": list(p.aliases),
                          "province": p.province, "level": p.level, "kind": p.kind, "area_km2": p.area_km2}
                         for p in parks.values()], columns=PARK_COLUMNS)


def peer_ids(parks: pd.DataFrame, park_id: str, by: str) -> list[str]:
    """The park's peers (itself included): the parks sharing its level, province or kind; every park for 'all'."""
    if by not in PEER_GROUPS:
        raise ValueError(f"peer group {by!r} is not one of {PEER_GROUPS}")
    if by == "all":
        return parks["park_id"].tolist()
    own = parks.loc[parks["park_id"] == park_id, by]
    if own.empty:
        return []
    return parks.loc[parks[by] == own.iloc[0], "park_id"].tolist()


def comparable_values(obs: pd.DataFrame, indicator_id: str, year: int, kind: str = "actual",
                      basis: str = "level") -> pd.DataFrame:
    """park_id → value_std for one indicator, year, kind and basis: park scope, full year, base targets only."""
    sel = obs[(obs["indicator_id"] == indicator_id) & (obs["year"] == year) & (obs["kind"] == kind)
              & (obs["basis"] == basis) & (obs["scope"] == "park")]
    if "period" in sel:
        sel = sel[sel["period"].fillna("") == ""]
    if kind == "target":
        sel = sel[sel["target_level"] == "base"]
    return sel[["park_id", "value_std", "estimate"]].drop_duplicates("park_id").reset_index(drop=True)


def standing(values: pd.DataFrame, park_id: str, direction: str = "higher") -> dict:
    """Where `park_id` stands among the parks in `values` (park_id, value_std): rank (1 = best), percentile
    (share of peers it does at least as well as, in %), the peers' count, median and quartiles. A park without
    the figure gets rank and percentile None: it is 未载明 (not stated), never ranked last."""
    v = values.dropna(subset=["value_std"])
    out = {"n": len(v), "median": None, "q1": None, "q3": None, "value": None, "rank": None, "percentile": None}
    if v.empty:
        return out
    q = v["value_std"].quantile([0.25, 0.5, 0.75])
    out |= {"q1": float(q[0.25]), "median": float(q[0.5]), "q3": float(q[0.75])}
    own = v.loc[v["park_id"] == park_id, "value_std"]
    if own.empty:
        return out
    x = float(own.iloc[0])
    better = (v["value_std"] > x) if direction == "higher" else (v["value_std"] < x)
    worse_or_equal = len(v) - int(better.sum())
    return out | {"value": x, "rank": int(better.sum()) + 1, "percentile": 100.0 * worse_or_equal / len(v)}


def ambition(obs: pd.DataFrame, indicator_id: str, year: int) -> pd.DataFrame:
    """How ambitious each park's base target is, as a growth rate on its previous year, in %:
    a growth target as stated; a level target against the park's own actual level of the year before. Parks
    with neither give no row. Columns: park_id, ambition_pct, how ('stated' | 'implied'), comparator."""
    park_year = obs[(obs["indicator_id"] == indicator_id) & (obs["scope"] == "park")]
    if "period" in park_year:
        park_year = park_year[park_year["period"].fillna("") == ""]
    targets = park_year[(park_year["kind"] == "target") & (park_year["year"] == year)
                        & (park_year["target_level"] == "base")]
    stated = targets[targets["basis"] == "growth_pct"][["park_id", "value_std", "comparator"]]
    stated = stated.rename(columns={"value_std": "ambition_pct"}).assign(how="stated")
    levels = targets[targets["basis"] == "level"][["park_id", "value_std", "comparator"]]
    previous = park_year[(park_year["kind"] == "actual") & (park_year["basis"] == "level")
                         & (park_year["year"] == year - 1)][["park_id", "value_std"]]
    implied = levels.merge(previous, on="park_id", suffixes=("", "_prev"))
    implied = implied[implied["value_std_prev"] > 0]
    implied = implied.assign(ambition_pct=(implied["value_std"] / implied["value_std_prev"] - 1) * 100,
                             how="implied")[["park_id", "ambition_pct", "comparator", "how"]]
    both = pd.concat([stated, implied[~implied["park_id"].isin(stated["park_id"])]], ignore_index=True)
    return both[["park_id", "ambition_pct", "how", "comparator"]].sort_values("park_id", ignore_index=True)


# --- finding a park among thousands ---------------------------------------------------------------------------

def _initials(text: str) -> str:
    """Pinyin initials of the Chinese characters (江油高新区 → jygxq); other characters kept, lower-cased."""
    from pypinyin import Style, lazy_pinyin  # imported on first search: its dictionary takes a moment to load

    return "".join(s[:1] for s in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")).lower()


def search_index(parks: pd.DataFrame) -> pd.DataFrame:
    """park_id → one searchable text per park: names, aliases, id and pinyin initials of the names."""
    names = parks["name_zh"] + " " + parks["short_name_zh"] + " " + parks["aliases"].map(" ".join)
    text = (names + " " + parks["name_en"] + " " + parks["park_id"] + " "
            + parks["short_name_zh"].map(_initials) + " " + parks["name_zh"].map(_initials))
    return pd.DataFrame({"park_id": parks["park_id"], "text": text.str.lower()})


def search(index: pd.DataFrame, query: str, limit: int = 50) -> list[str]:
    """Parks whose names, aliases, id or pinyin initials contain every word of the query, in index order."""
    words = query.lower().split()
    hits = index
    for word in words:
        hits = hits[hits["text"].str.contains(word, regex=False)]
    return hits["park_id"].head(limit).tolist()
