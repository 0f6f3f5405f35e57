"""#19: what a newcomer met on the pages, each item as the reader sees it in Debian's chromium (frozen data)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browsing import grid_rows, main_text, settle
from conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def select_text(page: Page, label: str) -> str:
    """The text a select box shows (its chosen option, as the reader sees it)."""
    return page.get_by_role("combobox", name=label, exact=True).input_value()


def test_1_switching_the_language_relabels_the_select_boxes(server, page: Page):
    page.goto(server.url + "/park?park=linxiang&indicator=tech_industry_trade_revenue")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    settle(page)
    assert select_text(page, "园区") == "湖南临湘高新技术产业开发区"
    assert select_text(page, "指标") == "技工贸总收入"
    page.get_by_role("radio", name="English").click()
    expect(page.locator("h1").first).to_have_text("Park profile")
    settle(page)
    assert select_text(page, "Park") == "Hunan Linxiang High-tech Zone"
    assert select_text(page, "Indicator") == "Total technology, industry and trade revenue"
    page.get_by_role("radio", name="中文").click()
    expect(page.locator("h1").first).to_have_text("园区画像")
    settle(page)
    assert select_text(page, "园区") == "湖南临湘高新技术产业开发区"
    assert select_text(page, "指标") == "技工贸总收入"
    expect(page).to_have_url(re.compile("park=linxiang"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "newcomer_1_language_back_to_zh.png"), full_page=True)


def test_1_the_import_pages_select_boxes_follow_the_language_too(server, page: Page):
    """The import page's park, type and scope boxes (prefilled from the pasted text) are relabelled by a language
    switch, and keep the choice."""
    page.goto(server.url + "/import")
    expect(page.locator("h1").first).to_have_text("录入文件", timeout=30_000)
    box = page.get_by_label("文件全文")
    box.fill("临湘高新区2022年工作总结\n2022年，临湘高新区完成规模工业总产值401.5亿元。\n")
    box.press("Control+Enter")
    expect(page.get_by_text(re.compile("找到 1 个候选数字"))).to_be_visible(timeout=30_000)
    settle(page)
    assert (select_text(page, "园区"), select_text(page, "类型"), select_text(page, "范围")) == \
        ("湖南临湘高新技术产业开发区", "工作总结", "园区")
    page.get_by_role("radio", name="English").click()
    expect(page.locator("h1").first).to_have_text("Import")
    settle(page)
    assert (select_text(page, "Park"), select_text(page, "Type"), select_text(page, "Scope")) == \
        ("Hunan Linxiang High-tech Zone", "Summary (工作总结)", "park")


def ticks(page: Page, axis: str) -> list[str]:
    """The tick labels of the last chart on the page (Plotly draws them as SVG text)."""
    return page.locator(f".js-plotly-plot >> nth=-1 >> .{axis}tick text").all_text_contents()


def test_2_the_status_matrix_shows_the_chosen_year_and_the_district_apart(server, page: Page):
    page.goto(server.url + "/compare?tab=status&year=2022")
    expect(page.locator(".js-plotly-plot .gtitle").last).to_have_text(re.compile("^2022年目标完成状态"),
                                                                       timeout=30_000)
    settle(page)
    assert "卷烟及配套产业产值" not in ticks(page, "y")          # a 2025 target of the district
    page.get_by_role("combobox", name="年份", exact=True).click()
    page.get_by_role("option", name="2025", exact=True).click()
    expect(page.locator(".js-plotly-plot .gtitle").last).to_have_text(re.compile("^2025年目标完成状态"))
    settle(page)
    assert "卷烟及配套产业产值" in ticks(page, "y")
    assert ticks(page, "x")[:2] == ["正阳（黔江高新区）", "黔江区（区级）"]
    page.screenshot(path=str(ARTIFACTS / "newcomer_2_status_2025.png"), full_page=True)


def test_7_the_tracker_downloads_a_labelled_workbook_named_by_its_filter(server, page: Page, tmp_path):
    """#19.7: the people's workbook has the UI's labels, the filter in a heading row and in its file name, and
    figures as the page writes them (≥, units); the codes go to a CSV named as such."""
    import csv
    import io

    from openpyxl import load_workbook

    page.goto(server.url + "/tracker?t_park=linxiang")
    expect(page.get_by_role("button", name="下载表格（Excel，按所选条件）")).to_be_enabled(timeout=30_000)
    settle(page)
    grid_rows(page, "tracker")                          # the page is drawn whole before the click
    with page.expect_download(timeout=60_000) as got:
        page.get_by_role("button", name="下载表格（Excel，按所选条件）").click()
    name = got.value.suggested_filename
    assert name.startswith("目标跟踪_") and "临湘" in name and name.endswith("_zh.xlsx"), name
    path = tmp_path / name
    got.value.save_as(path)
    sheet = load_workbook(path).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "目标跟踪" and rows[1][0].startswith("筛选条件：园区：湖南临湘高新技术产业开发区")
    header = rows[4]
    assert header[:6] == ["指标", "年份", "目标值", "实际值", "完成率", "状态"] and "园区" in header
    assert not {"park_id", "indicator_id", "status"} & set(header)
    table = [dict(zip(header, r)) for r in rows[5:]]
    assert {r["园区"] for r in table} == {"临湘高新区"} and "无实际数据" in {r["状态"] for r in table}
    assert any(str(r["目标值"]).startswith("≥") for r in table)
    assert not any(isinstance(v, str) and v.startswith("'") for r in table for v in r.values())

    settle(page)
    with page.expect_download(timeout=60_000) as got:
        page.get_by_role("button", name="下载代码版 CSV（供程序使用）").click()
    assert got.value.suggested_filename == name.replace(".xlsx", "_codes.csv")
    got.value.save_as(tmp_path / "codes.csv")
    codes = list(csv.DictReader(io.StringIO((tmp_path / "codes.csv").read_text("utf-8-sig"))))
    assert {r["park_id"] for r in codes} == {"linxiang"} and len(codes) == len(table)


def test_8_the_chinese_ui_shows_no_codes_and_no_english(server, page: Page):
    """#19.8: the 口径 note names a district scope in Chinese, the chart toolbar speaks Chinese, the select boxes'
    hint too; no snake_case code anywhere in the main area."""
    page.goto(server.url + "/park?park=zhengyang&indicator=industrial_output")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    settle(page)
    page.get_by_text("口径说明").first.click()
    settle(page)
    text = main_text(page)
    assert "区级口径" in text and "scope=" not in text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    tips = page.locator(".js-plotly-plot").first.locator(".modebar-btn").evaluate_all(
        "els => els.map(e => e.getAttribute('data-title'))")
    assert tips[:3] == ["下载图片（PNG）", "缩放", "平移"], tips
    assert page.get_by_role("combobox", name="园区", exact=True).get_attribute("placeholder") == "请选择"
    page.goto(server.url + "/compare?tab=size_fair")
    expect(page.get_by_text(re.compile("编辑在园区档案中填写面积（平方公里）后即显示"))).to_be_visible(timeout=30_000)
    assert "area_km2" not in main_text(page)


def test_6_the_pace_tab_keeps_units_and_comparators_and_says_what_would_fill_it(server, page: Page):
    page.set_viewport_size({"width": 1600, "height": 1000})   # the grid's accessible table holds the columns in view
    page.goto(server.url + "/park?park=zhengyang&section=pace")
    rows = grid_rows(page, "park_pace")
    body = [dict(zip(rows[0], r)) for r in rows[1:]]
    targets = {r["目标值"] for r in body}
    assert {"前15名", "400亿元", "降低≥13.5%"} <= targets, targets     # a rank, a level, a reduction as written
    assert not {"15", "20", "1"} & targets                              # never a bare number
    assert all(r["说明"].startswith("缺少") and "即可测算" in r["说明"] for r in body if r["进度"] == "无基期数据")
    # a share or a rank has no level to grow: 不适用, said why, never 无基期数据
    assert {r["进度"] for r in body if r["目标值"] in ("前15名", ">40%")} == {"不适用"}
    page.goto(server.url + "/park?park=zhengyang&section=pace&lang=en")
    rows = grid_rows(page, "park_pace")
    targets = {dict(zip(rows[0], r))["Target"] for r in rows[1:]}
    assert {"40 billion yuan", "5 billion yuan", "top 15"} <= targets and "40.0 billion yuan" not in targets


def test_4_peers_never_rank_one_park_and_say_why_and_a_search_opens_its_match(server, page: Page):
    page.goto(server.url + "/peers?lang=en")
    expect(page.get_by_text(re.compile("^Only Zhengyang \\(Qianjiang\\) has a 2021 actual"))).to_be_visible(
        timeout=30_000)
    settle(page)
    text = main_text(page)
    assert "1 / 1" not in text and "Percentile" not in text
    title = page.locator(".js-plotly-plot .gtitle").first
    assert not re.search("rank 1 of 1", title.text_content())
    box, chart = title.bounding_box(), page.locator(".js-plotly-plot").first.bounding_box()
    assert box["y"] >= chart["y"] and box["x"] + box["width"] <= chart["x"] + chart["width"]   # never clipped
    assert "正阳" not in " ".join(ticks(page, "y"))                                               # English labels
    page.goto(server.url + "/peers?park=linxiang&indicator=industrial_output&group=level")
    expect(page.get_by_text(re.compile("都没有2022年“规上工业总产值”的实际值（其中1个只有目标值）"))).to_be_visible(
        timeout=30_000)
    settle(page)
    box = page.get_by_role("textbox", name=re.compile("^搜索园区"))
    box.fill("jygxq")
    box.press("Enter")
    settle(page)
    assert select_text(page, "园区") == "四川江油高新技术产业园区"
    page.screenshot(path=str(ARTIFACTS / "newcomer_4_peers_search.png"), full_page=True)


def _overlap(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_3_bar_labels_never_collide_and_a_stretch_label_is_as_dark_as_a_base_one(server, page: Page, lang):
    page.goto(server.url + "/compare" + ("?lang=en" if lang == "en" else ""))
    chart = page.locator(".js-plotly-plot").first
    expect(chart).to_be_visible(timeout=30_000)
    settle(page)
    labels = chart.locator("text.bartext")
    texts = labels.all_text_contents()
    assert any("+12%" in t for t in texts) and any("+15%" in t for t in texts), texts
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    boxes = [b for b in boxes if b and b["width"] > 0]
    assert not [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if _overlap(boxes[i], boxes[j])]
    seen = labels.evaluate_all(
        "els => els.map(e => [getComputedStyle(e).fill, getComputedStyle(e.closest('.trace')).opacity])")
    assert {fill for fill, _ in seen} == {"rgb(51, 51, 51)"} and {op for _, op in seen} == {"1"}, seen


@pytest.mark.parametrize("width, first", [(1440, ["Indicator", "Year", "Target", "Actual", "Attainment", "Status"]),
                                          (390, ["Indicator", "Year"])])
def test_5_the_tracker_shows_what_matters_first_at_desktop_and_phone_width(server, browser, width, first):
    """The grid's accessible table holds the columns drawn in view (it is virtualised like the canvas): at 1440 px
    the target, the actual and the status are among them, on a phone the indicator and its year."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(server.url + "/tracker?lang=en")
        header = grid_rows(page, "tracker")[0]
        assert header[:len(first)] == first, header
    finally:
        page.close()


