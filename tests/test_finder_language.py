"""The finder's language rules, each on sentences from real documents of the corpus (tests/fixtures/finder_corpus):
time phrases and their reach, relative years, tense and modality, lists, paired figures, ranks, tables — and the
reading of files it must refuse with a reason."""
from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from parkmetrics.finder import UnreadableDocument, find_candidates, read_bytes
from parkmetrics.finder import tables, timing
from parkmetrics.finder.candidates import prepare
from parkmetrics.loader import load_dataset

from finder_measure import CATALOGUE
from surface import NESTED_ELEMENTS, NESTED_ENTITIES, docx_bytes, docx_with, flate_bomb_pdf


@pytest.fixture(scope="module")
def indicators():
    return load_dataset(CATALOGUE).indicators


def rows(indicators, text: str, **kw) -> pd.DataFrame:
    return find_candidates(text, indicators, **kw)


def by_value(frame: pd.DataFrame) -> dict[float, pd.Series]:
    return {r["value"]: r for _, r in frame.iterrows()}


def _word_table(cells: list[list[str]], spans: dict[int, int] | None = None, title: tuple[str, ...] = (),
                merges: tuple[tuple[int, int, int], ...] = ()) -> str:
    """A .docx holding one table (rows of cells; `spans`: rows whose first cell spans the whole table; `merges`:
    (row, first column, last column) merged into one cell holding the first one's text) under the paragraphs
    `title`, as read."""
    import docx
    doc = docx.Document()
    for line in title:
        doc.add_paragraph(line)
    width = max(len(r) for r in cells)
    t = doc.add_table(rows=len(cells), cols=width)
    for i, row in enumerate(cells):
        if spans and i in spans:
            t.cell(i, 0).merge(t.cell(i, width - 1)).text = row[0]
            continue
        for j, value in enumerate(row):
            t.cell(i, j).text = value
    for i, first, last in merges:
        t.cell(i, first).merge(t.cell(i, last)).text = cells[i][first]
    buf = io.BytesIO()
    doc.save(buf)
    return read_bytes("表.docx", buf.getvalue())


# --- time --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, period", [
    # a period opening the sentence governs every later clause of it (200_operation, 206_operation)
    ("1至9月,全区实现社会消费品零售总额71.06亿元,增长0.5%;限额以上批发业完成销售额37.5亿元,增长0.7%。", "M1-M9"),
    ("一季度,全县实现地区生产总值56.82亿元,增长4.6%。其中,第一产业增加值5.32亿元。", "Q1"),
    # 预计/今年 may stand before it (102_summary)
    ("预计全区上半年工业投资完成34.8亿元,增速34.9%。", "H1"),
    # 全年 takes over from an earlier month (a 统计 news item)
    ("2023年12月份,全市规上工业增加值同比增长14.0%;2023年全年,全市规上工业增加值同比增长6.6%。", None),
    # a stock at a month's end (200_operation)
    ("截至9月,高新区市场主体存量为36581户。", "M9"),
    # the other ways a month range is written: Chinese numerals, 前N个月 (never a figure itself), quarters as a range
    ("一至八月,全区实现规模以上工业总产值120.5亿元,同比增长6.2%。", "M1-M8"),
    ("前8个月,全区实现规模以上工业总产值120.5亿元,同比增长6.2%。", "M1-M8"),
    ("前两个月,全区实现规模以上工业总产值20.5亿元。", "M1-M2"),
    ("1-3季度,全区实现规模以上工业总产值120.5亿元。", "M1-M9"),
    ("前三季,全区实现规模以上工业总产值120.5亿元。", "M1-M9"),
    ("5月当月,全区规模以上工业增加值增长9.1%。", "M5"),
])
def test_a_time_phrase_governs_its_sentence(indicators, sentence, period):
    found = rows(indicators, sentence, doc_type="summary", year=2023)
    if period is None:  # the last figure is the full year's, the first the month's
        assert list(found["period"]) == ["M12", ""]
    else:
        assert set(found["period"]) == {period}


def test_relative_and_base_years():
    assert timing.figure_year("较2023年末净增", 2024) == (2024, "explicit")        # 200_operation
    assert timing.figure_year("去年", 2024) == (2023, "last")
    assert timing.figure_year("比上年", 2024) == (None, None)                      # a comparison, not a year
    assert timing.figure_year("今年以来,累计新签约亿元以上项目", 2023) == (2023, "this")
    assert timing.horizon_year("到2025年,园区营业收入") == 2025


@pytest.mark.parametrize("text, doc_type, year", [
    ("2008上半年开发区经协工作总结\n开发区完成…", "summary", 2008),                         # 101_summary
    ("2016-2020年XX经济开发区“十三五”发展规划纲要\n到2020年…", "district_plan", 2016),      # 325_plan
    ("临港新片区“十四五”规划:初步实现目标\nGDP在2018年基础上翻两番", "district_plan", 2021),  # 321_plan
    ("政府工作报告\n——2023年12月21日在县第十八届人民代表大会第三次会议上", "plan", 2024),   # 108_plan_review
    # a five-year period reviewed (十三五期间) points to the plan after it; one followed by its goals is the plan's own
    ("第一节发展基础\n“十三五”期间,我省始终把产业园区作为…重要平台", "district_plan", 2021),      # 322_plan
    ("总结“十四五”期间从拓荒起步到产业立城的跨越式发展成就,并研究部署“十五五”规划及2026年经济工作。"
     "“十五五”时期发展目标(至2030年)", "district_plan", 2026),                              # 306_meeting
    # a page's publication line, wherever the page puts it among its opening lines (222_operation, 414_table)
    ("1-7月份全区规上工业经济运行情况\n\n来源:本站原创 作者:统计局 发布时间:2017年08月28日 浏览次数:\n"
     "一、工业增长基本稳定。1-7月份,全区规模以上工业累计实现增加值50.2亿元", "summary", 2017),
    ("6月,沙区规上工业当月产值增速扭负为正\n发布日期:2021-07-20\n今年以来,全区工业受…影响", "summary", 2021),
])
def test_the_year_a_document_is_about(text, doc_type, year):
    assert timing.infer_year(prepare(text), doc_type) == year


@pytest.mark.parametrize("title, doc_type", [
    ("2022年一季度嵩明县经济运行情况", "summary"), ("高新区1至9月经济运行情况", "summary"),
    ("XX新城2024年工作计划", "plan"), ("2024年政府工作报告", "plan"),
    ("经开区2022年经济社会发展总体情况和2023年工作打算汇报", "summary"),
    ("高新技术企业和科技型企业“双倍增”行动计划工作方案(2023—2027年)", "district_plan"),
])
def test_genres_from_the_title(title, doc_type):
    assert timing.infer_doc_type(prepare(title + "\n正文。")) == doc_type


# --- results and targets -----------------------------------------------------------------------------------------

def test_a_summary_states_results_and_its_targets_by_their_words(indicators):
    text = ("2023年市下达两区规上工业增加值增速确保目标增长12%,奋斗目标增长14%。"
            "1-5月,规上工业总产值上报数为97.74亿元,预测增长17.6%。")                   # 102_summary
    got = by_value(rows(indicators, text, doc_type="summary", year=2023))
    assert (got[12.0]["kind"], got[12.0]["target_level"]) == ("target", "base")
    assert (got[14.0]["kind"], got[14.0]["target_level"]) == ("target", "stretch")
    assert (got[97.74]["kind"], got[97.74]["period"]) == ("actual", "M1-M5")
    assert got[17.6]["estimate"] and got[17.6]["kind"] == "actual"


def test_a_plan_reports_last_years_results_without_target_words(indicators):
    text = "全区地区生产总值达到1767.3亿元,同比增长7.3%;2024年,地区生产总值力争增长6%。"   # 300_meeting
    got = by_value(rows(indicators, text, doc_type="plan", year=2024))
    assert (got[1767.3]["kind"], got[1767.3]["year"]) == ("actual", 2023)
    assert (got[7.3]["kind"], got[7.3]["year"]) == ("actual", 2023)
    assert (got[6.0]["kind"], got[6.0]["year"], got[6.0]["target_level"]) == ("target", 2024, "base")   # 力争 alone


def test_a_plans_review_section_holds_last_years_results(indicators):
    text = "2024年政府工作报告\n一、2023年工作回顾\n完成一般公共预算收入14.17亿元。\n二、2024年工作安排\n一般公共预算收入增长6%。"
    got = by_value(rows(indicators, text, doc_type="plan", year=2024))             # 106_plan_review
    assert (got[14.17]["kind"], got[14.17]["year"]) == ("actual", 2023)
    assert (got[6.0]["kind"], got[6.0]["year"]) == ("target", 2024)


@pytest.mark.parametrize("text", [
    # a web page's copy runs the paragraphs together: the heading between runs of spaces (345_plan_review) …
    "珠海高新区管理委员会工作报告  (2022年2月10日)  2021年工作回顾  2021年是“十四五”开局之年。"
    "主园区实现地区生产总值306.2亿元、增长9.7%;固定资产投资276亿元。  2022年工作安排  固定资产投资增长10%。",
    # … or after a sentence's end, running into its first sentence (346_plan_review)
    "政府工作报告各位代表:现在,我代表区人民政府向大会报告工作。一、2021年工作回顾2021年是不同寻常的一年。"
    "全区实现地区生产总值306.2亿元,增长9.7%;全社会固定资产投资276亿元。二、2022年工作安排固定资产投资增长10%。",
])
def test_a_heading_inside_a_line_opens_its_section(indicators, text):
    got = by_value(rows(indicators, text, doc_type="plan", year=2022))
    assert {v: (got[v]["kind"], got[v]["year"]) for v in (306.2, 9.7, 276.0)} == dict.fromkeys((306.2, 9.7, 276.0),
                                                                                           ("actual", 2021))
    assert (got[10.0]["kind"], got[10.0]["year"]) == ("target", 2022)


@pytest.mark.parametrize("heading, year", [
    ("一、2022年国民经济和社会发展计划执行情况", 2022),   # a 计划执行情况 report: how the plan went (142_plan_review)
    ("“十三五”时期的工作回顾", 2020),                     # a heading with no number, the review's last year (143_plan_review)
])
def test_a_heading_that_reports_how_a_plan_went_holds_results(indicators, heading, year):
    text = (f"政府工作报告\n各位代表:\n{heading}\n全年实现地区生产总值2651.25亿元,增长1.0%。\n"
            "二、2023年主要目标\n地区生产总值增长5%左右。")
    got = by_value(rows(indicators, text, doc_type="plan", year=2023 if year == 2022 else 2021))
    assert {v: (got[v]["kind"], got[v]["year"]) for v in (2651.25, 1.0)} == dict.fromkeys((2651.25, 1.0),
                                                                                         ("actual", year))
    assert got[5.0]["kind"] == "target"
    # a list's item (一是招商思路进一步明确) is no heading: the results under it stay the summary's
    summary = by_value(rows(indicators, "2008年工业园区工作总结\n一是招商思路进一步明确\n今年共拆迁农房95户。",
                            doc_type="summary", year=2008))
    assert summary[95.0]["kind"] == "actual"


def test_a_period_that_opens_a_sentence_governs_its_paragraph(indicators):
    """A 运行情况 writes its period once per paragraph (a real 前三季度 note): the sentences after it in the paragraph
    take it — unless they name a year or are targets; a count of what there is (规模以上工业企业达32户) takes no months;
    a sentence opening with another period, or with 全年, ends the reach. With no period in the title, a period that
    opens a paragraph holds on over the next ones (214_operation)."""
    text = ("根据地区生产总值统一核算结果,前三季度,全区实现地区生产总值1291.92亿元,同比增长6.2%。其中,第三产业实现增加值"
            "488.68亿元。一般公共预算支出100.22亿元,同比下降29.3%。规模以上工业企业达32户。\n"
            "全区实现社会消费品零售总额440.96亿元。\n"
            "1-8月,园区实现工业总产值104.85亿元。全年完成固定资产投资23.35亿元。")
    got = by_value(rows(indicators, text, doc_type="summary", year=2025))
    assert {v: got[v]["period"] for v in (1291.92, 488.68, 100.22, -29.3)} == dict.fromkeys((1291.92, 488.68, 100.22,
                                                                                            -29.3), "M1-M9")
    assert [got[v]["period"] for v in (32.0, 440.96, 104.85, 23.35)] == ["", "M1-M9", "M1-M8", ""]
    titled = by_value(rows(indicators, "2025年1-6月经济运行情况\n" + text, doc_type="summary", year=2025))
    assert titled[440.96]["period"] == "M1-M6"   # the title's period, not the last paragraph's


def test_a_sections_heading_that_names_its_period_leads_its_paragraphs(indicators):
    """一、1-3月份主要经济指标完成情况 (182_operation) / 一、2021年1-11月工业经济指标完成情况 (378_summary): a numbered
    heading that names the period leads the paragraphs under it, as a period opening a paragraph does; a heading that
    opens with a year (二、2022年工作打算) ends its reach; a period that opens the sentence after a heading opens its
    paragraph."""
    text = ("今年以来,全县坚持稳中求进工作总基调,扎实推动高质量发展。\n"
            "一、1-3月份主要经济指标完成情况。\n"
            "根据地区生产总值统一核算结果,全县地区生产总值总量为52.22亿元,同比增长4.0%。\n"
            "(一)全县规模以上工业增加值同比增长7.5%,较去年同期回落0.9个百分点。\n"
            "二、2024年工作打算\n"
            "全年新增规上工业企业12家。")
    got = by_value(rows(indicators, text, doc_type="summary", year=2025))
    assert [got[v]["period"] for v in (52.22, 4.0, 7.5)] == ["M1-M3"] * 3
    assert got[12.0]["period"] == ""
    heading_year = by_value(rows(indicators, "县工信局工作汇报\n一、2021年1-11月工业经济指标完成情况\n"
                                              "1.全县规模以上工业增加值同比增长13%;全县工业税收完成1.96亿元。",
                                 doc_type="summary", year=2021))
    assert [heading_year[v]["period"] for v in (13.0, 1.96)] == ["M1-M11"] * 2
    # the first sentence after a numbered heading opens the paragraph too (二、工业生产保持平稳。前三季度,… — 183_operation,
    # 296_operation): its period holds on over the next paragraph, as 截止9月末's held before it
    after_heading = by_value(rows(indicators, "截止9月末,生猪出栏下降4.6%。\n二、工业生产保持平稳。前三季度,全县规模以上"
                                              "工业增加值增长15.4%。\n从支柱产业看,全县六大支柱及特色工业增加值增长14.5%。",
                                  doc_type="summary", year=2024))
    assert [after_heading[v]["period"] for v in (-4.6, 15.4, 14.5)] == ["M9", "M1-M9", "M1-M9"]


def test_a_period_said_once_holds_over_the_sections_after_it(indicators):
    """A news item says 前三季度 once, then headed sections that name no period (226_news: 工业经济稳进提质 / 服务业支撑
    有力; 225_news: 前三季度,经开区累计完成…。亨利食品等31个重点项目开工建设 — a count whose verb follows it happened in
    the period); a period opening a later sentence (预计上半年完成…) governs the rest of its paragraph only, and a list's
    lead-in (1至5月份各主体指标完成情况如下:) governs the items below it (118_summary)."""
    text = ("前三季度,滨海新区实现地区生产总值662.29亿元,同比增长8.2%。\n工业经济稳进提质\n规模以上工业增加值同比增长10.3%。\n"
            "服务业支撑有力\n亨利食品等31个重点项目开工建设,规模以上工业企业达32户。")
    got = by_value(rows(indicators, text, doc_type="summary", year=2023))
    assert [got[v]["period"] for v in (662.29, 10.3, 31.0, 32.0)] == ["M1-M9", "M1-M9", "M1-M9", ""]
    text = ("目前,园区共有工业企业31家,1至5月份各主体指标完成情况如下:\n"
            "(一)工业生产总值预计完成5.88亿元,同比增长17.6%。预计上半年完成6.69亿元,同比增长15.92%。\n"
            "(二)工业投资预计完成10620万元,同比下降75.31%。\n")
    got = by_value(rows(indicators, text, doc_type="summary", year=2014))
    assert [got[v]["period"] for v in (5.88, 17.6, 6.69, 15.92, 10620, -75.31)] == \
        ["M1-M5", "M1-M5", "H1", "H1", "M1-M5", "M1-M5"]


@pytest.mark.parametrize("doc_type", ["district_plan", None])
def test_a_five_year_plans_basis_section_is_the_last_plans_end_and_now_is_the_time_of_writing(indicators, doc_type):
    """A five-year plan's 发展基础 reviews the plan before it: its results are that plan's last year, whether the
    editor gave the type or not (322_plan); 目前/截止到目前 is the time of writing (322_plan, 307_meeting)."""
    text = ("湖南省“十四五”产业园区发展规划\n第一章 担使命\n第一节发展基础\n"
            "目前,全省共有省级及以上产业园区143家,其中国家级园区21家。“十三五”期间,我省始终把产业园区作为重要平台。\n"
            "1、园区经济总量大幅提升。全省园区实现生产总值1.46万亿元,较2015年年均增长9.83%。\n")
    got = by_value(rows(indicators, text, doc_type=doc_type, year=2021 if doc_type else None))
    assert (got[143.0]["kind"], got[143.0]["year"]) == ("actual", 2021)
    assert (got[21.0]["kind"], got[21.0]["year"]) == ("actual", 2021)   # a later clause of the 目前 sentence
    assert (got[14600.0]["kind"], got[14600.0]["year"]) == ("actual", 2020)
    assert (got[9.83]["kind"], got[9.83]["year"]) == ("actual", 2020)


