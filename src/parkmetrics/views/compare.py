"""The comparison page (园区对比): one indicator across parks, ambition, status and coverage matrices, and at
national scale the highest and lowest N and the distribution."""
from __future__ import annotations

import pandas as pd

from .. import charts, i18n, overview
from ..analysis import Analysis, memoized
from ..metrics import KEY, STATUS_CODES
from .common import (CMP_TEXT, column_of, fmt_count, fmt_number, indicator_label, indicators_of, is_flag, is_partial,
                     is_rate, latest_final_year, many_parks, matrix_columns, memoized_figure)


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
    # The level a growth target implies rests on last year's actual too: its document joins the source line,
    # and an estimated base (预计) makes the derived level an estimate.
    prev = obs[(obs["indicator_id"] == indicator_id) & (obs["year"] == year - 1) & (obs["kind"] == "actual")
               & (obs["basis"] == "level") & ~column_of(obs, "period").map(is_partial).astype(bool)]
    base = {(r.park_id, r.scope): r for r in prev.itertuples()}
    implied = pd.DataFrame({
        "park_id": grown["park_id"], "scope": grown["scope"], "indicator_id": indicator_id, "year": year,
        "kind": "target", "target_level": grown["target_level"], "value_std": grown["implied_target_level"],
        "unit_std": analysis.dataset.indicators[indicator_id].unit, "basis": "level", "source": grown["source"],
        "base_source": [getattr(base.get((p, sc)), "source", None) for p, sc in zip(grown["park_id"], grown["scope"])],
        "estimate": [bool(getattr(base.get((p, sc)), "estimate", False)) for p, sc in
                     zip(grown["park_id"], grown["scope"])],
        "growth": grown["target_value"], "comparator": grown["comparator"], "derived": True})
    rows = pd.concat([rows, implied], ignore_index=True) if not implied.empty else rows
    basis = rows.groupby("basis")["park_id"].nunique().sort_values(ascending=False, kind="stable")
    best = "level" if "level" in basis and basis["level"] == basis.iloc[0] else basis.index[0]
    return rows[rows["basis"] == best]


def per_km2_rows(analysis: Analysis, indicator_id: str, year: int) -> pd.DataFrame:
    """The comparison rows of parks with a stated area, divided by it (the size-fair view)."""
    rows = comparison_rows(analysis, indicator_id, year)
    if rows.empty:
        return rows
    area = rows["park_id"].map(lambda p: analysis.dataset.parks[p].area_km2)
    rows = rows[area.notna()]
    return rows.assign(value_std=rows["value_std"] / area[area.notna()],
                       unit_std=rows["unit_std"].astype(str) + "/km²")   # the unit may be a category


def sources_behind(analysis: Analysis, rows: pd.DataFrame) -> list:
    """Every document the rows rest on: their own, and the base year's for a derived level."""
    ids = list(rows["source"].dropna()) + (list(rows["base_source"].dropna()) if "base_source" in rows else [])
    return analysis.sources_of(pd.DataFrame({"source": ids}))


def missing_parks(analysis: Analysis, indicator_id: str, year: int, rows: pd.DataFrame) -> dict[str, str]:
    """Parks absent from a comparison: "not_stated" (no figure for the indicator and year) or "other_basis"
    (a figure of another basis, e.g. a growth rate with no base level to turn it into a level)."""
    obs = analysis.dataset.observations
    there = set(obs.loc[(obs["indicator_id"] == indicator_id) & (obs["year"] == year), "park_id"])
    shown = set(rows["park_id"]) if not rows.empty else set()
    return {p: ("other_basis" if p in there else "not_stated") for p in analysis.dataset.parks if p not in shown}


