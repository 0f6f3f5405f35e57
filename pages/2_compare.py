"""园区对比 Cross-park comparison — one indicator family and year across parks: side by side, ambition, status,
coverage, and a size-fair view where an area is known."""
import streamlit as st

from parkmetrics import i18n, views
from parkmetrics.ui import page_setup

with page_setup("page_compare") as page:
    a, lang = page.analysis, page.lang
    c1, c2, c3 = st.columns([1, 2, 1])
    family = page.choose("family", views.families(a), page.t("category"), default="output", where=c1,
                         format_func=lambda c: i18n.pick(i18n.CATEGORY[c], lang))
    indicator_id = page.choose("indicator", views.indicators_of(a, None, family), page.t("indicator"),
                               format_func=page.indicator_name, where=c2)
    year = page.choose("year", views.years_of(a, indicator_id), page.t("year"), where=c3,
                       default=views.default_year(a, indicator_id))

    st.header(page.t("compare_side_by_side"))
    page.chart(views.compare_figure(a, indicator_id, year, lang), f"{page.indicator_name(indicator_id)}_{year}")
    scopes = set(views.comparison_rows(a, indicator_id, year)["scope"])
    if len(scopes) > 1:
        st.warning(page.t("scope_mixed"), icon=":material/warning:")
    elif scopes == {"district"}:
        st.caption(page.t("district_note"))
    with st.expander(page.t("caliber_note"), expanded=True):
        page.prose(page.description(indicator_id))

    # Only the open tab draws its chart (on_change="rerun" lets hidden tabs skip their work).
    ambition, status, coverage, size_fair = st.tabs(
        [page.t("ambition"), page.t("status_heatmap"), page.t("coverage"), page.t("size_fair")],
        key="tab", on_change="rerun", bind="query-params")
    if ambition.open:
        with ambition:
            page.chart(views.ambition_figure(a, lang), "ambition")
    if status.open:
        with status:
            page.chart(views.status_figure(a, family, lang), f"status_{family}")
    if coverage.open:
        with coverage:
            page.chart(views.coverage_figure(a, family, lang), f"coverage_{family}")
    if size_fair.open:
        with size_fair:
            figure = views.per_km2_figure(a, indicator_id, year, lang)
            if figure is None:
                st.info(page.t("size_fair_none"), icon=":material/info:")
            else:
                page.chart(figure, f"{page.indicator_name(indicator_id)}_{year}_per_km2")
