"""Streamlit glue shared by every page: page setup, the bilingual sidebar, URL state, cached analysis, rendering.

Why classic multipage mode: the app keeps a `pages/` folder, and Streamlit runs a deep link to a page in that
folder without the entry script. So nothing a page needs lives in app.py: every page starts with
`page_setup()`, which sets the page config, language, sidebar and data on its own. A deep link opened as the
first request on a fresh server therefore renders the full page.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

from . import charts, i18n
from .analysis import Analysis
from .problems import Problem
from .serving import Served, current_analysis, data_root, get_logger, new_ref

log = get_logger("parkmetrics.ui")

PAGES = [("app.py", "page_overview", ":material/dashboard:"),
         ("pages/1_park.py", "page_park", ":material/factory:"),
         ("pages/2_compare.py", "page_compare", ":material/compare_arrows:"),
         ("pages/6_peers.py", "page_peers", ":material/leaderboard:"),
         ("pages/3_tracker.py", "page_tracker", ":material/checklist:"),
         ("pages/4_sources.py", "page_sources", ":material/description:"),
         ("pages/5_import.py", "page_import", ":material/upload_file:")]
CARRIED_PARAMS = ("lang", "park", "indicator", "year", "family")
_WROTE = "_url_{}"          # session state: the value this session last wrote into the link for a parameter
TABLE_PAGE = 200            # rows per page of a display table
PICKED_PAGES = 100          # up to this many pages, a list of their rows to pick from; beyond, a page number
LONG_TEXT = ("quote", "task_zh", "note", "detail", "summary")   # columns shown wide, in full on a row's click
NARROW = ("year", "scope", "scope_label", "target_level", "tier", "kind", "unit", "line", "baseline_year",
          "target_year")                                       # short codes and numbers: narrow columns

# --- text is text ---------------------------------------------------------------------------------------------
#
# THE RULE, in one place: a string that does not come from i18n.TEXT (park names, quotes, notes, tasks,
# descriptions, problem messages, anything from the URL) is never interpreted as Markdown or HTML.
# * Markdown sinks (st.markdown, caption, subheader, header, warning, info, error, success, title) get it only
#   through md() — pages use the Page helpers below (heading, caption, prose, field, lines, quote), and Page.t
#   escapes every value it formats into a template. tests/test_app.py checks that pages pass nothing else to them.
# * Tables (st.dataframe) and selectbox options show text as text: no escaping needed.
# * Plotly figures parse their own HTML subset (<a href>, <br>): charts.plain() escapes there.

# Every ASCII punctuation character can be backslash-escaped in CommonMark; escaping them all neutralises
# emphasis, links, images, HTML (\<), list and heading markers, block quotes, tables,
# $ LaTeX, :red[...] colour directives, :material/...: icons and :emoji: shortcodes (Streamlit only loads its
# emoji plugin when the source holds ":word:", which an escaped colon never forms).
_MD_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_NEWLINES = re.compile(r"[ \t]*(?:\r\n|\r|\n)\s*")
# GFM turns bare URLs and e-mail addresses into links after parsing, so escapes do not stop it: an invisible
# WORD JOINER breaks the patterns it looks for ("://", "www.", "@") without changing what the reader sees.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(:(?=//)|(?i:www)(?=\.)|@)")
URL_VALUE_MAX = 80  # an unknown link value is shown cut to this many characters (then "…")


def cut(text: object, limit: int = URL_VALUE_MAX) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def md(text: object) -> str:
    """Escape text for a Markdown sink: shown exactly as written, never as markup, HTML, math, icon, emoji or
    link. Line breaks stay line breaks (never a new block that could start a list, heading or code block)."""
    text = _AUTOLINK.sub("\\1" + WORD_JOINER, str(text).strip())
    escaped = _MD_PUNCT.sub(r"\\\1", text)
    return _NEWLINES.sub("  \n", escaped)


# Streamlit's background colours for :colour-background[...] (docs of st.markdown, 1.67).
BACKGROUNDS = ("blue", "green", "orange", "red", "violet", "gray", "grey", "primary")


def marked_md(text: object, spans: list[tuple[int, int, str]]) -> str:
    """Text for a Markdown sink, shown exactly as md() shows it, with the character ranges `spans`
    [(start, end, colour)] in that colour on its background (`:orange-background[:orange[...]]`); where spans overlap, the later
    one wins. Every character is escaped as md() escapes it, so nothing in the text can close the directive
    (`\\]`), open another, or add attributes (`\\{`); a directive never crosses a line break."""
    text = str(text)
    paint: list[str | None] = [None] * len(text)
    for start, end, colour in spans:
        if colour not in BACKGROUNDS:
            raise ValueError(f"unknown background colour {colour!r}")
        for i in range(max(start, 0), min(end, len(text))):
            paint[i] = colour
    join_after = {m.end(1) for m in _AUTOLINK.finditer(text)}   # md()'s word joiners, at the same places

    def escaped(a: int, b: int) -> str:
        return "".join(_MD_PUNCT.sub(r"\\\1", ch) + (WORD_JOINER if i + 1 in join_after else "")
                       for i, ch in zip(range(a, b), text[a:b]))

    lines = []
    for m in re.finditer(r"[^\r\n]+", text):
        a, b = m.start(), m.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        parts, i = [], a
        while i < b:
            j = i
            while j < b and paint[j] == paint[i]:
                j += 1
            body = escaped(i, j)
            # the text in the colour too: a background alone is too faint to find in a long document
            parts.append(f":{paint[i]}-background[:{paint[i]}[{body}]]" if paint[i] else body)
            i = j
        if parts:
            lines.append("".join(parts))
    return "  \n".join(lines)


_PHONE = re.compile(r"Mobile|Android|iPhone|iPod", re.IGNORECASE)


def on_phone() -> bool:
    """Is the viewer on a phone? Its browser says so in the User-Agent (Mobile, Android, iPhone)."""
    try:
        return bool(_PHONE.search(st.context.headers.get("User-Agent") or ""))
    except Exception:  # no request context (bare mode, tests)
        return False


@functools.lru_cache(maxsize=64)
def _phone_png(spec: str) -> bytes:
    """A chart as a PNG for a phone (kaleido, the report exporter); cached per figure. (A plain cache: Streamlit's
    own, made at import, logged "No runtime found" on every `parkmetrics serve`, which imports this early.)"""
    import plotly.io as pio

    from .reports import images
    return images.png(pio.from_json(spec), scale=2)


class NothingToShow(Exception):
    """Raised by Page.choose when there is nothing to choose from: the page ends there with a notice."""


class EndOfPage(Exception):
    """Raised by Page.end(): the page body ends there, quietly (unlike st.stop(), the navigation is still drawn)."""


@dataclass
class Page:
    """One run of one page. Use it as a context manager around the page body (`with page_setup(...) as page:`):
    whatever happens in the body, the sidebar navigation is drawn, and an unexpected exception is logged on the
    server with its traceback while the viewer sees a short bilingual message instead."""
    key: str
    lang: str
    nav: object
    served: Served

    def t(self, text_key: str, **fmt: object) -> str:
        """A UI label; the values formatted into it are escaped (md), so it is safe in any Markdown sink."""
        return i18n.t(text_key, self.lang, **{k: md(v) for k, v in fmt.items()})

    def end(self) -> None:
        """End the page body here (e.g. nothing entered yet); the sidebar navigation is drawn as always."""
        raise EndOfPage()

    @property
    def analysis(self) -> Analysis:
        """The analysis to show; when there is none at all the page body ends here with a notice."""
        if self.served.analysis is None:
            raise NothingToShow("analysis")
        return self.served.analysis

    @property
    def parks(self) -> dict:
        return self.analysis.dataset.parks

    @property
    def indicators(self) -> dict:
        return self.analysis.dataset.indicators

    FORM_PERIODS = ("M1-M3", "H1", "M1-M9", "")   # what a park usually reports: a quarter, a half, three quarters, the year

    def form_download(self, park_id: str) -> None:
        """The 指标填报表 of a park for a year and period (parkmetrics.forms), built when it is downloaded."""
        from . import forms  # openpyxl: only when a page offers the form
        ds = self.analysis.dataset
        years = forms.target_years(ds, park_id)
        if not years:
            return
        c1, c2, c3 = st.columns([1, 1, 2], vertical_alignment="bottom")
        year = c1.selectbox(self.t("year"), years, index=len(years) - 1, key=f"w_form_year_{park_id}")
        period = c2.selectbox(self.t("form_period"), self.FORM_PERIODS, index=2, key=f"w_form_period_{park_id}",
                              format_func=lambda p: i18n.period_label(p, self.lang) or self.t("full_year_label"))
        if not forms.has_form(ds, park_id, year, period):
            c3.caption(self.t("form_no_targets"))
            return
        c3.download_button(self.t("form_build"), lambda: forms.build_form(ds, park_id, forms.period_arg(year, period)),
                           file_name=forms.form_file_name(ds, park_id, year, period), help=self.t("form_build_help"),
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/table_view:", key=f"w_form_{park_id}")

    # --- the guard -----------------------------------------------------------------------------------------

    def __enter__(self) -> "Page":
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is not None and issubclass(exc_type, RerunException):
            return False                      # Streamlit is rerunning the script: nothing to draw
        handled = False
        if isinstance(exc, EndOfPage):
            handled = True
        elif isinstance(exc, NothingToShow):
            st.info(self.t("nothing_to_show"), icon=":material/info:")
            handled = True
        elif isinstance(exc, Exception) and not isinstance(exc, StopException):
            ref = new_ref()
            log.error("page %s failed [ref %s]", self.key, ref, exc_info=(exc_type, exc, tb))
            st.error(i18n.both("page_failed", ref=ref), icon=":material/error:")
            handled = True
        try:
            self.finish()
        except RerunException:
            raise
        except Exception:
            log.exception("drawing the navigation of page %s failed", self.key)
        return handled

    # --- URL state -----------------------------------------------------------------------------------------

    def choose(self, key: str, options: list, label: str, format_func=str, default=None, where=None,
               required: bool = True):
        """A selectbox whose value lives in the query string: a copied link reproduces the view, and an unknown
        value in the link falls back to the default with a visible notice (the value escaped, cut to
        URL_VALUE_MAX characters). No options: the page ends with a notice (required) or None is returned."""
        where = where or st
        options = list(options)
        if not options:
            if required:
                raise NothingToShow(key)
            return None
        default = default if default in options else options[0]
        wkey = self._carry(key, options)
        if wkey not in st.session_state or st.session_state[wkey] not in options:
            raw = st.query_params.get(key)
            match = next((o for o in options if str(o) == raw), None)
            # A value this session wrote itself (the park changed, so the indicator it had no longer exists) falls
            # back silently; only a value that came with the link gets the notice.
            if raw is not None and match is None and raw != st.session_state.get(_WROTE.format(key)):
                st.warning(self.t("unknown_param", param=key, value=cut(raw), fallback=cut(format_func(default))),
                           icon=":material/link_off:")
            st.session_state[wkey] = match if match is not None else default
        value = where.selectbox(label, options, key=wkey, format_func=format_func,
                                placeholder=self.t("choose_placeholder"))
        self.remember(key, str(value), str(default))
        return value

    @property
    def editor(self) -> bool:
        """Editor mode (PARKMETRICS_EDITOR=1): the import page writes, and data files and lines are shown."""
        from .write import editor_mode
        return editor_mode()

    def search(self, key: str, where=None) -> str:
        """A search box for the choice `key` (parks by name, alias, id or pinyin initials); `pick_searched`
        then opens the best match of a search just typed."""
        def typed() -> None:
            st.session_state[f"_searched_{key}"] = True
        return (where or st).text_input(self.t("peer_search"), key=f"w_{key}_query", on_change=typed)

    def pick_searched(self, key: str, found: list) -> None:
        """After a new search (not on every rerun: the reader may then pick another match), the choice `key`
        becomes the first match found: typing lxgxq opens 临湘高新区. Clearing the search keeps the choice."""
        typed = st.session_state.pop(f"_searched_{key}", False)
        if typed and found and st.session_state.get(f"w_{key}_query", "").strip():   # clearing it changes nothing
            self.carried(key)                       # a choice made in the other language gives way too
            st.session_state[self.widget_key(key)] = found[0]

    def current(self, key: str):
        """The value `choose(key, …)` will start from: this session's choice, else the link's (None if neither)."""
        wkey = self.widget_key(key)
        if wkey in st.session_state:
            return st.session_state[wkey]
        prior = next((st.session_state[k] for k in _widget_keys(key) if k in st.session_state), None)
        return prior if prior is not None else st.query_params.get(key)

    def widget_key(self, key: str) -> str:
        """A select box's session key. It carries the language (but for 中文, the default): Streamlit's combobox
        keeps the text of the option it first drew under one key, so after a language switch a park would still
        read 湖南临湘… in English. The choice itself goes along with the switch (`carried`)."""
        return _widget_key(key, self.lang)

    def select(self, key: str, options, label: str, format_func=str, where=None):
        """A select box whose choice lives in the session only (not the link), kept across a language switch as
        `choose` keeps its own (widget_key, carried)."""
        options = list(options)
        return (where or st).selectbox(label, options, key=self._carry(key, options), format_func=format_func)

    def _carry(self, key: str, options: list) -> str:
        """This language's widget key, holding the choice made under another language when it is still offered."""
        wkey = self.widget_key(key)
        if wkey not in st.session_state:
            prior = self.carried(key)
            if prior in options:
                st.session_state[wkey] = prior
        return wkey

    def preset(self, **values) -> None:
        """Set `select` boxes' choices (a page's prefill), in this language's keys, other languages' dropped."""
        for key, value in values.items():
            for k in _widget_keys(key):
                st.session_state.pop(k, None)
            st.session_state[self.widget_key(key)] = value

    def carried(self, key: str):
        """This session's choice made under another language (None if none); those keys are dropped, so a later
        switch back starts from the choice made last."""
        prior = None
        for k in _widget_keys(key):
            if k != self.widget_key(key) and k in st.session_state:
                prior = st.session_state.pop(k)
        return prior

    def remember(self, key: str, value: str, default: str) -> None:
        """Put a selection into the link, leaving out a default (a short link means the default view)."""
        if value == default:
            if key in st.query_params:
                del st.query_params[key]
        else:
            st.query_params[key] = value
        st.session_state[_WROTE.format(key)] = value

    def pinned(self, key: str = "pin", limit: int | None = None) -> list[str]:
        """Parks the reader pins (the overview shows each as a card): a search (name, alias, id, pinyin initials)
        narrows the parks a multiselect offers, and the choice lives in the link as `pin=id1,id2` (at most
        `limit`). Unknown ids in the link are dropped with one notice showing them as text (escaped, cut to
        URL_VALUE_MAX characters); nothing in the value is interpreted."""
        from . import overview, views

        limit = limit or overview.PIN_MAX
        wkey = self.widget_key(key)
        if wkey not in st.session_state and (prior := self.carried(key)) is not None:
            st.session_state[wkey] = prior
        if wkey not in st.session_state:
            raw = st.query_params.get(key)
            valid, unknown = overview.parse_pins(raw, self.parks, limit)
            if unknown and raw != st.session_state.get(_WROTE.format(key)):
                st.warning(self.t("pin_unknown", param=key, values=cut(", ".join(unknown))),
                           icon=":material/link_off:")
            st.session_state[wkey] = valid
        chosen = [p for p in st.session_state[wkey] if p in self.parks]
        if chosen != st.session_state[wkey]:          # the data changed under the session: a park is gone
            st.session_state[wkey] = chosen
        c1, c2 = st.columns([1, 2])
        query = c1.text_input(self.t("peer_search"), key=f"w_{key}_query")
        found = views.find_parks(self.analysis, query, limit=views.PARK_PICKER_MAX)
        value = c2.multiselect(self.t("pin_label", n=limit), list(dict.fromkeys(chosen + found)), key=wkey,
                               format_func=self.park_name, max_selections=limit, select_all=False,
                               placeholder=self.t("pin_placeholder"))
        self.remember(key, ",".join(value), "")
        return list(value)

    def tabs(self, key: str, sections: list[tuple[str, str]]) -> dict:
        """Tabs whose open one lives in the link by a stable id (`section=pace`), the same in both languages.
        `sections`: (id, i18n key) pairs. The link may also name a tab by its label in either language; an unknown
        value falls back to the first tab with the same notice as other parameters. Returns id → tab container
        (only the open one has .open True: hidden tabs skip their work)."""
        ids = [sid for sid, _ in sections]
        labels = {sid: self.t(text_key) for sid, text_key in sections}
        any_label = {i18n.t(text_key, lang): sid for sid, text_key in sections for lang in i18n.LANGS}
        wkey = f"w_{key}"
        current = st.session_state.get(wkey)
        if current not in labels.values():
            sid = any_label.get(current) if current is not None else None   # the language changed: same tab
            if sid is None:
                raw = st.query_params.get(key)
                sid = raw if raw in ids else any_label.get(raw)
                if raw is not None and sid is None and raw != st.session_state.get(_WROTE.format(key)):
                    st.warning(self.t("unknown_param", param=key, value=cut(raw), fallback=cut(labels[ids[0]])),
                               icon=":material/link_off:")
            st.session_state[wkey] = labels[sid or ids[0]]
        containers = st.tabs([labels[sid] for sid in ids], key=wkey, on_change="rerun")
        open_id = next((sid for sid in ids if labels[sid] == st.session_state.get(wkey)), ids[0])
        self.remember(key, open_id, ids[0])
        return dict(zip(ids, containers))

    def park_name(self, park_id: str) -> str:
        park = self.parks.get(park_id)
        return i18n.name(park, self.lang) if park is not None else str(park_id)

    def indicator_name(self, indicator_id: str) -> str:
        indicator = self.indicators.get(indicator_id)
        return i18n.name(indicator, self.lang) if indicator is not None else str(indicator_id)

    def description(self, indicator_id: str) -> str:
        """The indicator's 口径 note in the reader's language, the ids and basis codes the catalogue's authors wrote
        into it shown by their names (industrial_output → 规上工业总产值, pct_of_plan → 占计划 %)."""
        ind = self.indicators.get(indicator_id)
        if ind is None:
            return ""
        text = ind.description_en if self.lang == "en" and ind.description_en else ind.description_zh
        return i18n.named_codes(text or "", self.indicators, self.lang)

    # --- rendering: editor text goes through md() here, and only here -----------------------------------------

    def heading(self, text: object) -> None:
        st.subheader(md(text), anchor=False)

    def info(self, text: object) -> None:
        """A notice that may carry editor text (a park's or an indicator's name): escaped."""
        st.info(md(text), icon=":material/info:")

    def caption(self, text: object) -> None:
        st.caption(md(text))

    def prose(self, text: object) -> None:
        if str(text).strip():
            st.markdown(md(text))

    def quote(self, text: object) -> None:
        st.markdown("> " + md(text))

    def marked(self, text: object, spans: list[tuple[int, int, str]], height: int | None = None) -> None:
        """A document with character ranges highlighted (marked_md); in a scrolling box of `height` px if given."""
        box = st.container(height=height, border=True) if height else st
        box.markdown(marked_md(text, spans))

    def field(self, label: object, value: object, bullet: bool = False) -> None:
        """"**label**：value", or "- label：value" as a list item."""
        colon = i18n.colon(self.lang)
        st.markdown(f"- {md(label)}{colon}{md(value)}" if bullet else f"**{md(label)}**{colon}{md(value)}")

    def lines(self, lines: list[object]) -> None:
        if lines:
            st.markdown("  \n".join(md(x) for x in lines))

    def grid(self, items: list, per_row: int = 3):
        """(bordered container, item) pairs laid out `per_row` to a row; nothing at all for no items."""
        items = list(items)
        for start in range(0, len(items), per_row):
            row = items[start:start + per_row]
            for column, item in zip(st.columns(per_row if len(items) > per_row else len(row)), row):
                yield column.container(border=True), item

    def chart(self, fig, filename: str) -> None:
        """A figure from views (None when there is nothing to draw: a notice instead). The camera button exports
        it at its own size, named `filename` (reports.images.export_name: park, indicator, year, language)."""
        if fig is None:
            st.info(self.t("no_data_for"))
            return
        if on_phone():
            # Laid out in pixels for 1000 px, a chart on a 390 px screen has 4-5 px text. A phone reads what it
            # shows instead, at its own font size: the title, a table of the points, the source line; the chart
            # itself (exactly the exported one, pinch to zoom) is one tap away.
            title, footer = charts.figure_text(fig)
            table = charts.figure_table(fig, self.lang)
            st.markdown(f"**{md(title)}**")
            if not table.empty:
                st.dataframe(table, hide_index=True, width="stretch", key=f"phone_{filename}"[:80])
            if footer:
                self.caption(footer)
            with st.expander(self.t("phone_chart_image"), expanded=table.empty):
                st.image(_phone_png(fig.to_json()), width="stretch")
            return
        # theme=None: Streamlit's theme would override the report template (colours, fonts).
        st.plotly_chart(fig, theme=None, width="content", config=charts.plotly_config(filename, fig, self.lang))

    def report_buttons(self, park_id: str | None) -> None:
        """"生成简报 / Briefing", "幻灯片 / Slides", "图表 / Charts": one click builds the report and downloads it.
        Each is a download button whose data is a callable (Streamlit 1.67 runs it when the button is clicked, on
        its own thread, while the button shows a spinner), so nothing is built on an ordinary rerun; the charts'
        PNGs are kept per data version (reports.chart_images), so a second click is quick. on_click "ignore":
        downloading does not rerun the page."""
        from . import reports

        st.subheader(self.t("reports"), anchor=False)
        analysis, lang = self.analysis, self.lang
        if park_id is None and reports.too_many_parks(analysis):
            st.info(self.t("reports_too_many", n=len(analysis.dataset.parks), max=reports.CROSS_PARK_MAX),
                    icon=":material/info:")
            return
        st.caption(self.t("reports_hint"))
        with st.expander(self.t("issue_options"), icon=":material/approval:"):
            leader = st.checkbox(self.t("leader_copy"), key="rep_leader")
            name = st.text_input(self.t("masthead_name"), key="rep_name", max_chars=40)
            c1, c2, c3 = st.columns([1, 3, 2])
            fields = {"issue": c1.text_input(self.t("masthead_issue"), key="rep_issue", max_chars=10),
                      "issuer": c2.text_input(self.t("masthead_issuer"), key="rep_issuer", max_chars=60),
                      "date": c3.text_input(self.t("masthead_date"), key="rep_date", max_chars=10),
                      "report_to": st.text_input(self.t("masthead_to"), key="rep_to", max_chars=200),
                      "copy_to": st.text_input(self.t("masthead_copy_to"), key="rep_copy_to", max_chars=200)}
        masthead = reports.Masthead(name, **fields) if name.strip() else None
        buttons = (("docx", "briefing_button", ":material/description:"),
                   ("pptx", "slides_button", ":material/slideshow:"),
                   ("png", "charts_button", ":material/image:"))
        for column, (fmt, label, icon) in zip(st.columns(len(buttons)), buttons):
            name = reports.file_name(analysis, park_id, lang, fmt)

            def build(fmt: str = fmt) -> bytes:  # called with no argument, on click
                return reports.build(analysis, park_id=park_id, lang=lang, fmt=fmt, editor=not leader,
                                     masthead=masthead)[0]

            with column:
                st.download_button(self.t(label), build, file_name=name, mime=reports.MIME[fmt],
                                   key=f"report_{fmt}", icon=icon, on_click="ignore",
                                   help=self.t("download_ready", name=name))

    def export_name(self, park: str | None, indicator: str | None, year: object) -> str:
        """A chart's file name (no extension): park, indicator, year and language."""
        from .reports.images import export_name
        return export_name(park, indicator, year, self.lang, "png")[:-4]

    def table(self, frame: pd.DataFrame, columns: dict[str, str], key: str | None = None,
              page_size: int = TABLE_PAGE, display=None, **kwargs) -> None:
        """Show `frame` with translated column headers; `columns` maps column → i18n key (or literal label).
        The grid is as tall as its rows (no 10-row scroll box); more than `page_size` rows are paginated. Long
        texts (quotes, tasks, notes) get wide columns, and clicking a row shows its quote in full below the grid.
        An empty frame shows a notice instead of an empty grid. `display`, if given, turns the rows of the page
        shown into display rows: only those are formatted, whatever the size of `frame`."""
        if frame is None or frame.empty:
            st.info(self.t("no_data_for"))
            return
        key = key or "t_" + "_".join(columns)[:40]
        total = len(frame)  # the label function is called again later (AppTest does): not len() of the page
        if total > page_size:
            pages = (total - 1) // page_size + 1

            def rows_of(k: int) -> str:
                # our own counts, not editor text: nothing to escape (a select box shows its labels verbatim)
                return i18n.t("page_rows", self.lang, start=f"{k * page_size + 1:,}",
                              end=f"{min(total, (k + 1) * page_size):,}", n=f"{total:,}")
            if pages <= PICKED_PAGES:
                n = st.selectbox(self.t("page_n"), list(range(pages)), key=f"{key}_page", format_func=rows_of)
            else:  # 20,000 pages at national scale: a number, not a list of 20,000 labels on every rerun
                n = st.number_input(i18n.t("page_of", self.lang, n=f"{pages:,}"), min_value=1, max_value=pages, step=1,
                                    key=f"{key}_page_no") - 1
                st.caption(rows_of(n))
            frame = frame.iloc[n * page_size:(n + 1) * page_size]
        if display is not None:
            frame = display(frame)
        shown = frame[[c for c in columns if c in frame]].reset_index(drop=True)
        headers = {c: (self.t(k) if k in i18n.TEXT else k) for c, k in columns.items()}
        config = {headers[c]: st.column_config.TextColumn(width="large") for c in LONG_TEXT if c in shown} | {
            headers[c]: st.column_config.Column(width="small") for c in NARROW if c in shown}
        event = st.dataframe(shown.rename(columns=headers), hide_index=True, height="content", column_config=config,
                             key=key, on_select="rerun", selection_mode="single-row", **kwargs)
        rows = getattr(getattr(event, "selection", None), "rows", None) or []
        long = [c for c in LONG_TEXT if c in shown]
        if rows and long:
            row = shown.iloc[rows[0]]
            with st.container(border=True):
                for c in long:
                    if isinstance(row[c], str) and row[c].strip():
                        self.field(headers[c], row[c])

    def downloads(self, frame: pd.DataFrame, columns: dict[str, str], display, title: str,
                  filters: dict[str, str], where=None) -> None:
        """A table's two downloads, built when clicked. For people, an Excel workbook of the table as the page
        shows it (`display` on every row, `columns` as in `table`: labels in the reader's language, figures with
        units and comparators as written, ≥4亿元), under a heading with what it is, the filter applied and the
        data's date; the chosen filter values are in the file name. For programs, a CSV of the codes."""
        from . import exports
        from .reports.images import export_name
        from .views import data_date

        sep = "；" if self.lang != "en" else "; "
        every = self.t("all")
        chosen = [v for v in filters.values() if v != every]
        stem = export_name(title, "_".join(chosen) or None, None, self.lang, "xlsx")[:-len(".xlsx")]
        headers = {c: (self.t(k) if k in i18n.TEXT else k) for c, k in columns.items()}

        applied = sep.join(f"{k}：{v}" if self.lang != "en" else f"{k}: {v}" for k, v in filters.items())
        heading = [title, self.t("download_filter", filter=applied or every),
                   self.t("download_as_of", date=data_date(self.analysis, None), n=f"{len(frame):,}")]

        def for_people() -> bytes:       # runs when clicked, on a thread of its own: nothing here reads the session
            shown = display(frame)
            return exports.excel_bytes({title: shown[[c for c in columns if c in shown]].rename(columns=headers)},
                                       heading=heading)
        c1, c2 = (where or st).columns(2)
        # on_click "ignore": a download does not rerun the page (a second click during that rerun was lost)
        c1.download_button(self.t("download_people"), for_people, file_name=f"{stem}.xlsx", icon=":material/table:",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
        c2.download_button(self.t("download_codes"), lambda: exports.csv_bytes(frame), file_name=f"{stem}_codes.csv",
                           mime="text/csv", icon=":material/data_object:", on_click="ignore")

    def problems_table(self, problems: list[Problem]) -> None:
        """Where, how grave, the stable code (for the docs and a search) and the message, headed in the reader's
        language."""
        rows = [{self.t("problem_where"): p.location(),
                 self.t("problem_severity"): i18n.label(i18n.SEVERITY, p.severity, self.lang),
                 self.t("problem_code"): p.code, self.t("problem_message"): p.message(self.lang)} for p in problems]
        st.dataframe(pd.DataFrame(rows), hide_index=True)

    def indicator_label(self, indicator_id: str) -> str:
        """An indicator's name, and its id only where another indicator has the same name (editors must tell them
        apart; readers never see an id otherwise)."""
        name = self.indicator_name(indicator_id)
        names = self.analysis.memo(("indicator_names", self.lang),
                                   lambda: Counter(self.indicator_name(i) for i in self.indicators))
        return f"{name}（{indicator_id}）" if names[name] > 1 else name

    def finish(self) -> None:
        """Draw the navigation last, so its links carry the selections this run made. (The guard calls it.)"""
        params = {k: st.query_params[k] for k in CARRIED_PARAMS if k in st.query_params}
        with self.nav:
            for path, key, icon in PAGES:
                st.page_link(path, label=self.t(key), icon=icon, query_params=params)


def _widget_key(key: str, lang: str) -> str:
    return f"w_{key}" if lang == "zh" else f"w_{key}.{lang}"


def _widget_keys(key: str) -> list[str]:
    return [_widget_key(key, lang) for lang in i18n.LANGS]


def page_setup(key: str) -> Page:
    """Everything a page needs before it draws: config, language, sidebar, data and its health. Never raises
    for bad data: the file-level problems go on top, then the last valid data or an explained empty state."""
    lang = st.query_params.get("lang", "zh")
    lang = lang if lang in i18n.LANGS else "zh"
    st.set_page_config(page_title=f"{i18n.t(key, lang)} · {i18n.t('app_title', lang)}",
                       page_icon=":material/factory:", layout="wide", initial_sidebar_state="auto")
    # "auto": the sidebar starts collapsed on a narrow screen (a phone) and open on a wide one.
    st.html("<style>[data-testid='stPlotlyChart']{overflow-x:auto;max-width:100%}</style>")
    with st.sidebar:
        heading, nav = st.container(), st.container()   # filled once the switch below has given the language
        if st.session_state.get("w_lang") not in i18n.LANGS:
            st.session_state["w_lang"] = lang
        lang = st.segmented_control(i18n.TEXT["language"][0], list(i18n.LANGS), key="w_lang", required=True,
                                    format_func=lambda x: {"zh": "中文", "en": "English"}[x])
        heading.markdown(f"**{i18n.t('app_title', lang)}**  \n{i18n.t('app_subtitle', lang)}")
    if lang == "zh":                        # the default language is left out of the link
        if "lang" in st.query_params:
            del st.query_params["lang"]
    else:
        st.query_params["lang"] = lang
    served = current_analysis(data_root())
    page = Page(key=key, lang=lang, nav=nav, served=served)
    st.title(page.t(key))
    if served.stale:
        st.error(page.t("stale_notice"), icon=":material/error:")
    elif served.updating:
        st.info(page.t("updating_notice"), icon=":material/sync:")
    elif served.unusable and (served.problems or not served.failed):
        st.error(i18n.both("not_loaded"), icon=":material/error:")
    if served.problems:
        page.problems_table(served.problems)
    if served.failed:
        st.error(i18n.both("load_failed", ref=served.failed), icon=":material/error:")
    return page