@memoized_figure
def compare_figure(analysis: Analysis, indicator_id: str, year: int, lang: str):
    """Every park side by side (≤ overview.BARS_MAX parks); beyond, the highest and lowest DEFAULT_TOP parks."""
    if many_parks(analysis):
        measures = rank_measures(analysis, indicator_id, year)
        return ranked_figure(analysis, indicator_id, year, measures[0], DEFAULT_TOP, lang) if measures else None
    rows = comparison_rows(analysis, indicator_id, year)
    if rows.empty or indicator_id not in analysis.dataset.indicators:
        return None
    return charts.compare_parks(rows, analysis.dataset.parks, analysis.dataset.indicators[indicator_id], year,
                                sources_behind(analysis, rows), lang,
                                missing=missing_parks(analysis, indicator_id, year, rows))


@memoized
def ambition_rows(analysis: Analysis) -> tuple[pd.DataFrame, pd.DataFrame, int | None]:
    """Park-scope growth targets of the latest plan year: (growth rates of amounts, rises of rates kept apart,
    year)."""
    att = analysis.attainment
    growth = att[(att["basis"] == "growth_pct") & (att["scope"] == "park")]
    if growth.empty:
        return growth, growth, None
    year = int(growth["year"].max())
    growth = growth[growth["year"] == year]
    rate = growth["indicator_id"].map(lambda i: is_rate(analysis, i)).astype(bool)
    return growth[~rate], growth[rate], year


@memoized_figure
def ambition_figure(analysis: Analysis, lang: str):
    """Park-scope growth targets of the latest plan year, side by side; rises of rates (空闲标准厂房使用率
    提升20%: percentage points or relative, unstated) are kept apart, named in a note inside the figure."""
    growth, rates, year = ambition_rows(analysis)
    if growth.empty:
        return None
    if many_parks(analysis):
        return ambition_spread_figure(analysis, lang)
    apart = [f"{i18n.short(analysis.dataset.parks[r.park_id], lang)} {indicator_label(analysis, r.indicator_id, lang)} "
             + (f"提升{CMP_TEXT.get(r.comparator, r.comparator)}{fmt_number(r.target_value)}%" if lang != "en" else
                f"up {CMP_TEXT.get(r.comparator, r.comparator)}{fmt_number(r.target_value)}%")
             for r in rates.itertuples()]
    note = i18n.t("ambition_kept_apart", lang, items=("；" if lang != "en" else "; ").join(apart)) if apart else ""
    return charts.ambition(growth.rename(columns={"target_value": "value_std"}), analysis.dataset.parks,
                           analysis.dataset.indicators, year, analysis.sources_of(growth), lang, note=note)


@memoized_figure
def status_figure(analysis: Analysis, family: str, lang: str, year: int | None = None):
    """One year's targets (`year`, else the latest with a final status): up to overview.BARS_MAX parks the
    indicator × park matrix, a district's targets in a column of their own; beyond, parks per indicator and
    status. The source line names the plans and the documents the statuses rest on (their actuals)."""
    att = analysis.attainment
    att = att[att["indicator_id"].isin(indicators_of(analysis, None, family))]
    if att.empty:
        return None
    year = int(year) if year is not None else latest_final_year(att)
    if many_parks(analysis):
        return status_counts_figure(analysis, family, year, lang)
    att = att[att["year"] == year]
    if att.empty:
        return None
    judged = att.loc[~att["status"].isin(["no_actual", "not_comparable"]), KEY].drop_duplicates()
    obs = analysis.dataset.observations
    actuals = obs[(obs["kind"] == "actual") & obs["year"].isin([year - 1, year])].merge(judged, on=KEY)
    title = i18n.t("chart_status_title", lang, family=i18n.pick(i18n.CATEGORY[family], lang), year=year)
    return charts.status_heatmap(att, matrix_columns(analysis, att, lang), analysis.dataset.indicators, title,
                                 analysis.sources_of(pd.concat([att[["source"]], actuals[["source"]]])), lang)


