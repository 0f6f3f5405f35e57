"""园区画像 Park profile — one park: profile, targets with status, indicator trends, YoY, pace, quotes, tasks."""
import streamlit as st

from parkmetrics import views
from parkmetrics.ui import page_setup

with page_setup("page_park") as page:
    a, lang = page.analysis, page.lang
    park_id = page.choose("park", list(page.parks), page.t("park"), format_func=page.park_name)

    with st.container(border=True):
        page.heading(page.park_name(park_id))
        for label, value in views.park_facts(a, park_id, lang).items():
            page.field(label, value)
    if views.latest_actual_year(a, park_id) is None:
        st.info(page.t("no_actuals_yet"), icon=":material/info:")

    st.header(page.t("trend"))
    indicator_id = page.choose("indicator", views.indicators_of(a, park_id), page.t("indicator"),
                               format_func=page.indicator_name, required=False)
    if indicator_id is None:
        st.info(page.t("no_data_for"))
    else:
        page.chart(views.trend_figure(a, park_id, indicator_id, lang),
                   f"{page.park_name(park_id)}_{page.indicator_name(indicator_id)}")
        obs_rows, _ = views.trend_inputs(a, park_id, indicator_id)
        with st.expander(page.t("caliber_note")):
            page.prose(page.description(indicator_id))
            if (obs_rows["scope"] == "district").any():
                st.caption(page.t("district_note"))

    st.header(page.t("targets_table"))
    att = a.attainment[a.attainment["park_id"] == park_id]
    page.table(views.targets_table(att, page.parks, lang), {
        "scope": "scope", "indicator": "indicator", "year": "year", "target_level": "target_tier",
        "target_value": "target_value", "actual_value": "actual_value", "ratio": "ratio", "status": "status",
        "summary": "summary", "flags": "flags", "quote": "quote"})
    if (att["scope"] == "district").any():
        st.caption(page.t("district_note"))

    # The detail sections draw only when their tab is open; the open tab is part of the link.
    yoy_tab, pace_tab, quote_tab, tasks_tab = st.tabs(
        [page.t("yoy"), page.t("pace"), page.t("figure_quote"), page.t("tasks")], key="section", on_change="rerun",
        bind="query-params")
    if yoy_tab.open:
        with yoy_tab:
            page.table(views.yoy_table(a, park_id, lang), {
                "indicator": "indicator", "year": "year", "value": "value", "unit": "unit",
                "previous_value": "previous_value", "nominal_change_pct": "nominal_change",
                "stated_change_pct": "stated_change", "implied_previous": "implied_previous", "quote": "quote"})
    if pace_tab.open:
        with pace_tab:
            pace = views.pace_table(a, park_id, lang)
            page.table(pace, {"indicator": "indicator", "baseline_year": "baseline_year",
                              "baseline_value": "baseline_value", "target_year": "target_year",
                              "target_value": "target_value", "unit": "unit", "required_cagr_pct": "required_cagr",
                              "observed_cagr_pct": "observed_cagr", "status": "class", "note": "method"})
            if (pace["scope"] == "district").any():
                st.caption(page.t("district_note"))
    if quote_tab.open:
        with quote_tab:
            obs, labels = views.figure_choices(a, park_id, lang)
            if obs.empty:
                st.info(page.t("no_data_for"))
            else:
                choice = st.selectbox(page.t("figure_quote"), obs.index, format_func=labels.__getitem__,
                                      label_visibility="collapsed")
                with st.container(border=True):
                    page.quote(obs.loc[choice, "quote"])
                    page.caption(views.quote_source(a, obs.loc[choice], lang))
    if tasks_tab.open:
        with tasks_tab:
            page.table(views.tasks_table(a, park_id), {"task_zh": "task", "deadline": "deadline", "lead": "lead",
                                                       "status": "status", "quote": "quote"})
