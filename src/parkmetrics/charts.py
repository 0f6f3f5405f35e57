"""Report-ready Plotly figures. They know nothing of Streamlit, so exports (kaleido) reuse them as they are.

Every figure stands alone in a Word report: a title naming park, indicator and year; the unit on the axis; a
footer line with the source documents; one fixed colour per park; an explicit template (Streamlit's default
template has placeholder colours); the SC-first CJK font stack (without it fontconfig draws Japanese forms).
"""
from __future__ import annotations

import contextlib
import contextvars
import html
import math
import re
import unicodedata

import pandas as pd
import plotly.graph_objects as go

from . import i18n
from .metrics import STATUS_CODES

FONT = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif'
WIDTH, HEIGHT = 1000, 560
# A report places a chart 16 cm wide: laid out 620 px wide, its smallest text (11 px) prints at 8 pt
# (16 cm = 453.5 pt; 11 × 453.5 / 620 = 8.05). The pages keep WIDTH.
PRINT_WIDTH = 620
_LAYOUT_WIDTH: contextvars.ContextVar[int] = contextvars.ContextVar("chart_layout_width", default=WIDTH)


def layout_width() -> int:
    """The width in pixels the builders lay a figure out at: WIDTH, or PRINT_WIDTH inside `laid_out_at`."""
    return _LAYOUT_WIDTH.get()


@contextlib.contextmanager
def laid_out_at(width: int):
    """Build the figures in this block `width` pixels wide (titles, legends and footers wrapped to it)."""
    token = _LAYOUT_WIDTH.set(width)
    try:
        yield
    finally:
        _LAYOUT_WIDTH.reset(token)
STATUS_COLORS = {"exceeded": "#1e8449", "met": "#52be80", "near": "#f4d03f", "not_met": "#e74c3c",
                 "ahead_of_schedule": "#7fb3d5", "on_schedule": "#a9cce3", "behind_schedule": "#f0b27a",
                 "no_actual": "#d5d8dc", "not_comparable": "#f2f3f4"}
OTHER_STATUS_COLOR = "#d5d8dc"  # a status added to metrics.STATUS_CODES before it has a colour here

TEMPLATE = go.layout.Template(layout=go.Layout(
    font=dict(family=FONT, size=13, color="#1b1b1b"),
    title=dict(font=dict(family=FONT, size=18), x=0.01, xanchor="left"),
    paper_bgcolor="white", plot_bgcolor="white",
    colorway=["#2471a3", "#c0392b", "#239b56", "#7d3c98", "#b9770e", "#566573"],
    xaxis=dict(showgrid=False, linecolor="#888", ticks="outside"),
    yaxis=dict(gridcolor="#e5e5e5", zerolinecolor="#bbb", linecolor="#888"),
    legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0),
    hoverlabel=dict(font=dict(family=FONT)),
))


def plain(text: object) -> str:
    """Editor text for a figure: Plotly renders a subset of HTML in every text (titles, ticks, legends, hover,
    annotations), including <a href>. Escaped, it shows as written (Plotly decodes the entities)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _name(obj, lang: str) -> str:
    return plain(i18n.name(obj, lang))


def _short(park, lang: str) -> str:
    return plain(i18n.short(park, lang))


def _district(park, lang: str) -> str:
    return plain(i18n.district(park, lang))


def plotly_config(filename: str, fig: go.Figure | None = None, lang: str = "zh") -> dict:
    """The camera button exports a crisp 3× PNG at the figure's own size with a meaningful file name, no logo;
    in Chinese the toolbar's tooltips are Chinese too (a locale passed with the chart: the dashboard's Plotly
    bundle registers none)."""
    width = int(fig.layout.width or WIDTH) if fig is not None else WIDTH
    height = int(fig.layout.height or HEIGHT) if fig is not None else HEIGHT
    config = {"displaylogo": False, "toImageButtonOptions": {
        "format": "png", "scale": 3, "width": width, "height": height, "filename": slug(filename)}}
    if lang != "en":
        config |= {"locale": "zh-CN", "locales": {"zh-CN": {"dictionary": i18n.PLOTLY_ZH}}}
    return config


def _plain_text(text: object) -> str:
    """A title, label or footer as plain text: markup out, lines joined."""
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", " ", str(text or "")))).strip()


def figure_text(fig: go.Figure) -> tuple[str, str]:
    """A figure's title and its footer (the source line and notes), as plain text."""
    footer = [a.text for a in fig.layout.annotations if a.text and str(a.text).startswith(("来源", "Source"))]
    return _plain_text(fig.layout.title.text), _plain_text(footer[-1] if footer else "")


def figure_table(fig: go.Figure, lang: str) -> pd.DataFrame:
    """What a figure shows, as rows a phone can read at its own font size: series, category and the value as the
    chart labels it (or the number). Bars and points give a row each; a matrix a row per cell; a distribution
    (box, histogram) gives none: it has no labelled points."""
    rows = []
    for trace in fig.data:
        name = _plain_text(getattr(trace, "name", "") or "")
        if trace.type == "heatmap":
            for y, line in zip(trace.y or (), trace.text or ()):
                rows += [(_plain_text(y), _plain_text(x), _plain_text(t)) for x, t in zip(trace.x or (), line)]
            continue
        if trace.type not in ("bar", "scatter") or trace.x is None or trace.y is None:
            continue
        horizontal = getattr(trace, "orientation", None) == "h"
        cats, nums = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
        texts = trace.text if isinstance(trace.text, (list, tuple)) else [None] * len(cats)
        for cat, num, text in zip(cats, nums, texts):
            if cat is None or num is None or (isinstance(num, float) and math.isnan(num)):
                continue
            rows.append((name, _plain_text(cat), _plain_text(text) if text else f"{num:.4g}"))
    heads = ("系列", "类别", "数值") if lang != "en" else ("Series", "Category", "Value")
    return pd.DataFrame(rows, columns=list(heads))