@memoized_figure
def coverage_figure(analysis: Analysis, family: str, lang: str, year: int | None = None):
    """What each park reports in one year (`year`, else the latest with an actual): up to overview.BARS_MAX
    parks the indicator × park matrix (a district in its own column); beyond, parks per indicator."""
    ids = indicators_of(analysis, None, family)
    obs = analysis.dataset.observations
    cov = analysis.coverage[analysis.coverage["indicator_id"].isin(ids)]
    if not ids or cov.empty:
        return None
    latest = cov.loc[cov["actuals"] > 0, "year"].max() if (cov["actuals"] > 0).any() else cov["year"].max()
    year = int(year) if year is not None else int(latest)
    if many_parks(analysis):
        return coverage_counts_figure(analysis, family, year, lang)
    cov = cov[cov["year"] == year]
    if cov.empty:
        return None
    title = i18n.t("chart_coverage_title", lang, family=i18n.pick(i18n.CATEGORY[family], lang), year=year)
    return charts.coverage_heatmap(cov, matrix_columns(analysis, cov, lang), analysis.dataset.indicators, title,
                                   analysis.sources_of(obs[obs["indicator_id"].isin(ids) & (obs["year"] == year)]),
                                   lang)


def per_km2_figure(analysis: Analysis, indicator_id: str, year: int, lang: str, measure: str | None = None,
                   n: int | None = None):
    """The size-fair view: comparison rows of parks with a stated area, per km² (None when no area is known);
    for many parks the highest and lowest `n` per km² on `measure` (the first available one if it has none)."""
    sized = per_km2_rows(analysis, indicator_id, year)
    if sized.empty:
        return None
    if many_parks(analysis):
        measures = rank_measures(analysis, indicator_id, year, True)
        if not measures:
            return None
        measure = measure if measure in measures else measures[0]
        return ranked_figure(analysis, indicator_id, year, measure, n or DEFAULT_TOP, lang, True)
    return charts.compare_parks(sized, analysis.dataset.parks, analysis.dataset.indicators[indicator_id], year,
                                sources_behind(analysis, sized), lang)


def compare_due(analysis: Analysis, indicator_id: str, year: int, lang: str) -> str | None:
    """When no park has an actual of the indicator for the year: which documents would fill it."""
    rows = comparison_rows(analysis, indicator_id, year)
    if rows.empty or (rows["kind"] == "actual").any():
        return None
    return i18n.t("compare_due", lang, year=year)


DEFAULT_TOP = 20   # the comparison's highest and lowest N beyond overview.BARS_MAX parks (the page offers TOP_CHOICES)


MEASURES = ("actual", "base")


def _rank_frame(sel: pd.DataFrame) -> pd.DataFrame:
    """The columns a ranking needs, one row per comparison row; flags as plain bools."""
    flags = lambda col: [is_flag(x) for x in column_of(sel, col)]  # noqa: E731
    return pd.DataFrame({"park_id": sel["park_id"].tolist(), "value": sel["value_std"].tolist(),
                         "derived": flags("derived"), "estimate": flags("estimate"),
                         "growth": column_of(sel, "growth").tolist(), "comparator": column_of(sel, "comparator").tolist(),
                         "source": sel["source"].tolist(), "base_source": column_of(sel, "base_source").tolist(),
                         "unit": sel["unit_std"].tolist()},
                        columns=["park_id", "value", "derived", "estimate", "growth", "comparator", "source",
                                 "base_source", "unit"])


