"""Display tables and texts built from an Analysis: pure functions, so pages only lay them out."""
from __future__ import annotations


import pandas as pd

from . import charts, i18n
from .analysis import Analysis, memoized

HEADLINE_INDICATORS = ["industrial_output", "tech_industry_trade_revenue", "industrial_value_added",
                       "fixed_asset_investment", "contracted_investment", "investment_attracted", "signed_projects",
                       "above_scale_enterprises_new", "high_tech_enterprises_new"]
CMP_TEXT = {"≥": "≥", ">": ">", "≤": "≤", "<": "<", "≈": "≈", "=": ""}


def fmt_number(v: float | None) -> str:
    if v is None or pd.isna(v):
        return "—"
    return f"{v:,.4g}" if abs(v) >= 1e4 else f"{v:.4g}"


def fmt_figure(value: float, unit: str, comparator: str, basis: str, lang: str) -> str:
    """"增长 ≥15%", "≥30 个", "前 3 名" — a figure as a reader expects it."""
    cmp_ = CMP_TEXT.get(comparator, comparator)
    num = fmt_number(value)
    if basis == "growth_pct":
        return f"增长{cmp_}{num}%" if lang != "en" else f"growth {cmp_}{num}%"
    if basis == "reduction_pct":
        return f"降低{cmp_}{num}%" if lang != "en" else f"reduction {cmp_}{num}%"
    if basis == "rank":
        return f"前{num}名" if lang != "en" else f"top {num}"
    sep = "" if lang != "en" else " "
    return f"{cmp_}{num}{sep}{i18n.unit(unit, lang)}".strip()


@memoized
def headline(analysis: Analysis, park_id: str, lang: str, n: int = 4) -> list[tuple[str, str]]:
    """A park's headline targets (park scope, latest plan year) as (indicator, "target (stretch)") pairs."""
    att = analysis.attainment
    att = att[(att["park_id"] == park_id) & (att["scope"] == "park")]
    if att.empty:
        return []
    year = int(att["year"].max())
    att = att[att["year"] == year]
    out = []
    for iid in HEADLINE_INDICATORS:
        sel = att[att["indicator_id"] == iid]
        if sel.empty:
            continue
        parts = []
        for r in sel.sort_values("target_level").itertuples():
            text = fmt_figure(r.target_value, r.unit, r.comparator, r.basis, lang)
            parts.append(text if r.target_level == "base" else
                         (f"力争{text}" if lang != "en" else f"stretch {text}"))
        out.append((f"{year} {i18n.name(analysis.dataset.indicators[iid], lang)}", "，".join(parts) if lang != "en"
                    else "; ".join(parts)))
        if len(out) == n:
            break
    return out


def park_facts(analysis: Analysis, park_id: str, lang: str) -> dict[str, str]:
    p = analysis.dataset.parks[park_id]
    level = f"{p.level}{p.kind}" if lang != "en" else f"{i18n.LEVEL_EN[p.level]} {i18n.LEVEL_EN[p.kind]}"
    sep = "、" if lang != "en" else ", "
    not_stated = i18n.t("not_stated", lang)
    return {
        i18n.t("level", lang): level,
        i18n.t("location", lang): f"{p.province} {p.city} {p.county}",
        i18n.t("aliases", lang): sep.join(p.aliases) or not_stated,
        i18n.t("industry_system", lang): p.industry_system or not_stated,
        i18n.t("leading_industries", lang): sep.join(p.leading_industries) or not_stated,
        i18n.t("positioning", lang): p.positioning or not_stated,
        i18n.t("established", lang): p.established or not_stated,
        i18n.t("area", lang): f"{p.area_km2:g} km²" if p.area_km2 else not_stated,
    }


def targets_by_scope(analysis: Analysis, park_id: str) -> dict[str, int]:
    att = analysis.attainment
    return att.loc[att["park_id"] == park_id, "scope"].value_counts().to_dict()


def latest_actual_year(analysis: Analysis, park_id: str) -> int | None:
    obs = analysis.dataset.observations
    years = obs[(obs["park_id"] == park_id) & (obs["kind"] == "actual")]["year"]
    return None if years.empty else int(years.max())