def slug(text: str) -> str:
    """A file name's stem: separators and what Windows forbids become one "_" (never "__")."""
    return re.sub(r"[\s/\\:*?\"<>|（）()，,：_]+", "_", text).strip("_")[:120] or "chart"


# Layout in pixels, so that nothing depends on Plotly's automargin (which moves the plot area, and with it
# anything placed in paper coordinates): the left margin is computed from the longest y tick label, and the
# footer is placed from the image's left edge and wrapped to the image's width.
EDGE = 12                  # px between the image's edges and the footer/title
FOOTER_PX_PER_COL = 5.8    # 11 px footer: a CJK character ≈ 11 px (2 columns), Latin ≈ 6 px
TITLE_PX_PER_COL = 10.0    # 18 px title
TICK_PX_PER_COL = 7.2      # 13 px tick labels
LEGEND_ROW = 26


def _text_px(text: str, per_col: float) -> float:
    return _columns(html.unescape(re.sub(r"<[^>]+>", "", text))) * per_col


def label_margin(labels: list[str], minimum: int = 80, maximum: int = 470) -> int:
    """A left margin wide enough for the longest y tick label (they are drawn right-aligned before the axis)."""
    widest = max((_text_px(str(x), TICK_PX_PER_COL) for x in labels), default=0)
    return int(min(maximum, max(minimum, widest + 28)))


def _legend_rows(fig: go.Figure, width: int) -> int:
    names = [t.name for t in fig.data if t.showlegend is not False and t.name and t.type != "heatmap"]
    if not names:
        return 0
    used, rows = 0.0, 1
    for n in names:
        w = _text_px(n, TICK_PX_PER_COL) + 50
        if used + w > width and used:
            rows, used = rows + 1, 0.0
        used += w
    return rows


def _finish(fig: go.Figure, title: str, y_title: str, sources: list, lang: str, height: int = HEIGHT,
            x_title: str | None = None, tick_room: int = 34, left: int | None = None, top_ticks: int = 0,
            note: str = "") -> go.Figure:
    """Title, legend, axis titles, size, template and the source footer, laid out in pixels: the title wrapped
    to the image width at the top, the legend on its own row under it (never over the title), the footer wrapped
    to the image width and anchored to the image's left edge (never to the plot area, which long tick labels
    push right), a fixed number of pixels below the x axis."""
    width = layout_width()
    right = 40
    footer_text = source_text(sources, lang) if sources else ""
    if note:   # after the source line: a footer starts with "来源：" / "Source: " (reports look for it)
        footer_text = footer_text + ("\n" if footer_text else "") + note
    cols = int((width - 2 * EDGE) / FOOTER_PX_PER_COL)
    footer = "<br>".join(_wrap(line, cols) for line in footer_text.split("\n")) if footer_text else ""
    lines = footer.count("<br>") + 1 if footer else 0
    if left is None:   # category labels on the y axis (horizontal bars, matrices): room for the longest
        left = label_margin([y for t in fig.data for y in (t.y if t.y is not None else ()) if isinstance(y, str)])
    title_cols = int((width - 2 * EDGE) / TITLE_PX_PER_COL)
    # Plain title lines are wrapped to the image width (escaped again); lines with markup (<sup>) stay as given.
    title_html = "<br>".join(part if "<sup>" in part else _wrap(html.unescape(part), title_cols)
                             for part in re.split(r"<br\s*/?>", title))
    title_lines = title_html.count("<br>") + 1
    legend_rows = _legend_rows(fig, width - 2 * EDGE)
    title_h = 14 + 24 * title_lines
    unit_h = 22 if y_title else 0      # "单位：亿元" above the y axis, read level: never a label lying on its side
    top = title_h + (LEGEND_ROW * legend_rows + 8 if legend_rows else 0) + top_ticks + unit_h + 16
    axis_room = tick_room + (24 if x_title else 0)
    bottom = axis_room + 16 + 15 * lines
    height = max(height, top + bottom + 240)
    plot_w, plot_h = width - left - right, height - top - bottom
    fig.update_layout(
        template=TEMPLATE, width=width, height=height, margin=dict(l=left, r=right, t=top, b=bottom),
        # Plotly anchors a wrapped title by its middle lines, not its top: moved down by half a line per extra
        # line, its first line stays inside the image
        title=dict(text=title_html, xref="container", yref="container", x=EDGE / width, xanchor="left",
                   y=1 - (10 + 12 * (title_lines - 1)) / height, yanchor="top"),
        legend=dict(orientation="h", xanchor="left", x=-(left - EDGE) / plot_w, yanchor="bottom",
                    y=1 + (top_ticks + unit_h + 6) / plot_h, entrywidthmode="pixels"),
        xaxis_title=x_title)
    fig.update_xaxes(automargin=False)
    fig.update_yaxes(automargin=False)
    if y_title:
        fig.add_annotation(text=y_title, xref="paper", yref="paper", x=-(left - EDGE) / plot_w, y=1 + 6 / plot_h,
                           xanchor="left", yanchor="bottom", showarrow=False, align="left",
                           font=dict(size=13, color="#333"))
    if footer:
        fig.add_annotation(text=footer, xref="paper", yref="paper", x=-(left - EDGE) / plot_w,
                           y=-(axis_room + 6) / plot_h, xanchor="left", yanchor="top", showarrow=False,
                           align="left", font=dict(size=11, color="#555"))
    return fig


SOURCES_LISTED = 8   # a footer names up to this many documents; more are summarised (3,000 parks: 6,000 documents)