@memoized
def rank_values(analysis: Analysis, indicator_id: str, year: int, measure: str,
                per_km2: bool = False) -> tuple[pd.DataFrame, dict]:
    """One value per park for a ranking: its full-year, park-scope actual ('actual') or base target ('base'; a
    growth target as the level it implies, marked derived, when the park states no level), in the basis the
    comparison uses (comparison_rows). Returns the values and how the parks divide (overview.not_ranked, plus
    `no_area` for the per-km² view: parks with a value but no stated area)."""
    rows = per_km2_rows(analysis, indicator_id, year) if per_km2 else comparison_rows(analysis, indicator_id, year)
    kind = "actual" if measure == "actual" else "target"
    if rows.empty:
        values = _rank_frame(rows)
    else:
        partial = column_of(rows, "period").map(is_partial).astype(bool)
        sel = rows[(rows["scope"] == "park") & ~partial & (rows["kind"] == kind)]
        if measure == "base":
            sel = sel[sel["target_level"] == "base"]
        sel = sel.assign(_derived=sel["derived"].astype(bool)).sort_values("_derived", kind="stable")
        values = _rank_frame(sel.drop_duplicates("park_id"))
    obs = analysis.dataset.observations
    stated = obs.loc[(obs["indicator_id"] == indicator_id) & (obs["year"] == year) & (obs["kind"] == kind), "park_id"]
    counts = overview.not_ranked(list(analysis.dataset.parks), values["park_id"], stated)
    if per_km2:
        whole, _ = rank_values(analysis, indicator_id, year, measure, False)
        no_area = len(set(whole["park_id"]) - set(values["park_id"]))
        counts = counts | {"other": counts["other"] - no_area, "no_area": no_area}
    return values, counts


@memoized
def rank_measures(analysis: Analysis, indicator_id: str, year: int, per_km2: bool = False) -> list[str]:
    """What a ranking can be by — 'actual', 'base' — those with a value for some park, the actual first."""
    return [m for m in MEASURES if not rank_values(analysis, indicator_id, year, m, per_km2)[0].empty]


def _rank_what(analysis: Analysis, indicator_id: str, year: int, measure: str, lang: str, per_km2: bool,
               values: pd.DataFrame) -> str:
    what = i18n.t(f"rank_what_{measure}", lang, indicator=charts.plain(indicator_label(analysis, indicator_id, lang)),
                  year=year)
    rows = comparison_rows(analysis, indicator_id, year)
    basis = rows["basis"].iloc[0] if not rows.empty else "level"
    if basis != "level":
        what += i18n.paren(i18n.pick(i18n.BASIS[basis], lang), lang)
    return what + (i18n.t("rank_per_km2", lang) if per_km2 else "")


def rank_counts(analysis: Analysis, indicator_id: str, year: int, measure: str, lang: str,
                per_km2: bool = False) -> str:
    """"参与排名2,950个；未载明30个；口径不同20个…": every park accounted for."""
    _, counts = rank_values(analysis, indicator_id, year, measure, per_km2)
    text = i18n.t("rank_counts", lang, **{k: fmt_count(v) for k, v in counts.items() if k != "no_area"})
    if counts.get("no_area"):
        text += i18n.t("rank_no_area", lang, n=fmt_count(counts["no_area"]))
    return text


def _axis_unit(values: pd.DataFrame, lang: str) -> str:
    unit = values["unit"].iloc[0] if not values.empty else ""
    return charts.plain(i18n.unit(unit, lang) or i18n.t("count", lang))


@memoized_figure
def ranked_figure(analysis: Analysis, indicator_id: str, year: int, measure: str, n: int, lang: str,
                  per_km2: bool = False):
    """The highest and lowest `n` parks on an indicator's actual or base target (all of them when no more than
    2·n have one), with how many parks are not ranked and why."""
    values, counts = rank_values(analysis, indicator_id, year, measure, per_km2)
    if values.empty:
        return None
    shown = overview.top_bottom(values, n)
    what, total = _rank_what(analysis, indicator_id, year, measure, lang, per_km2, values), fmt_count(counts["total"])
    title = (i18n.t("rank_all_title", lang, what=what, shown=fmt_count(len(shown)), total=total)
             if (shown["part"] == "all").all() else i18n.t("rank_title", lang, what=what, n=n, total=total))
    return charts.ranked_bars(shown, analysis.dataset.parks, title, _axis_unit(values, lang),
                              sources_behind(analysis, shown), lang, gap=counts["ranked"] - len(shown),
                              note=rank_counts(analysis, indicator_id, year, measure, lang, per_km2))