def test_11_the_small_things(server, page: Page):
    """#19.11: the quote tab names the document, not the server's file, with full-width brackets (（目标）); the
    year-on-year table gives a level implied by 近6倍 as ≈7.7; a footer never breaks a date; a chart's file name
    has no "__"; the warm server's log starts without Streamlit's "No runtime found"."""
    page.goto(server.url + "/park?park=zhengyang&section=quote")
    expect(page.get_by_text(re.compile("^来源：《"))).to_be_visible(timeout=30_000)
    settle(page)
    text = main_text(page)
    assert "data/observations" not in text and ".csv:" not in text
    chosen = page.get_by_role("tabpanel").get_by_role("combobox").first.input_value()
    assert chosen.endswith(("（实际）", "（目标）")) and "(" not in chosen, chosen
    page.goto(server.url + "/park?park=zhengyang&section=yoy")
    rows = grid_rows(page, "park_yoy")
    by_indicator = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert by_indicator["协议引资"]["推算上年值"] == "≈7.7", by_indicator["协议引资"]
    page.goto(server.url + "/compare")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    settle(page)
    lines = page.locator(".js-plotly-plot .annotation-text tspan.line").all_text_contents()
    assert any(line.startswith("来源：") for line in lines) or any("来源：" in line for line in lines), lines
    assert not [line for line in lines if re.search(r"\d{4}-(\d{2}-?)?$", line)], lines
    assert "No runtime found" not in server.log_text()