def targets_table(att: pd.DataFrame, parks: dict, lang: str) -> pd.DataFrame:
    """Attainment rows for display, the park's own targets before the district's: figures as written, status,
    attainment %, flags. Empty cells read "—", never NaN or None."""
    att = att.assign(_order=(att["scope"] == "district").astype(int)).sort_values(
        ["park_id", "_order", "year", "indicator_id", "target_level"], kind="stable")
    return pd.DataFrame({
        "park": [i18n.name(parks[p], lang) for p in att["park_id"]],
        "scope": [i18n.t(f"scope_{s}", lang) for s in att["scope"]],
        "indicator": att["indicator_name_en" if lang == "en" else "indicator_name_zh"],
        "year": att["year"],
        "target_level": [i18n.t(lv, lang) for lv in att["target_level"]],
        "target_value": [fmt_figure(v, u, c, b, lang) for v, u, c, b in
                         zip(att["target_value"], att["unit"], att["comparator"], att["basis"])],
        "actual_value": [fmt_number(v) for v in att["actual_value"]],
        "ratio": [fmt_pct(v) for v in att["ratio"]],
        "status": att["status_en" if lang == "en" else "status_zh"],
        "summary": att["summary_en" if lang == "en" else "summary_zh"],
        "flags": [i18n.flags(f, lang) for f in att["flags"]],
        "source": att["source"],
        "quote": att["quote"],
    })


def fmt_pct(ratio: float | None) -> str:
    return "—" if ratio is None or pd.isna(ratio) else f"{ratio * 100:.0f}%"


def display(frame: pd.DataFrame, numeric: list[str]) -> pd.DataFrame:
    """Numbers as text for display tables: "—" for a missing value instead of None or NaN."""
    return frame.assign(**{c: [fmt_number(v) if not pd.isna(v) else "—" for v in frame[c]]
                           for c in numeric if c in frame})


def named(frame: pd.DataFrame, park_name, indicator_name) -> pd.DataFrame:
    """`frame` with display names beside park_id and indicator_id (any frame, even an empty one without them)."""
    parks = frame["park_id"] if "park_id" in frame else pd.Series([None] * len(frame), index=frame.index)
    inds = frame["indicator_id"] if "indicator_id" in frame else pd.Series([None] * len(frame), index=frame.index)
    return frame.assign(park=[park_name(p) for p in parks], indicator=[indicator_name(i) for i in inds])


def quote_source(analysis: Analysis, row: pd.Series, lang: str) -> str:
    """"来源：《…》（issuer，date） · data/observations/x.csv:21" — where a quoted figure comes from."""
    source = analysis.dataset.sources.get(row["source"])
    where = f"{row['file']}:{row['line']}"
    return (i18n.source_line([source], lang) + " · " + where) if source is not None else where


