"""Never down: whatever the data files hold, every page renders its title, the problems on top, the sidebar
navigation, and either the last valid data (a warm server) or an explained empty state (a cold one)."""
from __future__ import annotations

import ast
import re
import shutil
import threading

import pytest

from conftest import ROOT, copy_data, edit
from pages import (NAV_LABELS, PAGE_FILES, assert_page_ok, forget_valid_data, page_text, run_all_pages, run_page,
                   shown)


@pytest.fixture(autouse=True)
def _restore_env(monkeypatch):
    monkeypatch.setenv("PARKMETRICS_ROOT", str(ROOT))  # restored after the test, whatever run_page set


def _remove(root, rel):
    path = root / rel
    shutil.rmtree(path) if path.is_dir() else path.unlink()


def _yaml_syntax_error(root):
    edit(root / "parks.yaml", "    province: 湖南省\n", "\tprovince: 湖南省\n")


COLD_CASES = {
    "missing parks.yaml": (lambda r: _remove(r, "parks.yaml"), "parks.yaml", "file-missing"),
    "YAML syntax error in parks.yaml": (_yaml_syntax_error, "parks.yaml:", "yaml-syntax"),
    "empty indicators.yaml": (lambda r: (r / "data/indicators.yaml").write_text("", encoding="utf-8"),
                              "data/indicators.yaml", "empty-file"),
    "missing data/observations": (lambda r: _remove(r, "data/observations"), "data/observations", "file-missing"),
}


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("case", list(COLD_CASES))
def test_cold_start_with_a_broken_file_renders_every_page_explained(tmp_path, case):
    breaker, where, code = COLD_CASES[case]
    root = copy_data(tmp_path / "root")
    breaker(root)
    pages = run_all_pages(root, cold=True)
    for path, at in pages.items():
        assert_page_ok(at)
        notice = at.error[0].value
        assert "数据未能载入" in notice and "could not be loaded" in notice and "docs/problems.md" in notice, path
        assert notice.index("数据未能载入") < notice.index("could not be loaded")      # 中文 first
        top = at.dataframe[0].value                                                    # the root cause, on top
        assert top["位置（文件:行）"].iloc[0].startswith(where), (path, top.head())
        assert top["代码"].iloc[0] == code, (path, top.head())
        assert "提示" in top["说明"].iloc[0]                                    # with its hint
    overview, park, compare, tracker, sources = (pages[p] for p in ("app.py", "pages/1_park.py", "pages/2_compare.py",
                                                                    "pages/3_tracker.py", "pages/4_sources.py"))
    assert metric(overview, "数据条数") == "0"
    assert not compare.get("plotly_chart") and "此处暂无可显示的数据。" in [i.value for i in compare.info]
    assert "0 / 0" in page_text(tracker) and "所选条件下没有数据。" in [i.value for i in tracker.info]
    assert len(sources.get("download_button")) == 3       # the (empty) observations for people and programs, all data as codes
    if "parks.yaml" in where:        # no parks: the park page says there is nothing to show
        assert not overview.subheader and "此处暂无可显示的数据。" in [i.value for i in park.info]
    else:                            # parks still load: their profiles show, without figures
        assert [shown(s.value) for s in overview.subheader][1] == "四川江油高新技术产业园区"
        assert [m.value for m in overview.metric if m.label == "园区目标"] == ["0", "0", "0"]
        assert shown(park.subheader[0].value) == "重庆市正阳工业园区（黔江高新区）"
        assert "尚无实际数据" in park.info[0].value


def test_cold_start_in_english_keeps_the_notice_bilingual(tmp_path):
    root = copy_data(tmp_path / "root")
    _remove(root, "parks.yaml")
    at = run_page("pages/2_compare.py", root, query={"lang": "en"}, cold=True)
    assert_page_ok(at, lang="en")
    assert at.title[0].value == "Cross-park comparison"
    assert "数据未能载入" in at.error[0].value and "could not be loaded" in at.error[0].value


