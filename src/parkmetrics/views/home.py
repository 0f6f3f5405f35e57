"""The overview (总览): the cards, status and coverage across parks, and the top and bottom movers."""
from __future__ import annotations

import pandas as pd

from .. import charts, i18n, overview
from ..analysis import Analysis, memoized
from ..metrics import STATUS_CODES
from .common import (fmt_count, fmt_figure, indicator_label, matrix_columns, memoized_figure, park_sources,
                     park_table)
from .park import headline_rows


@memoized
def headline(analysis: Analysis, park_id: str, lang: str, n: int = 4) -> list[tuple[str, str]]:
    """A park's headline targets (park scope, latest plan year) as (indicator, "target, stretch target") pairs."""
    rows = headline_rows(analysis, park_id, n)
    out = []
    for iid, sel in rows.groupby("indicator_id", sort=False):
        parts = []
        for r in sel.itertuples():
            text = fmt_figure(r.target_value, r.unit, r.comparator, r.basis, lang)
            parts.append(text if r.target_level == "base" else
                         (f"力争{text}" if lang != "en" else f"stretch {text}"))
        year = int(sel["year"].iloc[0])
        out.append((f"{year} {i18n.name(analysis.dataset.indicators[iid], lang)}",
                    "，".join(parts) if lang != "en" else "; ".join(parts)))
    return out


@memoized_figure
def overview_status_figure(analysis: Analysis, lang: str):
    """The overview's picture of every park: the targets of the latest plan year (the latest year with most
    targets) stacked by status, one bar per park and one per host district, apart."""
    att = analysis.attainment
    if att.empty:
        return None
    per_year = att.groupby("year").size()
    year = int(per_year[per_year == per_year.max()].index.max())
    att = att[att["year"] == year]
    columns = matrix_columns(analysis, att, lang, present_only=True)
    counts = att.groupby(["park_id", "scope", "status"]).size().unstack(fill_value=0)
    counts = counts.reindex([key for key, _ in columns], fill_value=0)
    title = i18n.t("overview_status_title", lang, year=year)
    return charts.status_bars(counts.reset_index(drop=True), [label for _, label in columns], title,
                              analysis.sources_of(att), lang)


@memoized_figure
def overview_coverage_figure(analysis: Analysis, lang: str):
    """Park × year: targets and actuals per park and year, the years with actuals marked (a district apart)."""
    cov = analysis.coverage
    if cov.empty:
        return None
    cov = cov.groupby(["park_id", "scope", "year"], as_index=False)[["targets", "actuals"]].sum()
    columns = matrix_columns(analysis, cov, lang, present_only=True)
    label = dict(columns)
    cov = cov.assign(label=[label.get((p, s)) for p, s in zip(cov["park_id"], cov["scope"])])
    years = sorted(int(y) for y in cov["year"].unique())
    return charts.coverage_strip(cov, [lb for _, lb in columns], years, i18n.t("overview_coverage_title", lang),
                                 analysis.sources_of(analysis.dataset.observations), lang)


MOVERS_TOP = 10    # the overview's top and bottom movers


@memoized
def glance(analysis: Analysis) -> dict[str, int]:
    """The overview's headline counts by their i18n label: parks, and the targets and actual figures among the
    figures (their total is in the data health section)."""
    obs = analysis.dataset.observations
    return {"parks_n": len(analysis.dataset.parks), "targets_n": int((obs["kind"] == "target").sum()),
            "actuals_n": int((obs["kind"] == "actual").sum())}


@memoized
def park_counts(analysis: Analysis, column: str, lang: str) -> pd.DataFrame:
    """Parks per province, level or kind (value, parks), most first; level and kind named in the reader's
    language, a missing field as 未载明."""
    counts = overview.counts_by(park_table(analysis), column)
    not_stated = i18n.t("not_stated_short", lang)
    return counts.assign(value=[not_stated if v is None or (isinstance(v, float) and pd.isna(v)) else
                                (i18n.LEVEL_EN.get(v, v).capitalize() if lang == "en" and column in ("level", "kind")
                                 else v)
                                for v in counts["value"]])


