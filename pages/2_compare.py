"""园区对比 Cross-park comparison — one indicator family and year across parks: side by side, ambition, status,
coverage, and a size-fair view where an area is known."""
import streamlit as st

from parkmetrics import charts, i18n, views
from parkmetrics.ui import md, page_setup

page = page_setup("page_compare")
a, lang = page.analysis, page.lang
families = [c for c in i18n.CATEGORY if views.indicators_of(a, category=c)]
c1, c2, c3 = st.columns([1, 2, 1])
family = page.choose("family", families, page.t("category"), format_func=lambda c: i18n.pick(i18n.CATEGORY[c], lang),
                     default="output", where=c1)
indicator_id = page.choose("indicator", views.indicators_of(a, category=family), page.t("indicator"),
                           format_func=page.indicator_name, where=c2)
year = page.choose("year", views.years_of(a, indicator_id), page.t("year"), where=c3,
                   default=views.default_year(a, indicator_id))
indicator = page.indicators[indicator_id]

st.header(page.t("compare_side_by_side"))
rows = views.comparison_rows(a, indicator_id, year)
fig = charts.compare_parks(rows, page.parks, indicator, year, a.sources_of(rows), lang)
page.chart(fig, f"{page.indicator_name(indicator_id)}_{year}")
if rows["scope"].nunique() > 1:
    st.warning(page.t("scope_mixed"), icon=":material/warning:")
elif (rows["scope"] == "district").all():
    st.caption(page.t("district_note"))
with st.expander(page.t("caliber_note"), expanded=True):
    st.markdown(md(indicator.description_en if lang == "en" and indicator.description_en else indicator.description_zh))

st.header(page.t("ambition"))
growth = a.attainment[(a.attainment["basis"] == "growth_pct") & (a.attainment["scope"] == "park")]
growth_year = int(growth["year"].max())
growth = growth[growth["year"] == growth_year]
fig = charts.ambition(growth.rename(columns={"target_value": "value_std"}), page.parks, page.indicators, growth_year,
                      a.sources_of(growth), lang)
page.chart(fig, f"ambition_{growth_year}")

family_ids = views.indicators_of(a, category=family)
family_label = i18n.pick(i18n.CATEGORY[family], lang)
st.header(page.t("status_heatmap"))
att = a.attainment[a.attainment["indicator_id"].isin(family_ids)]
page.chart(charts.status_heatmap(att, page.parks, page.indicators, family_label, a.sources_of(att), lang),
           f"status_{family}")

st.header(page.t("coverage"))
cov = a.coverage[a.coverage["indicator_id"].isin(family_ids)]
obs = a.dataset.observations
page.chart(charts.coverage_heatmap(cov, page.parks, page.indicators, family_label,
                                   a.sources_of(obs[obs["indicator_id"].isin(family_ids)]), lang), f"coverage_{family}")

st.header(page.t("size_fair"))
if not any(p.area_km2 for p in page.parks.values()):
    st.info(page.t("size_fair_none"), icon=":material/info:")
else:
    sized = rows[rows["park_id"].map(lambda p: bool(page.parks[p].area_km2))]
    sized = sized.assign(value_std=sized["value_std"] / sized["park_id"].map(lambda p: page.parks[p].area_km2),
                         unit_std=sized["unit_std"] + "/km²")
    page.chart(charts.compare_parks(sized, page.parks, indicator, year, a.sources_of(sized), lang),
               f"{page.indicator_name(indicator_id)}_{year}_per_km2")
page.finish()