@pytest.mark.parametrize("doc_type", ["plan", None])
def test_a_year_that_opens_a_paragraph_governs_it(indicators, doc_type):
    """2023年，… opens a paragraph whose later sentences name no year (300_meeting, 301_meeting); 回顾2023年，…
    reaches over the paragraphs after it until a sentence opens with another year (304_meeting)."""
    text = ("2023年,济南高新区认真落实中央决策部署和省市工作安排。全力稳定经济运行,全区地区生产总值达到1767.3亿元。\n"
            "2024年,株洲经开区将紧扣“双百亿”目标。规模工业增加值力争增长10%以上。\n"
            "回顾2023年,广安经开区坚持稳中求进工作总基调。\n\n经济增长拼出新成效。地方一般公共预算收入增长12.5%。\n"
            "2024年是关键之年。园区工业总产值增长15%。")
    got = by_value(rows(indicators, text, doc_type=doc_type, year=2024))
    assert (got[1767.3]["kind"], got[1767.3]["year"]) == ("actual", 2023)
    assert (got[10.0]["kind"], got[10.0]["year"]) == ("target", 2024)
    assert (got[12.5]["kind"], got[12.5]["year"]) == ("actual", 2023)   # two paragraphs after the review's lead
    assert got[15.0]["year"] == 2024                                      # a new year ends the review's reach
    assert timing.year_leads(prepare("2024年2月18日,春节假期后开工首日。")) == []  # a date is no lead


def test_a_bulleted_line_is_a_lists_item_not_a_sections_heading(indicators):
    """回顾2024年 on its own line heads a review (355_plan_review, a report's digest given as a 2025 plan); a bulleted
    result under it that names the year's targets (●…重点项目投资均超额完成全年目标任务) is one of its items, not a
    heading that opens a plans section — as 一是… is an item (329_plan's ●一是深化动力变革)."""
    text = ("开平市政府工作报告对2024年工作进行了回顾。\n回顾2024年\n2024年,开平市政府落实市委工作部署,奋力推动高质量发展。\n"
            "●地区生产总值完成515.47亿元,同比(下同)增长2.5%\n●省、江门市重点项目投资均超额完成全年目标任务\n"
            "●新设立外商投资企业81家\n●在建农文旅项目66个,完成投资36.31亿元")
    got = by_value(rows(indicators, text, doc_type="plan", year=2025))
    assert {v: (got[v]["kind"], got[v]["year"]) for v in (515.47, 81.0, 66.0, 36.31)} == \
        dict.fromkeys((515.47, 81.0, 66.0, 36.31), ("actual", 2024))
    assert timing.sections(prepare(text), 2025) == [(text.index("回顾2024年"), len(text), "actual", 2024)]


def test_a_headline_gives_way_to_the_sentence_that_says_it_again(indicators):
    """A news item's title restates its lede's figure; the row keeps the lede's sentence, with its period and
    context (210_news), and names the headline in its note."""
    text = ("中国工信部:前三季度国家高新区生产总值同比增长7.11%\n"
            "前三季度,178家国家高新区发展总体向好,园区生产总值(GDP)达到12.33万亿元,同比名义增长7.11%。")
    found = rows(indicators, text, doc_type="summary", year=2023)
    growth = found[found["value"] == 7.11]
    # the lede's clause, with the indicator it carries (名义 qualifies the growth, it names nothing)
    assert list(growth["quote"]) == ["园区生产总值(GDP)达到12.33万亿元,同比名义增长7.11%"]
    assert list(growth["period"]) == ["M1-M9"] and list(growth["indicator_id"]) == ["gdp"]
    assert "headline" in growth.iloc[0]["note"]


def test_another_kind_of_the_thing_is_no_match_for_an_indicators_name(indicators):
    """A real 前三季度 note: 第一产业增加值 is not 战新产业增加值 nor 工业增加值, 城镇消费品零售额 is not 零售业销售额 nor
    限上单位消费品零售额 — the catalogue has none of them, so no indicator (and a low confidence) rather than a wrong one;
    第三产业增加值 and 社会消费品零售总额 still find theirs."""
    text = ("前三季度,第一产业实现增加值72.61亿元;第三产业实现增加值488.68亿元。前三季度全区实现第二产业增加值730.64亿元。"
            "全区实现社会消费品零售总额440.96亿元。按经营单位所在地分,城镇消费品零售额351.65亿元;乡村消费品零售额89.31亿元。")
    got = by_value(rows(indicators, text, doc_type="summary", year=2025))
    assert [got[v]["indicator_id"] for v in (72.61, 730.64, 351.65, 89.31)] == [""] * 4
    assert all(got[v]["confidence"] <= 0.2 for v in (72.61, 730.64, 351.65, 89.31))
    assert (got[488.68]["indicator_id"], got[440.96]["indicator_id"]) == ("services_value_added", "retail_sales")


def test_prose_with_spaces_around_its_numbers_is_read_as_prose(indicators):
    """A web page that puts spaces around numbers (a 十五五 plan's review, achie.org): each line split into many
    "cells", so it was taken for a table and 15 of its 17 figures were lost. Read as sentences now, with
    截至 2024 年底 a past date (not a horizon), 是 2010 年的 5 倍 a comparison's base, 当年 the year just named,
    3.5 万余家 35,000 and 约 9.8 万亿元 approximate."""
    text = ("(一)“十四五” 发展成就\n“十四五” 期间,国家高新区实现跨越式发展。截至 2024 年底,全国国家高新区总数达 178 家,"
            "实现园区生产总值(GDP)19.3 万亿元,同比名义增长 7.6%;其中工业增加值约 9.8 万亿元,占全国比重 24.1%。\n"
            "2023 年企业 R&D 经费内部支出约 1.2 万亿元,省级及以上各类研发机构数量达 3.5 万余家,当年新注册企业超 100 万家,"
            "分别是 2010 年的 5 倍和 20.2 倍。\n")
    got = by_value(rows(indicators, text, doc_type="district_plan", year=2026))
    assert {v: got[v]["year"] for v in (178.0, 193000.0, 7.6, 98000.0, 24.1)} == dict.fromkeys(
        (178.0, 193000.0, 7.6, 98000.0, 24.1), 2024)
    assert [got[v]["year"] for v in (12000.0, 35000.0, 1e6, 5.0, 20.2)] == [2023] * 5
    assert got[98000.0]["approximate"] and got[35000.0]["approximate"] and not got[178.0]["approximate"]
    assert tables.detect(text) == []


def test_a_document_in_traditional_characters_is_read_and_quoted_as_written(indicators):
    """Web pages republish documents in Traditional characters (規模以上工業實現總產值490.5億元, 增長): read through
    t2s, the indicator, unit and basis are found; the quote is the page's own text."""
    text = "其中,規模以上工業實現總產值490.5億元,同比增長6.5%。工業投資同比增長364.8%。"
    got = by_value(rows(indicators, text, doc_type="summary", year=2021))
    assert (got[490.5]["indicator_id"], got[490.5]["unit"]) == ("industrial_output", "亿元")
    assert got[6.5]["basis"] == got[364.8]["basis"] == "growth_pct"
    assert got[490.5]["quote"] == "規模以上工業實現總產值490.5億元" and got[490.5]["quote"] in text


def test_a_title_that_names_a_plan_types_the_document_as_an_editor_would(indicators):
    """XX新城2024年工作计划 (110_plan_review): its 完成…25万平方米以上 and 新增…29万平方米 are targets, as when the
    editor gives the type; a 政府工作报告's review still holds results."""
    body = "一是提升招商成效。完成楼宇办公场所招商入驻25万平方米以上,新增标准化厂房29万平方米。"
    for title in ("XX新城2024年工作计划\n", ""):
        got = by_value(rows(indicators, title + body, doc_type="plan" if not title else None, year=2024))
        assert [got[v]["kind"] for v in (25.0, 29.0)] == ["target", "target"], title
    report = "2024年政府工作报告\n一、2023年工作回顾\n完成一般公共预算收入14.17亿元。"
    assert by_value(rows(indicators, report))[14.17]["kind"] == "actual"


def test_new_units_stay_new_units_where_the_catalogue_knows_only_the_stock(indicators):
    """新签约项目29个 (103_summary) and 新增…省数字化车间3个 (207_news) count new units: read as new_count even when
    the indicator the words match allows only a level, so the loader names the missing basis instead of the
    finder recording new units as a stock."""
    got = by_value(rows(indicators, "1-10月份,新签约项目29个,总投资171.85亿元。新增省企业研发中心3家、省数字化车间4个。",
                        doc_type="summary", year=2023))
    assert got[29.0]["basis"] == got[4.0]["basis"] == "new_count"
    assert got[171.85]["basis"] == "level"


def test_the_year_to_date_in_a_note_dated_before_december_is_flagged_not_taken_for_the_year(indicators):
    """今年以来 in a news item dated 8月10日 (213_news's dateline) or a note dated 2023年9月 is the year so far: the
    finder cannot tell which months, so it says so and lowers the confidence; in December (207_news) it is the
    year."""
    body = "今年以来,园区实现工业总产值120亿元。"
    for head, tail, flagged in (("中新网8月10日电 据人民日报报道,", "", True), ("运行情况\n", "\n2023年9月", True),
                                ("12月27日,市政府新闻办召开新闻发布会。", "", False)):
        got = rows(indicators, head + body + tail, year=2023).iloc[0]
        assert ("year to date" in got["note"]) == flagged and (got["confidence"] < 0.8) == flagged, head
        assert got["period"] == ""


def test_a_unit_that_begins_with_qian_is_not_a_thousand(indicators):
    """电力电缆42748千米, 发电量500千瓦时: 千 belongs to the unit (before, the figure was read as 42,748 thousand with
    no unit and dropped); 3千家 is still 3,000; 变压器2828.08万千伏安 is 万 of kVA."""
    text = "电力电缆累计实现42748千米,增长17.5%。发电量500千瓦时。新增3千家企业。变压器累计实现2828.08万千伏安。"
    got = {(r["value"], r["unit"]) for _, r in rows(indicators, text, doc_type="summary", year=2025).iterrows()}
    assert {(42748.0, "千米"), (500.0, "千瓦时"), (3000.0, "家"), (2828.08, "万千伏安")} <= got


def test_a_stock_is_never_read_as_new_units(indicators):
    """规模以上企业达32户 (202_operation) and 新增…5家,总数达到32家: a name the catalogue knows only as new units
    (培育规模以上企业 without its verb), but 达/总数达到 count the stock — the stock's indicator, basis level."""
    for text, value in (("规模以上企业达32户。", 32.0), ("新增规模以上企业5家,总数达到32家。", 32.0)):
        got = by_value(rows(indicators, text, doc_type="summary", year=2016))
        assert (got[value]["indicator_id"], got[value]["basis"]) == ("above_scale_enterprises", "level"), text


def test_a_change_on_last_year_is_a_change_with_its_sign(indicators):
    """较上年提高3.2万元 and 比上年减少3家 are changes (change_abs, −3 for a fall), never a level, whatever the
    matched indicator allows; 净增 likewise."""
    text = ("园区亩均税收达到28.5万元,较上年提高3.2万元。规上工业企业56家,比上年减少3家。园区净增市场主体120户。"
            "年末共有高新技术企业86家,比上年末增加15家。")
    got = by_value(rows(indicators, text, doc_type="summary", year=2023))
    assert got[28.5]["basis"] == got[86.0]["basis"] == "level"
    assert [got[v]["basis"] for v in (3.2, -3.0, 120.0, 15.0)] == ["change_abs"] * 4


def test_an_estimate_that_opens_a_sentence_governs_its_clauses(indicators):
    """预计 opening a 。-sentence makes every result in it an estimate, past its ；s (302_meeting, 106_plan_review);
    有望达到 is one too (207_news); a result in the sentence before is not."""
    text = ("全年完成固定资产投资30亿元。预计全年实现地区生产总值685亿元,增长8.5%左右;实现规模以上工业产值2220亿元,"
            "增长18.7%。高新技术企业总数有望达到170家。")
    got = by_value(rows(indicators, text, doc_type="summary", year=2022))
    assert not got[30.0]["estimate"]
    assert all(got[v]["estimate"] and got[v]["kind"] == "actual" for v in (685.0, 8.5, 2220.0, 18.7, 170.0))
    # after the place's name, whatever the place (主园区预计实现…: 155_summary)
    got = by_value(rows(indicators, "主园区预计实现地区生产总值260.93亿元、增长8.0%;规模以上工业增加值94.4亿元、增长3.1%。",
                        doc_type="summary", year=2019))
    assert all(got[v]["estimate"] for v in (260.93, 8.0, 94.4, 3.1))


def test_yuqi_mubiao_is_a_target_not_an_estimate(indicators):
    r = rows(indicators, "主要预期目标:地区生产总值增长6%左右。", doc_type="plan", year=2024).iloc[0]
    assert (r["kind"], r["estimate"], r["comparator"]) == ("target", False, "≈")


# --- paired figures, declines, multiples, ranks -----------------------------------------------------------------

def test_the_years_task_and_the_share_done(indicators):
    text = "1-5月,外贸进出口总额为13亿元,同比增长0.5%,完成年任务(40.2亿元)的32.5%。"      # 102_summary
    got = by_value(rows(indicators, text, doc_type="summary", year=2023))
    assert (got[40.2]["kind"], got[40.2]["basis"], got[40.2]["period"]) == ("target", "level", "")
    assert (got[32.5]["kind"], got[32.5]["basis"], got[32.5]["period"]) == ("actual", "pct_of_plan", "M1-M5")
    assert got[40.2]["indicator_id"] == got[32.5]["indicator_id"] == got[13.0]["indicator_id"] == "foreign_trade"


def test_declines_are_negative_growth_and_a_reduction_target_stays_one(indicators):
    got = rows(indicators, "1-5月,社会消费品零售总额累计完成43.11亿元,同比下降9.2%。", doc_type="summary",
               year=2023)                                                           # 102_summary
    assert (got.iloc[-1]["value"], got.iloc[-1]["basis"]) == (-9.2, "growth_pct")
    plan = rows(indicators, "规上工业增加值能耗强度降低13.5%以上。", doc_type="district_plan", year=2022).iloc[-1]
    assert (plan["value"], plan["basis"]) == (13.5, "reduction_pct")


@pytest.mark.parametrize("sentence, ranks", [
    ("增速居全省第2位", [2]),                                           # a 统计 news item
    ("项目签约数及投资额均居全市第一", [1, 1]),                              # 303_meeting: 均, one per item
    ("在2021年度全国217家国家级开发区综合考评中位列第13位", [13]),           # 302_meeting: never the 217
])
def test_ranks_and_never_the_field_ranked(indicators, sentence, ranks):
    found = rows(indicators, sentence, doc_type="summary", year=2023)
    assert [(r["value"], r["unit"], r["comparator"]) for _, r in found.iterrows()] == [(n, "位", "=") for n in ranks]
    target = rows(indicators, "力争在全省开发区综合考评中进入前三", doc_type="plan", year=2024).iloc[0]
    assert (target["value"], target["comparator"]) == (3, "≤")


# --- lists -------------------------------------------------------------------------------------------------------

def test_fenbie_with_the_unit_written_once_and_places_compared(indicators):
    found = rows(indicators, "全区地区生产总值增长8.1%,比全省、全市分别高2、1.4个百分点。", doc_type="summary",
                 year=2023)                                                         # 304_meeting
    assert [(r["value"], r["unit"], r["basis"], r["indicator_id"]) for _, r in found.iterrows()] == [
        (8.1, "%", "growth_pct", "gdp"), (2.0, "个百分点", "pp_change", "gdp"), (1.4, "个百分点", "pp_change", "gdp")]


def test_fenbie_items_in_the_clause_before_joined_by_he(indicators):
    found = rows(indicators, "汽车制造业、食品制造业、燃气生产和供应业三个行业增加值增势较好,分别增长89.2%、11.4%和"
                             "159.4%。", doc_type="summary", year=2022)                # 206_operation
    assert list(zip(found["indicator_text"], found["value"])) == [
        ("汽车制造业", 89.2), ("食品制造业", 11.4), ("燃气生产和供应业", 159.4)]


def test_a_list_unit_that_extends_the_earlier_ones(indicators):
    found = rows(indicators, "2023年全年,全市规上工业增加值同比增长6.6%,较一季度、上半年和前三季度分别提高7.9个、3.4个和"
                             "1.7个百分点。", doc_type="summary", year=2023)           # a 统计 news item
    assert list(zip(found["value"], found["unit"])) == [(6.6, "%"), (7.9, "个百分点"), (3.4, "个百分点"),
                                                        (1.7, "个百分点")]


# --- tables ------------------------------------------------------------------------------------------------------

def test_a_pasted_table_is_read_cell_by_cell(indicators):
    text = ("主要经济指标\n单位:亿元、%\n指标名称 1-9月 同比增长% 全年目标 完成进度%\n"
            "规上工业总产值 405.97 1.8 520 78.1\n固定资产投资 57.29 2.7 80 71.6\n")
    found = rows(indicators, text, doc_type="summary", year=2024)
    got = {(r["indicator_id"], r["basis"], r["kind"]): (r["value"], r["period"]) for _, r in found.iterrows()}
    assert got[("industrial_output", "level", "actual")] == (405.97, "M1-M9")
    assert got[("industrial_output", "growth_pct", "actual")] == (1.8, "M1-M9")
    assert got[("industrial_output", "level", "target")] == (520, "")
    assert got[("industrial_output", "pct_of_plan", "actual")] == (78.1, "M1-M9")
    assert set(found["quote"]) == {"规上工业总产值 405.97 1.8 520 78.1", "固定资产投资 57.29 2.7 80 71.6"}


@pytest.mark.parametrize("title, headers, periods", [
    ("2023年9月园区主要经济指标", "本月  累计  累计同比±%", ["M9", "M1-M9", "M1-M9"]),
    ("2023年1-9月园区主要经济指标", "绝对值  同比±%  全年目标", ["M1-M9", "M1-M9", ""]),
    ("2023年上半年主要指标完成情况", "全年目标  完成  完成进度%", ["", "H1", "H1"]),
    ("主要指标", "2022年  2023年  增长%", ["", "", ""]),
    ("2023年1-9月园区主要经济指标", "本期  上年同期  比上年同期增长%", ["M1-M9", "M1-M9", "M1-M9"]),
    ("2023年9月园区主要经济指标", "本月  本月止累计  累计增长%", ["M9", "M1-M9", "M1-M9"]),   # 累计 wins over 本月
    ("园区主要经济指标", "前8个月  增长%  全年目标", ["M1-M8", "M1-M8", ""]),              # the prose's ways too
])
def test_a_tables_title_gives_the_period_its_columns_do_not_name(indicators, title, headers, periods):
    """A monthly statistics table names its period in its title, its columns say only 本月/累计/绝对值: 本月 is the
    title's month, 累计 the months to it, a bare column the title's period, a 目标 column the year's."""
    text = f"{title}\n单位：亿元\n指标  {headers}\n规上工业总产值  12.5  105.3  6.8\n固定资产投资  3.2  30.1  5.5\n"
    got = rows(indicators, text, doc_type="summary", year=2023)
    assert list(got["period"][:3]) == periods
    if "上年同期" in headers:   # last year's figure for the same months; the growth on it is this year's
        assert list(got["year"][:3]) == [2023, 2022, 2023]


