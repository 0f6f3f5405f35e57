"""数据与来源 Data and sources — the documents, every observation with its quote, the validation report,
self-checks, and downloads (CSV with BOM for Excel, and an Excel workbook)."""
from functools import partial

import streamlit as st

from parkmetrics import exports, views
from parkmetrics.ui import page_setup

with page_setup("page_sources") as page:
    a, lang = page.analysis, page.lang
    ds = a.dataset

    st.header(page.t("documents"))
    page.table(views.sources_table(a, lang), {"title": "source", "issuer": "issuer", "date": "date",
                                              "type": "doc_type", "draft": "draft", "figures": "figures",
                                              "file": "file"}, key="sources_documents")

    st.header(page.t("observations"))
    # Only the rows of the page shown are labelled (4 M observations at national scale).
    columns = {"park": "park", "scope": "scope", "indicator": "indicator", "year": "year", "kind": "kind",
               "target_level": "target_tier", "comparator": "comparator", "value": "value", "unit": "unit",
               "basis": "basis", "estimate": "estimate", "approximate": "approximate", "source": "source",
               "quote": "quote", "file": "file", "line": "line"}
    observations = partial(views.observations_table, a, page.park_name, page.indicator_name, lang)
    page.table(ds.observations, columns, key="sources_observations", display=observations)
    # Files are generated when the button is clicked, not on every rerun.
    page.downloads(ds.observations, columns, observations, page.t("observations"), {})
    st.download_button(page.t("download_all_codes"), lambda: exports.excel_bytes({
        "observations": ds.observations, "attainment": a.attainment, "yoy": a.yoy, "pace": a.pace,
        "checks": a.checks, "sources": a.store.sources(), "problems": a.store.problems()}),
        file_name="parkmetrics_codes.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/data_object:")

    st.header(page.t("validation_report"))
    if ds.problems:
        page.problems_table(ds.problems)
    else:
        st.success(page.t("all_valid"), icon=":material/check_circle:")
    if len(ds.quarantine):
        st.subheader(page.t("quarantined"))
        st.dataframe(ds.quarantine, hide_index=True)

    st.header(page.t("checks"))
    page.table(a.checks, {"check": "check_col", "park": "park", "scope": "scope", "year": "year",
                          "indicator": "indicator", "stated": "value", "computed": "computed", "status": "status",
                          "detail": "detail", "quote": "quote"}, key="sources_checks",
               display=lambda rows: views.checks_table(a, page.park_name, page.indicator_name, lang, rows))
