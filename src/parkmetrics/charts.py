"""Report-ready Plotly figures. They know nothing of Streamlit, so exports (kaleido) reuse them as they are.

Every figure stands alone in a Word report: a title naming park, indicator and year; the unit on the axis; a
footer line with the source documents; one fixed colour per park; an explicit template (Streamlit's default
template has placeholder colours); the SC-first CJK font stack (without it fontconfig draws Japanese forms).
"""
from __future__ import annotations

import re
import unicodedata

import pandas as pd
import plotly.graph_objects as go

from . import i18n
from .metrics import STATUS_LABELS

FONT = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif'
WIDTH, HEIGHT = 1000, 560
STATUS_COLORS = {"exceeded": "#1e8449", "met": "#52be80", "near": "#f4d03f", "not_met": "#e74c3c",
                 "ahead_of_schedule": "#7fb3d5", "on_schedule": "#a9cce3", "behind_schedule": "#f0b27a",
                 "no_actual": "#d5d8dc", "not_comparable": "#f2f3f4"}
OTHER_STATUS_COLOR = "#d5d8dc"  # a status added to metrics.STATUS_LABELS before it has a colour here

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


def plotly_config(filename: str) -> dict:
    """The camera button exports a crisp PNG of fixed size with a meaningful file name, no logo."""
    return {"displaylogo": False, "toImageButtonOptions": {
        "format": "png", "scale": 3, "width": WIDTH, "height": HEIGHT, "filename": slug(filename)}}


def slug(text: str) -> str:
    return re.sub(r"[\s/\\:*?\"<>|（）()，,：]+", "_", text).strip("_")[:120] or "chart"


def _finish(fig: go.Figure, title: str, y_title: str, sources: list, lang: str, height: int = HEIGHT,
            x_title: str | None = None, tick_room: int = 34) -> go.Figure:
    """Title, axis titles, size, template, and the source footer placed a fixed number of pixels below the
    x axis (its tick labels and title), so it never collides with them whatever the height."""
    footer = _wrap(i18n.source_line(sources, lang), 165) if sources else ""  # escaped line by line
    lines = footer.count("<br>") + 1 if footer else 0
    axis_room = tick_room + (24 if x_title else 0)
    top, bottom = 90, axis_room + 16 + 16 * lines
    fig.update_layout(template=TEMPLATE, title=dict(text=title), width=WIDTH, height=height,
                      margin=dict(l=80, r=40, t=top, b=bottom), yaxis_title=y_title, xaxis_title=x_title)
    fig.update_xaxes(automargin="left+right")
    fig.update_yaxes(automargin=True)
    if footer:
        fig.add_annotation(text=footer, xref="paper", yref="paper", x=0, y=-(axis_room + 6) / (height - top - bottom),
                           xanchor="left", yanchor="top", showarrow=False, align="left",
                           font=dict(size=11, color="#555"))
    return fig


