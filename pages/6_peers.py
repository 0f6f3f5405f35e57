"""同类对比 Peers — one park among the parks like it (same level, province or kind): its rank and percentile on an
indicator, the peers' median and quartiles, and how ambitious its target is next to theirs. Works for three
parks and for thousands: a search (name, alias, pinyin initials) and filters pick the park."""
import streamlit as st

from parkmetrics import i18n, views
from parkmetrics.peers import PEER_GROUPS
from parkmetrics.ui import page_setup


def fmt(value, pattern: str = "{:.4g}") -> str:
    return "—" if value is None else pattern.format(value)


def amount(value, unit: str, lang: str) -> str:
    """693.3亿元 / 69.3 billion yuan: the unit in the page's language."""
    return "—" if value is None else i18n.quantity(value, unit, lang)


with page_setup("page_peers") as page:
    a, lang = page.analysis, page.lang
    ALL = views.ALL
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
    query = page.search("park", c1)
    province = page.choose("province", views.filter_options(a, "province"), page.t("peer_province"), where=c2,
                           format_func=lambda v: page.t("all") if v == ALL else v)
    level = page.choose("level", views.filter_options(a, "level"), page.t("peer_level"), where=c3,
                        format_func=lambda v: page.t("all") if v == ALL else v)
    kind = page.choose("kind", views.filter_options(a, "kind"), page.t("peer_kind"), where=c4,
                       format_func=lambda v: page.t("all") if v == ALL else v)
    found = views.find_parks(a, query, province, level, kind)
    page.caption(page.t("peer_found", n=len(found)) if len(found) <= views.PARK_PICKER_MAX
                 else page.t("peer_found_many", n=len(found), shown=views.PARK_PICKER_MAX))
    page.pick_searched("park", found)                  # a new search opens its best match
    found = views.picker_options(found, page.current("park"), page.parks)

    c1, c2, c3, c4 = st.columns([2, 2, 1, 1])
    park_id = page.choose("park", found, page.t("park"), where=c1, format_func=page.park_name)
    indicator_id = page.choose("indicator", views.indicators_of(a, park_id), page.t("indicator"), where=c2,
                               format_func=page.indicator_name)
    group = page.choose("group", list(PEER_GROUPS), page.t("peer_group"), where=c4, default="all",
                        format_func=lambda g: page.t(f"peer_group_{g}"))
    year = page.choose("year", views.years_of(a, indicator_id), page.t("year"), where=c3,
                       default=views.peer_default_year(a, park_id, indicator_id, group))

    view = views.peer_view(a, park_id, indicator_id, year, group)
    for measure, standing, unit in (("level", view["standing"], page.indicators[indicator_id].unit),
                                    ("ambition", view["ambition_standing"], "%")):
        st.subheader(page.t(f"peer_{measure}_header"))
        reason = views.peer_reason(a, park_id, indicator_id, year, group, measure, lang)
        if reason:
            page.info(reason)
        if standing["n"] == 0:
            continue
        if not reason:                     # a rank among at least PEER_RANKED_MIN parks with the figure
            m1, m2, m3, m4 = st.columns(4)
            rank = page.t("peer_not_stated") if standing["rank"] is None else f"{standing['rank']} / {standing['n']}"
            m1.metric(page.t("peer_rank"), rank)
            m2.metric(page.t("peer_percentile"), fmt(standing["percentile"], "{:.0f}"))
            m3.metric(page.t("peer_median_metric"), amount(standing["median"], unit, lang))
            m4.metric(page.t("peer_quartiles"),
                      f"{amount(standing['q1'], unit, lang)} – {amount(standing['q3'], unit, lang)}")
        fig = views.peer_figure(a, park_id, indicator_id, year, group, lang, measure)
        if fig is not None:
            page.chart(fig, f"{page.park_name(park_id)}_{page.indicator_name(indicator_id)}_{year}_{measure}_{lang}")
        if measure == "ambition":
            page.caption(page.t("peer_ambition_note"))