@memoized
def sources_summary(analysis: Analysis, lang: str) -> str:
    """Every source document in one line: listed when there are a few, else counted by type (charts.source_text)."""
    return charts.source_text(list(analysis.dataset.sources.values()), lang)


@memoized
def status_totals(analysis: Analysis) -> pd.Series:
    """Every target by status (all parks, all years), in the status order; zeros included."""
    return overview.status_totals(analysis.attainment, list(STATUS_CODES))


@memoized
def mover_indicators(analysis: Analysis) -> list[str]:
    """Indicators with a year-on-year change of levels for some park, the most widely reported first."""
    yoy = analysis.yoy
    sel = yoy[(yoy["scope"] == "park") & yoy["nominal_change_pct"].notna()]
    if sel.empty:
        return []
    parks = sel.groupby("indicator_id")["park_id"].nunique()
    order = {i: k for k, i in enumerate(analysis.dataset.indicators)}
    return sorted(parks.index, key=lambda i: (-int(parks[i]), order.get(i, len(order)), i))


@memoized
def mover_years(analysis: Analysis, indicator_id: str) -> list[int]:
    """Years with a year-on-year change of the indicator, the latest (the default) first."""
    yoy = analysis.yoy
    sel = yoy[(yoy["indicator_id"] == indicator_id) & (yoy["scope"] == "park") & yoy["nominal_change_pct"].notna()]
    return sorted({int(y) for y in sel["year"]}, reverse=True)


@memoized
def movers(analysis: Analysis, indicator_id: str, year: int) -> tuple[pd.DataFrame, dict]:
    """(park_id, value = nominal change %, estimate, source) of every park with a change, and how the parks
    divide (overview.not_ranked: ranked, not_stated, other)."""
    values, stated = overview.yoy_changes(analysis.yoy, indicator_id, int(year))
    return values, overview.not_ranked(list(analysis.dataset.parks), values["park_id"], stated)


def movers_counts(analysis: Analysis, indicator_id: str, year: int, lang: str) -> str:
    _, counts = movers(analysis, indicator_id, year)
    return i18n.t("movers_counts", lang, year=year, **{k: fmt_count(v) for k, v in counts.items()})


@memoized_figure
def movers_figure(analysis: Analysis, indicator_id: str, year: int, n: int, lang: str):
    """The parks whose indicator grew fastest and slowest on the year before (nominal, from levels)."""
    values, counts = movers(analysis, indicator_id, year)
    if values.empty:
        return None
    shown = overview.top_bottom(values, n)
    estimate = i18n.t("estimate", lang)
    shown = shown.assign(text=[f"{v:+.1f}%" + (i18n.paren(estimate, lang) if e else "")
                               for v, e in zip(shown["value"], shown["estimate"])])
    name, total = charts.plain(indicator_label(analysis, indicator_id, lang)), fmt_count(counts["total"])
    title = (i18n.t("movers_all_title", lang, indicator=name, year=year, shown=len(shown), total=total)
             if (shown["part"] == "all").all() else
             i18n.t("movers_title", lang, indicator=name, year=year, n=n, total=total))
    note = i18n.t("movers_note", lang) + "\n" + movers_counts(analysis, indicator_id, year, lang)
    sources = park_sources(analysis, shown["park_id"], indicator_id, [year - 1, year], "actual")
    return charts.ranked_bars(shown, analysis.dataset.parks, title, i18n.t("movers_axis", lang), sources, lang,
                              gap=counts["ranked"] - len(shown), note=note)


@memoized_figure
def movers_distribution_figure(analysis: Analysis, indicator_id: str, year: int, lang: str):
    """How the year-on-year changes of every ranked park are spread."""
    values, counts = movers(analysis, indicator_id, year)
    if values.empty:
        return None
    title = i18n.t("movers_dist_title", lang, indicator=charts.plain(indicator_label(analysis, indicator_id, lang)),
                   year=year, ranked=fmt_count(counts["ranked"]))
    sources = park_sources(analysis, values["park_id"], indicator_id, [year - 1, year], "actual")
    return charts.histogram(values["value"].tolist(), title, i18n.t("movers_axis", lang), sources, lang,
                            note=movers_counts(analysis, indicator_id, year, lang),
                            median=float(values["value"].median()))
