"""Streamlit glue shared by every page: page setup, the bilingual sidebar, URL state, cached analysis, rendering.

Why classic multipage mode: the app keeps a `pages/` folder, and Streamlit runs a deep link to a page in that
folder without the entry script. So nothing a page needs lives in app.py: every page starts with
`page_setup()`, which sets the page config, language, sidebar and data on its own. A deep link opened as the
first request on a fresh server therefore renders the full page.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from . import charts, i18n
from .analysis import Analysis, analyse_root
from .loader import FATAL_CODES, fingerprint
from .problems import Problem

PAGES = [("app.py", "page_overview", ":material/dashboard:"),
         ("pages/1_park.py", "page_park", ":material/factory:"),
         ("pages/2_compare.py", "page_compare", ":material/compare_arrows:"),
         ("pages/3_tracker.py", "page_tracker", ":material/checklist:"),
         ("pages/4_sources.py", "page_sources", ":material/description:")]
CARRIED_PARAMS = ("lang", "park", "indicator", "year", "family")


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$")


def md(text: object) -> str:
    """Escape editor-supplied text for st.markdown: shown as written, never as markup or HTML."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))


def data_root() -> Path:
    """The data folder: $PARKMETRICS_ROOT, else the working directory (where `streamlit run app.py` starts)."""
    return Path(os.environ.get("PARKMETRICS_ROOT") or os.getcwd()).resolve()


@st.cache_resource(max_entries=8, show_spinner=False)
def _analysis(root: str, version: str) -> Analysis:
    """Load, validate and compute every metric once per data version (file sizes and mtimes)."""
    return analyse_root(root)


def warm(root: Path) -> None:
    """Load the data into the cache the sessions use, before the first visitor (`parkmetrics serve`)."""
    _analysis(str(root), fingerprint(root))


# The last analysis whose files could all be read, per data folder: served while a broken edit is being fixed.
_LAST_GOOD: dict[str, Analysis] = {}


def current_analysis(root: Path) -> tuple[Analysis, list[Problem]]:
    """The analysis to serve, and — when the newest edit broke a whole file — the problems to show beside it:
    the broken files' own problems (the root cause), not the follow-on errors of every row that cites them."""
    key = str(root)
    fresh = _analysis(key, fingerprint(root))
    if fresh.dataset.fatal and key in _LAST_GOOD:
        return _LAST_GOOD[key], [p for p in fresh.dataset.problems if p.code in FATAL_CODES]
    if not fresh.dataset.fatal:
        _LAST_GOOD[key] = fresh
    return fresh, []


@dataclass
class Page:
    key: str
    lang: str
    analysis: Analysis
    nav: object
    stale_problems: list[Problem] = field(default_factory=list)

    def t(self, text_key: str, **fmt: object) -> str:
        return i18n.t(text_key, self.lang, **fmt)

    @property
    def parks(self) -> dict:
        return self.analysis.dataset.parks

    @property
    def indicators(self) -> dict:
        return self.analysis.dataset.indicators

    # --- URL state -----------------------------------------------------------------------------------------

    def choose(self, key: str, options: list, label: str, format_func=str, default=None, where=None):
        """A selectbox whose value lives in the query string: a copied link reproduces the view, and an unknown
        value in the link falls back to the default with a visible notice."""
        where = where or st
        options = list(options)
        if not options:
            return None
        default = default if default in options else options[0]
        wkey = f"w_{key}"
        if wkey not in st.session_state or st.session_state[wkey] not in options:
            raw = st.query_params.get(key)
            match = next((o for o in options if str(o) == raw), None)
            if raw is not None and match is None:
                st.warning(self.t("unknown_param", param=key, value=raw, fallback=format_func(default)),
                           icon=":material/link_off:")
            st.session_state[wkey] = match if match is not None else default
        value = where.selectbox(label, options, key=wkey, format_func=format_func)
        st.query_params[key] = str(value)
        return value

    def park_name(self, park_id: str) -> str:
        return i18n.name(self.parks[park_id], self.lang)

    def indicator_name(self, indicator_id: str) -> str:
        return i18n.name(self.indicators[indicator_id], self.lang)

    # --- rendering -----------------------------------------------------------------------------------------

    def chart(self, fig, filename: str) -> None:
        # theme=None: Streamlit's theme would override the report template (colours, fonts).
        st.plotly_chart(fig, theme=None, width="content", config=charts.plotly_config(filename))

    def table(self, frame: pd.DataFrame, columns: dict[str, str], **kwargs) -> None:
        """Show `frame` with translated column headers; `columns` maps column → i18n key (or literal label).
        An empty frame shows a notice instead of an empty grid."""
        if frame.empty:
            st.info(self.t("no_data_for"))
            return
        shown = frame[list(columns)].rename(columns={c: (self.t(k) if k in i18n.TEXT else k)
                                                     for c, k in columns.items()})
        st.dataframe(shown, hide_index=True, **kwargs)

    def problems_table(self, problems: list[Problem]) -> None:
        rows = [{"位置 location": p.location(), "级别 severity": p.severity, "代码 code": p.code,
                 "说明 message": p.message(self.lang)} for p in problems]
        st.dataframe(pd.DataFrame(rows), hide_index=True)

    def finish(self) -> None:
        """Draw the navigation last, so its links carry the selections this run made."""
        params = {k: st.query_params[k] for k in CARRIED_PARAMS if k in st.query_params}
        with self.nav:
            for path, key, icon in PAGES:
                st.page_link(path, label=self.t(key), icon=icon, query_params=params)


def page_setup(key: str) -> Page:
    """Everything a page needs before it draws: config, language, sidebar, data and its health."""
    lang = st.query_params.get("lang", "zh")
    lang = lang if lang in i18n.LANGS else "zh"
    st.set_page_config(page_title=f"{i18n.t(key, lang)} · {i18n.t('app_title', lang)}",
                       page_icon=":material/factory:", layout="wide", initial_sidebar_state="expanded")
    with st.sidebar:
        st.markdown(f"**{i18n.t('app_title', lang)}**  \n{i18n.t('app_subtitle', lang)}")
        nav = st.container()
        if "w_lang" not in st.session_state:
            st.session_state["w_lang"] = lang
        lang = st.segmented_control(i18n.TEXT["language"][0], list(i18n.LANGS), key="w_lang", required=True,
                                    format_func=lambda x: {"zh": "中文", "en": "English"}[x])
    st.query_params["lang"] = lang
    analysis, stale = current_analysis(data_root())
    page = Page(key=key, lang=lang, analysis=analysis, nav=nav, stale_problems=stale)
    st.title(page.t(key))
    if stale:
        st.error(page.t("stale_notice"), icon=":material/error:")
        page.problems_table(stale)
    return page
