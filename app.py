"""总览 Overview — the entry page: the parks, what data there is, its health, and where it comes from. A few parks:
a card for each. Many parks: totals, the top and bottom movers with their spread, and a card for each pinned park
(pinned in the link: `pin=id1,id2`)."""
import streamlit as st

from parkmetrics import i18n, overview, views
from parkmetrics.ui import page_setup

with page_setup("page_overview") as page:
    a, lang = page.analysis, page.lang
    counts = a.status_counts()
    every = i18n.t("report_all_parks", lang)
    few = views.cards_for_all(a)

    if not page.parks:
        st.info(page.t("nothing_to_show"), icon=":material/info:")
    if few:
        cards = list(page.parks)
    else:
        st.info(page.t("overview_many_note", n=f"{len(page.parks):,}"), icon=":material/info:")
        st.header(page.t("pinned_header"))
        cards = page.pinned()
        if not cards:
            st.caption(page.t("pin_none"))
    if few and page.parks:                   # every park at a glance, before the cards
        st.header(page.t("overview_at_a_glance"))
        page.chart(views.overview_status_figure(a, lang), page.export_name(every, page.t("status_heatmap"), None))
        page.chart(views.overview_coverage_figure(a, lang), page.export_name(every, page.t("coverage"), None))
    for card, park_id in page.grid(cards):
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

    if not few:
        st.header(page.t("overview_glance"))
        glance = views.glance(a)
        for column, (key, n) in zip(st.columns(len(glance)), glance.items()):
            column.metric(page.t(key), f"{n:,}")
        st.markdown(f"**{page.t('targets_by_status_all')}**")
        totals = views.status_totals(a)
        totals = totals[totals > 0]
        for column, (code, n) in zip(st.columns(max(len(totals), 1)), totals.items()):
            column.metric(i18n.status(code, lang), f"{int(n):,}")
        for column, (field, label) in zip(st.columns(3), (("province", "peer_province"), ("level", "peer_level"),
                                                         ("kind", "peer_kind"))):
            column.dataframe(views.park_counts(a, field, lang).rename(columns={"value": page.t(label),
                                                                                "parks": page.t("parks_n")}),
                             hide_index=True, height="content")

        st.header(page.t("movers_header"))
        c1, c2, c3 = st.columns([2, 1, 1])
        indicator_id = page.choose("mover", views.mover_indicators(a), page.t("indicator"), where=c1,
                                   format_func=page.indicator_name, required=False)
        if indicator_id is None:
            st.info(page.t("movers_none"), icon=":material/info:")
        else:
            year = page.choose("mover_year", views.mover_years(a, indicator_id), page.t("year"), where=c2)
            n = page.choose("top", list(overview.TOP_CHOICES), page.t("top_n"), default=views.MOVERS_TOP, where=c3,
                            format_func=lambda k: page.t("top_n_option", n=k))
            name = page.indicator_name(indicator_id)
            page.chart(views.movers_figure(a, indicator_id, year, n, lang),
                       page.export_name(every, f"{name}_yoy", year))
            page.caption(views.movers_counts(a, indicator_id, year, lang))
            page.chart(views.movers_distribution_figure(a, indicator_id, year, lang),
                       page.export_name(every, f"{name}_yoy_distribution", year))

    st.header(page.t("data_health"))
    ds = a.dataset
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(page.t("figures"), f"{len(ds.observations):,}")
    c2.metric(page.t("errors"), f"{len(ds.errors):,}")
    c3.metric(page.t("warnings"), f"{len(ds.warnings):,}")
    c4.metric(page.t("quarantined"), f"{len(ds.quarantine):,}")
    if ds.problems:
        page.problems_table(ds.problems)
    else:
        st.success(page.t("all_valid"), icon=":material/check_circle:")
    if len(ds.quarantine):
        st.dataframe(ds.quarantine, hide_index=True)

    st.header(page.t("where_from"))
    if few:
        page.table(views.sources_table(a, lang), {"title": "source", "issuer": "issuer", "date": "date",
                                                  "type": "doc_type", "draft": "draft", "figures": "figures",
                                                  "file": "file"}, key="overview_documents")
    else:   # thousands of documents: how many of which kind here, each one on the sources page
        page.caption(views.sources_summary(a, lang))
        st.page_link("pages/4_sources.py", label=page.t("page_sources") + " →",
                     query_params={"lang": lang} if lang != "zh" else {})