def source_text(sources: list, lang: str) -> str:
    """The footer's source line: every document by title, issuer and date; beyond SOURCES_LISTED, how many
    documents of how many parks, by type, and the newest date (each is listed on the Data and sources page)."""
    if len(sources) <= SOURCES_LISTED:
        return i18n.source_line(sources, lang)
    types: dict[str, int] = {}
    for s in sources:
        types[s.type] = types.get(s.type, 0) + 1
    sep = ", " if lang == "en" else "，"
    by_type = sep.join(f"{i18n.label(i18n.SOURCE_TYPE, t, lang)} {n:,}" for t, n in sorted(types.items()))
    return i18n.t("sources_many", lang, n=f"{len(sources):,}", parks=f"{len({s.park for s in sources}):,}",
                  types=by_type, date=max(str(s.date) for s in sources))


def _columns(text: str) -> int:
    """Display width: a CJK character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_BREAK_AFTER = set("；，、。：）》」 ;,)")   # a line may end after these (a clause, a title, a word)...
_BREAK_BEFORE = set("《（「(")               # ...or before these


def _break_at(line: str) -> int:
    """Where to end an overlong line: after its last clause, title or word in its second half (so 《2022年工作
    要点》 and 临湘高新区 stay whole), else at the width itself (0)."""
    for i in range(len(line) - 1, len(line) // 2, -1):
        if line[i - 1] in _BREAK_AFTER or line[i] in _BREAK_BEFORE:
            return i
    return 0


def _wrap(text: str, width: int) -> str:
    """Break a line at `width` display columns (a CJK character is two columns wide), at a clause, a title or a
    word where the line has one; each line escaped."""
    lines, line, used = [], "", 0
    for ch in text:
        w = _columns(ch)
        if used + w > width:
            cut = _break_at(line)
            lines.append(line[:cut].rstrip() if cut else line)
            line = line[cut:].lstrip() if cut else ""
            used = _columns(line)
        line += ch
        used += w
    return "<br>".join(plain(x) for x in lines + [line])


def _unit_line(unit: str, lang: str) -> str:
    """"单位：亿元" / "Unit: 100 million yuan": a chart's unit, written level above its y axis."""
    return plain(i18n.t("unit_label", lang, unit=i18n.unit(unit, lang) or i18n.t("count", lang)))


def _axis_title(unit: str, lang: str) -> str:
    return plain(i18n.unit(unit, lang) or i18n.t("count", lang)) if unit else ""


def _years_label(years: list[int]) -> str:
    years = sorted(set(int(y) for y in years))
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def target_points(obs_rows: pd.DataFrame, att_rows: pd.DataFrame, plot_basis: str) -> pd.DataFrame:
    """Targets to draw on a trend: stated ones of the plotted basis, plus growth targets turned into levels
    (from the previous year's actual, marked derived) when the chart shows levels."""
    stated = obs_rows[(obs_rows["kind"] == "target") & (obs_rows["basis"] == plot_basis)]
    points = pd.DataFrame({"year": stated["year"], "target_level": stated["target_level"],
                           "value": stated["value_std"], "growth": None, "derived": False,
                           "comparator": stated["comparator"]})
    if plot_basis == "level" and not att_rows.empty:
        grown = att_rows[(att_rows["basis"] == "growth_pct") & att_rows["implied_target_level"].notna()]
        points = pd.concat([points, pd.DataFrame({
            "year": grown["year"], "target_level": grown["target_level"], "value": grown["implied_target_level"],
            "growth": grown["target_value"], "derived": True, "comparator": grown["comparator"]})],
            ignore_index=True)
    return points


def _partial(frame: pd.DataFrame) -> pd.Series:
    """Rows of a partial-year period (1-9月…): never plotted as the year's value."""
    if "period" not in frame:
        return pd.Series(False, index=frame.index)
    return frame["period"].fillna("").astype(str).str.strip() != ""


def _cmp(comparator: object) -> str:
    return "" if comparator in (None, "=", "") or (isinstance(comparator, float) and pd.isna(comparator)) \
        else str(comparator)


