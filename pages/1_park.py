"""园区画像 Park profile — one park: profile, documents in and due, targets with status, indicator trends, YoY,
pace, quotes, tasks, and its briefing, slides and charts on click."""
import streamlit as st

from parkmetrics import i18n, views
from parkmetrics.ui import page_setup

with page_setup("page_park") as page:
    a, lang = page.analysis, page.lang
    park_id = page.choose("park", list(page.parks), page.t("park"), format_func=page.park_name)
    park = page.parks[park_id]

    with st.container(border=True):
        page.heading(page.park_name(park_id))
        for label, value in views.park_facts(a, park_id, lang).items():
            page.field(label, value)
    docs, due = views.documents_status(a, park_id, lang)
    with st.container(border=True):
        st.markdown(f"**{page.t('documents_status')}**")
        page.lines([i18n.t("documents_in", lang, docs="、".join(docs) if lang != "en" else "; ".join(docs))])
        if due:
            page.lines(due)
        else:
            st.caption(page.t("actuals_complete"))
    if views.latest_actual_year(a, park_id) is None:
        st.info(page.t("no_actuals_yet"), icon=":material/info:")

    st.header(page.t("trend"))
    indicator_id = page.choose("indicator", views.indicators_of(a, park_id), page.t("indicator"),
                               format_func=page.indicator_name, required=False)
    if indicator_id is None:
        st.info(page.t("no_data_for"))
    else:
        obs_rows, _ = views.trend_inputs(a, park_id, indicator_id)
        years = sorted(set(int(y) for y in obs_rows["year"]))
        page.chart(views.trend_figure(a, park_id, indicator_id, lang),
                   page.export_name(i18n.short(park, lang), page.indicator_name(indicator_id),
                                    f"{years[0]}-{years[-1]}" if len(years) > 1 else years[0]))
        with st.expander(page.t("caliber_note")):
            page.prose(page.description(indicator_id))
            if (obs_rows["scope"] == "district").any():
                page.caption(views.scope_note(a, park_id, lang))

    st.header(page.t("targets_table"))
    att = a.attainment[a.attainment["park_id"] == park_id]
    page.table(views.targets_table(att, page.analysis, lang), {
        "indicator": "indicator", "year": "year", "target_value": "target_value", "actual_value": "actual_value",
        "ratio": "ratio", "status": "status", "scope": "scope", "target_level": "target_tier", "flags": "flags",
        "quote": "quote"}, key="park_targets")
    if (att["scope"] == "district").any():
        page.caption(views.scope_note(a, park_id, lang))

    # The detail sections draw only when their tab is open; the open tab is in the link by a stable id
    # (section=yoy|pace|quote|tasks), the same in both languages.
    tabs = page.tabs("section", [("yoy", "yoy"), ("pace", "pace"), ("quote", "figure_quote"), ("tasks", "tasks")])
    if tabs["yoy"].open:
        with tabs["yoy"]:
            page.table(views.yoy_table(a, park_id, lang), {
                "indicator": "indicator", "year": "year", "value": "value", "unit": "unit",
                "previous_value": "previous_value", "nominal_change_pct": "nominal_change",
                "stated_change_pct": "stated_change", "implied_previous": "implied_previous", "quote": "quote"},
                key="park_yoy")
    if tabs["pace"].open:
        with tabs["pace"]:
            pace = views.pace_table(a, park_id, lang)
            page.table(pace, {"indicator": "indicator", "target_year": "target_year", "target_shown": "target_value",
                              "status": "class", "note": "pace_note", "tier": "target_tier", "scope_label": "scope",
                              "baseline_year": "baseline_year", "baseline_value": "baseline_value",
                              "required_cagr_pct": "required_cagr", "observed_cagr_pct": "observed_cagr"},
                       key="park_pace")
            if explained := views.no_pace_explained(pace, lang):
                page.caption(explained)
            if (pace["scope"] == "district").any():
                page.caption(views.scope_note(a, park_id, lang))
    if tabs["quote"].open:
        with tabs["quote"]:
            obs, labels = views.figure_choices(a, park_id, lang)
            if obs.empty:
                st.info(page.t("no_data_for"))
            else:
                choice = st.selectbox(page.t("figure_quote"), obs.index, format_func=labels.__getitem__,
                                      label_visibility="collapsed")
                with st.container(border=True):
                    page.quote(obs.loc[choice, "quote"])
                    page.caption(views.quote_source(a, obs.loc[choice], lang, with_file=page.editor))
    if tabs["tasks"].open:
        with tabs["tasks"]:
            page.table(views.tasks_table(a, park_id, lang), {"task_zh": "task", "deadline": "deadline",
                                                             "lead": "lead", "status": "status", "quote": "quote"},
                       key="park_tasks")

    page.report_buttons(park_id)

    st.header(page.t("form_build"))          # the 指标填报表 the park fills in and sends back (the import page reads it)
    page.form_download(park_id)
