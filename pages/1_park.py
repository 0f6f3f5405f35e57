"""园区画像 Park profile — one park: profile, targets with status, indicator trends, YoY, pace, quotes, tasks."""
import streamlit as st

from parkmetrics import i18n, views
from parkmetrics.ui import md, page_setup

page = page_setup("page_park")
a, lang = page.analysis, page.lang
park_id = page.choose("park", list(page.parks), page.t("park"), format_func=page.park_name)

with st.container(border=True):
    st.subheader(page.park_name(park_id))
    for label, value in views.park_facts(a, park_id, lang).items():
        st.markdown(f"**{label}**{i18n.colon(lang)}{md(value)}")
if views.latest_actual_year(a, park_id) is None:
    st.info(page.t("no_actuals_yet"), icon=":material/info:")

st.header(page.t("trend"))
indicator_id = page.choose("indicator", views.indicators_of(a, park_id), page.t("indicator"),
                           format_func=page.indicator_name)
indicator = page.indicators[indicator_id]
page.chart(views.trend_figure(a, park_id, indicator_id, lang), f"{page.park_name(park_id)}_{page.indicator_name(indicator_id)}")
obs_rows, _ = views.trend_inputs(a, park_id, indicator_id)
with st.expander(page.t("caliber_note")):
    st.markdown(md(indicator.description_en if lang == "en" and indicator.description_en else indicator.description_zh))
    if (obs_rows["scope"] == "district").any():
        st.caption(page.t("district_note"))

st.header(page.t("targets_table"))
att = a.attainment[a.attainment["park_id"] == park_id]
page.table(views.targets_table(att, page.parks, lang), {
    "scope": "scope", "indicator": "indicator", "year": "year", "target_level": "target_tier", "target_value": "target_value",
    "actual_value": "actual_value", "ratio": "ratio", "status": "status", "summary": "summary", "flags": "flags",
    "quote": "quote"})
if (att["scope"] == "district").any():
    st.caption(page.t("district_note"))

st.header(page.t("yoy"))
yoy = views.yoy_rows(a, park_id)
if yoy.empty:
    st.info(page.t("no_data_for"))
else:
    numeric = ["value", "previous_value", "nominal_change_pct", "stated_change_pct", "implied_previous"]
    page.table(views.display(yoy, numeric).assign(indicator=[page.indicator_name(i) for i in yoy["indicator_id"]]), {
        "indicator": "indicator", "year": "year", "value": "value", "unit": "unit", "previous_value": "previous_value",
        "nominal_change_pct": "nominal_change", "stated_change_pct": "stated_change",
        "implied_previous": "implied_previous", "quote": "quote"})

st.header(page.t("pace"))
pace = a.pace[a.pace["park_id"] == park_id]
if pace.empty:
    st.info(page.t("no_data_for"))
else:
    page.table(views.display(pace, ["baseline_value", "current_value", "target_value", "required_cagr_pct",
                                    "observed_cagr_pct"]).assign(
        indicator=[page.indicator_name(i) for i in pace["indicator_id"]],
        status=pace["class_en" if lang == "en" else "class_zh"], note=pace[f"note_{'en' if lang == 'en' else 'zh'}"]), {
        "indicator": "indicator", "baseline_year": "baseline_year", "baseline_value": "baseline_value",
        "target_year": "target_year", "target_value": "target_value", "unit": "unit",
        "required_cagr_pct": "required_cagr", "observed_cagr_pct": "observed_cagr", "status": "class",
        "note": "method"})
    if (pace["scope"] == "district").any():
        st.caption(page.t("district_note"))

st.header(page.t("figure_quote"))
obs = a.dataset.observations
obs = obs[obs["park_id"] == park_id].reset_index(drop=True)
choice = st.selectbox(page.t("figure_quote"), obs.index, label_visibility="collapsed", format_func=lambda i: (
    f"{obs.at[i, 'year']} {page.indicator_name(obs.at[i, 'indicator_id'])} · "
    f"{views.fmt_figure(obs.at[i, 'value'], obs.at[i, 'unit'], obs.at[i, 'comparator'], obs.at[i, 'basis'], lang)}"
    f" ({i18n.t(obs.at[i, 'kind'], lang)})"))
with st.container(border=True):
    row = obs.loc[choice]
    source = a.dataset.sources[row["source"]]
    st.markdown(f"> {md(row['quote'])}")
    st.caption(i18n.source_line([source], lang) + f" · {row['file']}:{row['line']}")

tasks = views.tasks_table(a, park_id)
if not tasks.empty:
    st.header(page.t("tasks"))
    page.table(tasks, {"task_zh": "task", "deadline": "deadline", "lead": "lead", "status": "status", "quote": "quote"})
page.finish()