def indicator_trend(obs_rows: pd.DataFrame, att_rows: pd.DataFrame, park, indicator, sources: list,
                    lang: str) -> go.Figure:
    """One park, one indicator (one scope) over time: actuals as a line, targets as diamonds (stretch hollow),
    the base–stretch span shaded; growth targets appear as the level they imply, labelled derived. A
    year-to-date actual (1-9月) is a hollow circle labelled with its period, never joined to the line."""
    color = park.color
    plot_basis = "level" if (obs_rows["basis"] == "level").any() else obs_rows["basis"].iloc[0]
    unit = obs_rows.loc[obs_rows["basis"] == plot_basis, "unit_std"].iloc[0]
    fig = go.Figure()
    actuals = obs_rows[(obs_rows["kind"] == "actual") & (obs_rows["basis"] == plot_basis)].sort_values("year")
    partial = _partial(actuals)
    actual, to_date = actuals[~partial], actuals[partial]
    estimate = i18n.t("estimate", lang)
    if not actual.empty:
        fig.add_trace(go.Scatter(
            x=actual["year"], y=actual["value_std"], mode="lines+markers+text", name=i18n.t("actual", lang),
            line=dict(color=color, width=3), marker=dict(size=10, color=color), textposition="top center",
            text=[f"{v:g}" + (i18n.paren(estimate, lang) if e is True else "")
                  for v, e in zip(actual["value_std"], actual["estimate"])]))
    if not to_date.empty:
        periods = [i18n.period_label(x, lang) for x in to_date["period"]]
        fig.add_trace(go.Scatter(
            x=to_date["year"], y=to_date["value_std"], mode="markers+text",
            name=i18n.t("partial_actual", lang, period="、".join(dict.fromkeys(periods)) if lang != "en"
                        else ", ".join(dict.fromkeys(periods))),
            marker=dict(size=11, color="white", line=dict(color=color, width=2)), textposition="bottom center",
            text=[f"{v:g}" + i18n.paren(pr + (i18n.comma(lang) + estimate if e is True else ""), lang)
                  for v, pr, e in zip(to_date["value_std"], periods, to_date["estimate"])]))
    points = target_points(obs_rows, att_rows, plot_basis)
    prev_est = {int(y) + 1: e is True for y, e in zip(actual["year"], actual["estimate"])}
    for level, symbol, fill, where in (("base", "diamond", color, "bottom right"),
                                       ("stretch", "diamond-open", color, "top right")):
        pts = points[points["target_level"] == level]
        if pts.empty:
            continue
        # The comparator stays on the label (≥10, not 10): "以上" is part of the target.
        # A level derived from an estimated base (预计) is an estimate too.
        labels = [_cmp(c) + f"{v:.4g}" + (i18n.paren(f"{i18n.t('derived', lang)} {_cmp(c)}+{g:g}%" + (
                  i18n.comma(lang) + i18n.t("estimate", lang) if prev_est.get(int(y)) else ""), lang) if d else "")
                  for v, g, d, c, y in zip(pts["value"], pts["growth"], pts["derived"], pts["comparator"], pts["year"])]
        fig.add_trace(go.Scatter(x=pts["year"], y=pts["value"], mode="markers+text", name=i18n.t(level, lang),
                                 text=labels, textposition=where,
                                 marker=dict(symbol=symbol, size=14, color=fill, line=dict(color=color, width=2))))
    # Targets under the actuals: a 2022 actual next to its 2022 target would otherwise hide behind the diamond.
    n_actual = int(not actual.empty) + int(not to_date.empty)
    fig.data = fig.data[n_actual:] + fig.data[:n_actual]
    for year, g in points.groupby("year"):
        if {"base", "stretch"} <= set(g["target_level"]):
            lo, hi = sorted(g.groupby("target_level")["value"].first()[["base", "stretch"]])
            fig.add_shape(type="rect", x0=year - 0.15, x1=year + 0.15, y0=lo, y1=hi, line=dict(width=0),
                          fillcolor=color, opacity=0.15)
    years = list(obs_rows["year"])
    who = _district(park, lang) if (obs_rows["scope"] == "district").any() else _name(park, lang)
    key = "chart_trend_title" if not actuals.empty else "chart_trend_title_targets"
    title = i18n.t(key, lang, park=who, indicator=_name(indicator, lang), years=_years_label(years))
    if _text_px(title, TITLE_PX_PER_COL) > layout_width() - 2 * EDGE and who == _name(park, lang):
        # One line reads best in a report: the park's short name when the full one would wrap the title.
        title = i18n.t(key, lang, park=_short(park, lang), indicator=_name(indicator, lang), years=_years_label(years))
    counted = plot_basis in ("level", "new_count", "change_abs")  # in the indicator's own unit
    y_title = _unit_line(unit, lang) if counted else plain(i18n.pick(i18n.BASIS[plot_basis], lang))
    fig.update_xaxes(dtick=1, tickformat="d", range=[min(years) - 0.6, max(years) + 0.9])
    if plot_basis == "rank":
        fig.update_yaxes(autorange="reversed")
        y_title = i18n.t("rank_axis", lang)
    else:
        fig.update_yaxes(rangemode="tozero")
    return _finish(fig, title, y_title, sources, lang)


def _park_label(park, scope: str, lang: str) -> str:
    return _district(park, lang) if scope == "district" else _short(park, lang)


def _bar_text(v, d, e, g, c, period, lang: str) -> str:
    """A bar's label: the comparator kept (≥30), derived levels with their growth, 预计 and partial periods marked."""
    if v is None or pd.isna(v):
        return ""
    notes = []
    if d:
        notes.append(i18n.t("derived", lang))
        if g is not None and not pd.isna(g):   # 推算+12% on one line; "derived" and "+12%" on two (Latin is wider)
            growth = f"{_cmp(c)}+{g:g}%"
            notes[-1:] = [notes[-1] + growth] if lang != "en" else [notes[-1], growth]
    if isinstance(period, str) and period.strip():
        notes.append(i18n.period_label(period, lang))
    if e is True:
        notes.append(i18n.t("estimate", lang))
    prefix = "" if d else _cmp(c)
    # One note per line under the figure: bars stand close together, and short lines keep the labels of
    # neighbouring bars apart ("推算+12%，预计" on one line ran into the next bar's).
    return "<br>".join([prefix + f"{v:.4g}", *(plain(n) for n in notes)])


