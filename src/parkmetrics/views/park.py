"""The park page (园区画像): headline figures, the trend chart's inputs, tasks, year-on-year change and pace."""
from __future__ import annotations

import pandas as pd

from .. import charts, i18n
from ..analysis import Analysis, memoized
from .common import (HEADLINE_INDICATORS, display, fmt_figure, fmt_number, indicator_label, level_text,
                     memoized_figure)


def headline_rows(analysis: Analysis, park_id: str, n: int = 4) -> pd.DataFrame:
    """The attainment rows behind `headline`: the park's own targets of its latest plan year, for the first `n`
    headline indicators it has (HEADLINE_INDICATORS order), base before stretch."""
    att = analysis.attainment
    att = att[(att["park_id"] == park_id) & (att["scope"] == "park")]
    if att.empty:
        return att
    att = att[att["year"] == att["year"].max()]
    ids = [i for i in HEADLINE_INDICATORS if (att["indicator_id"] == i).any()][:n]
    att = att[att["indicator_id"].isin(ids)]
    return att.assign(_order=att["indicator_id"].map(ids.index)).sort_values(
        ["_order", "target_level"], kind="stable").drop(columns="_order")


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


def tasks_table(analysis: Analysis, park_id: str | None = None, lang: str | None = None) -> pd.DataFrame:
    """A park's tasks (every park's with None); with `lang`, status and scope as labels."""
    tasks = analysis.dataset.tasks
    tasks = tasks if park_id is None else tasks[tasks["park_id"] == park_id]
    if lang is None:
        return tasks
    return tasks.assign(status=[i18n.label(i18n.TASK_STATUS, x, lang) for x in tasks["status"]],
                        scope=[i18n.label(i18n.SCOPE, x, lang) for x in tasks["scope"]])


@memoized
def yoy_table(analysis: Analysis, park_id: str, lang: str) -> pd.DataFrame:
    """A park's year-on-year rows that carry a change (nominal, stated, or an implied previous level)."""
    yoy = analysis.yoy
    has_change = yoy[["nominal_change_pct", "stated_change_pct", "implied_previous"]].notna().any(axis=1)
    yoy = yoy[(yoy["park_id"] == park_id) & has_change]
    numeric = ["value", "previous_value", "nominal_change_pct", "stated_change_pct", "implied_previous"]
    # A level implied by an approximate figure (近6倍) is no more precise than it: ≈ and two digits, never 8.114
    implied = [f"≈{v:.2g}" if approx and not pd.isna(v) else fmt_number(v)
               for v, approx in zip(yoy["implied_previous"], yoy["approximate"])]
    return display(yoy, numeric).assign(indicator=[indicator_label(analysis, i, lang) for i in yoy["indicator_id"]],
                                        implied_previous=implied)


def no_pace_explained(pace: pd.DataFrame, lang: str) -> str | None:
    """When no target of a park's pace table can be measured for want of a baseline: why, and which years."""
    if pace.empty or not (pace["class"] == "no_baseline").any() or \
            not pace["class"].isin(["no_baseline", "not_applicable"]).all():
        return None
    years = sorted(set(pace.loc[pace["class"] == "no_baseline", "baseline_year"]))
    return i18n.t("pace_none_explained", lang, years="、".join(str(y) for y in years))


def _pace_note(r, lang: str) -> str:
    """Why a pace row has no pace, and what would give it one (metrics.pace's note code, worded by i18n)."""
    if r["note"] not in i18n.PACE_NOTE:
        return ""
    return i18n.pick(i18n.PACE_NOTE[r["note"]], lang).format(
        basis=i18n.label(i18n.BASIS, r["basis"], lang), scope=i18n.label(i18n.SCOPE, r["scope"], lang),
        baseline=r["baseline_year"], year=r["target_year"])


@memoized
def pace_table(analysis: Analysis, park_id: str, lang: str) -> pd.DataFrame:
    """Pace to the multi-year targets: base and stretch told apart (target tier), scope and class as labels."""
    pace = analysis.pace[analysis.pace["park_id"] == park_id]
    out = display(pace, ["baseline_value", "current_value", "target_value", "required_cagr_pct",
                         "observed_cagr_pct"])
    return out.assign(
        indicator=[indicator_label(analysis, i, lang) for i in pace["indicator_id"]],
        status=[i18n.pace_class(c, lang) for c in pace["class"]],
        tier=[i18n.label(i18n.TARGET_LEVEL, x, lang) for x in pace["target_level"]],
        scope_label=[i18n.label(i18n.SCOPE, x, lang) for x in pace["scope"]],
        unit_label=[i18n.unit(u, lang) for u in pace["unit"]],
        # every figure with its unit and comparator, as the plan writes it (≥20%, 前15名, 新增2家)
        target_shown=[fmt_figure(v, u, c, b, lang) for v, u, c, b in
                      zip(pace["target_value"], pace["unit"], pace["comparator"], pace["basis"])],
        baseline_value=[level_text(v, u, lang) for v, u in zip(pace["baseline_value"], pace["unit"])],
        current_value=[level_text(v, u, lang) for v, u in zip(pace["current_value"], pace["unit"])],
        note=[_pace_note(r, lang) for _, r in pace.iterrows()])


@memoized
def figure_choices(analysis: Analysis, park_id: str, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """A park's observations and a label for each ("2021 协议引资 · 53.8亿元 (实际)"), to pick a quote by."""
    obs = analysis.dataset.observations
    obs = obs[obs["park_id"] == park_id]
    # The park's own figures first, newest year first; district figures after them.
    obs = obs.assign(_district=obs["scope"] == "district").sort_values(
        ["_district", "year"], ascending=[True, False], kind="stable").drop(columns="_district").reset_index(drop=True)
    labels = [f"{r.year} {indicator_label(analysis, r.indicator_id, lang)} · "
              f"{fmt_figure(r.value, r.unit, r.comparator, r.basis, lang)}{i18n.paren(i18n.t(r.kind, lang), lang)}"
              for r in obs.itertuples()]
    return obs, labels


@memoized_figure
def trend_figure(analysis: Analysis, park_id: str, indicator_id: str, lang: str):
    obs, att = trend_inputs(analysis, park_id, indicator_id)
    if obs.empty or park_id not in analysis.dataset.parks or indicator_id not in analysis.dataset.indicators:
        return None
    return charts.indicator_trend(obs, att, analysis.dataset.parks[park_id], analysis.dataset.indicators[indicator_id],
                                  analysis.sources_of(obs), lang)