def _columns(text: str) -> int:
    """Display width: a CJK character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> str:
    """Break a line at `width` display columns (a CJK character is two columns wide); each line escaped."""
    lines, line, used = [], "", 0
    for ch in text:
        w = _columns(ch)
        if used + w > width:
            lines.append(line)
            line, used = "", 0
        line += ch
        used += w
    return "<br>".join(plain(x) for x in lines + [line])


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


def indicator_trend(obs_rows: pd.DataFrame, att_rows: pd.DataFrame, park, indicator, sources: list,
                    lang: str) -> go.Figure:
    """One park, one indicator (one scope) over time: actuals as a line, targets as diamonds (stretch hollow),
    the base–stretch span shaded; growth targets appear as the level they imply, labelled derived."""
    color = park.color
    plot_basis = "level" if (obs_rows["basis"] == "level").any() else obs_rows["basis"].iloc[0]
    unit = obs_rows.loc[obs_rows["basis"] == plot_basis, "unit_std"].iloc[0]
    fig = go.Figure()
    actual = obs_rows[(obs_rows["kind"] == "actual") & (obs_rows["basis"] == plot_basis)].sort_values("year")
    if not actual.empty:
        fig.add_trace(go.Scatter(
            x=actual["year"], y=actual["value_std"], mode="lines+markers+text", name=i18n.t("actual", lang),
            line=dict(color=color, width=3), marker=dict(size=10, color=color), textposition="top center",
            text=[f"{v:g}" + (f"（{i18n.t('estimate', lang)}）" if e else "")
                  for v, e in zip(actual["value_std"], actual["estimate"])]))
    points = target_points(obs_rows, att_rows, plot_basis)
    for level, symbol, fill, where in (("base", "diamond", color, "bottom right"),
                                       ("stretch", "diamond-open", "white", "top right")):
        pts = points[points["target_level"] == level]
        if pts.empty:
            continue
        # The comparator stays on the label (≥10, not 10): "以上" is part of the target.
        labels = [("" if c == "=" else c) + f"{v:.4g}" + (f"（{i18n.t('derived', lang)}，+{g:g}%）" if d else "")
                  for v, g, d, c in zip(pts["value"], pts["growth"], pts["derived"], pts["comparator"])]
        fig.add_trace(go.Scatter(x=pts["year"], y=pts["value"], mode="markers+text", name=i18n.t(level, lang),
                                 text=labels, textposition=where,
                                 marker=dict(symbol=symbol, size=14, color=fill, line=dict(color=color, width=2))))
    for year, g in points.groupby("year"):
        if {"base", "stretch"} <= set(g["target_level"]):
            lo, hi = sorted(g.groupby("target_level")["value"].first()[["base", "stretch"]])
            fig.add_shape(type="rect", x0=year - 0.15, x1=year + 0.15, y0=lo, y1=hi, line=dict(width=0),
                          fillcolor=color, opacity=0.15)
    years = list(obs_rows["year"])
    who = _district(park, lang) if (obs_rows["scope"] == "district").any() else _name(park, lang)
    title = i18n.t("chart_trend_title", lang, park=who, indicator=_name(indicator, lang), years=_years_label(years))
    counted = plot_basis in ("level", "new_count", "change_abs")  # in the indicator's own unit
    y_title = _axis_title(unit, lang) if counted else i18n.pick(i18n.BASIS[plot_basis], lang)
    fig.update_xaxes(dtick=1, tickformat="d", range=[min(years) - 0.6, max(years) + 0.9])
    if plot_basis == "rank":
        fig.update_yaxes(autorange="reversed")
        y_title = i18n.t("rank_axis", lang)
    else:
        fig.update_yaxes(rangemode="tozero")
    return _finish(fig, title, y_title, sources, lang)


def _park_label(park, scope: str, lang: str) -> str:
    return _district(park, lang) if scope == "district" else _short(park, lang)


def compare_parks(rows: pd.DataFrame, parks: dict, indicator, year: int, sources: list, lang: str) -> go.Figure:
    """One indicator, one year, every park: base target, stretch target and actual side by side.

    Rows marked `derived` (a growth target turned into the level it implies) are drawn hatched and labelled.
    """
    fig = go.Figure()
    rows = rows.assign(derived=rows["derived"] if "derived" in rows else False)
    order = {p: k for k, p in enumerate(parks)}
    groups = sorted(dict.fromkeys(zip(rows["park_id"], rows["scope"])), key=lambda g: (order[g[0]], g[1]))
    labels = [_park_label(parks[p], sc, lang) for p, sc in groups]
    colors = [parks[p].color for p, _ in groups]
    series = [("target", "base", 0.55), ("target", "stretch", 0.3), ("actual", None, 1.0)]
    for kind, level, opacity in series:
        sel = rows[(rows["kind"] == kind) & ((rows["target_level"] == level) if level else rows["target_level"].isna())]
        by_group = {(r.park_id, r.scope): r for r in sel.itertuples()}
        if not by_group:
            continue
        values = [by_group[g].value_std if g in by_group else None for g in groups]
        derived = [bool(by_group[g].derived) if g in by_group else False for g in groups]
        text = ["" if v is None else f"{v:.4g}" + (f"（{i18n.t('derived', lang)}）" if d and lang != "en" else
                                                   f" ({i18n.t('derived', lang)})" if d else "")
                for v, d in zip(values, derived)]
        fig.add_trace(go.Bar(
            x=labels, y=values, name=i18n.t(level or "actual", lang), opacity=opacity, text=text,
            textposition="outside", cliponaxis=False, showlegend=False, constraintext="none",
            textfont=dict(size=12, color="#333"),
            marker=dict(color=colors, line=dict(color=colors, width=1.5),
                        pattern_shape=["/" if d else "" for d in derived])))
        # The bars take each park's colour; the legend explains the series in neutral grey.
        fig.add_trace(go.Bar(x=[None], y=[None], name=i18n.t(level or "actual", lang), opacity=opacity,
                             marker=dict(color="#777", line=dict(color="#777", width=1.5))))
    if rows["derived"].any():
        fig.add_trace(go.Bar(x=[None], y=[None], name=i18n.t("derived_from_growth", lang),
                             marker=dict(color="white", line=dict(color="#777", width=1.5), pattern_shape="/")))
    unit, basis = rows["unit_std"].iloc[0], rows["basis"].iloc[0]
    title = i18n.t("chart_compare_title", lang, indicator=_name(indicator, lang), year=year)
    if basis != "level":
        label = i18n.pick(i18n.BASIS[basis], lang)
        title += f" ({label})" if lang == "en" else f"（{label}）"
    fig.update_layout(barmode="group", bargap=0.35)
    fig.update_yaxes(rangemode="tozero")
    y_title = i18n.t("rank_axis", lang) if basis == "rank" else _axis_title(unit, lang)
    return _finish(fig, title, y_title, sources, lang)


def ambition(rows: pd.DataFrame, parks: dict, indicators: dict, year: int, sources: list, lang: str) -> go.Figure:
    """Target growth rates (增长 X%) per indicator, one bar per park: how ambitious each park's plan is."""
    fig = go.Figure()
    for pid in [p for p in parks if p in set(rows["park_id"])]:
        sel = rows[rows["park_id"] == pid]
        fig.add_trace(go.Bar(
            y=[_name(indicators[i], lang) + (f" · {i18n.t('stretch', lang)}" if lv == "stretch" else "")
               for i, lv in zip(sel["indicator_id"], sel["target_level"])],
            x=sel["value_std"], orientation="h", name=_short(parks[pid], lang), cliponaxis=False,
            marker=dict(color=parks[pid].color), text=[f"{v:g}%" for v in sel["value_std"]], textposition="outside"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(rangemode="tozero")
    title = i18n.t("chart_ambition_title", lang, year=year)
    return _finish(fig, title, "", sources, lang, height=max(HEIGHT, 200 + 44 * len(rows)),
                   x_title=i18n.t("growth_target", lang))


def _matrix_height(n_rows: int) -> int:
    return max(HEIGHT, 230 + 34 * n_rows)


def status_heatmap(att: pd.DataFrame, parks: dict, indicators: dict, family: str, sources: list,
                   lang: str) -> go.Figure:
    """Indicator × park: the best status among each cell's targets, coloured by status."""
    order = list(STATUS_LABELS)
    cell = (att.assign(rank=att["status"].map(order.index)).sort_values("rank")
            .groupby(["park_id", "indicator_id"], as_index=False).first())
    ind_ids = sorted(set(cell["indicator_id"]), key=lambda i: _name(indicators[i], lang))
    park_ids = [p for p in parks if p in set(cell["park_id"])]
    lookup = {(r.indicator_id, r.park_id): r.status for r in cell.itertuples()}
    z = [[order.index(lookup[(i, p)]) if (i, p) in lookup else None for p in park_ids] for i in ind_ids]
    text = [[i18n.status(lookup[(i, p)], lang) if (i, p) in lookup else "" for p in park_ids] for i in ind_ids]
    n = len(order)
    colorscale = []
    for k, code in enumerate(order):
        colorscale += [[k / n, STATUS_COLORS.get(code, OTHER_STATUS_COLOR)],
                       [(k + 1) / n, STATUS_COLORS.get(code, OTHER_STATUS_COLOR)]]
    fig = go.Figure(go.Heatmap(
        z=z, y=[_name(indicators[i], lang) for i in ind_ids], x=[_short(parks[p], lang) for p in park_ids],
        text=text, texttemplate="%{text}", zmin=-0.5, zmax=n - 0.5, colorscale=colorscale, showscale=False,
        xgap=3, ygap=3, hovertemplate="%{x}<br>%{y}<br>%{text}<extra></extra>"))
    fig.update_xaxes(side="top")
    fig.update_yaxes(autorange="reversed")
    return _finish(fig, i18n.t("chart_status_title", lang, family=family), "", sources, lang,
                   height=_matrix_height(len(ind_ids)), tick_room=8)


def coverage_heatmap(cov: pd.DataFrame, parks: dict, indicators: dict, family: str, sources: list,
                     lang: str) -> go.Figure:
    """Indicator × park: how many targets and actuals each park reports (all years)."""
    agg = cov.groupby(["park_id", "indicator_id"], as_index=False)[["targets", "actuals"]].sum()
    ind_ids = sorted(set(agg["indicator_id"]), key=lambda i: _name(indicators[i], lang))
    park_ids = [p for p in parks if p in set(agg["park_id"])]
    lookup = {(r.indicator_id, r.park_id): (int(r.targets), int(r.actuals)) for r in agg.itertuples()}
    tl, al = ("targets ", "actuals ") if lang == "en" else ("目标", "实际")
    z = [[sum(lookup.get((i, p), (0, 0))) for p in park_ids] for i in ind_ids]
    text = [[f"{tl}{lookup[(i, p)][0]} / {al}{lookup[(i, p)][1]}" if (i, p) in lookup else "" for p in park_ids]
            for i in ind_ids]
    fig = go.Figure(go.Heatmap(
        z=z, y=[_name(indicators[i], lang) for i in ind_ids], x=[_short(parks[p], lang) for p in park_ids],
        text=text, texttemplate="%{text}", colorscale=[[0, "#f4f6f7"], [1, "#5dade2"]], showscale=False,
        xgap=3, ygap=3, hovertemplate="%{x}<br>%{y}<br>%{text}<extra></extra>"))
    fig.update_xaxes(side="top")
    fig.update_yaxes(autorange="reversed")
    return _finish(fig, i18n.t("chart_coverage_title", lang, family=family), "", sources, lang,
                   height=_matrix_height(len(ind_ids)), tick_room=8)
