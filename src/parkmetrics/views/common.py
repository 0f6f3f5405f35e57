"""What every page's views share: formatters, the park and indicator pickers' data, the targets table, sources
and quotes, and the small rules the page modules build on."""
from __future__ import annotations

import functools
import re

import pandas as pd

from .. import charts, i18n, overview
from ..analysis import Analysis, memoized
from ..periods import is_full_year


def memoized_figure(fn):
    """`memoized` for a figure builder: the figure is kept per layout width too (the page's, or a report's
    charts.PRINT_WIDTH), so a report never gets a page's figure or the other way round."""
    @functools.wraps(fn)
    def wrapper(analysis: Analysis, *args):
        return analysis.memo((fn.__qualname__, charts.layout_width(), *args), lambda: fn(analysis, *args))
    return wrapper


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


def column_of(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)


def is_partial(period: object) -> bool:
    return not is_full_year(period)  # periods.py: the one definition of the full year


def fmt_actual(value: float | None, period: object, lang: str) -> str:
    """An attainment row's actual: "56.8", or "123（1-9月）" for a year-to-date figure (never read as the year's)."""
    text = fmt_number(value)
    if text != "—" and is_partial(period):
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
        "indicator": [indicator_label(analysis, i, lang) for i in att["indicator_id"]],
        "year": att["year"],
        "target_level": [i18n.label(i18n.TARGET_LEVEL, lv, lang) for lv in att["target_level"]],
        "target_value": [fmt_figure(v, u, c, b, lang) for v, u, c, b in
                         zip(att["target_value"], att["unit"], att["comparator"], att["basis"])],
        "actual_value": [fmt_actual(v, p, lang) for v, p in zip(att["actual_value"], column_of(att, "period"))],
        "ratio": [fmt_ratio(r, p, e) for r, p, e in
                  zip(att["ratio"], column_of(att, "progress_share"), column_of(att, "elapsed_share"))],
        "status": [i18n.status(c, lang) for c in att["status"]],
        "summary": [i18n.target_summary(code, lang) for code in att["summary"]],
        "flags": [i18n.flags(f, lang) for f in att["flags"]],
        "source": att["source"],
        "quote": att["quote"],
    })


def fmt_pct(ratio: float | None) -> str:
    return "—" if ratio is None or pd.isna(ratio) else f"{ratio * 100:.0f}%"


def source_title(analysis: Analysis, source_id: object) -> str:
    src = analysis.dataset.sources.get(str(source_id))
    return f"《{src.title}》" if src is not None else str(source_id or "")


def when_label(year: object, period: object, lang: str) -> str:
    y = str(int(year)) if not pd.isna(year) else ""
    label = i18n.period_label(period, lang) if isinstance(period, str) and period else ""
    if lang == "en":
        return f"{y} {label}".strip()
    return f"{y}年{label}" if y else label


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
    actual = obs[(obs["kind"] == "actual") & ~column_of(obs, "period").map(is_partial).astype(bool)]
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


def level_text(value: float | None, unit: str | None, lang: str) -> str:
    """A level with its unit (390亿元, 39 billion yuan); "—" for none."""
    return "—" if value is None or pd.isna(value) else i18n.quantity(value, unit, lang)


def indicator_label(analysis: Analysis, indicator_id: str, lang: str) -> str:
    indicator = analysis.dataset.indicators.get(indicator_id)
    return i18n.name(indicator, lang) if indicator is not None else str(indicator_id)


ALL = "all"


def is_rate(analysis: Analysis, indicator_id: str) -> bool:
    """An indicator that is itself a rate or share (unit %): its 提升 X% is not an output growth rate."""
    ind = analysis.dataset.indicators.get(indicator_id)
    return ind is not None and ind.unit == "%"


def matrix_columns(analysis: Analysis, rows: pd.DataFrame, lang: str,
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
def families(analysis: Analysis) -> list[str]:
    """Indicator families that have data, in catalogue order."""
    return [c for c in i18n.CATEGORY if indicators_of(analysis, None, c)]


@memoized
def park_table(analysis: Analysis) -> pd.DataFrame:
    from .. import peers
    return peers.park_frame(analysis.dataset.parks)


@memoized
def _search_index(analysis: Analysis) -> pd.DataFrame:
    from .. import peers
    return peers.search_index(park_table(analysis))


PARK_PICKER_MAX = 200  # a selectbox lists at most this many parks; the search narrows them down


def find_parks(analysis: Analysis, query: str = "", province: str = ALL, level: str = ALL, kind: str = ALL,
               limit: int | None = None) -> list[str]:
    """Parks matching a search (name, alias, id, pinyin initials) and the filters, in catalogue order."""
    from .. import peers
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


def many_parks(analysis: Analysis) -> bool:
    """More parks than one bar each can show (overview.BARS_MAX): rankings, distributions and counts instead."""
    return overview.many(len(analysis.dataset.parks))


def cards_for_all(analysis: Analysis) -> bool:
    """Few parks (overview.CARDS_MAX): the overview shows a card for every park; beyond, only pinned ones."""
    return len(analysis.dataset.parks) <= overview.CARDS_MAX


def fmt_count(value: int) -> str:
    return f"{int(value):,}"


def park_sources(analysis: Analysis, park_ids, indicator_id: str, years: list[int], kind: str | None = None) -> list:
    """The documents behind some parks' figures of one indicator in some years."""
    obs = analysis.dataset.observations
    sel = obs[(obs["indicator_id"] == indicator_id) & obs["year"].isin(years) & obs["park_id"].isin(set(park_ids))]
    if kind is not None:
        sel = sel[sel["kind"] == kind]
    return analysis.sources_of(sel)


def is_flag(x: object) -> bool:
    """A yes/no cell as a bool: True only for a true value (None, NaN and NA are no)."""
    return False if x is None or (not isinstance(x, str) and pd.isna(x)) else bool(x)


def latest_final_year(att: pd.DataFrame) -> int:
    """The latest year with a final status (an actual to judge a target by), else the latest year."""
    final = att[~att["status"].isin(["no_actual", "not_comparable"])]
    return int((final if not final.empty else att)["year"].max())