def test_warm_server_keeps_serving_the_last_valid_data(tmp_path):
    root = copy_data(tmp_path / "root")
    forget_valid_data()
    assert metric(run_page("app.py", root), "数据条数") == "173"          # the server has seen valid data
    _yaml_syntax_error(root)
    pages = run_all_pages(root)
    for path, at in pages.items():
        assert_page_ok(at)
        assert "上一次有效的数据" in at.error[0].value, path
        assert at.dataframe[0].value["代码"].tolist() == ["yaml-syntax"]
    overview = pages["app.py"]
    assert metric(overview, "数据条数") == "173"
    assert [shown(s.value) for s in overview.subheader][2] == "湖南临湘高新技术产业开发区"
    assert len(pages["pages/3_tracker.py"].dataframe[-1].value) == 109
    assert pages["pages/2_compare.py"].get("plotly_chart")


def test_a_slow_rebuild_serves_the_last_data_with_a_notice_until_the_new_data_is_ready(tmp_path, monkeypatch):
    """At 3,000 parks a rebuild takes tens of seconds: viewers keep the data from before the edit, told that the
    new data is being computed, and see the edit on their first rerun after the build."""
    from parkmetrics import serving, ui
    from parkmetrics.loader import fingerprint

    root = copy_data(tmp_path / "root")
    forget_valid_data()
    assert "技工贸总收入：420亿元" in page_text(run_page("app.py", root))
    monkeypatch.setattr(serving, "SLOW_BUILD_S", 0.0)          # this folder's builds now count as slow
    monkeypatch.setattr(serving, "PATIENCE_S", 0.2)
    release, real = threading.Event(), serving.analyse_root
    monkeypatch.setattr(serving, "analyse_root", lambda *args: release.wait(30) and real(*args))
    edit(root / "data/observations/linxiang_2022_plan.csv", ",420,亿元,", ",421,亿元,")
    for lang in ("zh", "en"):
        at = run_page("app.py", root, query={"lang": lang})
        assert_page_ok(at, lang=lang)
        notice = [i.value for i in at.info if "新数据正在计算" in i.value or "new data is being computed" in i.value]
        assert notice == [ui.i18n.t("updating_notice", lang)]
        assert not at.error                                    # nothing is wrong: the data is just not ready
    assert "技工贸总收入：420亿元" in page_text(run_page("app.py", root))    # the last data, whole
    release.set()
    serving._BUILDS[(str(root), fingerprint(root))].result(timeout=30)
    at = run_page("app.py", root)
    assert "技工贸总收入：421亿元" in page_text(at)
    assert not [i for i in at.info if "新数据正在计算" in i.value]


def test_a_build_that_fails_is_tried_again_on_the_next_rerun(tmp_path, monkeypatch):
    from parkmetrics import serving

    root = copy_data(tmp_path / "root")
    forget_valid_data()
    calls, real = [], serving.analyse_root

    def fails_once(r, previous=None):
        calls.append(r)
        if len(calls) == 1:
            raise RuntimeError("disk hiccup")
        return real(r, previous)
    monkeypatch.setattr(serving, "analyse_root", fails_once)
    first = run_page("app.py", root)
    assert_page_ok(first)
    assert any("内部错误" in e.value for e in first.error)
    second = run_page("app.py", root)
    assert len(calls) == 2 and metric(second, "数据条数") == "173" and not second.error


def test_a_park_without_any_figure_still_shows_its_profile(tmp_path):
    root = copy_data(tmp_path / "root")
    for csv in (root / "data/observations").glob("jiangyou*.csv"):
        csv.unlink()
    at = run_page("pages/1_park.py", root, query={"park": "jiangyou", "section": "查看某个数字的原文"}, cold=True)
    assert_page_ok(at)
    assert shown(at.subheader[0].value) == "四川江油高新技术产业园区"
    assert not at.get("plotly_chart")
    assert "所选条件下没有数据。" in [i.value for i in at.info]