def compare_parks(rows: pd.DataFrame, parks: dict, indicator, year: int, sources: list, lang: str,
                  missing: dict | None = None) -> go.Figure:
    """One indicator, one year, every park: base target, stretch target and actual side by side.

    Rows marked `derived` (a growth target turned into the level it implies) are drawn hatched and labelled with
    their growth; estimates say 预计; a year-to-date actual is its own series, labelled with its period. A park
    in `missing` keeps its place on the axis with "未载明" (not stated) or "口径不同" (other basis)."""
    fig = go.Figure()
    missing = missing or {}
    rows = rows.assign(derived=rows["derived"] if "derived" in rows else False)
    for col in ("estimate", "growth", "comparator", "period"):
        if col not in rows:
            rows = rows.assign(**{col: None})
    order = {p: k for k, p in enumerate(parks)}
    groups = sorted(dict.fromkeys(zip(rows["park_id"], rows["scope"])), key=lambda g: (order[g[0]], g[1]))
    groups = sorted(groups + [(p, "park") for p in missing], key=lambda g: (order[g[0]], g[1]))
    labels = [_park_label(parks[p], sc, lang) for p, sc in groups]
    colors = [parks[p].color for p, _ in groups]
    partial = _partial(rows)
    series = [("target", "base", 0.55, False), ("target", "stretch", 0.3, False), ("actual", None, 1.0, False),
              ("actual", None, 0.45, True)]
    periods = [i18n.period_label(x, lang) for x in rows.loc[partial, "period"]]
    for kind, level, opacity, to_date in series:
        sel = rows[(rows["kind"] == kind) & ((rows["target_level"] == level) if level else rows["target_level"].isna())
                   & (partial if to_date else ~partial)]
        by_group = {(r.park_id, r.scope): r for r in sel.itertuples()}
        if not by_group:
            continue
        values = [by_group[g].value_std if g in by_group else None for g in groups]
        derived = [bool(by_group[g].derived) if g in by_group else False for g in groups]
        text = [_bar_text(v, d, getattr(by_group.get(g), "estimate", None), getattr(by_group.get(g), "growth", None),
                          getattr(by_group.get(g), "comparator", None), getattr(by_group.get(g), "period", None), lang)
                for g, v, d in zip(groups, values, derived)]
        name = (i18n.t("partial_actual", lang, period=(i18n.comma(lang)).join(dict.fromkeys(periods))) if to_date
                else i18n.t(level or "actual", lang))
        # The bar is faint for a stretch target, never its label (the marker's opacity, not the trace's).
        fig.add_trace(go.Bar(
            x=labels, y=values, name=name, text=text,
            textposition="outside", cliponaxis=False, showlegend=False, constraintext="none",
            textfont=dict(size=11, color="#333"),
            marker=dict(color=colors if not to_date else "white", line=dict(color=colors, width=1.5), opacity=opacity,
                        pattern_shape=["/" if d else ("." if to_date else "") for d in derived])))
        # The bars take each park's colour; the legend explains the series in neutral grey.
        fig.add_trace(go.Bar(x=[None], y=[None], name=name,   # (a legend swatch ignores marker opacity: rgba)
                             marker=dict(color=f"rgba(119,119,119,{opacity})" if not to_date else "white",
                                         line=dict(color="#777", width=1.5), pattern_shape="." if to_date else "")))
    if rows["derived"].any():
        fig.add_trace(go.Bar(x=[None], y=[None], name=i18n.t("derived_from_growth", lang),
                             marker=dict(color="white", line=dict(color="#777", width=1.5), pattern_shape="/")))
    for (p, sc), label in zip(groups, labels):
        if p in missing:
            fig.add_annotation(x=label, y=0, xref="x", yref="y", yanchor="bottom", showarrow=False,
                               text=i18n.t("not_stated_short" if missing[p] == "not_stated" else "other_basis", lang),
                               font=dict(size=12, color="#777"))
    unit, basis = rows["unit_std"].iloc[0], rows["basis"].iloc[0]
    has_actual = (rows["kind"] == "actual").any()
    title = i18n.t("chart_compare_title" if has_actual else "chart_compare_title_targets", lang,
                   indicator=_name(indicator, lang), year=year)
    if basis != "level":
        title += i18n.paren(i18n.pick(i18n.BASIS[basis], lang), lang)
    fig.update_layout(barmode="group", bargap=0.2, bargroupgap=0.05)
    fig.update_xaxes(categoryorder="array", categoryarray=labels)
    fig.update_yaxes(rangemode="tozero")
    y_title = i18n.t("rank_axis", lang) if basis == "rank" else _unit_line(unit, lang)
    return _finish(fig, title, y_title, sources, lang)