def test_a_sheet_that_sets_two_indicators_side_by_side_reads_each_with_its_own_label(indicators):
    """指标 单位 1-8月 增长% 指标 单位 1-8月 增长%: the right half's figures are its own indicator's, in its own unit;
    a 位次 column is a rank."""
    text = ("2024年1-8月主要经济指标\n指标  单位  1-8月  增长%  指标  单位  1-8月  增长%\n"
            "规上工业总产值  亿元  120.5  6.2  社会消费品零售总额  万元  80200  4.4\n"
            "固定资产投资  亿元  45.1  -3.1  一般公共预算收入  亿元  12.2  2.5\n")
    got = rows(indicators, text, doc_type="summary", year=2024)
    said = {(r["indicator_text"], r["basis"]): (r["value"], r["unit"]) for _, r in got.iterrows()}
    assert said[("社会消费品零售总额", "level")] == (80200, "万元")
    assert said[("社会消费品零售总额", "growth_pct")] == (4.4, "%")
    assert said[("一般公共预算收入", "level")] == (12.2, "亿元")
    assert said[("规上工业总产值", "level")] == (120.5, "亿元") and len(got) == 8
    ranked = rows(indicators, "2024年1-8月各区县主要指标\n指标  绝对额（亿元）  增速（%）  增速位次\n"
                              "地区生产总值  320.5  5.5  3\n规上工业增加值  80.1  7.2  1\n", doc_type="summary", year=2024)
    assert {(r["value"], r["unit"], r["basis"]) for _, r in ranked.iterrows() if r["basis"] == "rank"} == \
        {(3, "位", "rank"), (1, "位", "rank")}


def test_a_tables_row_numbers_are_neither_its_labels_nor_its_figures(indicators):
    """A 序号 column (1, 2, 3…) before the indicator column: the rows are read by their indicator, and no row
    number becomes a figure."""
    text = ("2023年1-9月园区主要经济指标\n序号  指标  单位  绝对值  同比±%\n1  规上工业总产值  亿元  105.3  6.8\n"
            "2  固定资产投资  亿元  30.1  5.5\n")
    got = rows(indicators, text, doc_type="summary", year=2023)
    assert sorted(got["value"]) == [5.5, 6.8, 30.1, 105.3]
    assert set(got["indicator_id"]) == {"industrial_output", "fixed_asset_investment"}


def test_detect_finds_tables_in_plain_text_only_where_rows_hold_numbers():
    text = "正文第一段。\n指标 本月 累计\n工业产值 12.5 98.1\n税收 3.2 20.4\n正文。"
    [table] = tables.detect(text)
    assert [text[r.start:r.end] for r in table.rows] == ["指标 本月 累计", "工业产值 12.5 98.1", "税收 3.2 20.4"]
    assert tables.detect("一段话。\n另一段话 有 空格 但没有数字\n") == []


def test_a_pdf_table_running_onto_the_next_page_keeps_its_headers(tmp_path, indicators):
    """A statistics table cut by a page break (407_table, 中山市1-6月进度数据: 工业企业经济效益 runs onto page 2) goes on
    without its headers: the rows on the new page are read with the first page's column headers and period."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # Adobe's CID font: no font file needed
    data = [["指标", "5月", "1-5月累计", "累计增长%"], ["企业个数(个)", "——", "3725", "0.1"]] + \
        [[f"行业{i}营业收入(亿元)", "——", f"{100 + i}.5", f"{i}.2"] for i in range(1, 41)]
    table = Table(data, repeatRows=0)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light", 10),
                               ("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    SimpleDocTemplate(str(tmp_path / "t.pdf"), pagesize=A4).build([Spacer(1, 400), table])
    raw = (tmp_path / "t.pdf").read_bytes()
    text = read_bytes("t.pdf", raw)
    assert len(text.tables) == 1 and len(text.tables[0].rows) == len(data)
    found = rows(indicators, text, doc_type="summary", year=2020)
    last = found[found["quote"].str.startswith("行业40营业收入")]
    assert sorted(zip(last["value"], last["unit"], last["basis"], last["period"])) == [
        (40.2, "%", "growth_pct", "M1-M5"), (140.5, "亿元", "level", "M1-M5")]


def test_a_pdf_paragraph_wrapped_at_the_margin_reads_as_one(tmp_path, indicators):
    """A PDF's text layer gives a paragraph as the page's lines: 规上工业总产 / 值405.97亿元 and 57.29 / 亿元 lost the
    indicator, the unit and the period. A line that runs to the margin without ending its sentence goes on in the
    next one (a heading or a list item opens its own line)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK")
    body = ("1-9月,高新区园区实现规上工业总产值405.97亿元,同比增长1.8%;园区实现固定资产投资57.29亿元,增长2.7%;"
            "实现社会消费品零售总额71.06亿元,增长0.5%。")
    story = [Paragraph("一、经济运行情况", style), Paragraph(body, style), Paragraph("二、下步打算", style)]
    SimpleDocTemplate(str(tmp_path / "w.pdf"), pagesize=A4, leftMargin=60, rightMargin=300).build(story)
    text = read_bytes("w.pdf", (tmp_path / "w.pdf").read_bytes())
    assert text.count("\n") == 2, text                       # the paragraph is one line again, headings their own
    got = by_value(rows(indicators, text, doc_type="summary", year=2024))
    assert {v: (got[v]["period"], got[v]["unit"]) for v in (405.97, 57.29, 71.06)} == {
        405.97: ("M1-M9", "亿元"), 57.29: ("M1-M9", "亿元"), 71.06: ("M1-M9", "亿元")}
    assert got[405.97]["indicator_id"] == "industrial_output"


def test_a_word_table_with_a_merged_header(tmp_path, indicators):
    import docx
    doc = docx.Document()
    doc.add_paragraph("园区主要经济指标")
    t = doc.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "指标"
    t.cell(0, 1).merge(t.cell(0, 2)).text = "1-6月"
    t.cell(1, 1).text, t.cell(1, 2).text = "绝对值(亿元)", "同比±%"
    t.cell(2, 0).text, t.cell(2, 1).text, t.cell(2, 2).text = "规上工业总产值", "88.6", "-3.2"
    buf = io.BytesIO()
    doc.save(buf)
    text = read_bytes("表.docx", buf.getvalue())
    assert text.split("\n")[1:] == ["指标 1-6月", "绝对值(亿元) 同比±%", "规上工业总产值 88.6 -3.2"]
    got = by_value(rows(indicators, text, doc_type="summary", year=2023))
    assert (got[88.6]["unit"], got[88.6]["period"], got[88.6]["basis"]) == ("亿元", "M1-M6", "level")
    assert (got[-3.2]["unit"], got[-3.2]["basis"]) == ("%", "growth_pct")


# --- files that must be refused with a reason --------------------------------------------------------------------

def test_the_type_is_read_from_the_bytes_not_the_name():
    data = docx_bytes("规上工业总产值405.97亿元")
    assert "405.97" in read_bytes("named.pdf", data)                       # a .docx named .pdf
    assert read_bytes("notepad.txt", "增长12%".encode("utf-16")) == "增长12%"  # Windows Notepad's "Unicode"


