"""园区对比 Cross-park comparison — one indicator family and year across parks: side by side, ambition, status,
coverage, and a size-fair view where an area is known; the cross-park briefing, slides and charts on click.
Up to 30 parks every park has its bar; beyond, the highest and lowest N, the spread of all, and counts."""
import streamlit as st

from parkmetrics import i18n, overview, views
from parkmetrics.ui import page_setup

with page_setup("page_compare") as page:
    a, lang = page.analysis, page.lang
    every = i18n.t("report_all_parks", lang)
    many = views.many_parks(a)
    c1, c2, c3 = st.columns([1, 2, 1])
    family = page.choose("family", views.families(a), page.t("category"), default="output", where=c1,
                         format_func=lambda c: i18n.pick(i18n.CATEGORY[c], lang))
    indicator_id = page.choose("indicator", views.indicators_of(a, None, family), page.t("indicator"),
                               format_func=page.indicator_name, where=c2)
    year = page.choose("year", views.years_of(a, indicator_id), page.t("year"), where=c3,
                       default=views.default_year(a, indicator_id))
    measure, n = None, None

    if many:
        st.header(page.t("compare_many_header"))
        st.caption(page.t("compare_many_note", n=overview.BARS_MAX))
        c1, c2 = st.columns(2)
        measure = page.choose("measure", views.rank_measures(a, indicator_id, year), page.t("measure"), where=c1,
                              format_func=lambda m: page.t(f"measure_{m}"), required=False)
        n = page.choose("top", list(overview.TOP_CHOICES), page.t("top_n"), default=views.DEFAULT_TOP, where=c2,
                        format_func=lambda k: page.t("top_n_option", n=k))
        if measure is None:
            st.info(page.t("no_data_for"), icon=":material/info:")
        else:
            name = page.indicator_name(indicator_id)
            page.chart(views.ranked_figure(a, indicator_id, year, measure, n, lang),
                       page.export_name(every, f"{name}_{page.t(f'measure_{measure}')}", year))
            page.caption(views.rank_counts(a, indicator_id, year, measure, lang))
            page.chart(views.distribution_figure(a, indicator_id, year, measure, lang),
                       page.export_name(every, f"{name}_{page.t(f'measure_{measure}')}_distribution", year))
    else:
        st.header(page.t("compare_side_by_side"))
        page.chart(views.compare_figure(a, indicator_id, year, lang),
                   page.export_name(every, page.indicator_name(indicator_id), year))
    due = views.compare_due(a, indicator_id, year, lang)
    if due:
        st.info(page.t("compare_due", year=year), icon=":material/info:")
    scopes = set(views.comparison_rows(a, indicator_id, year)["scope"])
    if len(scopes) > 1:
        st.warning(page.t("scope_mixed"), icon=":material/warning:")
    elif scopes == {"district"} and not many:
        for pid in sorted(set(views.comparison_rows(a, indicator_id, year)["park_id"])):
            page.caption(views.scope_note(a, pid, lang))
    with st.expander(page.t("caliber_note"), expanded=True):
        page.prose(page.description(indicator_id))

    # Only the open tab draws its chart; the open tab is in the link by a stable id (tab=ambition|status|
    # coverage|size_fair), the same in both languages. Beyond 30 parks each draws counts (of the chosen year) or a
    # spread instead of a bar or a cell per park (views).
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
            page.chart(views.status_figure(a, family, lang, year),
                       page.export_name(every, f"{page.t('status_heatmap')}_{family_name}", year))
    if tabs["coverage"].open:
        with tabs["coverage"]:
            page.chart(views.coverage_figure(a, family, lang, year),
                       page.export_name(every, f"{page.t('coverage')}_{family_name}", year))
    if tabs["size_fair"].open:
        with tabs["size_fair"]:
            figure = views.per_km2_figure(a, indicator_id, year, lang, measure, n)
            if figure is None:
                st.info(page.t("size_fair_none"), icon=":material/info:")
            else:
                page.chart(figure, page.export_name(every, f"{page.indicator_name(indicator_id)}_km2", year))

    page.report_buttons(None)