def ambition(rows: pd.DataFrame, parks: dict, indicators: dict, year: int, sources: list, lang: str,
             note: str = "") -> go.Figure:
    """Target growth rates (增长 X%) per indicator, one bar per park: how ambitious each park's plan is. The
    comparator stays on the label (≥15%); `note` names what was kept apart (rises of rates)."""
    fig = go.Figure()
    for pid in [p for p in parks if p in set(rows["park_id"])]:
        sel = rows[rows["park_id"] == pid]
        fig.add_trace(go.Bar(
            y=[_name(indicators[i], lang) + (f" · {i18n.t('stretch', lang)}" if lv == "stretch" else "")
               for i, lv in zip(sel["indicator_id"], sel["target_level"])],
            x=sel["value_std"], orientation="h", name=_short(parks[pid], lang), cliponaxis=False,
            marker=dict(color=parks[pid].color),
            text=[f"{_cmp(c)}{v:g}%" for v, c in zip(sel["value_std"], sel["comparator"])], textposition="outside"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(rangemode="tozero")
    title = i18n.t("chart_ambition_title", lang, year=year)
    return _finish(fig, title, "", sources, lang, height=max(HEIGHT, 200 + 44 * len(rows)),
                   x_title=i18n.t("growth_target", lang), note=note)


def _matrix_height(n_rows: int) -> int:
    return max(HEIGHT, 230 + 34 * n_rows)


NOT_STATED_COLOR = "#ffffff"


def _column_labels(columns: list[tuple[tuple[str, str], str]]) -> list[str]:
    """A matrix's column labels, level and wrapped to two lines (an angled label ran into the chart's title)."""
    return [_wrap(label, 18) for _, label in columns]


def status_heatmap(att: pd.DataFrame, columns: list[tuple[tuple[str, str], str]], indicators: dict, title: str,
                   sources: list, lang: str) -> go.Figure:
    """Indicator × column: the best status among each cell's targets, coloured by status. `columns`: ((park id,
    scope), label) pairs (labels are editor text: escaped here), so a district's targets never sit under its park; a column without a target for the
    indicator reads 未载明 (not stated)."""
    order = list(STATUS_CODES)
    cell = (att.assign(rank=att["status"].map(order.index)).sort_values("rank")
            .groupby(["park_id", "scope", "indicator_id"], as_index=False).first())
    ind_ids = [i for i in indicators if i in set(cell["indicator_id"])]     # catalogue order, both languages
    keys = [key for key, _ in columns]
    lookup = {(r.indicator_id, (r.park_id, r.scope)): r.status for r in cell.itertuples()}
    n = len(order)
    z = [[order.index(lookup[(i, k)]) if (i, k) in lookup else n for k in keys] for i in ind_ids]
    not_stated = i18n.t("not_stated_short", lang)
    text = [[i18n.status(lookup[(i, k)], lang) if (i, k) in lookup else not_stated for k in keys]
            for i in ind_ids]
    colorscale = []
    for k, code in enumerate(order + ["_not_stated"]):
        color = NOT_STATED_COLOR if code == "_not_stated" else STATUS_COLORS.get(code, OTHER_STATUS_COLOR)
        colorscale += [[k / (n + 1), color], [(k + 1) / (n + 1), color]]
    fig = go.Figure(go.Heatmap(
        z=z, y=[_name(indicators[i], lang) for i in ind_ids], x=_column_labels(columns),
        text=text, texttemplate="%{text}", textfont=dict(size=11), zmin=-0.5, zmax=n + 0.5, colorscale=colorscale,
        showscale=False, xgap=3, ygap=3, hovertemplate="%{x}<br>%{y}<br>%{text}<extra></extra>"))
    fig.update_xaxes(side="top")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(plot_bgcolor="#e5e7e9")
    fig.update_xaxes(tickangle=0)
    return _finish(fig, title, "", sources, lang, height=_matrix_height(len(ind_ids)), tick_room=8, top_ticks=44)


def coverage_heatmap(cov: pd.DataFrame, columns: list[tuple[tuple[str, str], str]], indicators: dict, title: str,
                     sources: list, lang: str) -> go.Figure:
    """Indicator × column: how many targets and actuals each column reports; `columns` as in status_heatmap,
    未载明 where a column reports nothing."""
    agg = cov.groupby(["park_id", "scope", "indicator_id"], as_index=False)[["targets", "actuals"]].sum()
    ind_ids = [i for i in indicators if i in set(agg["indicator_id"])]      # catalogue order, both languages
    keys = [key for key, _ in columns]
    lookup = {(r.indicator_id, (r.park_id, r.scope)): (int(r.targets), int(r.actuals)) for r in agg.itertuples()}
    tl, al = ("targets ", "actuals ") if lang == "en" else ("目标", "实际")
    not_stated = i18n.t("not_stated_short", lang)
    z = [[sum(lookup.get((i, k), (0, 0))) for k in keys] for i in ind_ids]
    text = [[f"{tl}{lookup[(i, k)][0]}<br>{al}{lookup[(i, k)][1]}" if (i, k) in lookup else not_stated
             for k in keys] for i in ind_ids]   # two lines: a cell of a printed matrix is ~65 px wide
    fig = go.Figure(go.Heatmap(
        z=z, y=[_name(indicators[i], lang) for i in ind_ids], x=_column_labels(columns),
        text=text, texttemplate="%{text}", textfont=dict(size=11), colorscale=[[0, "#ffffff"], [1, "#5dade2"]],
        showscale=False, xgap=3, ygap=3, hovertemplate="%{x}<br>%{y}<br>%{text}<extra></extra>"))
    fig.update_xaxes(side="top")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(plot_bgcolor="#e5e7e9")
    fig.update_xaxes(tickangle=0)
    return _finish(fig, title, "", sources, lang, height=_matrix_height(len(ind_ids)), tick_room=8, top_ticks=44)


def status_bars(counts: pd.DataFrame, labels: list[str], title: str, sources: list, lang: str) -> go.Figure:
    """One horizontal bar per park (and per district, apart), its targets stacked by status in STATUS_CODES order,
    each segment labelled with its count. `counts`: a row per bar (in `labels` order), a column per status."""
    fig = go.Figure()
    y = [plain(label) for label in labels]
    for code in [c for c in STATUS_CODES if c in counts and counts[c].sum() > 0]:
        n = counts[code].tolist()
        fig.add_trace(go.Bar(y=y, x=n, orientation="h", name=i18n.status(code, lang), showlegend=True,
                             marker=dict(color=STATUS_COLORS.get(code, OTHER_STATUS_COLOR), line=dict(color="#888",
                                                                                                      width=0.5)),
                             text=[str(v) if v else "" for v in n], textposition="inside", insidetextanchor="middle",
                             textfont=dict(size=12, color="#1b1b1b")))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    return _finish(fig, title, "", sources, lang, height=max(HEIGHT // 2, 170 + 44 * len(labels)),
                   x_title=i18n.t("targets_n", lang))


def coverage_strip(cells: pd.DataFrame, labels: list[str], years: list[int], title: str, sources: list,
                   lang: str) -> go.Figure:
    """Park × year: which years have actuals. A cell is blue where the park reports actuals that year, grey
    where it has targets only, white where it states nothing; its text counts both. `cells`: a row per bar
    (in `labels` order) and per year, with targets and actuals."""
    tl, al = ("targets ", "actuals ") if lang == "en" else ("目标", "实际")
    z, text = [], []
    for label in labels:
        row = cells[cells["label"] == label].set_index("year")
        z.append([2 if y in row.index and row.at[y, "actuals"] > 0 else 1 if y in row.index else 0 for y in years])
        text.append([f"{tl}{int(row.at[y, 'targets'])}<br>{al}{int(row.at[y, 'actuals'])}" if y in row.index
                     else "" for y in years])
    fig = go.Figure(go.Heatmap(
        z=z, x=[str(y) for y in years], y=[plain(label) for label in labels], text=text, texttemplate="%{text}",
        textfont=dict(size=11), zmin=0, zmax=2, showscale=False, xgap=3, ygap=3, hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>",
        colorscale=[[0, "#ffffff"], [0.33, "#ffffff"], [0.34, "#f2f3f4"], [0.66, "#f2f3f4"], [0.67, "#5dade2"],
                    [1, "#5dade2"]]))
    fig.update_xaxes(side="top", type="category")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(plot_bgcolor="#e5e7e9")
    return _finish(fig, title, "", sources, lang, height=max(HEIGHT // 2, 170 + 44 * len(labels)), tick_room=8,
                   top_ticks=30)


PEER_BARS_MAX = 30  # up to this many peers: one sorted bar each; beyond, a distribution (never 3,000 bars)


def peer_distribution(values: pd.DataFrame, park, indicator, year: int, standing: dict, target: float | None,
                      group_label: str, sources: list, lang: str, unit: str, measure: str = "level",
                      among: str | None = None) -> go.Figure:
    """One park among its peers on one indicator and year. `values`: park_id, value_std, label (short name).
    Few peers: sorted bars, the park in its colour, the others grey, the peers' median dashed. Many peers: a box
    of the distribution with every park a dot and the park marked. Its target (if any) is a diamond."""
    fig = go.Figure()
    better_first = values.sort_values("value_std", ascending=indicator.direction != "higher")
    own = values[values["park_id"] == park.id]
    if len(values) <= PEER_BARS_MAX:
        colors = [park.color if p == park.id else "#c8ccd0" for p in better_first["park_id"]]
        fig.add_trace(go.Bar(y=[plain(x) for x in better_first["label"]], x=better_first["value_std"],
                             orientation="h", marker_color=colors, text=[f"{v:.4g}" for v in better_first["value_std"]],
                             textposition="outside", cliponaxis=False, showlegend=False))
        fig.update_yaxes(autorange="reversed")  # the best at the top
        own_y = [plain(x) for x in own["label"]]
    else:
        fig.add_trace(go.Box(x=values["value_std"], y=[group_label] * len(values), orientation="h",
                             boxpoints="all", jitter=0.5, pointpos=0, marker=dict(color="#aab0b6", size=4),
                             line=dict(color="#777"), fillcolor="rgba(0,0,0,0)", showlegend=False,
                             hovertext=values["label"]))
        own_y = [group_label] * len(own)
        if not own.empty:
            fig.add_trace(go.Scatter(x=own["value_std"], y=own_y, mode="markers+text", text=[plain(_short(park, lang))],
                                     textposition="top center", marker=dict(color=park.color, size=14),
                                     showlegend=False))
    if target is not None:
        fig.add_trace(go.Scatter(x=[target], y=own_y[:1] or [group_label], mode="markers",
                                 marker=dict(symbol="diamond", size=13, color="white",
                                             line=dict(color=park.color, width=2)),
                                 name=i18n.t("peer_own_target", lang)))
    if standing.get("median") is not None:
        fig.add_vline(x=standing["median"], line_dash="dash", line_color="#555",
                      annotation_text=i18n.t("peer_median", lang), annotation_position="top")
    title = i18n.t(f"peer_chart_title_{measure}", lang, indicator=_name(indicator, lang), year=year,
                   park=_short(park, lang), group=among or group_label)
    if standing.get("rank") is not None:
        title += i18n.t("peer_rank_line", lang, rank=standing["rank"], n=standing["n"],
                        pct=f"{standing['percentile']:.0f}")
    height = max(HEIGHT, 120 + 26 * len(values)) if len(values) <= PEER_BARS_MAX else HEIGHT
    return _finish(fig, title, "", sources, lang, height=height, x_title=_axis_title(unit, lang))


# --- many parks: the highest and lowest N, distributions, counts (never 3,000 bars or a 3,000-column matrix) ------

RANK_COLORS = {"top": "#2471a3", "all": "#2471a3", "bottom": "#b9770e"}
GAP_COLOR = "#ffffff"


def _value_range(values: list[float], room: float = 0.24) -> list[float] | None:
    """An axis range from zero to the values, with room for the labels outside the bars on either side."""
    finite = [float(v) for v in values if v is not None and not pd.isna(v)]
    if not finite:
        return None
    lo, hi = min(0.0, min(finite)), max(0.0, max(finite))
    span = (hi - lo) or 1.0
    return [lo - (room * span if lo < 0 else 0.0), hi + (room * span if hi > 0 else 0.0)]


def ranked_bars(rows: pd.DataFrame, parks: dict, title: str, x_title: str, sources: list, lang: str,
                gap: int = 0, note: str = "") -> go.Figure:
    """The first and the last N of a ranking (overview.top_bottom: park_id, value, rank, part) as horizontal bars,
    the first at the top: "rank. short name" on the axis and the value beside each bar — `text` if the rows carry
    it, else the comparator, 推算 (hatched) and 预计 as on the side-by-side chart. Between the two parts a row
    says how many parks lie between (`gap`)."""
    labels, values, texts, colors, patterns, seen = [], [], [], [], [], set()
    derived_any = False
    for part in ("top", "all", "bottom"):
        sel = rows[rows["part"] == part]
        if sel.empty:
            continue
        if part == "bottom":
            labels.append(plain(i18n.t("rank_gap", lang, n=f"{gap:,}")))
            values.append(None), texts.append(""), colors.append(GAP_COLOR), patterns.append("")
        for r in sel.to_dict("records"):
            label = f"{r['rank']}. {_short(parks[r['park_id']], lang)}"
            if label in seen:                 # two parks with one short name: the id tells them apart
                label += f" ({plain(r['park_id'])})"
            seen.add(label)
            derived = bool(r.get("derived") is True)
            derived_any |= derived
            text = r.get("text")
            if not isinstance(text, str):
                text = _bar_text(r["value"], derived, r.get("estimate"), r.get("growth"), r.get("comparator"),
                                 None, lang).replace("<br>", " ")
            labels.append(label), values.append(r["value"]), texts.append(text)
            colors.append(RANK_COLORS[part]), patterns.append("/" if derived else "")
    fig = go.Figure(go.Bar(y=labels, x=values, orientation="h", text=texts, textposition="outside",
                           cliponaxis=False, constraintext="none", textfont=dict(size=11, color="#333"),
                           marker=dict(color=colors, line=dict(color=colors, width=1), pattern_shape=patterns,
                                       pattern_fgcolor="white"),
                           showlegend=False, hovertemplate="%{y}<br>%{text}<extra></extra>"))
    if derived_any:
        fig.add_trace(go.Bar(x=[None], y=[None], name=i18n.t("derived_from_growth", lang),
                             marker=dict(color="white", line=dict(color="#777", width=1.5), pattern_shape="/")))
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", showgrid=False)
    fig.update_xaxes(range=_value_range(values), showgrid=True, gridcolor="#eee", zeroline=True,
                     zerolinecolor="#888")
    fig.update_layout(bargap=0.25)
    return _finish(fig, title, "", sources, lang, height=max(HEIGHT, 160 + 24 * len(labels)), x_title=x_title,
                   note=note)


def histogram(values: list[float], title: str, x_title: str, sources: list, lang: str, note: str = "",
              median: float | None = None) -> go.Figure:
    """How the parks' values are spread: a histogram (the number of parks per bin), the median dashed."""
    fig = go.Figure(go.Histogram(x=list(values), nbinsx=40, marker=dict(color="#5d8aa8", line=dict(color="white",
                                                                                                   width=1)),
                                 showlegend=False,
                                 hovertemplate="%{x}<br>" + plain(i18n.t("parks_axis", lang)) + " %{y}<extra></extra>"))
    if median is not None:
        fig.add_vline(x=median, line_dash="dash", line_color="#555",
                      annotation_text=plain(f"{i18n.t('peer_median', lang)} {median:.4g}"),
                      annotation_position="top")
    fig.update_layout(bargap=0.02)
    return _finish(fig, title, plain(i18n.t("parks_axis", lang)), sources, lang, x_title=x_title, note=note)


def _stacked_counts(fig: go.Figure, labels: list[str], counts: pd.DataFrame, names: dict, colors: dict) -> None:
    for code in counts.columns:
        column = counts[code]
        if int(column.sum()) == 0:
            continue
        fig.add_trace(go.Bar(y=labels, x=column.tolist(), orientation="h", name=plain(names[code]),
                             marker=dict(color=colors[code], line=dict(color="#aab0b6", width=0.5)),
                             text=[f"{int(n):,}" if n else "" for n in column], textposition="inside",
                             insidetextanchor="middle", textfont=dict(size=11),
                             hovertemplate="%{y}<br>" + plain(names[code]) + " %{x}<extra></extra>"))
    fig.update_layout(barmode="stack", uniformtext=dict(minsize=9 if layout_width() >= WIDTH else 11, mode="hide"),
                      showlegend=True,
                      legend_traceorder="normal")   # the legend in the order of the stack, left to right
    fig.update_yaxes(autorange="reversed")


def status_counts(counts: pd.DataFrame, indicators: dict, title: str, sources: list, lang: str,
                  note: str = "") -> go.Figure:
    """The status matrix for many parks: per indicator, how many parks' best status is each status, and how many
    have no target for it (未载明). `counts`: overview.status_counts_by_indicator."""
    labels = [_name(indicators[i], lang) for i in counts.index]
    names = {c: (i18n.t("not_stated_short", lang) if c == "not_stated" else i18n.status(c, lang))
             for c in counts.columns}
    colors = {c: NOT_STATED_COLOR if c == "not_stated" else STATUS_COLORS.get(c, OTHER_STATUS_COLOR)
              for c in counts.columns}
    fig = go.Figure()
    _stacked_counts(fig, labels, counts, names, colors)
    return _finish(fig, title, "", sources, lang, height=_matrix_height(len(labels)),
                   x_title=plain(i18n.t("parks_axis", lang)), note=note)


COVERAGE_COLORS = {"both": "#2e86c1", "targets_only": "#aed6f1", "actuals_only": "#76d7c4",
                   "not_stated": NOT_STATED_COLOR}


def coverage_counts(counts: pd.DataFrame, indicators: dict, title: str, sources: list, lang: str) -> go.Figure:
    """The coverage matrix for many parks: per indicator, how many parks report targets and actuals, targets
    only, actuals only, or nothing (未载明). `counts`: overview.coverage_counts."""
    labels = [_name(indicators[i], lang) for i in counts.index]
    names = {c: i18n.t("not_stated_short" if c == "not_stated" else f"cov_{c}", lang) for c in counts.columns}
    fig = go.Figure()
    _stacked_counts(fig, labels, counts, names, COVERAGE_COLORS)
    return _finish(fig, title, "", sources, lang, height=_matrix_height(len(labels)),
                   x_title=plain(i18n.t("parks_axis", lang)))


def ambition_spread(rows: pd.DataFrame, indicators: dict, title: str, sources: list, lang: str,
                    note: str = "") -> go.Figure:
    """Target growth rates of many parks: per indicator (and target tier) a box of the parks' rates, with how many
    parks state one (n). `rows`: indicator_id, target_level, value_std."""
    fig = go.Figure()
    groups = sorted(rows.groupby(["indicator_id", "target_level"]), key=lambda g: (
        _name(indicators[g[0][0]], lang), g[0][1] != "base"))
    for (iid, level), sel in groups:
        label = (_name(indicators[iid], lang) + (f" · {i18n.t('stretch', lang)}" if level == "stretch" else "")
                 + plain(i18n.paren(f"n={len(sel):,}", lang)))
        fig.add_trace(go.Box(x=sel["value_std"].tolist(), y=[label] * len(sel), orientation="h", name=label,
                             boxpoints="outliers", marker=dict(color="#2471a3", size=4), line=dict(color="#2471a3"),
                             showlegend=False))
    fig.update_yaxes(autorange="reversed")
    return _finish(fig, title, "", sources, lang, height=max(HEIGHT, 200 + 44 * len(groups)),
                   x_title=i18n.t("growth_target", lang), note=note)
