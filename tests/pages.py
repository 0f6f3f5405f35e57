"""Run the app's pages through AppTest against any data root — shared by the never-down tests and the bad-input
corpus. Fast (one AppTest per page, default_timeout=30) and root-parametrised (serving.data_root() reads
$PARKMETRICS_ROOT, which run_page sets and leaves set, so a later `at.run()` reruns against the same root).

    at = run_page("pages/1_park.py", root, query={"park": "jiangyou"}, cold=True)
    assert_page_ok(at)
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGE_FILES = ("app.py", "pages/1_park.py", "pages/2_compare.py", "pages/3_tracker.py", "pages/4_sources.py",
              "pages/6_peers.py",
              "pages/5_import.py")
NAV_LABELS = {"zh": ["总览", "园区画像", "园区对比", "同类对比", "目标跟踪", "数据与来源", "录入文件"],
              "en": ["Overview", "Park profile", "Cross-park comparison", "Peers", "Target tracker", "Data and sources", "Import"]}
TIMEOUT = 30


def forget_valid_data() -> None:
    """A server that has never seen valid data: no cached analysis, no last valid data."""
    from parkmetrics import serving

    st.cache_resource.clear()
    st.cache_data.clear()
    serving.forget_data()


def run_page(path: str, root: Path | str, *, query: dict | None = None, cold: bool = False) -> AppTest:
    """Run one page (a path from PAGE_FILES) on the data in `root`, with `query` as its link's query string.
    The page runs as a deep link would (through app.py's switch_page, so the sidebar page links resolve)."""
    if cold:
        forget_valid_data()
    os.environ["PARKMETRICS_ROOT"] = str(root)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if path != "app.py":
        at.switch_page(path)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def run_all_pages(root: Path | str, *, cold: bool = False, query: dict | None = None) -> dict[str, AppTest]:
    """Every page on `root`; cold=True forgets valid data once, before the first page (each page then sees the
    same cold server, since a broken root never becomes the last valid data)."""
    if cold:
        forget_valid_data()
    return {path: run_page(path, root, query=query) for path in PAGE_FILES}


def shown(text: str) -> str:
    """What a reader sees of Markdown source that went through ui.md(): the backslash escapes and the invisible
    word joiners (which keep GFM from turning URLs into links) removed."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def page_text(at: AppTest) -> str:
    """Every text element of the page (titles, headers, markdown, captions, notices), as the reader sees it."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
    return "\n".join(shown(str(el.value)) for kind in kinds for el in at.get(kind))


def assert_page_ok(at: AppTest, lang: str = "zh") -> None:
    """The page ran without an exception element, has its title, and the sidebar navigation is drawn."""
    assert not at.exception, [e.value for e in at.exception]
    assert at.title and at.title[0].value, "the page has no title"
    links = [link.value for link in at.sidebar.get("page_link")]
    assert links == NAV_LABELS[lang], links