@memoized_figure
def distribution_figure(analysis: Analysis, indicator_id: str, year: int, measure: str, lang: str,
                        per_km2: bool = False):
    """How every ranked park's value is spread (a histogram), with the parks not ranked counted."""
    values, counts = rank_values(analysis, indicator_id, year, measure, per_km2)
    if values.empty:
        return None
    what = _rank_what(analysis, indicator_id, year, measure, lang, per_km2, values)
    title = i18n.t("dist_title", lang, what=what, ranked=fmt_count(counts["ranked"]), total=fmt_count(counts["total"]))
    return charts.histogram(values["value"].tolist(), title, _axis_unit(values, lang), sources_behind(analysis, values),
                            lang, note=rank_counts(analysis, indicator_id, year, measure, lang, per_km2),
                            median=float(pd.to_numeric(values["value"]).median()))


@memoized_figure
def status_counts_figure(analysis: Analysis, family: str, year: int, lang: str):
    """The status matrix for many parks: for one year's targets, parks per indicator and best status, 未载明
    (no target that year) counted."""
    att = analysis.attainment
    att = att[att["indicator_id"].isin(indicators_of(analysis, None, family)) & (att["year"] == year)]
    if att.empty:
        return None
    order = list(STATUS_CODES)
    cells = overview.best_status(att, order)
    ids = sorted(set(cells["indicator_id"]), key=lambda i: indicator_label(analysis, i, lang))
    counts = overview.status_counts_by_indicator(cells, ids, len(analysis.dataset.parks), order)
    title = i18n.t("status_counts_title", lang, family=i18n.pick(i18n.CATEGORY[family], lang), year=year,
                   n=fmt_count(len(analysis.dataset.parks)))
    return charts.status_counts(counts, analysis.dataset.indicators, title, analysis.sources_of(att), lang,
                                note=i18n.t("status_counts_note", lang))


@memoized_figure
def coverage_counts_figure(analysis: Analysis, family: str, year: int, lang: str):
    """The coverage matrix for many parks: parks per indicator by what they report in one year, 未载明 counted."""
    ids = indicators_of(analysis, None, family)
    cov = analysis.coverage[analysis.coverage["indicator_id"].isin(ids) & (analysis.coverage["year"] == year)]
    if cov.empty:
        return None
    shown = sorted(set(cov["indicator_id"]), key=lambda i: indicator_label(analysis, i, lang))
    counts = overview.coverage_counts(cov, shown, len(analysis.dataset.parks))
    obs = analysis.dataset.observations
    title = i18n.t("coverage_counts_title", lang, family=i18n.pick(i18n.CATEGORY[family], lang), year=year,
                   n=fmt_count(len(analysis.dataset.parks)))
    return charts.coverage_counts(counts, analysis.dataset.indicators, title,
                                  analysis.sources_of(obs[obs["indicator_id"].isin(shown) & (obs["year"] == year)]),
                                  lang)


@memoized_figure
def ambition_spread_figure(analysis: Analysis, lang: str):
    """Target growth rates for many parks: a box per indicator, the rises of rates kept apart and counted."""
    growth, rates, year = ambition_rows(analysis)
    if growth.empty:
        return None
    note = (i18n.t("ambition_kept_apart_n", lang, n=fmt_count(len(rates)), parks=fmt_count(rates["park_id"].nunique()))
            if not rates.empty else "")
    title = i18n.t("ambition_spread_title", lang, year=year, n=fmt_count(growth["park_id"].nunique()),
                   total=fmt_count(len(analysis.dataset.parks)))
    return charts.ambition_spread(growth.rename(columns={"target_value": "value_std"}), analysis.dataset.indicators,
                                  title, analysis.sources_of(growth), lang, note=note)