@pytest.mark.parametrize("name, data, code", [
    ("evil.docx", b"MZ\x90\x00" + b"\x00" * 200, "wrong-type"),
    ("cut.docx", None, "damaged"),
    ("plain.docx", None, "wrong-type"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj <<>> garbage", "damaged"),
    ("empty.txt", b"   \n", "empty"),
])
def test_unreadable_files_get_a_reason(name, data, code):
    if name == "cut.docx":
        data = docx_bytes("x")[:900]
    if name == "plain.docx":  # a zip, but no Word document in it
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("hello.txt", "hi")
        data = buf.getvalue()
    with pytest.raises(UnreadableDocument) as err:
        read_bytes(name, data)
    assert err.value.code == code and name in str(err.value) and " / " in str(err.value)  # zh / en


def test_a_docx_that_expands_too_far_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<a>" + "0" * (61 * 1024 * 1024) + "</a>")
    data = buf.getvalue()
    assert len(data) < 1024 * 1024                                             # a small file …
    with pytest.raises(UnreadableDocument) as err:
        read_bytes("bomb.docx", data)
    assert err.value.code == "too-complex"                                     # … that would unpack to 61 MB


def test_a_run_of_figures_costs_the_same_per_figure(indicators):
    """Not a timing: the number of candidates grows with the text and nothing looks back over the whole run
    (timing.WINDOW, candidates.REACH); bench.py --finder measures the time."""
    found = rows(indicators, "1家、" * 300)
    assert len(found) == 300


@pytest.mark.parametrize("text", [
    "园区实现规上工业总产值45.6亿元，同比增长12.3%。" * 200,
    "指标 本月 累计\n" + "".join(f"工业产值{i}(亿元) {i}.5 {i}.7\n" for i in range(200)),   # a table: read row by row
])
def test_a_time_budget_stops_the_reading_and_says_where(indicators, text):
    full = rows(indicators, text, doc_type="summary", year=2023)
    assert full.attrs["stopped_at"] is None
    cut = rows(indicators, text, doc_type="summary", year=2023, budget=0.0)
    assert cut.attrs["stopped_at"] is not None and len(cut) < len(full)
    assert (cut["end"] <= cut.attrs["stopped_at"]).all()               # nothing read past where it stopped


@pytest.mark.parametrize("as_table", [False, True])
def test_no_document_proposes_more_rows_than_a_review_table_holds(indicators, monkeypatch, as_table):
    """#17: a 2,000 × 30 statistics table proposed 58,000 rows (and 126 MB); past MAX_CANDIDATES the finder stops and
    says where, in prose and in tables alike."""
    from parkmetrics.finder import candidates
    monkeypatch.setattr(candidates, "MAX_CANDIDATES", 50)
    text = ("指标 本月 累计\n" + "".join(f"工业产值{i}(亿元) {i}.5 {i}.7\n" for i in range(40)) if as_table
            else "".join(f"园区实现规上工业总产值{i}.6亿元，同比增长{i}.3%。" for i in range(40)))
    cut = rows(indicators, text, doc_type="summary", year=2023)
    assert len(cut) == 50 and cut.attrs["stopped_at"] is not None
    assert (cut["start"] < cut.attrs["stopped_at"]).all()


def test_a_space_between_a_number_and_its_unit_and_a_past_plan_period():
    """Text from a PDF's text layer or a typist: 163.06 亿元, 12.5 % are figures with their units; a figure in a
    review of a past five-year plan (“十二五”期间累计…) is that plan's last year, an actual."""
    from parkmetrics.finder import figures, timing

    text = "全年实现营业收入163.06 亿元，同比增长12.5 %"
    assert [(f.value, f.unit, text[f.start:f.end]) for f in figures.scan(text)] == [
        (163.06, "亿元", "163.06 亿元"), (12.5, "%", "12.5 %")]
    assert figures.scan("2022 年 3 月") == []                     # a date stays a date
    assert timing.figure_year("“十二五”期间，累计完成工业总产值", 2016) == (2015, "explicit")
    assert timing.figure_year("“十四五”期间，力争完成", 2021) == (None, None)   # the plan's own period: not past


def test_a_pdf_flate_bomb_is_refused_before_it_is_inflated():
    """#17: 1 GB of content in a ~1 MB upload is "too complex", said at once, with the server's memory intact."""
    import resource
    import time

    from parkmetrics.finder.reading import UnreadableDocument, read_bytes

    bomb = flate_bomb_pdf(1 << 30)
    assert len(bomb) < 2 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(UnreadableDocument) as refused:
        read_bytes("bomb.pdf", bomb)
    assert refused.value.code == "too-complex"
    assert time.perf_counter() - started < 10
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 300 * 1024      # KiB: < 300 MB more


@pytest.mark.parametrize("name, xml", [("nested entities", NESTED_ENTITIES), ("5,000 nested tables", NESTED_ELEMENTS)])
def test_a_docx_xml_bomb_is_a_reason_not_a_crash(name, xml):
    """#17: a .docx whose XML declares nested entities (a billion laughs) or nests 5,000 elements is refused with a
    reason at once, never expanded and never a traceback."""
    import time

    from parkmetrics.finder.reading import UnreadableDocument, read_bytes

    started = time.perf_counter()
    with pytest.raises(UnreadableDocument) as refused:
        read_bytes(f"{name}.docx", docx_with(xml))
    assert refused.value.code in {"damaged", "too-complex"} and time.perf_counter() - started < 5


def test_a_clause_that_names_its_own_thing_is_not_read_as_an_earlier_clauses(indicators):
    """实现主营业务收入120亿元，利税9.8亿元: 利税 is no revenue (no indicator, its own words shown); 争取上级资金 is money
    obtained, a result in a summary (争取 + 资金 is no target word) and keeps its 上; 批次/场次 are counted units."""
    text = ("2023年工作总结\n园区企业实现主营业务收入120亿元，利税9.8亿元。争取上级资金1.2亿元。"
            "全年接待客商200余批次，开展企业培训12场次。")
    got = {r["value"]: r for _, r in find_candidates(text, indicators, doc_type="summary", year=2023).iterrows()}
    assert (got[9.8]["indicator_id"], got[9.8]["indicator_text"]) == ("", "利税")
    assert (got[1.2]["kind"], got[1.2]["indicator_text"]) == ("actual", "上级资金")
    assert (got[200]["unit"], got[12]["unit"]) == ("批次", "场次")


def test_an_older_summarys_words(indicators):
    """比去年同期增长 carries the amount before it; 新批…项目 counts new units (with the half-year's months); 亿元人民币 is
    an amount, not a size qualifier."""
    text = ("开发区2008年上半年工作总结\n上半年，开发区完成工业总产值45.6亿元，比去年同期增长23.5%；新批外资项目8个；"
            "招商引资到位资金12亿元人民币。")
    got = {r["value"]: r for _, r in find_candidates(text, indicators, doc_type="summary", year=2008).iterrows()}
    assert got[23.5]["indicator_text"] == got[45.6]["indicator_text"] and got[23.5]["basis"] == "growth_pct"
    assert (got[8]["basis"], got[8]["period"]) == ("new_count", "H1")
    assert got[12]["unit"] == "亿元"


def test_a_bare_sector_is_not_a_qualified_indicator(indicators):
    """分门类看，采矿业增加值增长5.1%，制造业增长8.5%: 制造业 is all of manufacturing, not 先进制造业增加值."""
    text = "1-5月,分门类看,采矿业增加值增长5.1%,制造业增长8.5%。"
    got = {r["value"]: r for _, r in find_candidates(text, indicators, doc_type="summary", year=2024).iterrows()}
    assert got[8.5]["indicator_id"] != "advanced_manufacturing_value_added" and got[8.5]["period"] == "M1-M5"


def test_a_five_year_plans_title_gives_its_goals_their_horizon(indicators):
    """XX高新区“十四五”发展规划 whose goals say no 到2025年: the goals are 2025's, the review's figures 2020's; 年均 makes
    its own rate a target of every year of the plan, not the level in the next ；-clause."""
    text = ("XX高新区“十四五”发展规划\n一、发展基础\n高新区地区生产总值年均增长8.5%，达到320亿元。\n"
            "二、发展目标\n地区生产总值达到500亿元，年均增长9%以上；规上工业企业达到220家。")
    got = find_candidates(text, indicators, doc_type="district_plan", year=2021)
    said = {v: sorted(got[got["value"] == v]["year"]) for v in (320, 500, 9, 220)}
    assert said == {320: [2020], 500: [2025], 9: [2021, 2022, 2023, 2024, 2025], 220: [2025]}


def test_a_project_pools_plan_beside_the_months_results(indicators):
    """A 运行分析's project pool (215_operation): 年度计划投资6.5亿元 is the year's target and names only its own figure —
    the 1~4月完成投资15万元 after it is a result; the pool's 总投资 is its size (no months); 在库服务业企业51家 is a count
    of what there is (服务业 is no verb), with no months either."""
    text = ("1~4月,省亿元以上项目库在库2个,总投资64.6亿元,年度计划投资6.5亿元,1~4月完成投资15万元。"
            "(2)服务业:1~4月,在库规模以上服务业企业51家,实现营业收入15.7亿元。")
    got = {r["value"]: r for _, r in find_candidates(text, indicators, doc_type="summary", year=2024).iterrows()}
    assert (got[6.5]["kind"], got[15]["kind"], got[15]["period"]) == ("target", "actual", "M1-M4")
    assert (got[64.6]["period"], got[51]["period"], got[15.7]["period"]) == ("", "", "M1-M4")


def test_an_assessments_own_structure_and_rules_are_no_figures(indicators):
    """商务部考评围绕5大类53项指标 counts the assessment's indicators; 排名最后5名的予以退出 is a rule's threshold."""
    text = ("商务部此次考评围绕产业基础、科技创新5大类53项指标进行量化评价,对连续两年排名最后5名的予以退出。"
            "该区位列全国第30位。")
    got = find_candidates(text, indicators, doc_type="summary", year=2022)
    assert list(got["value"]) == [30] and list(got["basis"]) == ["rank"]


def test_a_years_review_in_months_and_growths_of_unnamed_figures(indicators):
    """2023年1-12月份 is the whole year; 可比增长 carries the value added before it; 实现利润累计6.66亿元，同比下降
    3.26%: the growth is that figure's even when the catalogue names it not (its words go along)."""
    text = ("2023年1-12月份,园区累计完成工业增加值22.3亿元,可比增长7.01%。"
            "1-12月份,园区企业实现利润累计6.66亿元,同比下降3.26%。")
    got = {r["value"]: r for _, r in find_candidates(text, indicators, doc_type="summary", year=2023).iterrows()}
    assert set(r["period"] for r in got.values()) == {""}
    assert got[7.01]["indicator_text"] == got[22.3]["indicator_text"] and got[7.01]["basis"] == "growth_pct"
    assert got[-3.26]["indicator_text"] == got[6.66]["indicator_text"] and "利润" in got[6.66]["indicator_text"]


@pytest.mark.parametrize("text, want", [
    # a footnote's mark after a figure (45.1*)
    ("2024年1-8月主要经济指标\n指标  单位  1-8月  增长%\n规上工业总产值  亿元  120.5*  6.2\n固定资产投资  亿元  45.1  -3.1\n",
     {(120.5, "亿元", 2024, "M1-M8"), (6.2, "%", 2024, "M1-M8"), (45.1, "亿元", 2024, "M1-M8"), (-3.1, "%", 2024, "M1-M8")}),
    # a year per row and an indicator per column
    ("主要指标\n年份  地区生产总值（亿元）  高新技术企业（家）\n2022年  320.5  48\n2023年  350.2  55\n",
     {(320.5, "亿元", 2022, ""), (48, "家", 2022, ""), (350.2, "亿元", 2023, ""), (55, "家", 2023, "")}),
])
def test_tables_as_statistics_offices_lay_them_out(indicators, text, want):
    got = rows(indicators, text, doc_type="summary", year=2024)
    assert {(r["value"], r["unit"], r["year"], r["period"]) for _, r in got.iterrows()} == want
    if "年份" in text:
        assert set(got["indicator_text"]) == {"地区生产总值", "高新技术企业"}


def test_a_word_tables_second_header_row_names_the_units(indicators):
    """指标 | 1-8月 | 增长 over  | 亿元 | %: the unit is a word of the column's header."""
    cells = [["指标", "1-8月", "增长"], ["", "亿元", "%"], ["规上工业总产值", "120.5", "6.2"], ["固定资产投资", "45.1", "-3.1"]]
    got = find_candidates(_word_table(cells, title=("2024年1-8月主要经济指标",)), indicators, doc_type="summary",
                          year=2024)
    assert {(r["value"], r["unit"], r["period"]) for _, r in got.iterrows()} == \
        {(120.5, "亿元", "M1-M8"), (6.2, "%", "M1-M8"), (45.1, "亿元", "M1-M8"), (-3.1, "%", "M1-M8")}


def test_a_monthly_reports_month_is_the_year_to_date_and_another_month_its_own(indicators):
    """2020年10月全区经济运行情况: its figures run from January (10月 said bare, as its title says it); 其中9月… is the
    month alone and governs its own sentence only; 5月份 elsewhere stays the month (216_operation)."""
    text = ("2020年10月全区经济运行情况\n\n"
            "全区规上工业实现总产值121.25亿元,同比下降6.12%。其中9月实现总产值13.62亿元,同比增长7.91%。"
            "规模以上工业增加值同比下降9%。\n"
            "10月固定资产投资同比下降29.8%。\n")
    got = by_value(rows(indicators, text))
    assert {v: got[v]["period"] for v in got} == {121.25: "M1-M10", -6.12: "M1-M10", 13.62: "M9", 7.91: "M9",
                                                  -9: "M1-M10", -29.8: "M1-M10"}
    assert timing.title_period("2023年5月份经济运行情况\n") == "M5"
    assert timing.period("1 - 8月,全区") == "M1-M8" and timing.period("9月15日,全区") is None


def test_a_written_minus_sign_and_a_lists_growth_word_before_its_marker(indicators):
    """增幅分别为-33.82%、-15.75%: the sign is the figure's, 增幅 before 分别 says every value is a growth; 8%-10% is a
    range and 1-8月 a period, never a negative figure (216_operation)."""
    text = ("电子信息产业、医药化工产业产值增幅分别为-33.82%、-15.75%。规上工业总产值增幅为-3.5%。"
            "全年地区生产总值增长8%-10%。1-8月完成投资12亿元。")
    got = by_value(rows(indicators, text, doc_type="summary", year=2020))
    assert {v: got[v]["basis"] for v in got if got[v]["unit"] == "%"} == \
        {-33.82: "growth_pct", -15.75: "growth_pct", -3.5: "growth_pct", 8: "growth_pct"}
    assert 12 in got and -10 not in got and -8 not in got


def test_product_outputs_in_their_own_units(indicators):
    """A 运行情况's products: 千升 and 千瓦 are units (the 千 is no magnitude), 万只 ten thousand pieces (216_operation)."""
    text = "啤酒82348.23千升,车轮475.17万只,太阳能电池(光伏发电)29458千瓦,装机容量35万千瓦。"
    got = rows(indicators, text, doc_type="summary", year=2020)
    assert {(r["value"], r["unit"]) for _, r in got.iterrows()} == \
        {(82348.23, "千升"), (475.17, "万只"), (29458, "千瓦"), (35, "万千瓦")}


def test_a_list_goes_on_in_the_clauses_that_open_with_its_marker(indicators):
    """工业建安和服务业建安分别25.41亿元、17.16亿元，分别同比增长8.8%、下降5.6%，分别完成目标任务的93.7%、90.9%: one
    list of two items, three figures each; 、下降 joins a list of changes and turns its own value (113_summary)."""
    text = ("建安投资42.73亿元,其中:工业建安和服务业建安分别25.41亿元、17.16亿元,分别同比增长8.8%、下降5.6%,"
            "分别完成目标任务的93.7%、90.9%;实到外资2.39亿美元。")
    got = rows(indicators, text, doc_type="summary", year=2023)
    items = {(r["indicator_text"], r["value"], r["basis"]) for _, r in got.iterrows() if "分别" in r["note"]}
    assert items == {("工业建安", 25.41, "level"), ("服务业建安", 17.16, "level"),
                     ("工业建安", 8.8, "growth_pct"), ("服务业建安", -5.6, "growth_pct"),
                     ("工业建安", 93.7, "pct_of_plan"), ("服务业建安", 90.9, "pct_of_plan")}


def test_a_rank_held_and_a_tier_that_is_no_rank(indicators):
    """继续保持全国第一 is a rank of 1 (217_news); 保持全省第一方阵 names a tier, not a place."""
    got = rows(indicators, "综合保税区进出口总额继续保持全国第一。园区综合实力保持全省第一方阵。", doc_type="summary",
               year=2021)
    assert [(r["value"], r["basis"]) for _, r in got.iterrows()] == [(1, "rank")]


def test_a_rank_after_a_list_of_measures_is_each_ones(indicators):
    """生产总值、固投增幅继续保持全市第1 (317_meeting): a rank per item, the last item's 增幅 every item's; a list of places
    (成都、重庆位列全国前三) stays one figure."""
    got = rows(indicators, "生产总值、固投增幅继续保持全市第1;建安投资、工业投资、高技术产业投资增速全市排名第3。"
                           "成都、重庆位列全国前三。", doc_type="summary", year=2022)
    assert [(r["indicator_text"], r["value"], r["basis"]) for _, r in got.iterrows()] == [
        ("生产总值增幅", 1, "rank"), ("固投增幅", 1, "rank"), ("建安投资增速", 3, "rank"), ("工业投资增速", 3, "rank"),
        ("高技术产业投资增速", 3, "rank"), (got.iloc[-1]["indicator_text"], 3, "rank")]


def test_the_spoken_yi_is_yuan(indicators):
    """突破2个亿 in a speech (319_meeting): 2亿元, not two units of something."""
    got = rows(indicators, "去年,园区财政总收入突破2个亿。", doc_type="summary", year=2016)
    assert [(r["value"], r["unit"], r["indicator_id"]) for _, r in got.iterrows()] == \
        [(2.0, "亿元", "total_fiscal_revenue")]


@pytest.mark.parametrize("text, value", [
    ("半年生产总值还首次突破了千亿元大关。", 1000),   # 263_operation
    ("过去五年,经济总量跃上千亿元台阶。", 1000),      # 143_plan_review
])
def test_a_milestone_passed_is_a_level_not_a_size(indicators, text, value):
    """千亿元大关 / 千亿元台阶: the level reached, where 千亿元企业 would be a size (a qualifier, no figure)."""
    got = by_value(rows(indicators, text, doc_type="summary", year=2012))
    assert (got[value]["indicator_id"], got[value]["unit"], got[value]["kind"]) == ("gdp", "亿元", "actual")


def test_a_lists_last_qualifier_says_it_of_every_value(indicators):
    """分别增长6%、8%以上: both are floors (308_meeting); 分别增长7%、8%左右: both approximate."""
    got = rows(indicators, "2023年主要预期目标是:城乡居民人均可支配收入分别增长6%、8%以上,工业和服务业投资分别增长7%、8%左右。",
               doc_type="plan", year=2023)
    assert [(r["value"], r["comparator"], bool(r["approximate"])) for _, r in got.iterrows()] == \
        [(6, "≥", False), (8, "≥", False), (7, "≈", True), (8, "≈", True)]


@pytest.mark.parametrize("text, parts", [
    ("全区实现生产总值341.7亿元,三次产业比重为0.5:47.2:52.3。", (0.5, 47.2, 52.3)),             # 346_plan_review
    ("全市三次产业增加值比例调整为10.4:48.6:41.0。", (10.4, 48.6, 41.0)),                      # 470_table
    ("三次产业的比例为1.3:90:8.7。", (1.3, 90, 8.7)),                                          # 249_operation
])
def test_the_industries_proportions_are_a_structure_ratio(indicators, text, parts):
    """比重/比例/构成 of the 三次产业 say what 结构 says; a 配套比例为1:1 is no share of a whole."""
    got = rows(indicators, text + "资金配套比例为1:1。", doc_type="summary", year=2022)
    shares = got[got["basis"] == "share_pct"]
    assert [(r["indicator_text"], r["value"]) for _, r in shares.iterrows()] == \
        list(zip(("第一产业", "第二产业", "第三产业"), parts))


def test_a_structure_ratio_is_a_share_per_part_at_the_ratios_time(indicators):
    """三次产业结构由上年的9.4:66.8:23.8调整为8.3:71.1:20.6: six shares, three of last year and three of this; each
    quotes its ratio whole. A time (8:30) is no ratio (214_operation, 406/408/409_table)."""
    text = "三次产业结构由上年的9.4:66.8:23.8调整为8.3:71.1:20.6。会议于8:30召开。"
    got = rows(indicators, text, doc_type="summary", year=2022)
    assert [(r["indicator_text"], r["value"], r["year"], r["basis"]) for _, r in got.iterrows()] == [
        ("第一产业", 9.4, 2021, "share_pct"), ("第二产业", 66.8, 2021, "share_pct"), ("第三产业", 23.8, 2021, "share_pct"),
        ("第一产业", 8.3, 2022, "share_pct"), ("第二产业", 71.1, 2022, "share_pct"), ("第三产业", 20.6, 2022, "share_pct")]
    assert all(r["quote"] in text and "66.8" in r["quote"] for _, r in got.iterrows())


def test_a_share_of_a_target_task_named_beside_it(indicators):
    """占目标任务6亿元的110%: the 6亿元 is the year's target, the 110% the share done; 新开工…项目1个，占目标任务1个的: the
    task counts new units as its result does; 新签 is a new count (115_summary, 114_summary)."""
    text = ("引进到位市外资金6.6亿元,占目标任务6亿元的110%;新开工5亿元以上项目1个,占目标任务1个的100%;"
            "新签招商引资项目20个。")
    found = rows(indicators, text, doc_type="summary", year=2019)
    got = {(r["value"], r["unit"]): r for _, r in found.iterrows()}
    assert (got[(6, "亿元")]["kind"], got[(6, "亿元")]["target_level"]) == ("target", "base")
    assert (got[(110, "%")]["kind"], got[(110, "%")]["basis"]) == ("actual", "pct_of_plan")
    ones = found[found["value"] == 1]
    assert list(zip(ones["kind"], ones["basis"])) == [("actual", "new_count"), ("target", "new_count")]
    assert got[(20, "个")]["basis"] == "new_count"


def test_the_denominator_of_an_intensity_is_no_figure(indicators):
    """万元GDP能耗下降9.7%: 万元 is the intensity's denominator, not a figure of 10,000 yuan (409_table)."""
    got = rows(indicators, "全年万元GDP能耗下降9.7%,万元工业增加值用水量下降2%。", doc_type="summary", year=2022)
    assert sorted(got["value"]) == [-9.7, -2.0] and set(got["unit"]) == {"%"}


def test_days_and_concentrations_are_units(indicators):
    """优良天数达272天，比上年增加29天; PM2.5平均浓度47微克/立方米 (409_table)."""
    got = rows(indicators, "全年城区空气质量优良以上天数达272天,比上年增加29天。PM2.5平均浓度达47微克/立方米。",
               doc_type="summary", year=2022)
    assert {(r["value"], r["unit"], r["basis"]) for _, r in got.iterrows()} == \
        {(272, "天", "level"), (29, "天", "change_abs"), (47, "微克/立方米", "level")}


def test_a_figure_after_an_abbreviation_and_a_per_head_figure(indicators):
    """实现GDP307.3亿元 is GDP; 人均GDP45228元 is per head, never GDP; G318 and PM2.5 are names (408_table)."""
    text = "全年实现GDP307.3亿元,同比增长5%。人均GDP45228元。G318国道改造12公里,PM2.5平均浓度35微克/立方米。"
    got = {r["value"]: r for _, r in rows(indicators, text, doc_type="summary", year=2022).iterrows()}
    assert sorted(got) == [5, 12, 35, 307.3, 45228]
    assert got[307.3]["indicator_id"] == "gdp" and got[45228]["indicator_id"] != "gdp"
    assert (got[45228]["unit"], got[45228]["indicator_text"]) == ("元", "人均GDP")


def test_prices_rise_and_fall(indicators):
    """居民消费价格比上年上涨1.9%: a growth; 下跌2.1%: a fall (408_table)."""
    got = rows(indicators, "居民消费价格比上年上涨1.9%,工业生产者出厂价格下跌2.1%。", doc_type="summary", year=2022)
    assert {(r["value"], r["basis"]) for _, r in got.iterrows()} == {(1.9, "growth_pct"), (-2.1, "growth_pct")}


def test_tenths_and_doublings(indicators):
    """占全市比重近3成: about 30 %; 翻一番 / 翻两番: a growth of 1 and 3 times; 在2018年基础上 is the base, not the
    figure's year (303_meeting, 306_meeting, 321_plan)."""
    got = rows(indicators, "先进制造业增加值占全市比重近3成。电力总容量翻一番。到2025年,地区生产总值在2018年基础上翻两番。",
               doc_type="plan", year=2023)
    assert [(r["value"], r["unit"], r["comparator"], r["basis"]) for _, r in got.iterrows()] == [
        (30, "%", "≈", "share_pct"), (1, "倍", "=", "growth_multiple"), (3, "倍", "=", "growth_multiple")]
    assert list(got["year"])[-1] == 2025 and "×4" in list(got["note"])[-1]


def test_a_bare_numeral_in_a_list_takes_the_last_items_words(indicators):
    """二、三产业投资同比分别增长76.9%、0.3%: two items, 二产业投资 and 三产业投资 (206_operation)."""
    got = rows(indicators, "全区固定资产投资同比增长12%,二、三产业投资同比分别增长76.9%、0.3%。", doc_type="summary", year=2022)
    items = {r["value"]: r["indicator_text"] for _, r in got.iterrows() if "分别" in r["note"]}
    assert set(items) == {76.9, 0.3} and items[76.9].startswith("二产业投资") and items[0.3].startswith("三产业投资")


def test_the_years_task_named_before_its_words_and_points_below_the_other_side(indicators):
    """完成全年43亿元目标任务的34.82%: the 43亿元 is the year's target; 超目标任务1.5个百分点 is a result; 低于全市增速8.7个
    百分点 and 降幅较上月扩大3.4个百分点 are points below (negative), 降幅收窄 above (219_news, 220_operation)."""
    text = ("经开区招商引资到位资金累计完成14.98亿元,完成全年43亿元目标任务的34.82%。规模工业增加值增速11%,超目标任务1.5个百分点。"
            "固定资产投资增长5%,低于全市增速8.7个百分点;外贸进出口下降12%,降幅较上月扩大3.4个百分点,社零降幅较上月收窄1.2个百分点。")
    got = {r["value"]: r for _, r in rows(indicators, text, doc_type="summary", year=2019).iterrows()}
    assert (got[43]["kind"], got[43]["period"], got[43]["target_level"]) == ("target", "", "base")
    assert (got[34.82]["kind"], got[34.82]["basis"]) == ("actual", "pct_of_plan")
    assert got[1.5]["kind"] == "actual"
    assert {v for v in got if got[v]["unit"] == "个百分点"} == {1.5, -8.7, -3.4, 1.2}


def test_points_that_fell_are_negative(indicators):
    """较上半年回落0.1个百分点 and 亏损面…同比缩小1.8个百分点 are falls (222_operation, 224_operation); 降幅缩小 is a decline
    that eased (216_operation's 降幅收窄 likewise)."""
    text = ("规模以上工业增加值增长8.2%,较上半年回落0.1个百分点。亏损企业亏损面23.9%,同比缩小1.8个百分点。"
            "社会消费品零售总额下降3.1%,降幅较上月缩小2.2个百分点。")
    got = by_value(rows(indicators, text, doc_type="summary", year=2021))
    assert {v for v in got if got[v]["unit"] == "个百分点"} == {-0.1, -1.8, 2.2}


def test_a_new_unit_verb_beside_the_count(indicators):
    """新入园…项目62个 and 新设外资企业11家 count new units (117_summary, 225_news)."""
    text = "今年新入园1000万元以上工业项目62个,新设外资企业11家。"
    got = by_value(rows(indicators, text, doc_type="summary", year=2019))
    assert (got[62]["basis"], got[11]["basis"]) == ("new_count", "new_count")


def test_each_item_of_a_list_keeps_its_own_indicator(indicators):
    """固定资产投资、工业投资、服务业投资均增长12%左右: three rows, never two items on one indicator (329_plan)."""
    got = rows(indicators, "2024年主要目标:固定资产投资、工业投资、服务业投资均增长12%左右。", doc_type="plan", year=2024)
    assert list(got["indicator_text"]) == ["固定资产投资", "工业投资", "服务业投资"]
    assert got["indicator_id"].replace("", None).dropna().is_unique


def test_a_total_reached_is_a_stock_without_months(indicators):
    """前三季度,…新增上市企业8家，累计上市及过会企业达52家: the 8 are the months' flow, the 52 a stock (217_news)."""
    got = by_value(rows(indicators, "前三季度,成都高新区新增上市企业8家,累计上市及过会企业达52家;累计完成投资35亿元。",
                        doc_type="summary", year=2021))
    assert (got[8]["period"], got[52]["period"], got[35]["period"]) == ("M1-M9", "", "M1-M9")


def test_a_negative_growth_and_a_half_years_total(indicators):
    """同比负增长3.4%: −3.4; 半年累计完成…: the first half (410_table)."""
    got = by_value(rows(indicators, "6月全县实现规上工业产值20.67亿元,同比负增长3.4%;半年累计完成规上工业产值108.7亿元。",
                        doc_type="summary", year=2010))
    assert (got[-3.4]["basis"], got[108.7]["period"]) == ("growth_pct", "H1")


def test_a_monthly_table_with_its_title_block_and_one_unit_line_for_counts_and_amounts(indicators):
    """全县 2010.6 / 单位:个、万元 / 指标名称 本月 同比% 累计 同比%: the header is the row of words; counts take 个,
    amounts 万元, a 其中 row its parent's unit; 本月 is June, 累计 January to June, each 同比% the column on its left
    (410_table)."""
    text = ("工业生产销售总量指标\n全县 2010.6\n单位:个、万元\n指标名称 本月 同比% 累计 同比%\n"
            "企业单位数 4326 5.5 4327 5.6\n工业总产值 309748 3.3 1618573 16.2\n其中:规模以上 206713 -3.4 1086976 18.7\n")
    got = {r["value"]: (r["unit"], r["period"]) for _, r in rows(indicators, text, doc_type="summary", year=2010).iterrows()}
    assert got == {4326: ("个", "M6"), 5.5: ("%", "M6"), 4327: ("个", "M1-M6"), 5.6: ("%", "M1-M6"),
                   309748: ("万元", "M6"), 3.3: ("%", "M6"), 1618573: ("万元", "M1-M6"), 16.2: ("%", "M1-M6"),
                   206713: ("万元", "M6"), -3.4: ("%", "M6"), 1086976: ("万元", "M1-M6"), 18.7: ("%", "M1-M6")}


def test_an_index_on_last_year_is_a_growth(indicators):
    """2011年为上年% | 112: last year = 100, a growth of 12 % (411_table)."""
    text = "全市地区生产总值\n计量单位:亿元\n指标 2011年 2011年为上年%\n地区生产总值 6145.52 112\n第一产业 164.27 104.1\n"
    got = {(r["value"], r["unit"], r["basis"]) for _, r in rows(indicators, text, doc_type="summary", year=2011).iterrows()}
    assert got == {(6145.52, "亿元", "level"), (12, "%", "growth_pct"), (164.27, "亿元", "level"), (4.1, "%", "growth_pct")}


def test_a_columns_own_word_stands_over_the_catalogue(indicators):
    """占地区生产总值比重% | 100 in the GDP row is a share, even where the catalogue's GDP takes no share (408_table)."""
    text = "单位:亿元\n指标 绝对数 比上年增长% 占GDP比重%\n地区生产总值 355.2 0.6 100\n第一产业 27.9 3.5 7.9\n"
    got = {r["value"]: r["basis"] for _, r in rows(indicators, text, doc_type="summary", year=2022).iterrows()}
    assert (got[100], got[7.9], got[0.6], got[355.2]) == ("share_pct", "share_pct", "growth_pct", "level")


def test_a_decimal_a_copied_pdf_split_with_a_space(indicators):
    """计划总投资 60. 5 亿元, 增长 36. 8、25%: 60.5 and 36.8, quoted whole; 1. 5万亩 opening a line is item 1 (116_summary)."""
    text = "计划总投资 60. 5 亿元,合同投资额 1. 04 亿美元,比上年分别增长 36. 8、25%。\n1. 5万亩高标准农田。\n"
    got = by_value(rows(indicators, text, doc_type="summary", year=2003))
    assert set(got) == {60.5, 1.04, 36.8, 25, 5}
    assert "60. 5 亿元" in got[60.5]["quote"] and got[36.8]["basis"] == "growth_pct" and got[5]["unit"] == "万亩"


def test_a_list_whose_last_item_names_the_sector_keeps_every_item(indicators):
    """医疗器械、…、电子信息等行业产值分别增长… (120_plan_review) and 特殊钢铁、生物医药、电子信息产业分别增长… (223_operation):
    the last item says every item is a sector, so none is dropped as a company's; a list of companies still is."""
    text = ("医疗器械、钢构网架、文化用品、电子信息等行业产值分别增长7.9%、15.7%、19.9%、24%。"
            "特殊钢铁、生物医药、电子信息产业分别增长12.0%、7.9%和4.8%。"
            "衡生药用胶囊、双河丝绸、科瑞南海制药出口分别同比增长58.9%、140%、26.8%。")
    got = rows(indicators, text, doc_type="summary", year=2020)
    assert sorted(got["value"]) == sorted([7.9, 15.7, 19.9, 24, 12.0, 7.9, 4.8])


def test_a_task_handed_down_is_the_years_target(indicators):
    """完成州政府下达任务数132.63亿元的90.8% (119_summary) and 完成省下达全年目标数的49% (118_summary): the task handed down
    is the year's target, the share done belongs to the sentence's indicator."""
    text = "今年1到10月,完成州外到位资金120.4亿元,完成州政府下达任务数132.63亿元的90.8%。"
    got = by_value(rows(indicators, text, doc_type="summary", year=2018))
    assert (got[132.63]["kind"], got[132.63]["period"], got[132.63]["indicator_id"]) == \
        ("target", "", got[120.4]["indicator_id"])
    assert (got[90.8]["basis"], got[90.8]["indicator_id"]) == ("pct_of_plan", got[120.4]["indicator_id"])


def test_a_pdf_copys_line_ends_inside_a_sentence(indicators):
    """A text copied from a PDF breaks its lines at the page's width, mid-sentence and inside a figure (121_plan_review:
    增长\\n7.6%, 316 亿\\n元; 116_summary likewise): the sentence is read whole — its year, its 预计 (said after the year
    and the place) and every figure; a document of one paragraph per line keeps its breaks."""
    text = ("2020 年东宝区政府工作报告\n2019 年成绩\n"
            "2019 年,全区预计实现地区生产总值 369 亿元,增长\n"
            "7.6%;规模以上工业增加值增长 5%;固定资产投资 316 亿\n"
            "元,增长 11.8%;社会消费品零售总额 226.2 亿元,增长 11.4%;\n"
            "直接利用外资 5425 万美元,增长 12.48%;进出口总额 15.4\n"
            "亿元;地方一般公共预算收入 12.21 亿元,增长 2.1%。\n")
    got = by_value(rows(indicators, text, doc_type="plan", year=2020))
    assert set(got) == {369, 7.6, 5, 316, 11.8, 226.2, 11.4, 5425, 12.48, 15.4, 12.21, 2.1}
    assert {(r["kind"], r["year"], r["estimate"]) for r in got.values()} == {("actual", 2019, True)}
    assert got[7.6]["basis"] == "growth_pct" and "316 亿\n元" in got[316]["quote"]


def test_a_title_block_inside_the_table(indicators):
    """Rows of one cell across the whole table above its header (2018年1-8月 / 单位:万元, 415_table; 全县 2010.6 /
    单位:个、万元, 410_table) are the table's title and unit line, not column headers: the cells below are read."""
    text = _word_table([["2018年1-8月"], ["单位:万元"],
                        ["项 目", "2018年8月", "同比增长(%)", "2018年1-8月", "同比增长(%)"],
                        ["北京经济技术开发区", "362077", "5.8", "2647388", "3.9"]], spans={0: 5, 1: 5})
    got = {r["value"]: (r["unit"], r["period"], r["basis"]) for _, r in
           rows(indicators, text, doc_type="summary", year=2018).iterrows()}
    assert got == {362077: ("万元", "M8", "level"), 5.8: ("%", "M8", "growth_pct"),
                   2647388: ("万元", "M1-M8", "level"), 3.9: ("%", "M1-M8", "growth_pct")}


def test_months_as_columns_with_cumulative_and_single_month_rows(indicators):
    """月份 | 3月 | 4月 …, rows 全区规上累计 / 全区规上当月, under a title that names a rate of growth (表1上半年,全区规上
    工业产值增速 / 单位:%, 414_table): a 累计 cell is the months to its column's month, a 当月 cell that month alone,
    and every value a growth."""
    text = _word_table([["月份", "3月", "4月"], ["全区规上累计", "51.2", "28.5"], ["全区规上当月", "-3.1", "-11.8"]],
                       title=("表1上半年,全区规上工业产值增速", "单位:%"))
    got = {r["value"]: (r["period"], r["basis"]) for _, r in
           rows(indicators, text, doc_type="summary", year=2021).iterrows()}
    assert got == {51.2: ("M1-M3", "growth_pct"), 28.5: ("M1-M4", "growth_pct"),
                   -3.1: ("M3", "growth_pct"), -11.8: ("M4", "growth_pct")}


def test_a_rank_after_wei_yu(indicators):
    """位于全省七大新区首位 (226_news) is a rank as 位居/位列…首位 are; 摆在首位 is emphasis."""
    text = "滨海新区实现地区生产总值662.29亿元,同比增长8.2%,位于全省七大新区首位。把项目建设摆在首位。"
    got = rows(indicators, text, doc_type="summary", year=2023)
    assert list(got.loc[got["unit"] == "位", "value"]) == [1]


def test_a_tables_one_header_year_is_every_columns(indicators):
    """2011年 | 2011年为上年% | 占地区生产总值比重%, in a document that names no year (411_table): every column is 2011's."""
    text = _word_table([["指标", "2011年", "2011年为上年%", "占地区生产总值比重%"], ["第一产业", "164.27", "104.1", "2.7"]])
    got = rows(indicators, "单位:亿元\n" + text)
    assert set(got["year"]) == {2011}


def test_a_table_cell_with_no_unit_anywhere_is_read_and_says_so(indicators):
    """A row whose table names no unit (规模以上工业企业数 | 56 | 54, a price index 103.2) is read all the same — the
    issue asks for every cell — with its indicator's unit when its label names one, else none; its note says the unit
    is the reader's to check or enter. Nothing is dropped without a word."""
    text = _word_table([["指标", "上半年", "一季度"], ["规模以上工业企业数", "56", "54"],
                        ["工业生产者出厂价格指数", "103.2", "101.5"], ["规模以上工业增加值(亿元)", "12.5", "6.3"]],
                       title=("2023年主要经济指标",))
    got = {(r["value"], r["period"]): r for _, r in rows(indicators, text, doc_type="summary", year=2023).iterrows()}
    assert set(got) == {(56, "H1"), (54, "Q1"), (103.2, "H1"), (101.5, "Q1"), (12.5, "H1"), (6.3, "Q1")}
    assert (got[56, "H1"]["indicator_id"], got[56, "H1"]["unit"]) == ("above_scale_enterprises", "家")
    assert "no unit in the table: the indicator’s, check" in got[56, "H1"]["note"]
    assert got[103.2, "H1"]["unit"] == "" and "no unit in the table: enter it" in got[103.2, "H1"]["note"]
    assert got[12.5, "H1"]["unit"] == "亿元" and "no unit" not in got[12.5, "H1"]["note"]


def test_prose_with_a_clause_mark_is_no_table_row():
    """A PDF's prose copied with spaces around its numbers (116_summary: 24. 3 亿元,比上年分别增长 36. 8、25%、…) splits
    into as many "cells" as a table row, but a clause mark outside brackets makes it prose: its figures are read as
    sentences (not as cells with no unit); a header's 增加值(亿元,现价) keeps its comma inside its brackets."""
    assert tables.detect("工业增加值 24. 3 亿元,比上年分别增长 36. 8、25%、33. 3%\n和 19. 6%,其中我区 2003 年财政收入 6 亿元") == []
    assert len(tables.detect("指标 增加值(亿元,现价) 增长%\n规上工业 24.3 8.1\n建筑业 12.5 3.2")) == 1


def test_a_header_year_that_bases_the_prices_is_not_the_figures_year(indicators):
    """按2020年不变价格计算 over a 统计公报's GDP table titled 2022年 (480_table): the column's levels are 2022's,
    at 2020's prices — the year in the header is the prices' base."""
    text = _word_table([["指标", "按现行价格计算", "按2020年不变价格计算", "比上年±%"],
                        ["地区生产总值", "2728738.78", "2716503.16", "4.0"]], title=("表一:2022年全县生产总值", "单位:万元"))
    got = rows(indicators, text, doc_type="summary", year=2022)
    assert set(got["year"]) == {2022} and len(got) == 3


def test_a_header_row_of_years_and_cells_a_pdf_copy_spaced(indicators):
    """2002 | 2003 | 2004 over 企业数(个) rows: a header of years, each cell that column's year (416_table, whose
    garbled 27446-3 must not cut its row); 2231. 15 and -5. 1 in a copied PDF's cells are 2231.15 and -5.1 (417_table)."""
    text = _word_table([["", "2002", "2003", "2004"], ["企业数(个)", "28338", "32857", "38565"],
                        ["营业总收入(亿元)", "15326.4", "27446-3", "34415.6"]])
    got = {r["value"]: (r["year"], r["unit"]) for _, r in rows(indicators, text, doc_type="summary", year=2006).iterrows()}
    assert got == {28338: (2002, "个"), 32857: (2003, "个"), 38565: (2004, "个"), 15326.4: (2002, "亿元"),
                   34415.6: (2004, "亿元")}
    text = _word_table([["行业", "增加值(亿元)", "增长(%)"], ["合计", "2231. 15", "2.1"], ["二、数字与时尚", "138.40", "-5. 1"]])
    got = set(rows(indicators, text, doc_type="summary", year=2022)["value"])
    assert got == {2231.15, 2.1, 138.4, -5.1}


def test_units_brought_in_are_new_ones(indicators):
    """2019年累计引进优质项目121个 (122_summary), 累计引进重点产业化项目86个 (306_meeting): counts of what was brought in are
    new units — unless the indicator they land on counts the year's projects as its level (signed_projects,
    key_projects: the shipped plans' 签约项目不少于60个); 引进外资3亿元 is an amount."""
    text = "2019年累计引进优质项目121个,全年签约项目76个,引进外资3亿元。"
    got = by_value(rows(indicators, text, doc_type="summary", year=2019))
    assert [got[v]["basis"] for v in (121, 76, 3)] == ["new_count", "level", "level"]
    assert (got[121]["indicator_id"], got[76]["indicator_id"]) == ("", "signed_projects")


@pytest.mark.parametrize("words, period", [
    ("截至一季度末,", "M3"),              # a date, not a span (204_operation's 截至一季度末)
    ("上半年末,", "M6"),
    ("截至上半年,", "M6"),
    ("上半年,", "H1"),
    ("2022年1月——12月,", ""),          # a doubled dash, both months with 月: the whole year (126_summary)
    ("1月至9月,", "M1-M9"),
])
def test_a_date_at_a_periods_end_and_a_range_of_months(words, period):
    assert timing.period(words) == period


def test_lengths_trees_lamps_and_head(indicators):
    """硬化道路4条,2000米 / 栽植…树木1800棵 / 安装路灯310盏 (123_summary), 生猪出栏94.28万头 (a county 公报): units the
    loader knows too (units.py), 米 in the kilometre family."""
    text = "硬化道路4条,2000米;栽植路旁、空地树木1800棵;安装路灯310盏;生猪出栏94.28万头。"
    got = {(r["value"], r["unit"]) for _, r in rows(indicators, text, doc_type="summary", year=2010).iterrows()}
    assert {(4, "条"), (2000, "米"), (1800, "棵"), (310, "盏"), (94.28, "万头")} <= got
    from parkmetrics.units import convert
    assert convert(2000, "米", "公里") == 2


def test_a_target_noun_opening_a_list_with_a_colon_governs_every_item(indicators):
    """2024年经济社会发展主要预期目标为:地区生产总值增长7%,规模以上工业增加值增长12%,… (300_meeting) and 2023年兰州新区经济
    社会发展主要预期目标是:…,固定资产投资增长18%以上 (308_meeting): every item is a target, even with no type given;
    年度计划投资6.5亿元,1~4月完成投资15万元 — a 计划 naming its own figure — still says nothing of the next clause."""
    text = ("会议提出,2024年经济社会发展主要预期目标为:地区生产总值增长7%,规模以上工业增加值增长12%,服务业增加值增长6.5%。"
            "项目年度计划投资6.5亿元,1~4月完成投资15万元。")
    got = by_value(rows(indicators, text))
    assert [got[v]["kind"] for v in (7, 12, 6.5, 15)] == ["target", "target", "target", "actual"]


def test_a_plans_review_sentence_names_its_past_year(indicators):
    """A 十四五 plan reviewing 十三五: 地区生产总值从2015年末的300.41亿元跃升至2020年的469.5亿元,年均增长9.3%,人均…达到18.9万元
    (330_plan) and 上交税金由2015年的1054.8亿元增加到2020年的1734.1亿元,年均增长10.45% (322_plan): every figure of the
    sentence is that past year's result, its 年均 a past rate (not a goal for each year of the plan); 2015年同期 and 比2020年
    are comparisons, and the plan's own 到2025年 goals stay targets."""
    text = ("弋江区国民经济和社会发展第十四个五年规划和2035年远景目标纲要\n"
            "经济总量跃上新台阶。地区生产总值从2015年末的300.41亿元跃升至2020年的469.5亿元,年均增长9.3%,"
            "人均地区生产总值达到18.9万元;财政收入达42.6亿元,年均增长9.4%。\n到2025年,地区生产总值达到700亿元,年均增长8%。\n")
    got = rows(indicators, text, doc_type="district_plan", year=2021)
    review = got[got["value"].isin([469.5, 9.3, 18.9, 42.6, 9.4])]
    assert set(zip(review["kind"], review["year"])) == {("actual", 2020)} and len(review) == 5
    goals = got[got["value"].isin([700, 8])]
    assert set(goals["kind"]) == {"target"} and 2025 in set(goals["year"])


def test_the_years_targets_opening_a_sentence_govern_its_items(indicators):
    """全年技工贸总收入目标任务162亿元,增长12%以上,1-6月预计完成74.5亿元,同比增长8%;规模工业增加值30.8亿元,增长10%以上,1-6月预计
    完成14.6亿元,增长4.2% (127_summary): each ；-item's year figures are targets, its 1-6月预计完成 results — as a target
    noun opening a list with a colon governs its items (300_meeting, 308_meeting)."""
    text = ("上半年工作总结\n全年技工贸总收入目标任务162亿元,增长12%以上,1-6月预计完成74.5亿元,同比增长8%;"
            "规模工业增加值30.8亿元,增长10%以上,1-6月预计完成14.6亿元,增长4.2%。")
    got = by_value(rows(indicators, text, doc_type="summary", year=2020))
    assert [(got[v]["kind"], got[v]["period"]) for v in (162, 12, 30.8, 10)] == [("target", "")] * 4   # the year's
    assert [(got[v]["kind"], got[v]["period"]) for v in (74.5, 8, 14.6, 4.2)] == [("actual", "M1-M6")] * 4


def test_a_list_of_rates_and_a_share_of_the_years_plan(indicators):
    """入园率、资金到位率、开工率和投产率分别达到68.18%、12.22%、100%和66.67% (128_summary): rates are measures, not companies,
    so every item stays; 占年度投资计划50% (131_summary) is the share of the year's plan done, as 占年计划的45% is."""
    text = "园区项目入园率、资金到位率、开工率和投产率分别达到68.18%、12.22%、100%和66.67%。重点项目累计完成投资12亿元,占年度投资计划50%。"
    got = by_value(rows(indicators, text, doc_type="summary", year=2015))
    assert {68.18, 12.22, 100, 66.67} <= set(got)
    assert (got[50]["basis"], got[50]["kind"]) == ("pct_of_plan", "actual")


def test_a_programme_named_an_action_plan_is_no_target_word(indicators):
    """实施…转型行动计划 names a programme carried out (339_plan's review of 十二五), not a plan for the figures after it;
    the review's 经济总量增至950亿元 stays a result, as its section says."""
    text = ("苏州市吴中区国民经济和社会发展第十三个五年规划纲要\n第一节 发展基础\n"
            "深入实施千企升级创新转型行动计划等一系列重点工作,经济总量增至950亿元,年均增长9.5%。\n"
            "第二节 发展目标\n到2020年,地区生产总值达到1300亿元。")
    got = by_value(rows(indicators, text, doc_type="district_plan", year=2016))
    assert (got[950]["kind"], got[9.5]["kind"], got[1300]["kind"]) == ("actual", "actual", "target")


@pytest.mark.parametrize("text, value", [
    ("一季度,园区完成固投42.6亿元,完成目标任务28.4%。", 28.4),                 # 264_operation
    ("89个省市重点项目实现投资204亿元,完成年度投资计划123.4%。", 123.4),    # 345_plan_review
])
def test_a_share_of_the_plan_done_needs_no_de(indicators, text, value):
    """完成目标任务28.4% says what 完成目标任务的28.4% says: the share of the plan done, a result."""
    got = by_value(rows(indicators, text, doc_type="summary", year=2021))
    assert (got[value]["basis"], got[value]["kind"]) == ("pct_of_plan", "actual")


def test_last_year_counts_from_the_year_the_document_was_written(indicators):
    """A news item of 发布时间:2021-02-20 on 2020's results (135_news): its 去年全年 is 2020; a page dated years after its
    subject (an archive's copy) counts from the document's own year."""
    text = "高新区连续三年获苏州先进\n发布时间:2021-02-20 来源:太仓日报\n去年全年高新区完成地区生产总值565亿元,增长7.2%。"
    got = by_value(rows(indicators, text, doc_type="summary", year=2020))
    assert (got[565]["year"], got[7.2]["year"]) == (2020, 2020)
    archived = text.replace("2021-02-20", "2025-06-01")
    assert by_value(rows(indicators, archived, doc_type="summary", year=2020))[565]["year"] == 2019


def test_an_estimate_said_once_for_a_zones_list(indicators):
    """2008年,园区预计:完成工业总产值35亿元,…;实现税金6000万元,同比增长13.9% (132_summary): the 预计 after the year and the
    zone opens the sentence and governs every item of it."""
    text = "2008年,园区预计:完成工业总产值35亿元,同比增长40%;实现税金6000万元,同比增长13.9%。"
    got = rows(indicators, text, doc_type="summary", year=2008)
    assert list(got["estimate"]) == [True] * 4


def test_a_pasted_header_split_wider_than_its_rows(indicators):
    """指 标 绝对数 (亿元) 比上年增长(%) 比重 (%) 上年比重(%) over rows of five cells (421_table): the bracketed units join their
    words and 指 标 is one cell, so each column keeps its reading — amount, growth, share, last year's share."""
    text = ("表1 本区生产总值构成\n指 标 绝对数 (亿元) 比上年增长(%) 比重 (%) 上年比重(%)\n本区生产总值 694.69 11.5 100.0 100.0\n"
            "第二产业 71.52 -3.5 10.3 11.8\n")
    got = {r["value"]: (r["unit"], r["basis"], r["year"]) for _, r in
           rows(indicators, text, doc_type="summary", year=2007).iterrows()}
    assert got[71.52] == ("亿元", "level", 2007) and got[-3.5] == ("%", "growth_pct", 2007)
    assert got[10.3] == ("%", "share_pct", 2007) and got[11.8] == ("%", "share_pct", 2006)


def test_an_earlier_years_column_and_price_changes(indicators):
    """指标 | 2020年 | 2021年1-2月 under a title dated 2021年2月 (423_table): the 2020年 column is that whole year, not
    February; 涨跌幅度(%) is a change in prices, a growth (424_table)."""
    text = _word_table([["2021年2月工业企业效益"], ["指标", "2020年", "2021年1-2月"], ["资产负债率(%)", "57.74", "57.83"]],
                       spans={0: 3})
    got = {r["value"]: (r["year"], r["period"]) for _, r in rows(indicators, text, doc_type="summary", year=2021).iterrows()}
    assert got == {57.74: (2020, ""), 57.83: (2021, "M1-M2")}
    text = _word_table([["指标", "涨跌幅度(%)"], ["居民消费价格", "1.9"], ["居住", "-1.7"]])
    got = rows(indicators, text, doc_type="summary", year=2022)
    assert set(got["basis"]) == {"growth_pct"} and set(got["value"]) == {1.9, -1.7}


def test_a_count_of_zones_repeated_at_each_sentences_head_is_one_figure(indicators):
    """全国229家国家级经开区地区生产总值…。229家国家级经开区财政收入… (136_news): the zones counted once, not once per sentence."""
    text = ("2023年,全国229家国家级经开区地区生产总值达到15.4万亿元。229家国家级经开区财政收入2.3万亿元。"
            "229家国家级经开区进出口总额9.4万亿元。")
    got = rows(indicators, text, doc_type="summary", year=2023)
    assert list(got["value"]).count(229) == 1


def test_the_year_of_a_lists_lead_in_is_every_items(indicators):
    """孙亚明部署2014年主要预期发展指标是:营业总收入实现4900亿元,工业总产值实现4500亿元 (134_news, a 2013 news item): the year in
    the list's lead-in governs its items — targets for 2014, though each says 实现; a ratio's colon (9.4:66.8) leads no list."""
    text = "会上,管委会主任部署2014年主要预期发展指标是:营业总收入实现4900亿元,工业总产值实现4500亿元。"
    got = by_value(rows(indicators, text, doc_type="summary", year=2013))
    assert [(got[v]["kind"], got[v]["year"]) for v in (4900, 4500)] == [("target", 2014)] * 2


def test_the_new_ratio_after_tiao_zheng_wei_is_this_years(indicators):
    """三次产业结构由上年的6.9∶24.2∶68.9调整为6.7∶24.9∶68.4, written with the ratio sign ∶ (422_table): last year's ratio, then
    this year's — 调整为 ends the reach of 上年, as a clause mark would."""
    got = rows(indicators, "三次产业结构由上年的6.9∶24.2∶68.9调整为6.7∶24.9∶68.4。", doc_type="summary", year=2021)
    assert [(r["value"], r["year"]) for _, r in got.iterrows()] == [(6.9, 2020), (24.2, 2020), (68.9, 2020),
                                                                     (6.7, 2021), (24.9, 2021), (68.4, 2021)]


def test_bullets_under_a_headline_give_way_to_the_body(indicators):
    """A news item's title and the bullet lines under it (●…) sum up the body: a figure they say is the body's sentence's,
    with the period and words the body gives it (a genre seen in the earlier diagnosis of the test part, docs/finder.md)."""
    text = ("园区上半年经济运行稳中有进\n●营业收入1397.4亿元\n●工业总产值856.2亿元\n"
            "上半年,园区实现营业收入1397.4亿元,同比增长8.1%;完成工业总产值856.2亿元,同比增长6.5%。")
    got = rows(indicators, text, doc_type="summary", year=2021)
    assert sorted(got["value"]) == [6.5, 8.1, 856.2, 1397.4]
    assert set(got.loc[got["value"].isin([856.2, 1397.4]), "period"]) == {"H1"}


def test_a_title_run_on_into_the_text_still_gives_the_documents_period(indicators):
    """工业园区上半年工作总结及下半年思路一、…: a web copy glued the title to the text; its head up to the document word is
    the title, and 上半年 the period of the figures that name none (124_summary, 133_summary, 129_summary)."""
    text = ("工业园区上半年工作总结及下半年思路一、工作总结(一)经济指标平稳增长1、工业产值34亿元,完成年度目标任务的37%;"
            "2、园区建设总投入20237万元。")
    assert timing.title_of(text) == "工业园区上半年工作总结及下半年思路"
    got = by_value(rows(indicators, text, doc_type="summary", year=2015))
    assert {v: got[v]["period"] for v in got} == {34: "H1", 37: "H1", 20237: "H1"}
    # a run-on first sentence is no title
    assert timing.title_of("今年以来,高新区锚定高质量发展目标,积极推动产业升级和创新驱动,全区经济运行整体平稳,并呈现五大运行特点"
                           "一、工业生产延续增势。") == ""


def test_an_average_yearly_rate_gives_every_years_target_but_a_level_beside_it_only_the_horizons(indicators):
    """年均 governs its ；-sentence's rates, one target a year; a level in the same list (突破920亿元) is reached once, at the
    horizon (333_plan: …年均增长14.8%,…,社会消费品零售总额突破920亿元; 322_plan: …年均增长12.8%, …技工贸收入突破1000亿元)."""
    text = ("《“实力高新”建设专项行动方案》:到2023年,经济总量质效实现“双提升”。\n"
            "经济强,经济总量突破3600亿,地区生产总值年均增长14.8%,社会消费品零售总额突破920亿元。")
    got = rows(indicators, text, doc_type="district_plan", year=2021)
    years = {v: sorted(got[got["value"] == v]["year"]) for v in set(got["value"])}
    assert years == {3600: [2023], 14.8: [2021, 2022, 2023], 920: [2023]}


@pytest.mark.parametrize("sentence, value, basis", [
    # a rate whose % was dropped, where the words before can only mean a per cent and a clause's end follows
    ("农林牧渔专业及辅助性活动产值0.13亿元,同比增长8.2。", 8.2, "growth_pct"),             # 206_operation
    ("工业用水重复利用率保持在95以上。", 95, "share_pct"),                                # 331_plan
    ("已开发建成面积达到6.39平方公里,占总规划面积的40.55 。", 40.55, "share_pct"),        # 332_plan
])
def test_a_rate_whose_per_cent_sign_was_dropped(indicators, sentence, value, basis):
    got = by_value(rows(indicators, sentence, doc_type="summary", year=2020))
    assert (got[value]["unit"], got[value]["basis"]) == ("%", basis)
    assert "% not written" in got[value]["note"]


@pytest.mark.parametrize("sentence", [
    "同比增长8.2亿元的基础上,再增长3。",      # no per-cent words before 3
    "占总规划面积的40.55平方公里。",          # a unit written
    "园区企业增长到120家,比上年增加12。",     # 增加 with no 同比 and no % words: a count, not a rate
])
def test_a_bare_number_without_per_cent_words_stays_no_figure(indicators, sentence):
    got = rows(indicators, sentence, doc_type="summary", year=2020)
    assert not (got["note"].str.contains("% not written")).any()


def test_bi_zeng_is_a_growth_on_last_year(indicators):
    """比增/比降 abbreviate 比上年增长/下降 (144_plan_review: 地方一般公共预算收入7.9亿 元,比增5.5%; a 福建 district's review:
    实现生产总值33.74亿元,比增9.2%): a growth of the amount before it, never a share."""
    text = "工业增加值11.8亿元,比增7.5%;地方一般公共预算收入7.9亿 元,比增5.5%;外贸进出口总额1.9亿元,比降3.2%。"
    got = by_value(rows(indicators, text, doc_type="summary", year=2019))
    assert {v: (got[v]["basis"], got[v]["indicator_id"]) for v in got if got[v]["unit"] == "%"} == {
        7.5: ("growth_pct", got[11.8]["indicator_id"]), 5.5: ("growth_pct", "public_budget_revenue"),
        -3.2: ("growth_pct", got[1.9]["indicator_id"])}


def test_a_tables_share_columns_and_any_unit_the_project_knows(indicators):
    """结构(%) and 产销率(%) hold shares, whatever the title's 增速 says (443_table, 412_table, 445_table); a 计算单位
    cell may hold any unit the project knows (万人次, 443_table)."""
    text = _word_table([
        ["项目名称", "计算单位", "1-4月累计", "累计比上年同期增长(%)", "结构(%)", "产销率(%)"],
        ["社会消费品零售总额", "万元", "1278093", "16.5", "100", "95.4"],
        ["接待旅游者", "万人次", "303.40", "13.3", "100", "96.2"]], title=("2011年4月商业、旅游业增速、结构",))
    got = find_candidates(text, indicators, doc_type="summary", year=2011)
    seen = {(r["value"], r["unit"], r["basis"]) for _, r in got.iterrows()}
    assert {(1278093, "万元", "level"), (16.5, "%", "growth_pct"), (95.4, "%", "share_pct"),
            (303.4, "万人次", "level"), (13.3, "%", "growth_pct"), (96.2, "%", "share_pct")} <= seen
    assert {(100, "%", "share_pct")} <= seen and not any(u == "万元" and v == 303.4 for v, u, _ in seen)


def test_a_table_of_places_ranked_reads_each_places_rank_and_the_columns_indicator(indicators):
    """排名 | 地区 | 生产总值(亿元) (431_table), 排名 | 城市 | GDP(亿元) | 第一产业(亿) (432_table): the first column is the
    place's rank, not a row number; the column header names the indicator when the row names a place; (亿) is 亿元."""
    text = _word_table([["排名", "城市", "GDP(亿元)", "第一产业(亿)"], ["1", "青岛市", "1780.42", "150.98"],
                        ["2", "济南市", "1365.33", "104.86"], ["3", "烟台市", "1316.00", "146.08"]],
                       title=("2003年山东各市GDP排名",))
    got = rows(indicators, text, doc_type="summary", year=2003)
    ranks = got[got["basis"] == "rank"]
    assert list(zip(ranks["value"], ranks["unit"], ranks["indicator_text"])) == [
        (1, "位", "青岛市"), (2, "位", "济南市"), (3, "位", "烟台市")]
    gdp = got[got["value"] == 1780.42].iloc[0]
    assert (gdp["indicator_id"], gdp["unit"]) == ("gdp", "亿元")
    assert got[got["value"] == 150.98].iloc[0]["unit"] == "亿元"


def test_a_yearbooks_spaced_rank_header_and_two_equal_ranks_in_a_row(indicators):
    """数 量 | 位 次 | 增长率 | 位 次 (435_table): a spaced 位 次 is a rank column; two ranks of 5 in one row are two figures."""
    text = _word_table([["地区", *["第二产业增加值"] * 4, *["第三产业增加值"] * 4],
                        ["", "数 量", "位 次", "增长率", "位 次", "数 量", "位 次", "增长率", "位 次"],
                        ["北 京", "4774.4", "23", "5.6", "5", "19995.3", "5", "7.1", "29"],
                        ["天 津", "8003.9", "17", "8.0", "8", "9661.3", "15", "10.0", "8"]],
                       title=("全国各地区第二、三产业增加值及排序(2016年)", "单位:亿元"))
    got = rows(indicators, text, doc_type="summary", year=2016)
    beijing = got[got["quote"].str.startswith("北 京")]
    assert sorted(beijing[beijing["basis"] == "rank"]["value"]) == [5, 5, 23, 29]
    assert not ((got["unit"] == "亿元") & (got["value"] < 100)).any()


@pytest.mark.parametrize("text", [
    "12-17 各市规模以上外商和港澳台投资工业主要经济指标(2002年) 单位:万元\n",   # 430_table's title line
    "2003年青岛市GDP(国内生产总值)为1780.42人民币,在山东各市中排第一名。",       # 432_table: 亿元 lost on the page
])
def test_a_unit_word_alone_and_money_of_unknown_size_are_no_figures(indicators, text):
    got = rows(indicators, text, doc_type="summary", year=2003)
    assert not got["unit"].isin(["亿元", "万元", "元", "人"]).any()
    trillion = rows(indicators, "力争经济总量突破万亿元。", doc_type="plan", year=2023)   # 万亿元 is a figure
    assert list(zip(trillion["value"], trillion["unit"])) == [(10000, "亿元")]


def test_a_comparisons_base_year_is_not_the_figures_year(indicators):
    """同比 2015 年增长 67.86% (336_plan, spaces from a copied PDF) and 2015年同期9.8亿元,同比34.7% (332_plan) compare with
    2015: the change is the plan review's year's, while the base's own figure (2015年同期9.8亿元) is 2015's."""
    text = ("“十三五”时期,我区各项经济指标继续保持平稳增长,到 2020 年底, 预计实现地区生产总值 100.13 亿元,同比 2015 年增长"
            " 67.86%;财政收入预计实现 6.13 亿元,同比 2015 年增长 72%。\n"
            "2020年末,园区实现工业总产值13.2亿元,2015年同期9.8亿元,同比34.7%。")
    got = by_value(rows(indicators, text, doc_type="district_plan", year=2021))
    assert {v: got[v]["year"] for v in (100.13, 67.86, 6.13, 72, 13.2, 9.8, 34.7)} == {
        100.13: 2020, 67.86: 2020, 6.13: 2020, 72: 2020, 13.2: 2020, 9.8: 2015, 34.7: 2020}


def test_a_plan_reviews_table_of_goals_and_estimates_pasted_with_spaced_years(indicators):
    """序号 指标名称 2020 年目标值 2020 年预计值 完成情况 (335_plan, a copied PDF's spaces): a header, not a row of
    figures; the 目标值 column holds 2020's targets, the 预计值 column 2020's estimated results."""
    text = ("“十三五”规划主要指标完成情况\n表1\n序号 指标名称 2020 年目标值 2020 年预计值 完成情况\n"
            "1 全区生产总值(亿元) 1000 1008.5 完成\n2 人均生产总值(元) 130000 130913 完成\n")
    got = by_value(rows(indicators, text, doc_type="district_plan", year=2021))
    assert {v: (got[v]["kind"], got[v]["year"], bool(got[v]["estimate"])) for v in got} == {
        1000: ("target", 2020, False), 1008.5: ("actual", 2020, True),
        130000: ("target", 2020, False), 130913: ("actual", 2020, True)}


def test_a_web_table_copied_one_cell_per_line(indicators):
    """表1:“十三五”期间…主要目标 copied from a web page one cell per line, each ending in " |", rows parted by bar lines
    (330_plan): read as a table; the “十三五”年均增长 column is 2020's (not the document title's 2035年); 人均地区生产总值
    is never the total."""
    text = ("弋江区国民经济和社会发展第十四个五年规划和2035年远景目标纲要\n表1:“十三五”期间经济社会发展的主要目标\n"
            "指 标 |\n2015年 完成 |\n2020年 完成 |\n“十三五”年均增长(%) |\n指标属性 |\n|\n一、经济发展 |\n|||||\n"
            "地区生产总值(亿元) |\n300.41 |\n469.5 |\n9.3 |\n预期性 |\n|\n"
            "人均地区生产总值(元) |\n132339 |\n189195 |\n7.4 |\n预期性 |\n|\n")
    got = rows(indicators, text, doc_type="district_plan", year=2021)
    assert {(r["value"], r["year"], r["basis"], r["indicator_id"]) for _, r in got.iterrows()} == {
        (300.41, 2015, "level", "gdp"), (469.5, 2020, "level", "gdp"), (9.3, 2020, "growth_pct", "gdp"),
        (132339, 2015, "level", ""), (189195, 2020, "level", ""), (7.4, 2020, "growth_pct", "")}
    assert got.iloc[0]["quote"] == "地区生产总值(亿元) |\n300.41 |\n469.5 |\n9.3 |\n预期性"


def test_a_share_column_takes_the_cumulative_period(indicators):
    """1-4月 累计 | 增长(%) | 结构(%) (412_table, 443_table): the share is of the months to date."""
    text = _word_table([["项目名称", "计算单位", "4月", "1-4月累计", "累计比上年同期增长(%)", "结构(%)"],
                        ["社会消费品零售总额", "万元", "297859", "1278093", "16.5", "100"],
                        ["批发零售贸易业", "万元", "269547", "1147139", "16.0", "89.75"]], title=("2011年4月",))
    table = by_value(rows(indicators, text, doc_type="summary", year=2011))
    assert {v: table[v]["period"] for v in (297859, 1278093, 16.5, 89.75)} == {
        297859: "M4", 1278093: "M1-M4", 16.5: "M1-M4", 89.75: "M1-M4"}


def test_a_list_of_amounts_joined_by_he_and_a_second_list_after_a_few_words(indicators):
    """…分别实现550.7亿元和95.8亿元,按可比口径分别增长20.1%和12.1% (134_news): 和 joins the values (the first is no size
    before a noun), and the second 分别 after 按可比口径 goes on with the same items; 突破1.8万亿 is 亿元 (333_plan)."""
    text = "全口径财政收入、一般公共预算收入分别实现550.7亿元和95.8亿元,按可比口径分别增长20.1%和12.1%。"
    got = by_value(rows(indicators, text, doc_type="summary", year=2013))
    assert {v: got[v]["indicator_id"] for v in got} == {550.7: "total_fiscal_revenue", 95.8: "public_budget_revenue",
                                                       20.1: "total_fiscal_revenue", 12.1: "public_budget_revenue"}
    assert not got[550.7]["quote"].endswith("和")
    sizes = rows(indicators, "其中总投资5000万元及10亿元以上项目7个。", doc_type="summary", year=2021)   # 100_summary
    assert list(sizes["value"]) == [7]
    trillion = rows(indicators, "企业营业总收入突破1.8万亿,高新技术企业超过3000家。", doc_type="plan", year=2021)
    assert (18000, "亿元") in set(zip(trillion["value"], trillion["unit"]))   # in the indicator's unit


def test_a_date_gives_a_stock_its_point_and_new_units_the_months_to_it(indicators):
    """截止2月底,开工复产企业142家,新增工业企业6家 (127_summary): the stock is at the date (M2), the new units came in the
    months to it (M1-M2); 截至12月 is the year's end: the year (126_summary)."""
    got = by_value(rows(indicators, "截止2月底,开工复产企业142家,新增工业企业6家。截至12月全县产业招商接待来访客商58次。",
                        doc_type="summary", year=2020))
    assert {v: got[v]["period"] for v in (142, 6, 58)} == {142: "M2", 6: "M1-M2", 58: ""}


def test_a_plans_run_of_results_goes_on_over_its_semicolons(indicators):
    """全年完成地区生产总值106.6亿元,同 比增长5%;工业增加值11.8亿元,比增7.5% (144_plan_review, 同 比 spaced by a copied
    PDF): the ；-items after a reported result that name no target report results too; 力争 still states a target."""
    text = "这一年,全年完成地区生产总值106.6亿元,同 比增长5%;工业增加值11.8亿元,比增7.5%;力争工业投资增长10%。"
    got = by_value(rows(indicators, text, doc_type="plan", year=2020))
    assert {v: (got[v]["kind"], got[v]["year"]) for v in got} == {
        106.6: ("actual", 2019), 5: ("actual", 2019), 11.8: ("actual", 2019), 7.5: ("actual", 2019),
        10: ("target", 2020)}
    assert got[5]["indicator_id"] == "gdp"


def test_a_spaced_monthly_header_and_a_count_of_units_column(indicators):
    """本 月 | 本 月 止 累 计 | 本月比上年同月增长(%) | 本期累计 比上年同期 增长(%) (455_table): spaces inside a header's
    words are read through, and a change on last year's same month is that month's; 单 位 数 (个) (430_table) counts
    units, it is no unit column."""
    text = _word_table([["指 标 名 称", "本 月", "本 月 止 累 计", "本月比上年同月增长(%)", "本期累计 比上年同期 增长(%)"],
                        ["工业增加值(现价)", "993.14", "7723.40", "20.1", "18.3"]],
                       title=("2006年9月份工业增加值", "单位:亿元"))
    got = by_value(rows(indicators, text, doc_type="summary", year=2006))
    assert {v: got[v]["period"] for v in got} == {993.14: "M9", 7723.4: "M1-M9", 20.1: "M9", 18.3: "M1-M9"}
    counts = _word_table([["地区", "单 位 数 (个)", "总产值"], ["济 南 市", "147", "940157"], ["青 岛 市", "866", "4880591"]],
                         title=("各市规模以上外商投资工业主要经济指标(2002年) 单位:万元",))
    units = rows(indicators, counts, doc_type="summary", year=2002)
    assert {(v, u) for v, u in zip(units["value"], units["unit"])} >= {(147, "个"), (866, "个")}


def test_an_amount_in_chinese_numerals_is_a_figure_even_with_no_indicator(indicators):
    """突破千亿元 is a level passed whatever it measures (保理融资余额、资产总额均突破千亿元 — 380_meeting, one per item;
    半年出口总额首次突破百亿美元大关 — 263_operation), while a Chinese numeral counting things with no indicator near it
    is rhetoric (两个方面, 一批)."""
    found = rows(indicators, "保理融资余额、资产总额均突破千亿元。半年出口总额首次突破百亿美元大关。坚持两个方面。",
                 doc_type="summary", year=2021)
    assert sorted(zip(found["value"], found["unit"], found["comparator"])) == \
        [(100.0, "亿美元", ">"), (1000.0, "亿元", ">"), (1000.0, "亿元", ">")]


@pytest.mark.parametrize("text, ranks", [
    # the field named by a count of places (六县市 — 182_operation, 3 sentences; 全市6县市 — 107_plan_review)
    ("全县地区生产总值同比增长4.0%,六县市排名第三。", [3.0]),
    ("社会消费品零售总额增长7.4%,在全市9个县区中排名第5。", [5.0]),
    # a list of ranks after one verb: each item is a rank (316_meeting, 388_meeting)
    ("综合发展水平位列全国国家级经开区第七、长三角第四。", [7.0, 4.0]),
    ("位居全国百强县投资潜力第3、新型城镇化质量第4、县域经济基本竞争力第5。", [3.0, 4.0, 5.0]),
    ("综合排名全国第3位、长三角第四,创新能力第12位。", [3.0, 4.0, 12.0]),
    # no field, no verb: an ordinal, not a rank
    ("召开第三次全体会议、第四次常务会议。", []),
])
def test_ranks_in_a_field_of_counted_places_and_in_lists(indicators, text, ranks):
    found = rows(indicators, text, doc_type="summary", year=2024)
    assert list(found.loc[found["basis"] == "rank", "value"]) == ranks


def test_a_rank_standing_alone_a_call_to_work_for_a_title_and_a_review_of_the_half_year(indicators):
    """实干巧干奋战三季度 全力以赴决胜下半年 is a call to work, not the period reported; 回顾上半年,… leads its sentence's
    figures (313_meeting); …GDP同比增长6.9%,全市第2 / 累计开发面积96.12平方公里,全省第二,同比增长2.07% (228_news): a
    clause that is a rank alone is a rank, and the growth after it is still the area's; 51 万㎡ is 万平方米 (145_summary)."""
    text = ("实干巧干奋战三季度 全力以赴决胜下半年\n发布日期: 2025-08-20\n"
            "信心决定走下去。回顾上半年,开发区交出了亮眼成绩单:GDP同比增长6.9%,全市第2;征迁约 51 万㎡。\n"
            "全市工业园区累计开发面积96.12平方公里,全省第二,同比增长2.07%。\n")
    assert timing.title_period(text) is None
    got = rows(indicators, text, doc_type="summary", year=2025)
    seen = {(r["value"], r["unit"], r["basis"], r["period"]) for _, r in got.iterrows()}
    assert {(6.9, "%", "growth_pct", "H1"), (2, "位", "rank", "H1"), (51, "万平方米", "level", "H1"),
            (2, "位", "rank", "")} <= seen
    growth = got[got["value"] == 2.07].iloc[0]
    assert growth["indicator_text"] == got[got["value"] == 96.12].iloc[0]["indicator_text"]


def test_a_five_year_periods_end_compared_with_is_not_the_figures_year(indicators):
    """是“十一五”末的1.7倍 (310_meeting) compares with 2010, as 是2010年的5倍 does (326_plan): not the figure's year."""
    got = by_value(rows(indicators, "2015年,全区完成地区生产总值200亿元,是“十一五”末的1.7倍。", doc_type="plan",
                        year=2016))
    assert (got[1.7]["year"], got[200]["year"]) == (2015, 2015)


@pytest.mark.parametrize("sentence, field", [
    ("前三季度13个重点园区中12个园区营收实现增长。", 13),        # 229_news
    ("在全省21个国家级经开区中,我区排名第5位。", 21),            # 209_news
])
def test_the_set_a_count_is_out_of_is_no_figure(indicators, sentence, field):
    got = rows(indicators, sentence, doc_type="summary", year=2023)
    assert field not in set(got["value"]) and len(got)


def test_a_statistical_threshold_is_no_figure_and_a_caption_names_the_rate(indicators):
    """统计限额标准:①批发业:年主营业务收入2000万元及以上 (441_table), 起点标准由…500万元提高到…2000万元 (461_table): the size
    a unit must reach to be counted; 指标:工业增加值_同比增长(%) over a table of months (461_table): every cell a growth."""
    text = _word_table([["地区", "2020年11月", "2020年10月"], ["河北省", "8.7", "10"], ["山西省", "10.7", "12.6"]],
                       title=("指标:工业增加值_同比增长(%)",))
    text += "\n注:规模以上工业企业起点标准由原来的年主营业务收入500万元提高到年主营业务收入2000万元。"
    got = rows(indicators, text, doc_type="summary", year=2020)
    assert set(got["basis"]) == {"growth_pct"} and len(got) == 4


def test_lower_than_by_points_is_a_negative_change(indicators):
    """比上年同期低0.6个百分点 (246_operation) is the mirror of 比全省高2个百分点: −0.6 points."""
    got = by_value(rows(indicators, "占技工贸总收入的比重为78.0%,比上年同期低0.6个百分点;增速比全省高2个百分点。",
                        doc_type="summary", year=2012))
    assert (got[-0.6]["basis"], got[2]["basis"]) == ("pp_change", "pp_change")


def test_a_list_of_values_after_a_list_or_span_of_years_takes_them_in_order(indicators):
    """2020年、2021年…累计完成产值398.8亿元、579.33亿元 (331_plan); 2016年至2018年,分别完成国内生产总值236.3亿元、314.5亿元、
    365亿元,预计年均增长24.5% (243_news): each value is its year's, and a rate over the span is the span's end's."""
    got = by_value(rows(indicators, "2016年至2018年,分别完成国内生产总值236.3亿元、314.5亿元、365亿元,预计年均增长24.5%。",
                        doc_type="summary", year=2018))
    assert {v: got[v]["year"] for v in got} == {236.3: 2016, 314.5: 2017, 365: 2018, 24.5: 2018}
    paired = by_value(rows(indicators, "2020年、2021年规上工业企业累计完成产值398.8亿元、579.33亿元。",
                           doc_type="district_plan", year=2022))
    assert (paired[398.8]["year"], paired[579.33]["year"]) == (2020, 2021)


@pytest.mark.parametrize("sentence, field", [
    ("全省89个开发区规模以上工业增加值同比增长8%。", 89),                 # 240_news
    ("我市3个国家级经开区“国考”整体进步全省头部。", 3),                       # 209_news
    ("对217家国家级经开区2021年度综合发展水平情况进行考核评价。", 217),       # 244_news
    ("全区工业23个行业大类中食品制造业增长12%。", 23),                      # 222_operation, 140_summary
])
def test_the_zones_of_a_region_and_the_industries_counted_out_of_are_no_figures(indicators, sentence, field):
    got = rows(indicators, sentence, doc_type="summary", year=2023)
    assert field not in set(got["value"])
    kept = rows(indicators, "20个开发区规上工业增加值同比增速超过20%。园区新增省级开发区2个。浙江省5家国家级经开区跻身全国"
                            "综合发展水平前30名。", doc_type="summary", year=2023)
    assert {20, 2, 5} <= set(kept["value"])   # zones meeting a criterion, new zones: figures


def test_a_part_of_new_units_counts_new_units(indicators):
    """新引进项目41个,…,其中亿元以上项目23个 (103_summary, 116_summary, 122_summary): the part counts what its whole
    counts; 共有企业120家,其中规上企业45家: a part of a stock is a stock."""
    got = by_value(rows(indicators, "全年新引进项目41个,总投资279亿元,其中亿元以上项目23个。园区共有企业120家,其中规上企业45家。",
                        doc_type="summary", year=2021))
    assert {v: got[v]["basis"] for v in (41, 23, 120, 45)} == {41: "new_count", 23: "new_count", 120: "level",
                                                              45: "level"}


def test_a_share_the_words_say_stays_a_share_whatever_the_indicator_allows(indicators):
    """产出了约34.5%的GDP、70%的规模工业增加值 (322_plan), 全省开发区50%左右的规上工业总产值 (240_news): shares of the
    indicator's total, not its growth — the import page then names the basis the catalogue lacks."""
    got = by_value(rows(indicators, "产出了约34.5%的GDP、70%的规模工业增加值。重点园区完成了全省开发区50%左右的规上工业总产值。",
                        doc_type="summary", year=2021))
    assert {v: got[v]["basis"] for v in got} == {34.5: "share_pct", 70: "share_pct", 50: "share_pct"}
    assert got[34.5]["indicator_id"] == "gdp"


def test_a_lede_sentence_is_no_title(indicators):
    """9月9日,…发来消息,8月该区经济继续传来回稳趋暖信号。 (242_news): a first line that is a sentence names no title period
    (its 8月 is not a monthly report's months to date)."""
    text = "9月9日,武汉经济技术开发区发来消息,8月该区经济继续传来回稳趋暖信号。\n数据显示,8月,开发区实现工业总产值97.44 亿元。"
    assert timing.title_of(text) == "" and timing.title_month(text) is None
    assert by_value(rows(indicators, text, doc_type="summary", year=2009))[97.44]["period"] == "M8"


@pytest.mark.parametrize("sentence, start, end", [
    ("地区生产总值从2015年末的300.41亿元跃升至2020年的469.5亿元,年均增长9.3%。", 300.41, 469.5),   # 330_plan
    ("地区生产总值由2015年的1054.8亿元增加到2020年的1734.1亿元,年均增长10.45%。", 1054.8, 1734.1),  # 322_plan (上交税金)
])
def test_a_change_from_one_years_level_to_anothers_gives_both_levels(indicators, sentence, start, end):
    """由/从 2015年的 A 增加到/跃升至 2020年的 B in a plan's review: A is the first year's level (not a size, as in
    5000万元以上的项目) and B the second's, both on the sentence's indicator."""
    found = by_value(rows(indicators, sentence, doc_type="plan", year=2021))
    assert (found[start]["indicator_id"], found[start]["kind"], found[start]["year"]) == ("gdp", "actual", 2015)
    assert (found[end]["indicator_id"], found[end]["kind"], found[end]["year"]) == ("gdp", "actual", 2020)


def test_a_rate_named_for_use_is_no_stock_the_plan_already_has(indicators):
    """利用好/利用… names what a plan already has (an actual); 综合利用率/重复利用率 is a rate's name, and a plan's
    稳定在65%以上 on it is a target (331_plan; 固体废物综合利用率100%, 409_table, is such a rate)."""
    text = ("预计到2025年,制造业占工业增加值比重达55%以上。绿色发展水平明显提升,一般工业固体废弃物综合利用率稳定在65%以上,"
            "工业用水重复利用率保持在95%以上。")
    found = by_value(rows(indicators, text, doc_type="district_plan", year=2022))
    assert [(found[v]["kind"], found[v]["year"]) for v in (65.0, 95.0)] == [("target", 2025), ("target", 2025)]


@pytest.mark.parametrize("sentence", [
    "投资增速连续11个月达到市平均增速。",          # 140_summary
    "全年累计9个月高于市建安投资增速。",            # 140_summary
    "规上工业增加值连续四个月实现同比正增长。",     # 210_news
])
def test_how_many_months_a_comparison_held_is_no_figure(indicators, sentence):
    """连续/累计 N个月 before 达到/高于/实现…: how long something held, not a quantity of the zone."""
    assert rows(indicators, sentence, doc_type="summary", year=2021).empty


def test_a_header_row_of_bare_years_under_or_over_the_indicator_gives_each_column_its_year(indicators):
    """工业企业单位数 (个) over 2000 | 2005 | … (468_table), 2008 | 2009 over 社会消费品零售总额 (亿元) | 增长 (%)
    (465_table): a year standing as a word of the header is its column's."""
    text = _word_table([["市别", "工业企业单位数 (个)", "工业企业单位数 (个)"], ["", "2020", "2023"],
                        ["广州", "6208", "6873"], ["深圳", "11255", "14188"]], title=("各市规模以上工业企业单位数",))
    found = by_value(rows(indicators, text, doc_type="summary", year=2023))
    assert [(found[v]["year"], found[v]["unit"]) for v in (6208, 6873, 11255, 14188)] == [
        (2020, "个"), (2023, "个"), (2020, "个"), (2023, "个")]


def test_a_row_naming_a_reading_sets_it_for_the_rows_under_it(indicators):
    """产业结构 / 增长速度 alone on a row (466_table), 总产出指数(上年=100) with its own figures (467_table): the rows
    under it are shares, growths, or an index on last year (110.4 → a growth of 10.4 %) — until a row names a unit."""
    text = _word_table([["地区", "生产总值", "第一产业"], ["产业结构"], ["全市", "100.0", "4.2"], ["增长速度"],
                        ["全市", "10.1", "4.1"]], spans={1: 1, 3: 1}, title=("各县(市)生产总值结构及增长速度", "单位:%"))
    found = rows(indicators, text, doc_type="summary", year=2008)
    assert {(r["value"], r["basis"]) for _, r in found.iterrows()} >= {
        (100.0, "share_pct"), (4.2, "share_pct"), (10.1, "growth_pct"), (4.1, "growth_pct")}
    text = _word_table([["项目", "2013", "2014"], ["总产出(亿元)", "61780.20", "70742.78"],
                        ["总产出指数(上年=100)", "116.20", "110.50"], ["第一产业", "104.40", "104.40"],
                        ["总产出构成(%)", "100.00", "100.00"], ["第一产业", "5.10", "4.80"]], title=("总产出", "单位:亿元"))
    got = [(r["value"], r["unit"], r["basis"], r["year"]) for _, r in
           rows(indicators, text, doc_type="summary", year=2014).iterrows()]
    assert (61780.2, "亿元", "level", 2013) in got and (16.2, "%", "growth_pct", 2013) in got
    assert (4.4, "%", "growth_pct", 2014) in got and (5.1, "%", "share_pct", 2013) in got


@pytest.mark.parametrize("header, periods", [
    (["指标名称", "11", "比去年同月增长(%)", "1-11", "比去年同期增长(%)"], ["M11", "M11", "M1-M11", "M1-M11"]),  # 463
    (["指标", "本月", "比去年同月增长(%)", "1-本月", "比去年同期增长(%)"], ["M11", "M11", "M1-M11", "M1-M11"]),    # 464
])
def test_a_monthly_sheets_month_columns_are_periods_not_figures(indicators, header, periods):
    """指标名称 | 11 | … | 1-11 (463_table; 10 | 1-10, 419_table), 本月 | 1-本月 (464_table): the header's numbers are the
    month and the months to date of the sheet's month, not a row of figures."""
    text = _word_table([header, ["全市工业总产值(亿元)", "3694.41", "7.6", "33034.98", "0.4"]],
                       title=("工业生产情况", "2020年11月"))
    found = by_value(rows(indicators, text, doc_type="summary", year=2020))
    assert [(found[v]["period"], found[v]["unit"]) for v in (3694.41, 7.6, 33034.98, 0.4)] == \
        list(zip(periods, ["亿元", "%", "亿元", "%"]))


def test_a_months_row_over_two_header_rows_gives_its_columns_their_periods(indicators):
    """12 | 1-12 merged over 绝对量 | 同比增长 % below (471_table): the sheet's month and the months to date, each over
    the columns it spans — not a row of figures, and not lost to the header row of words under it."""
    text = _word_table([["", "12", "", "1-12", ""], ["指标", "绝对量", "同比增长 %", "绝对量", "同比增长 %"],
                        ["规模以上工业增加值", "", "7.5", "", "3.8"], ["制造业", "", "7.1", "", "2.5"]],
                       merges=((0, 1, 2), (0, 3, 4)), title=("2022年1-12月规模以上工业生产主要数据",))
    found = by_value(rows(indicators, text, doc_type="summary", year=2022))
    assert [(found[v]["period"], found[v]["basis"]) for v in (7.5, 3.8, 7.1, 2.5)] == \
        [("M12", "growth_pct"), ("", "growth_pct"), ("M12", "growth_pct"), ("", "growth_pct")]
    assert {12.0, 1.0}.isdisjoint(found)


def test_a_goal_missed_is_a_results_words_and_the_years_task_is_the_results_year(indicators):
    """A 2023 plan reviewing 2022 (342_plan_review): 完成年计划710亿元的89.4% — the task is 2022's, beside 2022's
    result; (主要是…未达预期目标),增长2.0% — a goal missed says what happened, so the growth after it is a result."""
    text = ("一、2022年国民经济和社会发展计划执行情况\n2022年,全区经济平稳运行。\n初步预计,荔城地区生产总值635亿元,"
            "完成年计划710亿元的89.4%(主要是二产、三产未达预期目标),增长2.0%。")
    found = by_value(rows(indicators, text, doc_type="plan", year=2023))
    assert (found[635.0]["kind"], found[635.0]["year"]) == ("actual", 2022)
    assert (found[710.0]["kind"], found[710.0]["year"]) == ("target", 2022)
    assert (found[2.0]["kind"], found[2.0]["year"], found[2.0]["basis"]) == ("actual", 2022, "growth_pct")


@pytest.mark.parametrize("sentence, value, period", [
    ("工业:1.煤炭行业1-4月累计完成增加值2.1亿元,同比下降12.2%。", 2.1, "M1-M4"),                          # 248_operation
    ("2.区属制造业1-4月增加值累计增长20.0%,增速较1-3月收窄2.9个百分点。", -2.9, "M1-M4"),                 # 248_operation
    ("体育箱包、纺织服装等四个支柱产业第一季度完成工业产值91亿元。", 91.0, "Q1"),                           # 232_news
    ("成都高新区前三季度实现地区生产总值2034.2亿元。", 2034.2, "M1-M9"),                                   # 217_news
])
def test_a_period_after_the_clauses_subject_governs_it(indicators, sentence, value, period):
    """煤炭行业1-4月累计完成…: a period may follow the clause's subject (words, no comparison: 较1-3月 compares with a
    period, it is not the figure's)."""
    assert by_value(rows(indicators, sentence, doc_type="summary", year=2025))[value]["period"] == period


@pytest.mark.parametrize("sentence, value", [
    ("其中水泥行业同比增长8.8%,增速收窄13.1个百分点。", -13.1),          # 248_operation: a growth that narrowed fell
    ("区属制造业增加值累计增长20.0%,增速较1-3月收窄2.9个百分点。", -2.9),   # 248_operation
    ("固定资产投资同比下降29.8%,比上月收窄5.9个百分点。", 5.9),           # 216_operation: a decline that narrowed eased
])
def test_a_growth_that_narrowed_fell_and_a_decline_that_narrowed_eased(indicators, sentence, value):
    found = rows(indicators, sentence, doc_type="summary", year=2025)
    assert value in set(found[found["unit"] == "个百分点"]["value"])


@pytest.mark.parametrize("text, value, period", [
    # 285_news: a news lead's frame before its period
    ("昨日,记者从市统计局了解到,今年上半年,全市总体经济保持平稳运行、稳中向好的态势。全市生产总值(GDP)440.26亿元,增长8.4%。",
     440.26, "H1"),
    # 263_operation: a clause of last year's news before it
    ("继去年年底,区域生产总值上升为全国国家级开发区首位之后,今年上半年开发区财政收入和税收收入也双双跃居第一。"
     "同时,实施积极就业政策,累计新增就业3.1万人。", 3.1, "H1"),
    # 283_news: 元至九月, 元月 (January) to September
    ("元至九月,全县完成生产总值56.7亿,增长7.5%;地方公共财政预算收入4.47亿元,增长31.2%。", 4.47, "M1-M9"),
])
def test_a_period_after_two_clauses_without_figures_governs_its_paragraph(indicators, text, value, period):
    """A sentence may open with clauses that hold no figure (昨日 / 记者从…了解到) before its period: the period still
    opens it and governs the paragraph's later sentences; 元至九月 is 1至9月."""
    assert by_value(rows(indicators, text, doc_type="summary", year=2015))[value]["period"] == period


def test_a_page_dated_mid_year_is_about_that_year_whatever_year_end_it_names():
    """127_summary: published 2020-06-16, 今年 and a count at 2019年底: a page dated after April is about its own
    year (dated January to April, a summary is about the year before)."""
    text = ("经开区上半年总体经济运行来势较好\n\n发布时间:2020-06-16来源:双峰网\n\n今年,经开区科学做好疫情防控工作。\n\n"
            "全区148家入园企业,其中规模以上企业66家,2019年底期末用工人数统计18310人。")
    assert timing.infer_year(prepare(text)) == 2020
    assert timing.infer_year(prepare(text.replace("2020-06-16", "2020-02-16"))) == 2019


def test_a_plans_review_heading_run_into_its_line_makes_its_figures_results(indicators):
    """350_plan: 。一、“十三五”工业发展现状“十三五”期间,… — a line heading's words (发展现状, 发展基础) run into the line by a
    web copy still head a review: its stocks are results, the goals after 二、发展目标 targets."""
    text = ("铜鼓县“十四五”工业经济发展规划(20212025年)“十四五”时期是重要机遇期。特制定本规划。一、“十三五”工业发展现状"
            "“十三五”期间,我县工业面对复杂多变的国际国内环境。有高新技术企业14家、战略性新兴企业13家。"
            "二、发展目标到2025年,高新技术企业达到30家。")
    found = by_value(rows(indicators, text, doc_type="district_plan", year=2021))
    assert [found[v]["kind"] for v in (14, 13, 30)] == ["actual", "actual", "target"]


@pytest.mark.parametrize("opening, doc_type", [
    ("2021年,是“十四五”开局之年,面对复杂多变的经济环境,全区各项事业取得新进展。\n一、综合\n", "summary"),   # 422_table
    ("2021年是中国共产党成立100周年,是“十四五”开局之年,也是建设现代化国际化经济特区的关键一年。\n", "summary"),  # 345
    ("临港新片区“十四五”规划:初步实现“五个重要”目标\n", "district_plan"),                               # 321_plan
    ("“十一五”期间,每年计划完成造林2万亩。\n", "district_plan"),                                          # 343_plan
])
def test_a_five_year_plans_name_types_a_plan_not_a_results_document_naming_the_year_it_opened(opening, doc_type):
    """A five-year plan's name in the opening lines makes the document a plan, unless it names the year the plan
    opened or closed (是“十四五”开局之年, 实现了“十四五”良好开局): a results document's first sentence."""
    text = opening + "全区实现地区生产总值91.3亿元,比上年增长7.5%。"
    assert timing.infer_doc_type(prepare(text)) == doc_type


@pytest.mark.parametrize("text", [
    # 372_plan_review: the indicators as the subject of 预计, before a list
    "基本完成年度目标。相关指标预计完成情况如下:地区生产总值完成1050亿元,增长8.5%左右;一般公共预算收入完成156.9亿元,增长15.1%。",
    # 132_summary: the park as the subject
    "2008年,园区预计:完成工业总产值35亿元,同比增长40%;一般公共预算收入完成156.9亿元,增长15.1%。",
])
def test_an_estimate_that_opens_a_list_reaches_every_item(indicators, text):
    """预计 opening a 。-sentence after its subject (相关指标, 园区) makes every ；-item of it an estimate."""
    found = by_value(rows(indicators, text, doc_type="plan", year=2022))
    assert found[156.9]["estimate"] and found[15.1]["estimate"]


@pytest.mark.parametrize("text, values", [
    ("全州园区实现利润、上交税金分别为9.1亿元、6.1亿元,同比分别增长14.9%和11.1%。", [9.1, 6.1, 14.9, 11.1]),  # 284_news
    ("化学需氧量和二氧化硫年排放量分别减少3%和4%。", [-3.0, -4.0]),                                        # 346
    ("一产和三产占比分别下降0.5和0.7个百分点。", [-0.5, -0.7]),                                          # 354_plan_review
    ("饮料类、烟酒类消费受到春节假期因素影响,分别增长13.0%、23.8%。", [13.0, 23.8]),                     # 293_operation
    ("饮料、金银珠宝、日用品和书报杂志类分别下降20.0%、18.0%、5.1%和4.2%。", [-20.0, -18.0, -5.1, -4.2]),  # 227_operation
])
def test_a_list_of_measures_the_catalogue_lacks_is_no_list_of_companies(indicators, text, values):
    """分别 over items that name no catalogue indicator: measures (利润, 上交税金, 排放量, 占比) and classes of goods
    (饮料类) keep their figures, for the editor to map; only names that are neither a measure nor a sector
    (companies) are dropped."""
    found = rows(indicators, text, doc_type="summary", year=2015)
    assert sorted(found["value"]) == sorted(values)


@pytest.mark.parametrize("text, ranks", [
    ("完成一般公共预算收入265.9亿元,总量全市第一、全省县市区第三。", [1, 3]),   # 262_news
    ("全年进出口总额突破1000亿元大关,规模全市第二。", [2]),                   # 292_news
])
def test_a_rank_after_the_words_naming_what_is_ranked_needs_no_verb(indicators, text, ranks):
    """…,总量全市第一、全省县市区第三 / …,规模全市第二: a clause of a few words, a 全X field and 第N is a rank."""
    found = rows(indicators, text, doc_type="summary", year=2024)
    assert list(found[found["basis"] == "rank"]["value"]) == ranks


@pytest.mark.parametrize("sentence, value", [
    ("工业增加值实现135亿元,年平均递增28%。", 28.0),             # 343_plan: 递增, a rate kept each year
    ("规模以上工业企业工业总产值30.8亿元,年均递增22.4%。", 22.4),  # 350_plan
    ("外商直接投资实际到位金额年均递增8%。", 8.0),               # 344_plan
    ("城乡低收入家庭恩格尔系数年均递减1.6%。", -1.6),             # 递减: the same rate, falling
])
def test_a_rate_kept_year_after_year_is_a_growth(indicators, sentence, value):
    found = rows(indicators, sentence, doc_type="summary", year=2010)
    rates = found[found["unit"] == "%"]
    assert (value, "growth_pct") in set(zip(rates["value"], rates["basis"]))


@pytest.mark.parametrize("review", [
    "2022年,是泽州发展历程中极不平凡的一年。\n这一年,我们迎难而上稳大盘。",   # 356_plan_review: 这一年, the year just named
    "一年来,面对外部环境复杂多变,我们攻坚克难。",                            # 357_plan_review: the year a plan reviews
    "过去一年,是极不平凡的一年。",                                            # 144_plan_review
])
def test_a_review_that_names_no_year_makes_a_plans_figures_last_years_results(indicators, review):
    text = (f"{review}\n地区生产总值达到556.4亿元,首次突破500亿元大关;固定资产投资完成157.5亿元。\n"
            "二、2023年工作目标\n地区生产总值增长6%。")
    found = by_value(rows(indicators, text, doc_type="plan", year=2023))
    assert [(found[v]["kind"], found[v]["year"]) for v in (556.4, 157.5)] == [("actual", 2022)] * 2
    assert (found[6.0]["kind"], found[6.0]["year"]) == ("target", 2023)   # the review ends at the next section
