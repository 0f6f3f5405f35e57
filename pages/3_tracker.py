"""目标跟踪 Target tracker — every target of every park in one sortable, filterable table."""
import streamlit as st

from parkmetrics import i18n, views
from parkmetrics.metrics import STATUS_CODES
from parkmetrics.ui import page_setup

with page_setup("page_tracker") as page:
    a, lang = page.analysis, page.lang
    ALL = views.ALL
    c1, c2, c3, c4, c5 = st.columns(5)
    parks = list(page.parks)
    if len(parks) > views.PARK_PICKER_MAX:  # thousands of parks: a search narrows the list, as on the peers page
        query = c1.text_input(page.t("peer_search"), key="w_t_park_query")
        parks = views.picker_options(views.find_parks(a, query), page.current("t_park"), page.parks)
    park = page.choose("t_park", [ALL, *parks], page.t("park"), where=c1,
                       format_func=lambda p: page.t("all") if p == ALL else page.park_name(p))
    scope = page.choose("t_scope", [ALL, *i18n.SCOPE], page.t("scope"), where=c2,
                        format_func=lambda s: page.t("all") if s == ALL else i18n.label(i18n.SCOPE, s, lang))
    status = page.choose("t_status", [ALL, *STATUS_CODES], page.t("status"), where=c3,
                         format_func=lambda s: page.t("all") if s == ALL else i18n.status(s, lang))
    horizon = page.choose("t_horizon", [ALL, "annual", "multi_year"], page.t("horizon"), where=c4,
                          format_func=lambda h: page.t(h))
    family = page.choose("t_family", [ALL, *i18n.CATEGORY], page.t("category"), where=c5,
                         format_func=lambda c: page.t("all") if c == ALL else i18n.pick(i18n.CATEGORY[c], lang))

    att = views.tracked_targets(a, park, status, horizon, family, scope)
    page.caption(f"{len(att):,} / {len(a.attainment):,}")
    # at national scale: 1.4 M targets, of which only the 200 on the page shown are formatted
    # what a planner reads first (target, actual, status) before who and where: a wide table scrolls right
    columns = {"indicator": "indicator", "year": "year", "target_value": "target_value", "actual_value": "actual_value",
               "ratio": "ratio", "status": "status", "park": "park", "scope": "scope", "target_level": "target_tier",
               "flags": "flags", "quote": "quote"}
    page.table(att, columns, key="tracker", display=lambda rows: views.targets_table(rows, page.analysis, lang))
    page.downloads(att, columns, lambda rows: views.targets_table(rows, page.analysis, lang), page.t("page_tracker"),
                   {page.t("park"): page.t("all") if park == ALL else page.park_name(park),
                    page.t("scope"): page.t("all") if scope == ALL else i18n.label(i18n.SCOPE, scope, lang),
                    page.t("status"): page.t("all") if status == ALL else i18n.status(status, lang),
                    page.t("horizon"): page.t(horizon),
                    page.t("category"): page.t("all") if family == ALL else i18n.pick(i18n.CATEGORY[family], lang)})
    if park != ALL:                          # one park chosen: its 指标填报表 for the targets above
        page.form_download(park)