@memoized
def trend_inputs(analysis: Analysis, park_id: str, indicator_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Observations and attainment rows for one park and indicator, in one scope (the park's own when it has
    any, else the district's) — a chart never mixes scopes."""
    obs = analysis.dataset.observations
    obs = obs[(obs["park_id"] == park_id) & (obs["indicator_id"] == indicator_id)]
    scope = "park" if (obs["scope"] == "park").any() else "district"
    obs = obs[obs["scope"] == scope]
    att = analysis.attainment
    att = att[(att["park_id"] == park_id) & (att["indicator_id"] == indicator_id) & (att["scope"] == scope)]
    return obs, att


@memoized
def indicators_of(analysis: Analysis, park_id: str | None = None, category: str | None = None) -> list[str]:
    """Indicator ids with data (optionally for one park or family), most widely reported first."""
    obs = analysis.dataset.observations
    if park_id:
        obs = obs[obs["park_id"] == park_id]
    if category:
        ids = [i for i, ind in analysis.dataset.indicators.items() if ind.category == category]
        obs = obs[obs["indicator_id"].isin(ids)]
    ranked = obs.groupby("indicator_id").agg(parks=("park_id", "nunique"), n=("value", "size"))
    ranked = ranked.sort_values(["parks", "n"], ascending=False)
    return list(ranked.index)


@memoized
def comparison_rows(analysis: Analysis, indicator_id: str, year: int) -> pd.DataFrame:
    """Every park's figures for one indicator and year, in the basis most parks share.

    When that basis is a level, a growth target whose previous-year level is known joins as the level it
    implies (marked derived), so "+12 %" can stand beside "390 亿元".
    """
    obs = analysis.dataset.observations
    rows = obs[(obs["indicator_id"] == indicator_id) & (obs["year"] == year)].assign(derived=False)
    if rows.empty:
        return rows
    att = analysis.attainment
    grown = att[(att["indicator_id"] == indicator_id) & (att["year"] == year) & (att["basis"] == "growth_pct")
                & att["implied_target_level"].notna()]
    implied = pd.DataFrame({
        "park_id": grown["park_id"], "scope": grown["scope"], "indicator_id": indicator_id, "year": year,
        "kind": "target", "target_level": grown["target_level"], "value_std": grown["implied_target_level"],
        "unit_std": analysis.dataset.indicators[indicator_id].unit, "basis": "level", "source": grown["source"],
        "derived": True})
    rows = pd.concat([rows, implied], ignore_index=True) if not implied.empty else rows
    basis = rows.groupby("basis")["park_id"].nunique().sort_values(ascending=False, kind="stable")
    best = "level" if "level" in basis and basis["level"] == basis.iloc[0] else basis.index[0]
    return rows[rows["basis"] == best]


@memoized
def default_year(analysis: Analysis, indicator_id: str) -> int | None:
    """The year in which most parks report the indicator (the latest such year)."""
    obs = analysis.dataset.observations
    obs = obs[obs["indicator_id"] == indicator_id]
    if obs.empty:
        return None
    parks = obs.groupby("year")["park_id"].nunique()
    return int(parks[parks == parks.max()].index.max())


@memoized
def years_of(analysis: Analysis, indicator_id: str) -> list[int]:
    obs = analysis.dataset.observations
    return sorted(set(int(y) for y in obs.loc[obs["indicator_id"] == indicator_id, "year"]), reverse=True)


def tasks_table(analysis: Analysis, park_id: str | None = None) -> pd.DataFrame:
    tasks = analysis.dataset.tasks
    return tasks if park_id is None else tasks[tasks["park_id"] == park_id]


@memoized
def yoy_table(analysis: Analysis, park_id: str, lang: str) -> pd.DataFrame:
    """A park's year-on-year rows that carry a change (nominal, stated, or an implied previous level)."""
    yoy = analysis.yoy
    has_change = yoy[["nominal_change_pct", "stated_change_pct", "implied_previous"]].notna().any(axis=1)
    yoy = yoy[(yoy["park_id"] == park_id) & has_change]
    numeric = ["value", "previous_value", "nominal_change_pct", "stated_change_pct", "implied_previous"]
    return display(yoy, numeric).assign(indicator=[_indicator(analysis, i, lang) for i in yoy["indicator_id"]])


@memoized
def pace_table(analysis: Analysis, park_id: str, lang: str) -> pd.DataFrame:
    pace = analysis.pace[analysis.pace["park_id"] == park_id]
    suffix = "en" if lang == "en" else "zh"
    return display(pace, ["baseline_value", "current_value", "target_value", "required_cagr_pct",
                          "observed_cagr_pct"]).assign(
        indicator=[_indicator(analysis, i, lang) for i in pace["indicator_id"]], status=pace[f"class_{suffix}"],
        note=pace[f"note_{suffix}"])


@memoized
def figure_choices(analysis: Analysis, park_id: str, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """A park's observations and a label for each ("2021 协议引资 · 53.8亿元 (实际)"), to pick a quote by."""
    obs = analysis.dataset.observations
    obs = obs[obs["park_id"] == park_id]
    # The park's own figures first, newest year first; district figures after them.
    obs = obs.assign(_district=obs["scope"] == "district").sort_values(
        ["_district", "year"], ascending=[True, False], kind="stable").drop(columns="_district").reset_index(drop=True)
    labels = [f"{r.year} {_indicator(analysis, r.indicator_id, lang)} · "
              f"{fmt_figure(r.value, r.unit, r.comparator, r.basis, lang)} ({i18n.t(r.kind, lang)})"
              for r in obs.itertuples()]
    return obs, labels


def _indicator(analysis: Analysis, indicator_id: str, lang: str) -> str:
    indicator = analysis.dataset.indicators.get(indicator_id)
    return i18n.name(indicator, lang) if indicator is not None else str(indicator_id)


ALL = "all"


def tracked_targets(analysis: Analysis, park: str = ALL, status: str = ALL, horizon: str = ALL,
                    family: str = ALL) -> pd.DataFrame:
    """The attainment rows a tracker selection keeps (horizon: annual or multi_year)."""
    att = analysis.attainment
    if park != ALL:
        att = att[att["park_id"] == park]
    if status != ALL:
        att = att[att["status"] == status]
    if horizon != ALL:
        att = att[att["baseline_year"].notna() == (horizon == "multi_year")]
    if family != ALL:
        att = att[att["indicator_id"].map(lambda i: getattr(analysis.dataset.indicators.get(i), "category", None)) == family]
    return att


def per_km2_rows(analysis: Analysis, indicator_id: str, year: int) -> pd.DataFrame:
    """The comparison rows of parks with a stated area, divided by it (the size-fair view)."""
    rows = comparison_rows(analysis, indicator_id, year)
    if rows.empty:
        return rows
    area = rows["park_id"].map(lambda p: analysis.dataset.parks[p].area_km2)
    rows = rows[area.notna()]
    return rows.assign(value_std=rows["value_std"] / area[area.notna()], unit_std=rows["unit_std"] + "/km²")


# --- figures: built once per data version and selection ----------------------------------------------------


# Each returns None when there is nothing to draw (the page shows a notice instead).


@memoized
def trend_figure(analysis: Analysis, park_id: str, indicator_id: str, lang: str):
    obs, att = trend_inputs(analysis, park_id, indicator_id)
    if obs.empty or park_id not in analysis.dataset.parks or indicator_id not in analysis.dataset.indicators:
        return None
    return charts.indicator_trend(obs, att, analysis.dataset.parks[park_id], analysis.dataset.indicators[indicator_id],
                                  analysis.sources_of(obs), lang)


@memoized
def compare_figure(analysis: Analysis, indicator_id: str, year: int, lang: str):
    rows = comparison_rows(analysis, indicator_id, year)
    if rows.empty or indicator_id not in analysis.dataset.indicators:
        return None
    return charts.compare_parks(rows, analysis.dataset.parks, analysis.dataset.indicators[indicator_id], year,
                                analysis.sources_of(rows), lang)


@memoized
def ambition_figure(analysis: Analysis, lang: str):
    """Park-scope growth targets of the latest plan year, side by side."""
    att = analysis.attainment
    growth = att[(att["basis"] == "growth_pct") & (att["scope"] == "park")]
    if growth.empty:
        return None
    year = int(growth["year"].max())
    growth = growth[growth["year"] == year]
    return charts.ambition(growth.rename(columns={"target_value": "value_std"}), analysis.dataset.parks,
                           analysis.dataset.indicators, year, analysis.sources_of(growth), lang)


@memoized
def status_figure(analysis: Analysis, family: str, lang: str):
    att = analysis.attainment
    att = att[att["indicator_id"].isin(indicators_of(analysis, None, family))]
    if att.empty:
        return None
    return charts.status_heatmap(att, analysis.dataset.parks, analysis.dataset.indicators,
                                 i18n.pick(i18n.CATEGORY[family], lang), analysis.sources_of(att), lang)


@memoized
def coverage_figure(analysis: Analysis, family: str, lang: str):
    ids = indicators_of(analysis, None, family)
    obs = analysis.dataset.observations
    if not ids or analysis.coverage.empty:
        return None
    return charts.coverage_heatmap(analysis.coverage[analysis.coverage["indicator_id"].isin(ids)],
                                   analysis.dataset.parks, analysis.dataset.indicators,
                                   i18n.pick(i18n.CATEGORY[family], lang),
                                   analysis.sources_of(obs[obs["indicator_id"].isin(ids)]), lang)


def per_km2_figure(analysis: Analysis, indicator_id: str, year: int, lang: str):
    """The size-fair view: comparison rows of parks with a stated area, per km² (None when no area is known)."""
    sized = per_km2_rows(analysis, indicator_id, year)
    if sized.empty:
        return None
    return charts.compare_parks(sized, analysis.dataset.parks, analysis.dataset.indicators[indicator_id], year,
                                analysis.sources_of(sized), lang)


@memoized
def families(analysis: Analysis) -> list[str]:
    """Indicator families that have data, in catalogue order."""
    return [c for c in i18n.CATEGORY if indicators_of(analysis, None, c)]
