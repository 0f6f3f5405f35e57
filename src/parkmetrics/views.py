"""Display tables and texts built from an Analysis: pure functions, so pages only lay them out."""
from __future__ import annotations

import json
import re

import pandas as pd

from . import charts, i18n, overview
from .periods import is_full_year
from .analysis import Analysis, memoized
from .metrics import KEY, STATUS_CODES

HEADLINE_INDICATORS = ["industrial_output", "tech_industry_trade_revenue", "industrial_value_added",
                       "fixed_asset_investment", "contracted_investment", "investment_attracted", "signed_projects",
                       "above_scale_enterprises_new", "high_tech_enterprises_new"]
CMP_TEXT = {"≥": "≥", ">": ">", "≤": "≤", "<": "<", "≈": "≈", "=": ""}


def fmt_number(v: float | None) -> str:
    if v is None or pd.isna(v):
        return "—"
    return f"{v:,.4g}" if abs(v) >= 1e4 else f"{v:.4g}"


def fmt_figure(value: float, unit: str, comparator: str, basis: str, lang: str) -> str:
    """"增长≥15%", "≥30个", "前3名"; in English "growth ≥15%", "≥39.0 billion yuan", "1 session"."""
    cmp_ = CMP_TEXT.get(comparator, comparator)
    num = fmt_number(value)
    if basis == "growth_pct":
        return f"增长{cmp_}{num}%" if lang != "en" else f"growth {cmp_}{num}%"
    if basis == "reduction_pct":
        return f"降低{cmp_}{num}%" if lang != "en" else f"reduction {cmp_}{num}%"
    if basis == "pp_change":
        return f"提高{cmp_}{num}个百分点" if lang != "en" else f"+{cmp_}{num} percentage points"
    if basis == "rank":
        return f"前{num}名" if lang != "en" else f"top {num}"
    return i18n.quantity(value, unit, lang, comparator)


@memoized
def data_date(analysis: Analysis, park_id: str | None) -> str:
    """The newest date among the source documents of the park (or of every park): the date of the data."""
    dates = [s.date for s in analysis.dataset.sources.values() if park_id is None or s.park == park_id]
    return max(dates) if dates else "—"


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


