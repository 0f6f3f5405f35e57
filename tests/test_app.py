"""Every page through streamlit.testing.v1.AppTest, asserting on what the user sees."""
from __future__ import annotations

import base64
import json
import os

import numpy as np

import pytest
from streamlit.testing.v1 import AppTest

from conftest import FROZEN, ROOT, edit
from pages import shown
from parkmetrics import i18n

PAGES = {"overview": None, "park": "pages/1_park.py", "compare": "pages/2_compare.py",
         "tracker": "pages/3_tracker.py", "sources": "pages/4_sources.py", "peers": "pages/6_peers.py"}


def run(page: str = "overview", root=FROZEN, **params) -> AppTest:
    os.environ["PARKMETRICS_ROOT"] = str(root)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if PAGES[page]:
        at.switch_page(PAGES[page])
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _decode(node):
    """Plotly 7 ships numeric arrays as typed binary ({"dtype": "f8", "bdata": ...}): decode them to lists."""
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            return np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"])).tolist()
        return {k: _decode(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode(v) for v in node]
    return node


def figures(at: AppTest) -> list[dict]:
    return [_decode(json.loads(el.proto.spec)) for el in at.get("plotly_chart")]


def unit_line(fig: dict) -> str:
    """The chart's unit, written level above its y axis ("单位：亿元")."""
    return next(a["text"] for a in fig["layout"]["annotations"] if a["text"].startswith(("单位：", "Unit: ")))


def qp(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    return shown("\n".join(parts))


@pytest.fixture(autouse=True)
def _restore_env():
    before = os.environ.get("PARKMETRICS_ROOT")
    yield
    if before is None:
        os.environ.pop("PARKMETRICS_ROOT", None)
    else:
        os.environ["PARKMETRICS_ROOT"] = before


def metric(at: AppTest, label: str):
    return next(m.value for m in at.metric if m.label == label)


def test_overview_shows_parks_headlines_and_clean_data_health():
    at = run()
    assert at.title[0].value == "总览"
    assert [s.value for s in at.subheader] == ["重庆市正阳工业园区（黔江高新区）", "四川江油高新技术产业园区",
                                               "湖南临湘高新技术产业开发区"]
    body = texts(at)
    assert "2022 规上工业总产值：增长12%，力争增长15%" in body.replace("\\", "")
    assert "2022 规上工业总产值：390亿元" in body.replace("\\", "")
    assert metric(at, "数据条数") == "173" and metric(at, "错误") == "0"
    assert at.success[0].value == "所有数据均通过校验"
    assert "无实际数据：30" in body        # 江油's 30 targets, none with an actual yet
    assert [m.value for m in at.metric if m.label == "园区目标"] == ["14", "30", "19"]
    assert "另有 黔江区（区级） 目标 46 项（区级口径）" in [c.value for c in at.caption]


def test_overview_in_english():
    at = run(lang="en")
    assert at.title[0].value == "Overview"
    assert "Sichuan Jiangyou High-tech Industrial Park" in [shown(s.value) for s in at.subheader]
    assert "2022 Gross industrial output (above designated size): 39 billion yuan" in texts(at).replace("\\", "")
    assert metric(at, "Figures") == "173"
    assert "2022 Signed investment projects: ≥30" in texts(at).replace("\\", "")


def test_park_profile_chart_stands_alone():
    at = run("park", park="zhengyang", indicator="industrial_output")
    fig = figures(at)[0]
    title = fig["layout"]["title"]["text"]
    assert title == "重庆市正阳工业园区（黔江高新区）：规上工业总产值（2021–2022）"
    assert not fig["layout"]["yaxis"].get("title") and unit_line(fig) == "单位：亿元"     # level, never on its side
    footer = fig["layout"]["annotations"][-1]["text"].replace("<br>", "")
    assert footer.startswith("来源：") and "2021年工作总结" in footer and "2022年工作要点" in footer
    actual = next(t for t in fig["data"] if t["name"] == "实际")
    assert actual["y"] == [56.8] and "预计" in actual["text"][0]
    base = next(t for t in fig["data"] if t["name"] == "基本目标")
    assert base["y"] == [pytest.approx(63.616)] and "推算" in base["text"][0]
    assert fig["layout"]["template"]["layout"]["font"]["family"].startswith('"Noto Sans CJK SC"')
    assert fig["layout"]["template"]["layout"]["paper_bgcolor"] == "white"


def test_park_profile_tables_and_quotes():
    at = run("park", park="zhengyang", indicator="industrial_output")
    targets = at.dataframe[0].value
    assert len(targets) == 60 and targets["范围"].iloc[0] == "园区" and targets["范围"].iloc[-1] == "区级"
    assert set(targets["状态"]) == {"无实际数据"}
    assert "—" in set(targets["实际值"]) and "None" not in targets.to_string() and "nan" not in targets.to_string()
    yoy = at.dataframe[1].value
    assert "43.52" in set(yoy["推算上年值"]) and "协议引资" in set(yoy["指标"])
    at = run("park", park="zhengyang", section="2025年目标进度")
    pace = at.dataframe[1].value
    assert set(pace["进度"]) == {"无基期数据", "不适用"} and len(pace) == 30
    assert any("区级口径" in c.value for c in at.caption)
    at = run("park", park="linxiang", section="查看某个数字的原文")
    picker = next(s for s in at.selectbox if s.label == i18n.t("figure_quote", "zh"))   # the quote chooser
    label = "2021 新增规上工业企业 · 7家（实际）"
    assert label in picker.options
    picker.set_value(picker.options.index(label)).run()
    assert any(m.value.startswith("> 争取在去年7家基础上") for m in at.markdown)
    # the document, not the server's file (that is for editors: PARKMETRICS_EDITOR=1)
    assert any("临湘高新区2022年工作计划" in shown(c.value) for c in at.caption)
    assert not any("linxiang_2022_plan.csv" in shown(c.value) for c in at.caption)
    at = run("park", park="linxiang", section="重点任务")
    assert "完成园区空间总体规划批复" in set(at.dataframe[1].value["任务"])


def test_park_without_actuals_says_so_and_how_to_add_them():
    at = run("park", park="jiangyou")
    assert "尚无实际数据" in at.info[0].value and "“录入文件”页导入" in at.info[0].value and "kind=" not in at.info[0].value
    assert "2022年实际数据待录入：需要《2022年工作总结》" in texts(at)      # what is due, by document
    fig = figures(at)[0]
    assert unit_line(fig) == "单位：家"
    assert next(t for t in fig["data"] if t["name"] == "基本目标")["text"] == ["≥10"]
    assert at.info[-1].value == "所选条件下没有数据。"        # the empty YoY tab says so, no empty grid


def test_park_profile_in_english():
    at = run("park", park="linxiang", lang="en")
    assert at.title[0].value == "Park profile"
    fig = figures(at)[0]
    assert fig["layout"]["title"]["text"].startswith("Hunan Linxiang High-tech Zone: ")
    assert fig["layout"]["annotations"][-1]["text"].startswith("Source: ")


def test_unknown_link_value_falls_back_with_a_notice():
    at = run("park", park="nowhere")
    assert "park=nowhere" in at.warning[0].value
    assert at.selectbox[0].value == "zhengyang"
    assert "park" not in at.query_params          # the default is left out of the link


def test_compare_puts_parks_side_by_side_with_implied_levels():
    at = run("compare")
    assert [at.selectbox[i].value for i in range(3)] == ["output", "industrial_output", 2022]
    fig = figures(at)[0]
    assert fig["layout"]["title"]["text"] == "规上工业总产值：各园区2022年目标（尚无实际数据）"   # no actuals yet
    assert "需要各园区《2022年工作总结》" in at.info[0].value
    bars = {t["name"]: dict(zip(t["x"], t["y"])) for t in fig["data"] if t.get("x") and t["x"][0] is not None}
    assert bars["基本目标"]["临湘高新区"] == 390
    assert bars["基本目标"]["正阳（黔江高新区）"] == pytest.approx(63.616, rel=1e-3)
    assert bars["力争目标"]["正阳（黔江高新区）"] == pytest.approx(65.32, rel=1e-3)
    ambition = figures(at)[1]
    # 江油's 空闲标准厂房使用率 "提升20%以上" is a rise in a rate, not an output growth rate: kept apart, named in the note
    assert {t["name"] for t in ambition["data"]} == {"正阳（黔江高新区）", "临湘高新区"}
    footer = ambition["layout"]["annotations"][0]["text"].replace("<br>", "")
    assert "未与产出增速并列：江油高新区 空闲标准厂房使用率 提升≥20%" in footer
    assert any("≥15%" in text for t in ambition["data"] for text in t["text"])     # the comparator is kept
    assert [t.label for t in at.tabs] == ["目标增速（雄心）", "目标完成状态", "数据覆盖", "按面积折算"]
    assert len(figures(at)) == 2        # only the open tab draws its chart


@pytest.mark.parametrize("tab, title", [("目标完成状态", "2022年目标完成状态：园区 × 指标（产值与收入）"),
                                        ("数据覆盖", "2022年数据覆盖：园区 × 指标（产值与收入）")])
def test_compare_tabs_open_from_the_link(tab, title):
    fig = figures(run("compare", tab=tab))[-1]
    assert fig["layout"]["title"]["text"] == title
    cells = {(y, x): text for y, row in zip(fig["data"][0]["y"], fig["data"][0]["text"])
             for x, text in zip(fig["data"][0]["x"], row)}
    if tab == "数据覆盖":
        # the year chosen (2022, the indicator's latest): 正阳's base and stretch targets; its actuals are 2021's
        assert cells[("规上工业总产值", "正阳（黔江高新区）")] == "目标2<br>实际0"
        assert cells[("链主企业产值", "黔江区（区级）")] == "目标1<br>实际0"
        assert cells[("技工贸总收入", "临湘高新区")] == "目标1<br>实际0"
    else:
        assert cells[("规上工业总产值", "临湘高新区")] == "无实际数据"


def test_size_fair_tab_says_why_it_is_empty():
    at = run("compare", tab="size_fair")
    assert "面积（平方公里）" in at.info[-1].value and "area_km2" not in at.info[-1].value


def test_compare_changing_the_indicator_redraws_and_updates_the_url():
    at = run("compare")
    at.selectbox(key="w_indicator").select("industrial_value_added").run()
    assert qp(at, "indicator") == "industrial_value_added"
    assert figures(at)[0]["layout"]["title"]["text"].startswith("规上工业增加值：")


def test_compare_says_when_scopes_differ():
    at = run("compare", family="enterprises", indicator="above_scale_enterprises", year="2025")
    assert any("区级口径" in c.value for c in at.caption)
    assert "黔江区（区级）" in figures(at)[0]["data"][0]["x"]


def test_tracker_lists_every_target_and_filters():
    at = run("tracker")
    table = at.dataframe[0].value
    assert len(table) == 109
    # Every row names the park its quote comes from (a regression: names were once attached in another order).
    park_of = dict(zip(table["原文"], table["园区"]))
    assert park_of["新增规模工业企业26家"] == "临湘高新区"          # the short name: a column, not a heading
    assert park_of["协议引资50亿元"] == "正阳（黔江高新区）"
    assert park_of["推动新增规上工业企业10户以上"] == "江油高新区"
    assert at.get("download_button")
    at = run("tracker", t_park="jiangyou", t_horizon="annual")
    table = at.dataframe[0].value
    assert len(table) == 30 and set(table["园区"]) == {"江油高新区"}
    at = run("tracker", t_horizon="multi_year", lang="en")
    assert set(at.dataframe[0].value["Scope"]) == {"district"}


def test_sources_page_lists_documents_observations_and_checks():
    at = run("sources")
    docs, observations = at.dataframe[0].value, at.dataframe[1].value
    assert len(docs) == 5
    assert docs.set_index("来源").loc["黔江区“工业强城”建设实施方案", "征求意见稿"]
    assert len(observations) == 173 and observations["原文"].str.len().min() > 0
    # the observations for people (labelled Excel) and for programs (codes), and all data and metrics as codes
    assert [b.proto.label for b in at.get("download_button")] == [
        "下载表格（Excel，按所选条件）", "下载代码版 CSV（供程序使用）", "下载全部数据与指标（代码版 Excel，供程序使用）"]
    checks = at.dataframe[-1].value
    assert "一致" in set(checks["状态"]) and "不一致" not in set(checks["状态"])


def test_bad_data_shows_its_problems_and_serves_the_valid_rest(data_copy):
    path = data_copy / "data/observations/linxiang_2022_plan.csv"
    edit(path, ",420,亿元,", ",四百二十,亿元,")
    at = run(root=data_copy)
    assert metric(at, "错误") == "1" and metric(at, "数据条数") == "172"
    problems = at.dataframe[0].value
    assert problems["代码"].tolist() == ["not-a-number"]
    assert problems["位置（文件:行）"].iloc[0] == "data/observations/linxiang_2022_plan.csv:2"


def test_edits_show_on_the_next_rerun_and_a_broken_file_keeps_the_last_valid_data(data_copy):
    at = run(root=data_copy)
    assert metric(at, "数据条数") == "173"
    csv = data_copy / "data/observations/linxiang_2022_plan.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "linxiang,park,tax_paid,2021,,actual,,3.6,亿元,=,level,,,"
                   "lx_2022_plan,实缴税收4亿元以上,\n", encoding="utf-8")
    at.run()
    assert metric(at, "数据条数") == "174"
    edit(data_copy / "parks.yaml", "    province: 湖南省\n", "\tprovince: 湖南省\n")
    at.run()
    assert not at.exception
    assert "上一次有效的数据" in at.error[0].value
    assert metric(at, "数据条数") == "174"                   # still serving the last valid data
    assert at.dataframe[0].value["代码"].tolist() == ["yaml-syntax"]


def test_editor_text_is_never_rendered_as_html(data_copy):
    edit(data_copy / "parks.yaml", "positioning: 全省首批", "positioning: <img src=x onerror=alert(1)> 全省首批")
    at = run("park", root=data_copy, park="jiangyou")
    shown = next(m.value for m in at.markdown if "onerror" in m.value)
    assert "\\<img" in shown      # escaped: shown as text, not markup


def test_size_fair_view_appears_once_an_area_is_known(data_copy):
    edit(data_copy / "parks.yaml", "    area_km2: null\n    leading_industries: [新型建材",
         "    area_km2: 20\n    leading_industries: [新型建材")        # 临湘
    at = run("compare", root=data_copy, tab="按面积折算")
    per_km2 = figures(at)[-1]
    bars = {t["name"]: dict(zip(t["x"], t["y"])) for t in per_km2["data"] if t.get("x") and t["x"][0] is not None}
    assert bars["基本目标"] == {"临湘高新区": pytest.approx(390 / 20)}
    assert unit_line(per_km2) == "单位：亿元/km²"


@pytest.fixture
def media_managers(monkeypatch) -> list:
    """The media file manager of every AppTest run (AppTest makes one per run and forgets it after)."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import app_test

    managers = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test, "MediaFileManager", Recording)
    return managers


def _click_download(mgr, button) -> tuple[bytes, str]:
    """What the browser does on one click of a deferred download button: the server runs the button's callable
    (MediaFileManager.execute_deferred) and serves the file under the button's file name."""
    url = mgr.execute_deferred(button.proto.deferred_file_id)
    media = mgr._storage.get_file(url.rsplit("/", 1)[-1])
    return media.content, media.filename


def test_report_buttons_download_on_one_click_and_build_nothing_before(monkeypatch, media_managers):
    """生成简报 / Briefing: one click builds the file and downloads it (a download button whose data is built
    on click), named after the park, the date of the data and the language; rendering the page builds nothing."""
    import io

    from docx import Document
    from pptx import Presentation

    from parkmetrics import reports

    built = []
    real = reports.build
    monkeypatch.setattr(reports, "build", lambda *a, **k: built.append(k["fmt"]) or real(*a, **k))
    at = run("park", park="linxiang")
    buttons = {d.proto.label: d for d in at.get("download_button") if d.key and d.key.startswith("report_")}
    assert list(buttons) == ["生成简报（Word）", "幻灯片（PPT）", "图表（PNG+SVG 压缩包）"]
    assert not [b for b in at.button if b.key and b.key.startswith("report_")]      # no build-first button
    assert all(b.proto.deferred_file_id and b.proto.ignore_rerun for b in buttons.values())
    assert built == []                                                   # nothing built by drawing the page
    at.run()
    assert built == []                                                   # nor by a rerun
    buttons = {d.proto.label: d for d in at.get("download_button") if d.key and d.key.startswith("report_")}
    content, name = _click_download(media_managers[-1], buttons["生成简报（Word）"])
    assert built == ["docx"]
    assert name.endswith("_zh.docx") and "临湘高新区" in name and name in shown(buttons["生成简报（Word）"].proto.help)
    assert Document(io.BytesIO(content)).paragraphs[0].text.replace("\u2060", "") == "湖南临湘高新技术产业开发区目标与实绩简报"
    at = run("compare", lang="en")
    buttons = {d.proto.label: d for d in at.get("download_button") if d.key and d.key.startswith("report_")}
    content, name = _click_download(media_managers[-1], buttons["Slides (PowerPoint)"])
    assert name.endswith("_en.pptx") and Presentation(io.BytesIO(content)).slides
    assert built == ["docx", "pptx"]

def test_the_briefing_button_makes_a_leaders_copy_with_an_offices_masthead(media_managers):
    """#20: the page offers what the CLI does — the leader's copy (no self-checks) and an office's masthead; what the
    office types reaches the file as text, its control characters dropped."""
    import io

    from docx import Document

    from parkmetrics.reports.briefing import text_of

    at = run("park", park="linxiang")
    at.checkbox(key="rep_leader").check()
    at.text_input(key="rep_name").input("园区发展简报")
    at.text_input(key="rep_issue").input("3")
    at.text_input(key="rep_issuer").input("临湘市发展和改革局\x07")
    at.text_input(key="rep_to").input("市委、市政府领导").run()
    assert not at.exception
    button = next(d for d in at.get("download_button") if d.key == "report_docx")
    content, _ = _click_download(media_managers[-1], button)
    paragraphs = [p.text.replace("\u2060", "") for p in Document(io.BytesIO(content)).paragraphs if p.text.strip()]
    assert paragraphs[:2] == ["园区发展简报", "第3期"] and paragraphs[2].startswith("临湘市发展和改革局\t")
    assert paragraphs[-1] == "报送：市委、市政府领导" and "数据自检" not in text_of(content)


def test_the_park_page_and_the_tracker_offer_the_parks_reporting_form():
    """The 指标填报表 (parkmetrics.forms) for the park's target year and a period: offered on the park page and, once
    a park is chosen, on the tracker."""
    for at in (run("park", park="linxiang"), run("tracker", t_park="linxiang")):
        labels = [b.proto.label for b in at.get("download_button")]
        assert i18n.t("form_build", "zh") in labels, labels
        years = next(s for s in at.selectbox if s.key == "w_form_year_linxiang")
        assert years.options == ["2022"] and years.value == 2022
    assert i18n.t("form_build", "zh") not in [b.proto.label for b in run("tracker").get("download_button")]


def test_the_overview_shows_every_park_at_a_glance():
    """#19.10: a status chart of the plan year's targets per park (the district apart) and a park × year strip of
    the years with actuals, each with its source line, before the cards."""
    status, coverage = figures(run("overview"))[:2]
    assert status["layout"]["title"]["text"] == "2022年目标完成状态：各园区目标数"
    bars = {t["name"]: dict(zip(t["y"], t["x"])) for t in status["data"]}
    assert bars["无实际数据"] == {"正阳（黔江高新区）": 14, "黔江区（区级）": 4, "江油高新区": 30, "临湘高新区": 19}
    strip = coverage["data"][0]
    cells = {(y, x): t for y, row in zip(strip["y"], strip["text"]) for x, t in zip(strip["x"], row)}
    assert cells[("正阳（黔江高新区）", "2021")] == "目标0<br>实际63" and cells[("江油高新区", "2021")] == ""
    for fig in (status, coverage):
        assert fig["layout"]["annotations"][-1]["text"].startswith("来源：")
