"""园区对比 Cross-park comparison — one indicator family and year across parks: side by side, ambition, status,
coverage, and a size-fair view where an area is known; the cross-park briefing, slides and charts on click."""
import streamlit as st

from parkmetrics import i18n, views
from parkmetrics.ui import page_setup

with page_setup("page_compare") as page:
    a, lang = page.analysis, page.lang
    every = i18n.t("report_all_parks", lang)
    c1, c2, c3 = st.columns([1, 2, 1])
    family = page.choose("family", views.families(a), page.t("category"), default="output", where=c1,
                         format_func=lambda c: i18n.pick(i18n.CATEGORY[c], lang))
    indicator_id = page.choose("indicator", views.indicators_of(a, None, family), page.t("indicator"),
                               format_func=page.indicator_name, where=c2)
    year = page.choose("year", views.years_of(a, indicator_id), page.t("year"), where=c3,
                       default=views.default_year(a, indicator_id))

    st.header(page.t("compare_side_by_side"))
    page.chart(views.compare_figure(a, indicator_id, year, lang),
               page.export_name(every, page.indicator_name(indicator_id), year))
    due = views.compare_due(a, indicator_id, year, lang)
    if due:
        st.info(page.t("compare_due", year=year), icon=":material/info:")
    scopes = set(views.comparison_rows(a, indicator_id, year)["scope"])
    if len(scopes) > 1:
        st.warning(page.t("scope_mixed"), icon=":material/warning:")
    elif scopes == {"district"}:
        for pid in sorted(set(views.comparison_rows(a, indicator_id, year)["park_id"])):
            page.caption(views.scope_note(a, pid, lang))
    with st.expander(page.t("caliber_note"), expanded=True):
        page.prose(page.description(indicator_id))

    # Only the open tab draws its chart; the open tab is in the link by a stable id (tab=ambition|status|
    # coverage|size_fair), the same in both languages.
    tabs = page.tabs("tab", [("ambition", "ambition"), ("status", "status_heatmap"), ("coverage", "coverage"),
                             ("size_fair", "size_fair")])
    family_name = i18n.pick(i18n.CATEGORY[family], lang)
    if tabs["ambition"].open:
        with tabs["ambition"]:
            _, _, ambition_year = views.ambition_rows(a)
            page.chart(views.ambition_figure(a, lang),
                       page.export_name(every, page.t("growth_target").rstrip(" %"), ambition_year))
    if tabs["status"].open:
        with tabs["status"]:
            page.chart(views.status_figure(a, family, lang),
                       page.export_name(every, f"{page.t('status_heatmap')}_{family_name}", None))
    if tabs["coverage"].open:
        with tabs["coverage"]:
            page.chart(views.coverage_figure(a, family, lang),
                       page.export_name(every, f"{page.t('coverage')}_{family_name}", None))
    if tabs["size_fair"].open:
        with tabs["size_fair"]:
            figure = views.per_km2_figure(a, indicator_id, year, lang)
            if figure is None:
                st.info(page.t("size_fair_none"), icon=":material/info:")
            else:
                page.chart(figure, page.export_name(every, f"{page.indicator_name(indicator_id)}_km2", year))

    page.report_buttons(None)