def test_an_unexpected_error_is_logged_and_the_viewer_sees_a_short_message(monkeypatch, caplog):
    from parkmetrics import views

    def boom(*args):
        raise RuntimeError("boom in /srv/secret/path.py")
    monkeypatch.setattr(views, "park_facts", boom)
    at = run_page("pages/1_park.py", ROOT, query={"park": "linxiang"})
    assert_page_ok(at)                                    # no exception element, navigation drawn
    message = at.error[-1].value
    assert message.startswith("此部分暂时无法显示") and "could not be shown" in message
    assert "boom" not in page_text(at) and "/srv/secret" not in page_text(at)
    logged = [r for r in caplog.records if r.name == "parkmetrics.ui" and r.levelname == "ERROR"]
    assert logged and logged[-1].exc_info[0] is RuntimeError                   # logged on the server, traceback and all
    ref = logged[-1].getMessage().split("[ref ")[1].rstrip("]")
    assert f"编号 {ref}" in message and f"ref {ref}" in message                  # the viewer can quote the reference
    assert [link.value for link in at.sidebar.get("page_link")] == NAV_LABELS["zh"]


# --- text is text ---------------------------------------------------------------------------------------------


PAYLOAD = "[Log in again](https://evil.example/phish)"


def test_an_unknown_link_value_is_shown_as_text_and_cut():
    at = run_page("pages/1_park.py", ROOT, query={"park": PAYLOAD}, cold=False)
    notice = at.warning[0].value
    assert "](https" not in notice and "\\[Log in again\\]" in notice        # escaped: no link
    assert f"park={PAYLOAD} " in shown(notice)                               # the reader sees what was sent
    long = "x" * 200
    notice = run_page("pages/1_park.py", ROOT, query={"park": long}).warning[0].value
    assert "x" * 80 + "…" in notice and "x" * 81 not in notice


@pytest.mark.parametrize("text", [PAYLOAD, "<img src=x onerror=alert(1)>", ":red[x] :material/home: :smile: $x$",
                                  "# heading\n- item\n1. one\n    code", "www.evil.example a@evil.example",
                                  "\\*not bold\\*", "=HYPERLINK(\"http://x\",\"y\")"])
def test_md_leaves_no_markup(text):
    from parkmetrics.ui import md

    escaped = md(text)
    assert shown(escaped).replace("  \n", "\n") == "\n".join(line.strip() for line in text.strip().splitlines())
    bare = re.sub(r"\\.", "", escaped)                    # what is left once the escaped characters are gone
    assert not re.search(r"[!-/:-@\[-`{-~]", bare), bare    # no ASCII punctuation left to act as markup
    assert not re.search(r"^\s", escaped, re.M)              # no indented line (code block)


MARKDOWN_SINKS = {"markdown", "caption", "subheader", "header", "title", "warning", "info", "error", "success",
                  "write", "text_area", "toast"}


@pytest.mark.parametrize("path", PAGE_FILES)
def test_pages_pass_only_ui_labels_to_markdown_sinks(path):
    """The rule lives in ui.py: pages hand a Markdown sink nothing but page.t(...) (whose values are escaped);
    editor text goes through the Page helpers (heading, caption, prose, field, lines, quote)."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MARKDOWN_SINKS
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "page")):
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.JoinedStr):          # f"**{page.t('headline')}**": only page.t inside
                parts = [v.value for v in arg.values if isinstance(v, ast.FormattedValue)]
            else:
                parts = [arg]
            for part in parts:
                ok = (isinstance(part, ast.Call) and isinstance(part.func, ast.Attribute) and part.func.attr == "t"
                      and isinstance(part.func.value, ast.Name) and part.func.value.id == "page")
                assert ok, f"{path}:{node.lineno}: {ast.unparse(node)[:100]}"