def park_facts(analysis: Analysis, park_id: str, lang: str) -> dict[str, str]:
    p = analysis.dataset.parks[park_id]
    level = f"{p.level}{p.kind}" if lang != "en" else f"{i18n.LEVEL_EN[p.level]} {i18n.LEVEL_EN[p.kind]}"
    sep = "、" if lang != "en" else ", "
    not_stated = i18n.t("not_stated", lang)
    return {
        i18n.t("level", lang): level,
        # a municipality is its own province and city: 重庆市 黔江区, not 重庆市 重庆市 黔江区
        i18n.t("location", lang): " ".join(dict.fromkeys(x for x in (p.province, p.city, p.county) if x)),
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


@memoized
def latest_actual_year(analysis: Analysis, park_id: str) -> int | None:
    obs = analysis.dataset.observations
    years = obs[(obs["park_id"] == park_id) & (obs["kind"] == "actual")]["year"]
    return None if years.empty else int(years.max())


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _is_partial(period: object) -> bool:
    return not is_full_year(period)  # periods.py: the one definition of the full year


def fmt_actual(value: float | None, period: object, lang: str) -> str:
    """An attainment row's actual: "56.8", or "123（1-9月）" for a year-to-date figure (never read as the year's)."""
    text = fmt_number(value)
    if text != "—" and _is_partial(period):
        text += i18n.paren(i18n.period_label(period, lang), lang)
    return text


def fmt_ratio(ratio: float | None, progress: float | None, elapsed: float | None) -> str:
    """Attainment %, or for 时序进度 the share of the target reached against the share of the year elapsed
    ("76.9% / 75%")."""
    if progress is not None and not pd.isna(progress) and elapsed is not None and not pd.isna(elapsed):
        return f"{progress * 100:.1f}% / {elapsed * 100:.0f}%"
    return fmt_pct(ratio)


def in_table_order(att: pd.DataFrame) -> pd.DataFrame:
    """Attainment rows in the order targets_table shows them: by park, the park's own before the district's."""
    return att.assign(_order=(att["scope"] == "district").astype(int)).sort_values(
        ["park_id", "_order", "year", "indicator_id", "target_level"], kind="stable").drop(columns="_order")


def targets_table(att: pd.DataFrame, analysis: Analysis, lang: str) -> pd.DataFrame:
    """Attainment rows for display, the park's own targets before the district's: figures as written, status,
    attainment % (for 时序进度: progress / elapsed share), flags. Empty cells read "—", never NaN or None."""
    att, parks = in_table_order(att), analysis.dataset.parks
    return pd.DataFrame({
        "park": [i18n.short(parks[p], lang) for p in att["park_id"]],     # short: a column, not a heading
        "scope": [i18n.label(i18n.SCOPE, s, lang) for s in att["scope"]],
        "indicator": [_indicator(analysis, i, lang) for i in att["indicator_id"]],
        "year": att["year"],
        "target_level": [i18n.label(i18n.TARGET_LEVEL, lv, lang) for lv in att["target_level"]],
        "target_value": [fmt_figure(v, u, c, b, lang) for v, u, c, b in
                         zip(att["target_value"], att["unit"], att["comparator"], att["basis"])],
        "actual_value": [fmt_actual(v, p, lang) for v, p in zip(att["actual_value"], _col(att, "period"))],
        "ratio": [fmt_ratio(r, p, e) for r, p, e in
                  zip(att["ratio"], _col(att, "progress_share"), _col(att, "elapsed_share"))],
        "status": [i18n.status(c, lang) for c in att["status"]],
        "summary": [i18n.target_summary(code, lang) for code in att["summary"]],
        "flags": [i18n.flags(f, lang) for f in att["flags"]],
        "source": att["source"],
        "quote": att["quote"],
    })


def fmt_pct(ratio: float | None) -> str:
    return "—" if ratio is None or pd.isna(ratio) else f"{ratio * 100:.0f}%"


# --- display tables: every code shown by its label ---------------------------------------------------------


@memoized
def sources_table(analysis: Analysis, lang: str) -> pd.DataFrame:
    """The source documents, their type by its label (a query over every observation: once per data version)."""
    src = analysis.store.sources()
    return src.assign(type=[i18n.label(i18n.SOURCE_TYPE, x, lang) for x in src["type"]],
                      scope=[i18n.label(i18n.SCOPE, x, lang) for x in src["scope"]])


def source_title(analysis: Analysis, source_id: object) -> str:
    src = analysis.dataset.sources.get(str(source_id))
    return f"《{src.title}》" if src is not None else str(source_id or "")


def observations_table(analysis: Analysis, park_name, indicator_name, lang: str,
                       rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every observation (or these `rows` of them) with its codes as labels and its document by title."""
    obs = named(analysis.dataset.observations if rows is None else rows, park_name, indicator_name)
    return obs.assign(
        scope=[i18n.label(i18n.SCOPE, x, lang) for x in obs["scope"]],
        kind=[i18n.label(i18n.KIND, x, lang) for x in obs["kind"]],
        target_level=[i18n.label(i18n.TARGET_LEVEL, x, lang) for x in obs["target_level"]],
        basis=[i18n.label(i18n.BASIS, x, lang) for x in obs["basis"]],
        comparator=[i18n.label(i18n.COMPARATOR, x, lang) or "=" for x in obs["comparator"]],
        period=[i18n.period_label(x, lang) for x in _col(obs, "period")],
        source=[source_title(analysis, x) for x in obs["source"]])


def _when(year: object, period: object, lang: str) -> str:
    y = str(int(year)) if not pd.isna(year) else ""
    label = i18n.period_label(period, lang) if isinstance(period, str) and period else ""
    if lang == "en":
        return f"{y} {label}".strip()
    return f"{y}年{label}" if y else label


def check_detail(analysis: Analysis, row: dict, lang: str) -> str:
    """A self-check's detail (a row of metrics.checks, as a dict) in the reader's language, worded from its code and
    arguments — metrics writes codes and numbers, i18n.CHECK_DETAIL holds the words; ids become indicator names."""
    code = row.get("detail")
    if not isinstance(code, str) or code not in i18n.CHECK_DETAIL:
        return ""
    raw = row.get("detail_args")
    args = json.loads(raw) if isinstance(raw, str) and raw else {}
    year, period = row.get("year"), row.get("period")
    value = args.get("value")
    words = {"prev": _when(year - 1, period, lang) if not pd.isna(year) else "", "now": _when(year, period, lang),
             "value": "" if value is None else f"{value:.2f}" if code == "implied_plan" else f"{value:.4g}",
             "parts": ("＋" if lang != "en" else " + ").join(_indicator(analysis, i, lang) for i in args.get("parts", [])),
             **{k: _indicator(analysis, args.get(k, ""), lang) for k in ("whole", "subset", "superset")}}
    return i18n.pick(i18n.CHECK_DETAIL[code], lang).format(**words)


def checks_table(analysis: Analysis, park_name, indicator_name, lang: str,
                 rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every self-check (or these `rows` of them), labelled in `lang`."""
    checks = named(display(analysis.checks if rows is None else rows, ["stated", "computed", "difference"]),
                   park_name, indicator_name)
    return checks.assign(
        check=[i18n.label(i18n.CHECK, x, lang) for x in checks["check"]],
        scope=[i18n.label(i18n.SCOPE, x, lang) for x in checks["scope"]],
        status=[i18n.check_status(x, lang) for x in checks["status"]],
        detail=[check_detail(analysis, r, lang) for r in checks.to_dict("records")])


@memoized
def documents_status(analysis: Analysis, park_id: str, lang: str) -> tuple[list[str], list[str]]:
    """What is in for a park (its documents, by type) and what is due: every year with annual park targets from
    a plan but no actual yet ("2022年实际数据待录入：需要《2022年工作总结》")."""
    sources = [s for s in analysis.dataset.sources.values() if s.park == park_id]
    docs = [f"《{s.title}》{i18n.paren(i18n.label(i18n.SOURCE_TYPE, s.type, lang), lang)}" for s in sources]
    obs = analysis.dataset.observations
    obs = obs[obs["park_id"] == park_id]
    annual = obs[(obs["kind"] == "target") & obs["baseline_year"].isna()
                 & obs["source"].isin([s.id for s in sources if s.type == "plan"])]
    actual = obs[(obs["kind"] == "actual") & ~_col(obs, "period").map(_is_partial).astype(bool)]
    due = sorted(set(int(y) for y in annual["year"]) - set(int(y) for y in actual["year"]))
    return docs, [i18n.t("actual_due", lang, year=y) for y in due]


def scope_note(analysis: Analysis, park_id: str, lang: str) -> str:
    return i18n.district_note(analysis.dataset.parks[park_id], lang)


def display(frame: pd.DataFrame, numeric: list[str]) -> pd.DataFrame:
    """Numbers as text for display tables: "—" for a missing value instead of None or NaN."""
    return frame.assign(**{c: [fmt_number(v) if not pd.isna(v) else "—" for v in frame[c]]
                           for c in numeric if c in frame})


def named(frame: pd.DataFrame, park_name, indicator_name) -> pd.DataFrame:
    """`frame` with display names beside park_id and indicator_id (any frame, even an empty one without them)."""
    parks = frame["park_id"] if "park_id" in frame else pd.Series([None] * len(frame), index=frame.index)
    inds = frame["indicator_id"] if "indicator_id" in frame else pd.Series([None] * len(frame), index=frame.index)
    return frame.assign(park=[park_name(p) for p in parks], indicator=[indicator_name(i) for i in inds])


_FORM_CELL = re.compile(r"填报表 \S+!([A-Z]{1,3}\d{1,5})")   # forms.read_form writes the cell into each row's note


def quote_source(analysis: Analysis, row: pd.Series, lang: str, with_file: bool = False) -> str:
    """"来源：《…》（issuer，date）" — where a quoted figure comes from; a figure a park reported in its 指标填报表
    names the form's cell ("填报表 F7"). `with_file` (editors): the data file and line too, "data/observations/
    x.csv:21" (a reader has no use for the server's files)."""
    source = analysis.dataset.sources.get(row["source"])
    parts = [i18n.source_line([source], lang)] if source is not None else []
    cell = _FORM_CELL.search(str(row.get("note") or "")) if source is not None and source.type == "form" else None
    if cell:
        parts.append(i18n.t("form_cell", lang, cell=cell.group(1)))
    if with_file or not parts:
        parts.append(f"{row['file']}:{row['line']}")
    return " · ".join(parts)


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
    # The level a growth target implies rests on last year's actual too: its document joins the source line,
    # and an estimated base (预计) makes the derived level an estimate.
    prev = obs[(obs["indicator_id"] == indicator_id) & (obs["year"] == year - 1) & (obs["kind"] == "actual")
               & (obs["basis"] == "level") & ~_col(obs, "period").map(_is_partial).astype(bool)]
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
    return display(yoy, numeric).assign(indicator=[_indicator(analysis, i, lang) for i in yoy["indicator_id"]],
                                        implied_previous=implied)


def no_pace_explained(pace: pd.DataFrame, lang: str) -> str | None:
    """When no target of a park's pace table can be measured for want of a baseline: why, and which years."""
    if pace.empty or not (pace["class"] == "no_baseline").any() or \
            not pace["class"].isin(["no_baseline", "not_applicable"]).all():
        return None
    years = sorted(set(pace.loc[pace["class"] == "no_baseline", "baseline_year"]))
    return i18n.t("pace_none_explained", lang, years="、".join(str(y) for y in years))


def _level(value: float | None, unit: str | None, lang: str) -> str:
    """A level with its unit (390亿元, 39 billion yuan); "—" for none."""
    return "—" if value is None or pd.isna(value) else i18n.quantity(value, unit, lang)


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
        indicator=[_indicator(analysis, i, lang) for i in pace["indicator_id"]],
        status=[i18n.pace_class(c, lang) for c in pace["class"]],
        tier=[i18n.label(i18n.TARGET_LEVEL, x, lang) for x in pace["target_level"]],
        scope_label=[i18n.label(i18n.SCOPE, x, lang) for x in pace["scope"]],
        unit_label=[i18n.unit(u, lang) for u in pace["unit"]],
        # every figure with its unit and comparator, as the plan writes it (≥20%, 前15名, 新增2家)
        target_shown=[fmt_figure(v, u, c, b, lang) for v, u, c, b in
                      zip(pace["target_value"], pace["unit"], pace["comparator"], pace["basis"])],
        baseline_value=[_level(v, u, lang) for v, u in zip(pace["baseline_value"], pace["unit"])],
        current_value=[_level(v, u, lang) for v, u in zip(pace["current_value"], pace["unit"])],
        note=[_pace_note(r, lang) for _, r in pace.iterrows()])


@memoized
def figure_choices(analysis: Analysis, park_id: str, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """A park's observations and a label for each ("2021 协议引资 · 53.8亿元 (实际)"), to pick a quote by."""
    obs = analysis.dataset.observations
    obs = obs[obs["park_id"] == park_id]
    # The park's own figures first, newest year first; district figures after them.
    obs = obs.assign(_district=obs["scope"] == "district").sort_values(
        ["_district", "year"], ascending=[True, False], kind="stable").drop(columns="_district").reset_index(drop=True)
    labels = [f"{r.year} {_indicator(analysis, r.indicator_id, lang)} · "
              f"{fmt_figure(r.value, r.unit, r.comparator, r.basis, lang)}{i18n.paren(i18n.t(r.kind, lang), lang)}"
              for r in obs.itertuples()]
    return obs, labels


def _indicator(analysis: Analysis, indicator_id: str, lang: str) -> str:
    indicator = analysis.dataset.indicators.get(indicator_id)
    return i18n.name(indicator, lang) if indicator is not None else str(indicator_id)


ALL = "all"


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


def per_km2_rows(analysis: Analysis, indicator_id: str, year: int) -> pd.DataFrame:
    """The comparison rows of parks with a stated area, divided by it (the size-fair view)."""
    rows = comparison_rows(analysis, indicator_id, year)
    if rows.empty:
        return rows
    area = rows["park_id"].map(lambda p: analysis.dataset.parks[p].area_km2)
    rows = rows[area.notna()]
    return rows.assign(value_std=rows["value_std"] / area[area.notna()],
                       unit_std=rows["unit_std"].astype(str) + "/km²")   # the unit may be a category


# --- figures: built once per data version and selection ----------------------------------------------------


# Each returns None when there is nothing to draw (the page shows a notice instead).


@memoized
def trend_figure(analysis: Analysis, park_id: str, indicator_id: str, lang: str):
    obs, att = trend_inputs(analysis, park_id, indicator_id)
    if obs.empty or park_id not in analysis.dataset.parks or indicator_id not in analysis.dataset.indicators:
        return None
    return charts.indicator_trend(obs, att, analysis.dataset.parks[park_id], analysis.dataset.indicators[indicator_id],
                                  analysis.sources_of(obs), lang)


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


@memoized
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


def is_rate(analysis: Analysis, indicator_id: str) -> bool:
    """An indicator that is itself a rate or share (unit %): its 提升 X% is not an output growth rate."""
    ind = analysis.dataset.indicators.get(indicator_id)
    return ind is not None and ind.unit == "%"


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


@memoized
def ambition_figure(analysis: Analysis, lang: str):
    """Park-scope growth targets of the latest plan year, side by side; rises of rates (空闲标准厂房使用率
    提升20%: percentage points or relative, unstated) are kept apart, named in a note inside the figure."""
    growth, rates, year = ambition_rows(analysis)
    if growth.empty:
        return None
    if many_parks(analysis):
        return ambition_spread_figure(analysis, lang)
    apart = [f"{i18n.short(analysis.dataset.parks[r.park_id], lang)} {_indicator(analysis, r.indicator_id, lang)} "
             + (f"提升{CMP_TEXT.get(r.comparator, r.comparator)}{fmt_number(r.target_value)}%" if lang != "en" else
                f"up {CMP_TEXT.get(r.comparator, r.comparator)}{fmt_number(r.target_value)}%")
             for r in rates.itertuples()]
    note = i18n.t("ambition_kept_apart", lang, items=("；" if lang != "en" else "; ").join(apart)) if apart else ""
    return charts.ambition(growth.rename(columns={"target_value": "value_std"}), analysis.dataset.parks,
                           analysis.dataset.indicators, year, analysis.sources_of(growth), lang, note=note)


@memoized
def status_figure(analysis: Analysis, family: str, lang: str, year: int | None = None):
    """One year's targets (`year`, else the latest with a final status): up to overview.BARS_MAX parks the
    indicator × park matrix, a district's targets in a column of their own; beyond, parks per indicator and
    status. The source line names the plans and the documents the statuses rest on (their actuals)."""
    att = analysis.attainment
    att = att[att["indicator_id"].isin(indicators_of(analysis, None, family))]
    if att.empty:
        return None
    year = int(year) if year is not None else _latest_final_year(att)
    if many_parks(analysis):
        return status_counts_figure(analysis, family, year, lang)
    att = att[att["year"] == year]
    if att.empty:
        return None
    judged = att.loc[~att["status"].isin(["no_actual", "not_comparable"]), KEY].drop_duplicates()
    obs = analysis.dataset.observations
    actuals = obs[(obs["kind"] == "actual") & obs["year"].isin([year - 1, year])].merge(judged, on=KEY)
    title = i18n.t("chart_status_title", lang, family=i18n.pick(i18n.CATEGORY[family], lang), year=year)
    return charts.status_heatmap(att, _matrix_columns(analysis, att, lang), analysis.dataset.indicators, title,
                                 analysis.sources_of(pd.concat([att[["source"]], actuals[["source"]]])), lang)


@memoized
def overview_status_figure(analysis: Analysis, lang: str):
    """The overview's picture of every park: the targets of the latest plan year (the latest year with most
    targets) stacked by status, one bar per park and one per host district, apart."""
    att = analysis.attainment
    if att.empty:
        return None
    per_year = att.groupby("year").size()
    year = int(per_year[per_year == per_year.max()].index.max())
    att = att[att["year"] == year]
    columns = _matrix_columns(analysis, att, lang, present_only=True)
    counts = att.groupby(["park_id", "scope", "status"]).size().unstack(fill_value=0)
    counts = counts.reindex([key for key, _ in columns], fill_value=0)
    title = i18n.t("overview_status_title", lang, year=year)
    return charts.status_bars(counts.reset_index(drop=True), [label for _, label in columns], title,
                              analysis.sources_of(att), lang)


@memoized
def overview_coverage_figure(analysis: Analysis, lang: str):
    """Park × year: targets and actuals per park and year, the years with actuals marked (a district apart)."""
    cov = analysis.coverage
    if cov.empty:
        return None
    cov = cov.groupby(["park_id", "scope", "year"], as_index=False)[["targets", "actuals"]].sum()
    columns = _matrix_columns(analysis, cov, lang, present_only=True)
    label = dict(columns)
    cov = cov.assign(label=[label.get((p, s)) for p, s in zip(cov["park_id"], cov["scope"])])
    years = sorted(int(y) for y in cov["year"].unique())
    return charts.coverage_strip(cov, [lb for _, lb in columns], years, i18n.t("overview_coverage_title", lang),
                                 analysis.sources_of(analysis.dataset.observations), lang)


def _matrix_columns(analysis: Analysis, rows: pd.DataFrame, lang: str,
                    present_only: bool = False) -> list[tuple[tuple[str, str], str]]:
    """The columns of a park matrix: every park (its own figures; `present_only`: only a park with rows), and
    after it its host district where the rows hold district figures (黔江区（区级）), so district targets never sit
    under the park."""
    there = set(zip(rows["park_id"], rows["scope"]))
    columns = []
    for pid, park in analysis.dataset.parks.items():
        if not present_only or (pid, "park") in there:
            columns.append(((pid, "park"), i18n.short(park, lang)))
        if (pid, "district") in there:
            columns.append(((pid, "district"), i18n.district(park, lang)))
    return columns


@memoized
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
    return charts.coverage_heatmap(cov, _matrix_columns(analysis, cov, lang), analysis.dataset.indicators, title,
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


@memoized
def families(analysis: Analysis) -> list[str]:
    """Indicator families that have data, in catalogue order."""
    return [c for c in i18n.CATEGORY if indicators_of(analysis, None, c)]


# --- peers: a park among the parks like it ----------------------------------------------------------------------

@memoized
def park_table(analysis: Analysis) -> pd.DataFrame:
    from . import peers
    return peers.park_frame(analysis.dataset.parks)


@memoized
def _search_index(analysis: Analysis) -> pd.DataFrame:
    from . import peers
    return peers.search_index(park_table(analysis))


PARK_PICKER_MAX = 200  # a selectbox lists at most this many parks; the search narrows them down


def find_parks(analysis: Analysis, query: str = "", province: str = ALL, level: str = ALL, kind: str = ALL,
               limit: int | None = None) -> list[str]:
    """Parks matching a search (name, alias, id, pinyin initials) and the filters, in catalogue order."""
    from . import peers
    parks = park_table(analysis)
    keep = pd.Series(True, index=parks.index)
    for column, value in (("province", province), ("level", level), ("kind", kind)):
        if value != ALL:
            keep &= parks[column] == value
    allowed = set(parks.loc[keep, "park_id"])
    found = peers.search(_search_index(analysis), query, limit=len(parks)) if query.strip() else parks["park_id"]
    return [p for p in found if p in allowed][:limit]


def picker_options(found: list[str], current: object, parks: dict) -> list[str]:
    """The first PARK_PICKER_MAX parks found, and the park shown now (from the link or this session) even when
    it is not among them: a link to park 2,345 of 3,000 opens that park."""
    options = found[:PARK_PICKER_MAX]
    if current in parks and current not in options:
        options = [current, *options]
    return options


def filter_options(analysis: Analysis, column: str) -> list[str]:
    return [ALL, *sorted(park_table(analysis)[column].dropna().unique())]


@memoized
def peer_view(analysis: Analysis, park_id: str, indicator_id: str, year: int, group: str) -> dict:
    """The park's standing among its peers on an indicator's actual level, and its target's ambition among
    theirs: values (park_id, value_std), standing dicts (metrics in peers.standing), its own target."""
    from . import peers
    obs = analysis.dataset.observations
    ids = set(peers.peer_ids(park_table(analysis), park_id, group))
    direction = analysis.dataset.indicators[indicator_id].direction
    values = peers.comparable_values(obs, indicator_id, year)
    values = values[values["park_id"].isin(ids)]
    targets = peers.comparable_values(obs, indicator_id, year, kind="target")
    own_target = targets.loc[targets["park_id"] == park_id, "value_std"]
    amb = peers.ambition(obs[obs["park_id"].isin(ids)], indicator_id, year)
    amb_values = amb.rename(columns={"ambition_pct": "value_std"})
    return {"values": values, "standing": peers.standing(values, park_id, direction), "peers": len(ids), "ids": ids,
            "target": None if own_target.empty else float(own_target.iloc[0]),
            "ambition": amb_values, "ambition_standing": peers.standing(amb_values, park_id, direction)}


PEER_RANKED_MIN = 2   # fewer parks with a figure than this: no rank, percentile or quartiles (rank 1/1 says nothing)


def peer_default_year(analysis: Analysis, park_id: str, indicator_id: str, group: str) -> int | None:
    """Peers compare actuals: the latest year in which a park of the group has an actual of the indicator; else
    the latest year the park itself states the indicator; else the comparison's default year."""
    from . import peers
    obs = analysis.dataset.observations
    obs = obs[obs["indicator_id"] == indicator_id]
    ids = set(peers.peer_ids(park_table(analysis), park_id, group))
    actual = obs[(obs["kind"] == "actual") & obs["park_id"].isin(ids)]
    own = obs[obs["park_id"] == park_id]
    for rows in (actual, own):
        if not rows.empty:
            return int(rows["year"].max())
    return default_year(analysis, indicator_id)


def peer_reason(analysis: Analysis, park_id: str, indicator_id: str, year: int, group: str, measure: str,
                lang: str) -> str | None:
    """Why a peer section cannot rank (None when it can): the park alone in its group, no park with the figure
    (and how many have only a target), or a single park with it."""
    view = peer_view(analysis, park_id, indicator_id, year, group)
    values = view["values"] if measure == "level" else view["ambition"]
    parks, group_name = analysis.dataset.parks, i18n.t(f"peer_group_{group}", lang)
    if view["peers"] <= 1:
        return i18n.t("peer_alone", lang, park=i18n.short(parks[park_id], lang), group=group_name)
    if len(values) >= PEER_RANKED_MIN:
        return None
    indicator = i18n.name(analysis.dataset.indicators[indicator_id], lang)
    if len(values) == 1:
        return i18n.t(f"peer_one_{measure}", lang, who=i18n.short(parks[values["park_id"].iloc[0]], lang), year=year)
    if measure == "ambition":
        return i18n.t("peer_none_ambition", lang, year=year, prev=year - 1)
    obs = analysis.dataset.observations
    targets = obs[(obs["indicator_id"] == indicator_id) & (obs["year"] == year) & (obs["kind"] == "target")]
    with_target = targets.loc[targets["park_id"].isin(view["ids"]), "park_id"].nunique()
    return i18n.t("peer_none_level", lang, group=group_name, peers=view["peers"], year=year, indicator=indicator,
                  only=i18n.t("peer_only_targets", lang, n=with_target) if with_target else "")


def _peer_sources(analysis: Analysis, park_id: str, indicator_id: str, year: int) -> list:
    """The park's own documents behind the figures shown (a footer cannot list thousands of peers' documents)."""
    return _park_sources(analysis, [park_id], indicator_id, [year - 1, year])


@memoized
def peer_figure(analysis: Analysis, park_id: str, indicator_id: str, year: int, group: str, lang: str,
                measure: str = "level"):
    """The distribution chart of peer_view: actual levels ('level') or target ambition ('ambition')."""
    view = peer_view(analysis, park_id, indicator_id, year, group)
    values = view["values"] if measure == "level" else view["ambition"]
    if values.empty:
        return None
    indicator, parks = analysis.dataset.indicators[indicator_id], analysis.dataset.parks
    standing = view["standing"] if measure == "level" else view["ambition_standing"]
    if len(values) < PEER_RANKED_MIN:      # one bar: no rank, no median line (peer_reason says why)
        standing = {}
    values = values.assign(label=[i18n.short(parks[p], lang) for p in values["park_id"]])
    group_label = i18n.t(f"peer_group_{group}", lang)
    unit = indicator.unit if measure == "level" else "%"
    return charts.peer_distribution(values, analysis.dataset.parks[park_id], indicator, year, standing,
                                    view["target"] if measure == "level" else None, group_label,
                                    _peer_sources(analysis, park_id, indicator_id, year), lang, unit, measure,
                                    among=i18n.t(f"peer_among_{group}", lang))


# --- many parks: summaries, the highest and lowest N, distributions (the rules live in overview.py) --------------

DEFAULT_TOP = 20   # the comparison's highest and lowest N beyond overview.BARS_MAX parks (the page offers TOP_CHOICES)
MOVERS_TOP = 10    # the overview's top and bottom movers
MEASURES = ("actual", "base")


def many_parks(analysis: Analysis) -> bool:
    """More parks than one bar each can show (overview.BARS_MAX): rankings, distributions and counts instead."""
    return overview.many(len(analysis.dataset.parks))


def cards_for_all(analysis: Analysis) -> bool:
    """Few parks (overview.CARDS_MAX): the overview shows a card for every park; beyond, only pinned ones."""
    return len(analysis.dataset.parks) <= overview.CARDS_MAX


def _n(value: int) -> str:
    return f"{int(value):,}"


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


def _park_sources(analysis: Analysis, park_ids, indicator_id: str, years: list[int], kind: str | None = None) -> list:
    """The documents behind some parks' figures of one indicator in some years."""
    obs = analysis.dataset.observations
    sel = obs[(obs["indicator_id"] == indicator_id) & obs["year"].isin(years) & obs["park_id"].isin(set(park_ids))]
    if kind is not None:
        sel = sel[sel["kind"] == kind]
    return analysis.sources_of(sel)


# The movers: year-on-year change of full-year park-scope levels (overview.yoy_changes says why only those).

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
    return i18n.t("movers_counts", lang, year=year, **{k: _n(v) for k, v in counts.items()})


@memoized
def movers_figure(analysis: Analysis, indicator_id: str, year: int, n: int, lang: str):
    """The parks whose indicator grew fastest and slowest on the year before (nominal, from levels)."""
    values, counts = movers(analysis, indicator_id, year)
    if values.empty:
        return None
    shown = overview.top_bottom(values, n)
    estimate = i18n.t("estimate", lang)
    shown = shown.assign(text=[f"{v:+.1f}%" + (i18n.paren(estimate, lang) if e else "")
                               for v, e in zip(shown["value"], shown["estimate"])])
    name, total = charts.plain(_indicator(analysis, indicator_id, lang)), _n(counts["total"])
    title = (i18n.t("movers_all_title", lang, indicator=name, year=year, shown=len(shown), total=total)
             if (shown["part"] == "all").all() else
             i18n.t("movers_title", lang, indicator=name, year=year, n=n, total=total))
    note = i18n.t("movers_note", lang) + "\n" + movers_counts(analysis, indicator_id, year, lang)
    sources = _park_sources(analysis, shown["park_id"], indicator_id, [year - 1, year], "actual")
    return charts.ranked_bars(shown, analysis.dataset.parks, title, i18n.t("movers_axis", lang), sources, lang,
                              gap=counts["ranked"] - len(shown), note=note)


@memoized
def movers_distribution_figure(analysis: Analysis, indicator_id: str, year: int, lang: str):
    """How the year-on-year changes of every ranked park are spread."""
    values, counts = movers(analysis, indicator_id, year)
    if values.empty:
        return None
    title = i18n.t("movers_dist_title", lang, indicator=charts.plain(_indicator(analysis, indicator_id, lang)),
                   year=year, ranked=_n(counts["ranked"]))
    sources = _park_sources(analysis, values["park_id"], indicator_id, [year - 1, year], "actual")
    return charts.histogram(values["value"].tolist(), title, i18n.t("movers_axis", lang), sources, lang,
                            note=movers_counts(analysis, indicator_id, year, lang),
                            median=float(values["value"].median()))


# The comparison beyond BARS_MAX parks: one value per park (an actual, or a base target), ranked.

def _flag(x: object) -> bool:
    """A yes/no cell as a bool: True only for a true value (None, NaN and NA are no)."""
    return False if x is None or (not isinstance(x, str) and pd.isna(x)) else bool(x)


def _rank_frame(sel: pd.DataFrame) -> pd.DataFrame:
    """The columns a ranking needs, one row per comparison row; flags as plain bools."""
    flags = lambda col: [_flag(x) for x in _col(sel, col)]  # noqa: E731
    return pd.DataFrame({"park_id": sel["park_id"].tolist(), "value": sel["value_std"].tolist(),
                         "derived": flags("derived"), "estimate": flags("estimate"),
                         "growth": _col(sel, "growth").tolist(), "comparator": _col(sel, "comparator").tolist(),
                         "source": sel["source"].tolist(), "base_source": _col(sel, "base_source").tolist(),
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
        partial = _col(rows, "period").map(_is_partial).astype(bool)
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
    what = i18n.t(f"rank_what_{measure}", lang, indicator=charts.plain(_indicator(analysis, indicator_id, lang)),
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
    text = i18n.t("rank_counts", lang, **{k: _n(v) for k, v in counts.items() if k != "no_area"})
    if counts.get("no_area"):
        text += i18n.t("rank_no_area", lang, n=_n(counts["no_area"]))
    return text


def _axis_unit(values: pd.DataFrame, lang: str) -> str:
    unit = values["unit"].iloc[0] if not values.empty else ""
    return charts.plain(i18n.unit(unit, lang) or i18n.t("count", lang))


@memoized
def ranked_figure(analysis: Analysis, indicator_id: str, year: int, measure: str, n: int, lang: str,
                  per_km2: bool = False):
    """The highest and lowest `n` parks on an indicator's actual or base target (all of them when no more than
    2·n have one), with how many parks are not ranked and why."""
    values, counts = rank_values(analysis, indicator_id, year, measure, per_km2)
    if values.empty:
        return None
    shown = overview.top_bottom(values, n)
    what, total = _rank_what(analysis, indicator_id, year, measure, lang, per_km2, values), _n(counts["total"])
    title = (i18n.t("rank_all_title", lang, what=what, shown=_n(len(shown)), total=total)
             if (shown["part"] == "all").all() else i18n.t("rank_title", lang, what=what, n=n, total=total))
    return charts.ranked_bars(shown, analysis.dataset.parks, title, _axis_unit(values, lang),
                              sources_behind(analysis, shown), lang, gap=counts["ranked"] - len(shown),
                              note=rank_counts(analysis, indicator_id, year, measure, lang, per_km2))


@memoized
def distribution_figure(analysis: Analysis, indicator_id: str, year: int, measure: str, lang: str,
                        per_km2: bool = False):
    """How every ranked park's value is spread (a histogram), with the parks not ranked counted."""
    values, counts = rank_values(analysis, indicator_id, year, measure, per_km2)
    if values.empty:
        return None
    what = _rank_what(analysis, indicator_id, year, measure, lang, per_km2, values)
    title = i18n.t("dist_title", lang, what=what, ranked=_n(counts["ranked"]), total=_n(counts["total"]))
    return charts.histogram(values["value"].tolist(), title, _axis_unit(values, lang), sources_behind(analysis, values),
                            lang, note=rank_counts(analysis, indicator_id, year, measure, lang, per_km2),
                            median=float(pd.to_numeric(values["value"]).median()))


def _latest_final_year(att: pd.DataFrame) -> int:
    """The latest year with a final status (an actual to judge a target by), else the latest year."""
    final = att[~att["status"].isin(["no_actual", "not_comparable"])]
    return int((final if not final.empty else att)["year"].max())


@memoized
def status_counts_figure(analysis: Analysis, family: str, year: int, lang: str):
    """The status matrix for many parks: for one year's targets, parks per indicator and best status, 未载明
    (no target that year) counted."""
    att = analysis.attainment
    att = att[att["indicator_id"].isin(indicators_of(analysis, None, family)) & (att["year"] == year)]
    if att.empty:
        return None
    order = list(STATUS_CODES)
    cells = overview.best_status(att, order)
    ids = sorted(set(cells["indicator_id"]), key=lambda i: _indicator(analysis, i, lang))
    counts = overview.status_counts_by_indicator(cells, ids, len(analysis.dataset.parks), order)
    title = i18n.t("status_counts_title", lang, family=i18n.pick(i18n.CATEGORY[family], lang), year=year,
                   n=_n(len(analysis.dataset.parks)))
    return charts.status_counts(counts, analysis.dataset.indicators, title, analysis.sources_of(att), lang,
                                note=i18n.t("status_counts_note", lang))


@memoized
def coverage_counts_figure(analysis: Analysis, family: str, year: int, lang: str):
    """The coverage matrix for many parks: parks per indicator by what they report in one year, 未载明 counted."""
    ids = indicators_of(analysis, None, family)
    cov = analysis.coverage[analysis.coverage["indicator_id"].isin(ids) & (analysis.coverage["year"] == year)]
    if cov.empty:
        return None
    shown = sorted(set(cov["indicator_id"]), key=lambda i: _indicator(analysis, i, lang))
    counts = overview.coverage_counts(cov, shown, len(analysis.dataset.parks))
    obs = analysis.dataset.observations
    title = i18n.t("coverage_counts_title", lang, family=i18n.pick(i18n.CATEGORY[family], lang), year=year,
                   n=_n(len(analysis.dataset.parks)))
    return charts.coverage_counts(counts, analysis.dataset.indicators, title,
                                  analysis.sources_of(obs[obs["indicator_id"].isin(shown) & (obs["year"] == year)]),
                                  lang)


@memoized
def ambition_spread_figure(analysis: Analysis, lang: str):
    """Target growth rates for many parks: a box per indicator, the rises of rates kept apart and counted."""
    growth, rates, year = ambition_rows(analysis)
    if growth.empty:
        return None
    note = (i18n.t("ambition_kept_apart_n", lang, n=_n(len(rates)), parks=_n(rates["park_id"].nunique()))
            if not rates.empty else "")
    title = i18n.t("ambition_spread_title", lang, year=year, n=_n(growth["park_id"].nunique()),
                   total=_n(len(analysis.dataset.parks)))
    return charts.ambition_spread(growth.rename(columns={"target_value": "value_std"}), analysis.dataset.indicators,
                                  title, analysis.sources_of(growth), lang, note=note)
