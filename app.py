"""总览 Overview — the entry page: the parks, what data there is, its health, and where it comes from."""
import streamlit as st

from parkmetrics import i18n, views
from parkmetrics.ui import page_setup

with page_setup("page_overview") as page:
    a, lang = page.analysis, page.lang
    counts = a.status_counts()

    if not page.parks:
        st.info(page.t("nothing_to_show"), icon=":material/info:")
    for card, park_id in page.grid(page.parks):
        with card:
            park = page.parks[park_id]
            page.heading(page.park_name(park_id))
            facts = views.park_facts(a, park_id, lang)
            page.caption(f"{facts[page.t('level')]} · {facts[page.t('location')]}")
            page.field(page.t("leading_industries"), facts[page.t("leading_industries")])
            st.markdown(f"**{page.t('headline')}**")
            for label, text in views.headline(a, park_id, lang):
                page.field(label, text, bullet=True)
            year = views.latest_actual_year(a, park_id)
            scopes = views.targets_by_scope(a, park_id)
            c1, c2 = st.columns(2)
            c1.metric(page.t("park_targets"), scopes.get("park", 0))
            c2.metric(page.t("latest_actual_year"), year or "—", help=None if year else page.t("no_actual_year"))
            if scopes.get("district"):
                st.caption(page.t("plus_district_targets", n=scopes["district"],
                                  district=i18n.district(park, lang)))
            _, due = views.documents_status(a, park_id, lang)
            page.lines(due)
            st.markdown(f"**{page.t('targets_by_status')}**")
            page.lines([f"{i18n.status(code, lang)}{i18n.colon(lang)}{int(n)}"
                        for code, n in counts.loc[park_id].items() if n])
            st.page_link("pages/1_park.py", label=page.t("page_park") + " →",
                         query_params={"park": park_id, **({"lang": lang} if lang != "zh" else {})})

    st.header(page.t("data_health"))
    ds = a.dataset
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(page.t("figures"), len(ds.observations))
    c2.metric(page.t("errors"), len(ds.errors))
    c3.metric(page.t("warnings"), len(ds.warnings))
    c4.metric(page.t("quarantined"), len(ds.quarantine))
    if ds.problems:
        page.problems_table(ds.problems)
    else:
        st.success(page.t("all_valid"), icon=":material/check_circle:")
    if len(ds.quarantine):
        st.dataframe(ds.quarantine, hide_index=True)

    st.header(page.t("where_from"))
    page.table(views.sources_table(a, lang), {"title": "source", "issuer": "issuer", "date": "date",
                                              "type": "doc_type", "draft": "draft", "figures": "figures",
                                              "file": "file"}, key="overview_documents")
