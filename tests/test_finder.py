"""The figure finder: each language pattern on a real sentence of the five documents, reading .txt/.docx/.pdf,
verbatim quotes, the CLI — and the measurement against the hand-checked rows (recall, precision, agreement)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from parkmetrics.cli import main
from parkmetrics.finder import COLUMNS, find_candidates, read_document, scan_document, suggest_catalogue
from parkmetrics.finder.timing import infer_doc_type, infer_year
from parkmetrics.finder.numerals import cn_to_int
from parkmetrics.loader import load_dataset
from parkmetrics.model import OBSERVATION_COLUMNS

from finder_measure import Score, score_document

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "fixtures" / "documents"
EXPECTED = ROOT / "tests" / "fixtures" / "finder_expected.csv"
SOURCES = {r["source"]: r for r in csv.DictReader(open(DOCS / "sources.csv", encoding="utf-8"))}

BARS = {"recall": 0.90, "precision": 0.85, "agreement": 0.95}
AGREEMENT_FIELDS = ["kind", "basis", "comparator", "estimate", "target_level"]


@pytest.fixture(scope="module")
def indicators():
    return load_dataset(ROOT / "tests" / "fixtures" / "frozen").indicators


def find(indicators, sentence: str, **kw) -> pd.DataFrame:
    kw.setdefault("doc_type", "plan")
    kw.setdefault("year", 2022)
    rows = find_candidates(sentence, indicators, **kw)
    for _, r in rows.iterrows():  # every quote is a verbatim span of the text it was found in
        assert sentence[r["start"]:r["end"]] == r["quote"]
    return rows


def one(indicators, sentence: str, **kw) -> pd.Series:
    rows = find(indicators, sentence, **kw)
    assert len(rows) == 1, rows[["indicator_id", "value", "quote"]]
    return rows.iloc[0]


def by_value(rows: pd.DataFrame) -> dict[float, pd.Series]:
    return {r["value"]: r for _, r in rows.iterrows()}


# --- levels, growth, lists -------------------------------------------------------------------------------------

def test_level_and_growth_in_one_sentence_and_the_reach_of_yuji(indicators):
    rows = find(indicators, "——预计完成规上工业企业产值56.8亿元，同比增长30.5%；培育规模以上企业7家。",
                doc_type="summary", year=2021)
    v = by_value(rows)
    assert (v[56.8]["indicator_id"], v[56.8]["basis"], v[56.8]["unit"], v[56.8]["kind"]) == \
        ("industrial_output", "level", "亿元", "actual")
    assert (v[30.5]["indicator_id"], v[30.5]["basis"], v[30.5]["unit"]) == ("industrial_output", "growth_pct", "%")
    assert v[30.5]["quote"] == "预计完成规上工业企业产值56.8亿元，同比增长30.5%"
    assert v[56.8]["estimate"] and v[30.5]["estimate"]
    assert not v[7.0]["estimate"]  # 预计 stops at the ；
    assert (v[7.0]["indicator_id"], v[7.0]["basis"]) == ("above_scale_enterprises_new", "new_count")


def test_stretch_target_beside_the_base(indicators):
    rows = find(indicators, "规模以上工业总产值同比增长12%，力争达到15%；工业投资同比增长15%以上；")
    base = rows.iloc[0]
    assert (base["value"], base["target_level"], base["basis"]) == (12, "base", "growth_pct")
    stretch = rows[rows["target_level"] == "stretch"].iloc[0]
    assert (stretch["indicator_id"], stretch["basis"], stretch["value"]) == ("industrial_output", "growth_pct", 15)
    invest = rows[rows["indicator_id"] == "industrial_investment"].iloc[0]
    assert (invest["target_level"], invest["comparator"]) == ("base", "≥")


def test_fenbie_assigns_values_to_the_items_in_order(indicators):
    rows = find(indicators, "到2025年，规模以上工业产值达400亿元，其中卷烟及配套、新材料、消费品工业、生物医药、新能源五大产业"
                            "分别实现产值120亿元、100亿元、100亿元、50亿元、30亿元。", doc_type="district_plan")
    got = list(zip(rows["indicator_id"], rows["value"]))
    assert got == [("industrial_output", 400), ("industrial_output_tobacco", 120),
                   ("industrial_output_new_materials", 100), ("industrial_output_consumer_goods", 100),
                   ("industrial_output_biomedicine", 50), ("industrial_output_new_energy", 30)]
    assert set(rows["year"]) == {2025}


def test_fenbie_growth_rates(indicators):
    rows = find(indicators, "规上工业总产值、增加值分别增长12%、8.5%。")
    assert list(zip(rows["indicator_id"], rows["value"], rows["basis"])) == [
        ("industrial_output", 12, "growth_pct"), ("industrial_value_added", 8.5, "growth_pct")]


def test_fenbie_over_companies_is_not_the_parks(indicators):
    assert find(indicators, "衡生药用胶囊、双河丝绸、科瑞南海制药出口分别同比增长58.9%、140%、26.8%。",
                doc_type="summary", year=2021).empty


def test_jun_gives_every_item_the_value(indicators):
    rows = find(indicators, "规上工业总产值和规上工业增加值均增长12%左右。")
    assert list(rows["indicator_id"]) == ["industrial_output", "industrial_value_added"]
    assert set(rows["comparator"]) == {"≈"} and rows["approximate"].all()
    rows = find(indicators, "到2025年，卷烟及配套、新材料、消费品工业等3个传统产业产值规模均突破百亿。",
                doc_type="district_plan")
    assert list(rows["indicator_id"]) == ["industrial_output_tobacco", "industrial_output_new_materials",
                                          "industrial_output_consumer_goods"]
    assert set(rows["value"]) == {100} and set(rows["unit"]) == {"亿元"} and set(rows["comparator"]) == {">"}


def test_ge_each_item(indicators):
    rows = find(indicators, "开办党务知识培训班不少于4期和入党积极分子培训班、发展对象培训班各1期。")
    assert list(zip(rows["indicator_id"], rows["value"], rows["comparator"])) == [
        ("party_affairs_classes", 4, "≥"), ("activist_classes", 1, "="), ("candidate_classes", 1, "=")]


def test_qizhong_sub_figures(indicators):
    rows = find(indicators, "正式签约项目30个以上，其中5000万元以上的项目10个，协议引资50亿元，到位资金10亿元；")
    # 5000万元以上 is the size class of the 10 projects, not a figure of its own
    assert list(zip(rows["indicator_id"], rows["value"])) == [
        ("signed_projects", 30), ("signed_projects_50m", 10), ("contracted_investment", 50), ("funds_in_place", 10)]
    rows = find(indicators, "预计完成固定资产投资20.66亿元，同比增长25.59%，其中工业投资6.8亿元，同比增长53.15%。",
                doc_type="summary", year=2021)
    assert list(rows["indicator_id"]) == ["fixed_asset_investment"] * 2 + ["industrial_investment"] * 2
    assert rows["estimate"].all()


# --- comparators and flags -------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, value, comparator, approximate", [
    ("工业投资同比增长15%以上", 15, "≥", False),
    ("到2025年，规模以上工业企业数量超过100家", 100, ">", False),
    ("全年组织孵化活动不低于12次", 12, "≥", False),
    ("签约项目不少于60个", 60, "≥", False),
    ("开展各类实践活动50余次", 50, ">", True),
    ("涉及投资额约120亿元", 120, "≈", True),
    ("力争年度释放工业用地1500亩左右", 1500, "≈", True),
    ("对有合作意向的项目力争3个月内签约", 3, "≤", False),
    ("上市企业达到3家及以上", 3, "≥", False),
    ("确保实现固定资产投资50亿元", 50, "≥", False),
    ("确保核装置自主化及服役安全研发平台等18个项目顺利建成", 18, "=", False),  # 确保 governs 建成, not the count
])
def test_comparators(indicators, sentence, value, comparator, approximate):
    r = one(indicators, sentence)
    assert (r["value"], r["comparator"], bool(r["approximate"])) == (value, comparator, approximate)


def test_near_multiple_is_approximate(indicators):
    v = by_value(find(indicators, "协议引资53.8亿元，同比增长近6倍。", doc_type="summary", year=2021))
    assert (v[6.0]["basis"], v[6.0]["unit"], v[6.0]["comparator"], bool(v[6.0]["approximate"])) == \
        ("growth_multiple", "倍", "≈", True)


@pytest.mark.parametrize("sentence, level", [
    # 力争 is a stretch beside a base; alone, it is the plan's target (LABELLING.md, docs/metrics.md)
    ("规模以上工业总产值同比增长12%，力争达到15%", "stretch"),
    ("力争新增高新技术企业8户以上", "base"),
    ("在全省“五好”园区考核排名力争进前50位", "base"),
    ("争取发行政府专项债券3亿元", "base"),  # 争取 + funding is 向上争取, not a stretch
    ("争取在去年7家基础上，确保今年入规企业达26家以上", "base"),  # 确保 takes it back to the base
])
def test_stretch_words(indicators, sentence, level):
    rows = find(indicators, sentence)
    assert rows[rows["kind"] == "target"].iloc[-1]["target_level"] == level


# --- bases -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, kw, indicator, basis, unit", [
    ("培育规模以上企业5家以上", {}, "above_scale_enterprises_new", "new_count", "家"),
    ("签订招商引资项目入驻协议27个，同比净增7个", {"doc_type": "summary"}, "signed_projects", "change_abs", "个"),
    ("完成本级公共财政收入7.78亿元，为年度预算的100.5%", {"doc_type": "summary"}, "public_budget_revenue",
     "pct_of_plan", "%"),
    ("研发投入强度达到3.2%以上", {}, "rd_intensity", "share_pct", "%"),
    ("到2025年，建有研发机构的规模以上工业企业占比超过40%", {"doc_type": "district_plan"}, "rd_enterprises_share",
     "share_pct", "%"),
    ("规上工业增加值能耗强度降低13.5％以上", {"doc_type": "district_plan"}, "energy_intensity", "reduction_pct", "%"),
    ("“三新”项目报送在岳阳市综合排名进入前二", {}, "rank_yueyang_sanxin", "rank", "位"),
    ("在岳阳市园区高质量发展绩效考核中排名进前三", {}, "rank_yueyang_park_performance", "rank", "位"),
])
def test_bases(indicators, sentence, kw, indicator, basis, unit):
    r = find(indicators, sentence, **kw).iloc[-1]
    assert (r["indicator_id"], r["basis"], r["unit"]) == (indicator, basis, unit)
    if basis == "rank":
        assert r["comparator"] == "≤"


def test_ranks_first_place_and_top_n(indicators):
    rows = find(indicators, "到2025年，工业经济运行综合指数排位居渝东南首位，在全市排位挺进前15位。",
                doc_type="district_plan")
    assert list(zip(rows["indicator_id"], rows["value"])) == [("rank_industrial_index_southeast", 1),
                                                              ("rank_industrial_index_chongqing", 15)]
    assert (rows["confidence"] < 0.85).all()  # found by fuzzy matching: the editor confirms
    assert find(indicators, "旗帜鲜明把党的政治建设摆在首位。", doc_type="summary").empty  # emphasis, not a rank


def test_percentage_points_and_fractions(indicators):
    r = one(indicators, "研发投入强度提高0.5个百分点")
    assert (r["basis"], r["unit"], r["value"]) == ("pp_change", "个百分点", 0.5)  # the model's pp_change basis
    r = one(indicators, "工业投资占全市1/8")
    assert (r["basis"], r["unit"], r["value"]) == ("share_pct", "%", 12.5) and "1/8" in r["note"]


def test_zero_accident_target(indicators):
    r = one(indicators, "全面筑牢安全生产监管思想、制度、排查、整改、应急“五道防线”，力争园区安全生产“零事故”。")
    assert (r["indicator_id"], r["value"], r["target_level"]) == ("safety_accidents", 0, "base")  # 力争 alone


# --- numbers as written ----------------------------------------------------------------------------------------

def test_chinese_numerals_agree_with_cn2an():
    import cn2an
    for n in list(range(0, 2000)) + list(range(2000, 100_000, 37)):
        assert cn_to_int(cn2an.an2cn(n)) == n
    assert (cn_to_int("两"), cn_to_int("十五"), cn_to_int("百"), cn_to_int("二十六")) == (2, 15, 100, 26)


def test_chinese_numerals_in_figures(indicators):
    assert one(indicators, "新增规上工业企业二十六家")["value"] == 26
    assert one(indicators, "新建党组织两个")["value"] == 2
    # 一 + measure word is an article; Chinese-numeral phases and slogans are not figures
    assert find(indicators, "落实一名处级领导干部专职负责督查督办，推进三磊玻纤一期二线建设，围绕“两个覆盖”双百目标。").empty


def test_money_units_and_fullwidth_digits(indicators):
    r = one(indicators, "补助非公党建工作经费16.44万元", doc_type="summary")
    assert (r["value"], r["unit"], r["indicator_id"]) == (16.44, "万元", "party_building_funds")
    r = one(indicators, "紧扣招商引资400亿，签约")
    assert (r["value"], r["unit"], r["indicator_id"]) == (400, "亿元", "investment_attracted")
    text = "上半年完成固定资产投资１２.５亿元，同比增长８％。"
    rows = find(indicators, text, doc_type="summary")
    assert list(rows["value"]) == [12.5, 8.0] and rows.iloc[0]["quote"].endswith("１２.５亿元")


# --- years, kinds, periods, scope ------------------------------------------------------------------------------

def test_multi_year_targets_and_every_year(indicators):
    text = ("大力推进“专精特新”企业高质量发展专项行动计划（2022—2025年）。到2025年，规模以上工业企业数量超过100家。"
            "确保每年新开工投资5000万元及以上的工业项目达到20个以上；确保全年新竣工投产项目达到10个以上。")
    rows = find(indicators, text, doc_type="district_plan", year=2022)
    first = rows.iloc[0]
    assert (first["year"], first["baseline_year"]) == (2025, 2021)
    every = rows[rows["indicator_id"] == "industrial_projects_50m_started"]
    assert list(every["year"]) == [2022, 2023, 2024, 2025]
    assert list(rows[rows["indicator_id"] == "projects_completed"]["year"]) == [2022, 2023, 2024, 2025]


def test_plan_mentions_of_last_year_and_of_existing_stock_are_actuals(indicators):
    rows = find(indicators, "要及时对接企业，争取在去年7家基础上，确保今年入规企业达26家以上。")
    v = by_value(rows)
    assert (v[7.0]["kind"], v[7.0]["year"], v[7.0]["indicator_id"]) == ("actual", 2021, "above_scale_enterprises_new")
    assert (v[26.0]["kind"], v[26.0]["year"], v[26.0]["comparator"]) == ("target", 2022, "≥")
    rows = find(indicators, "利用好青杠片区预留1000亩工业用地集中布局玻纤新材料产业，园区21万平方标准化厂房及部分工业用地，"
                            "集中布局消费品产业。")
    assert list(zip(rows["indicator_id"], rows["kind"], rows["year"], rows["unit"])) == [
        ("industrial_land_reserved", "actual", 2021, "亩"), ("standard_factory_area", "actual", 2021, "万平方米")]


def test_a_summarys_plans_for_next_year_are_targets(indicators):
    rows = find(indicators, "2023年，规上工业总产值增长12%，力争增长15%。明年，确保实现固定资产投资50亿元。",
                doc_type="summary", year=2022)
    assert list(zip(rows["kind"], rows["year"], rows["target_level"])) == [
        ("target", 2023, "base"), ("target", 2023, "stretch"), ("target", 2023, "base")]


@pytest.mark.parametrize("sentence, period", [
    ("1-9月，园区实现规上工业总产值45.6亿元。", "M1-M9"),
    ("1至2月，规上工业总产值完成8亿元。", "M1-M2"),
    ("上半年完成固定资产投资12.5亿元。", "H1"),
    ("一季度，工业投资完成3.1亿元。", "Q1"),
    ("前三季度，规上工业增加值增长6.2%。", "M1-M9"),
    ("3月份，规上工业总产值完成4亿元。", "M3"),
    ("6月底前，完成固定资产投资5亿元。", ""),       # a deadline, not a period
    ("力争二季度开工建设项目，固定资产投资5亿元。", ""),  # 二季度 dates the start of work, not the figure
])
def test_periods(indicators, sentence, period):
    assert one(indicators, sentence, doc_type="summary")["period"] == period


def test_scope_cues_without_a_scope_argument(indicators):
    text = "全区规上工业总产值达到500亿元，园区规上工业总产值达到300亿元。"
    rows = find(indicators, text)
    assert list(zip(rows["scope"], rows["indicator_id"])) == [("district", "industrial_output"),
                                                              ("park", "industrial_output")]
    assert set(find(indicators, text, scope="park")["scope"]) == {"park"}  # the source's scope wins


# --- what is not an indicator figure ---------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "中共重庆市正阳工业园区工作委员会 2022年1月28日",                       # a date
    "（一）抓产业聚焦。一是编制完成黔江高新区五年发展规划。1.做大做强主导产业。",  # list numbers
    "聚焦“卷烟及配套、新材料、消费品”加大健康、新能源“3+2”产业体系",          # a system name
    "精准对接500强企业、央企国企、头部企业",                                   # a slogan
    "玻纤全产业链重点推进并已形成“1家链主+7家上中下游企业”的格局",             # a slogan with counts
    "拟投资30亿元的华录黔江数据湖科技园项目落地园区",                         # one project
    "支持长祥3万吨模具钢项目，建成年产3万套生产线",                            # capacities
    "重庆某某有限公司出口增长20%",                                            # one company
    "产业研究服务热线:400-068-7188",                                          # a phone number
    "渝黔发〔2022〕5号",                                                      # a document number
    "重点抓好八项工作，抓好打造产业集群等7个方面工作",                         # the document's structure
    "生物医药、新能源等2个战略性新兴产业",                                     # counts its own list
    "成功获批了50亿级重庆市农产品加工业示范园区",                              # a tier
])
def test_not_indicator_figures(indicators, sentence):
    assert find(indicators, sentence).empty


def test_scan_reports_why_a_figure_was_skipped():
    reasons = {f.value: why for f, why in scan_document("拟投资30亿元的项目；“1家链主+7家上中下游企业”；八项工作")}
    assert reasons == {30.0: "qualifier", 1.0: "slogan", 8.0: "structure"}  # +7家 is never read as a number


# --- indicator matching ----------------------------------------------------------------------------------------

def test_longest_alias_wins_and_the_basis_picks_stock_or_new(indicators):
    rows = find(indicators, "推动新增科技型中小企业60户以上、国家科技型中小企业10户以上。")
    assert list(rows["indicator_id"]) == ["tech_smes_new", "national_tech_smes_new"]
    assert one(indicators, "高新技术企业达到42家", doc_type="summary")["indicator_id"] == "high_tech_enterprises"
    assert one(indicators, "成功认定高新技术企业15家", doc_type="summary")["indicator_id"] == "high_tech_enterprises_new"
    r = find(indicators, "培育规模以上企业5家以上、高新技术企业8家以上").iloc[1]
    assert (r["indicator_id"], r["basis"]) == ("high_tech_enterprises_new", "new_count")  # 培育 heads the list


def test_stock_beside_new_units_and_pp_change_carry(indicators):
    rows = find(indicators, "新增规上工业企业12家，总数达到156家；研发投入强度达到2.8%，较上年提高0.3个百分点。",
                doc_type="summary")
    assert list(zip(rows["indicator_id"], rows["basis"])) == [
        ("above_scale_enterprises_new", "new_count"), ("above_scale_enterprises", "level"),
        ("rd_intensity", "share_pct"), ("rd_intensity", "pp_change")]


def test_unmatched_figure_says_what_it_was_found_with(indicators):
    r = one(indicators, "打造了三磊玻纤、双河丝绸、阿蓬科技孵化器等10余个现场参观点", doc_type="summary")
    assert r["indicator_id"] == "" and r["indicator_text"] == "现场参观点" and r["confidence"] < 0.5
    stubs = yaml.safe_load(suggest_catalogue(find(indicators, "打造了阿蓬科技孵化器等10余个现场参观点",
                                                  doc_type="summary")))["indicators"]
    assert stubs[0]["name_zh"] == "现场参观点" and stubs[0]["unit"] == "个" and stubs[0]["bases"] == ["level"]
    assert set(stubs[0]) == {"id", "name_zh", "name_en", "unit", "bases", "category", "description_zh"}


def test_columns_and_empty_park_source(indicators):
    rows = find(indicators, "协议引资50亿元")
    assert list(rows.columns) == COLUMNS
    assert set(OBSERVATION_COLUMNS) <= set(rows.columns) and {"period", "indicator_text", "confidence",
                                                               "start", "end"} <= set(rows.columns)
    assert rows.iloc[0]["park_id"] == "" and rows.iloc[0]["source"] == ""
    rows = find(indicators, "协议引资50亿元", park="zhengyang", source="zy_2022_plan")
    assert (rows.iloc[0]["park_id"], rows.iloc[0]["source"]) == ("zhengyang", "zy_2022_plan")


# --- documents -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("source", sorted(SOURCES))
def test_type_and_year_inferred_from_the_document(source):
    text = read_document(DOCS / SOURCES[source]["file"])
    assert infer_doc_type(text) == SOURCES[source]["type"]
    assert infer_year(text, infer_doc_type(text)) == int(SOURCES[source]["year"])


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_quote_is_verbatim(indicators, source):
    text = read_document(DOCS / SOURCES[source]["file"])
    rows = find_candidates(text, indicators)  # everything inferred, nothing given
    assert len(rows) > 10
    for _, r in rows.iterrows():
        assert r["quote"] in text and text[r["start"]:r["end"]] == r["quote"]
        assert "[bookmark" not in r["quote"]


def test_read_txt_encodings(tmp_path):
    sample = "协议引资53.8亿元，同比增长近6倍。"
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + sample.encode("utf-8"))
    (tmp_path / "gbk.txt").write_bytes(sample.encode("gb18030"))
    assert read_document(tmp_path / "bom.txt") == sample
    assert read_document(tmp_path / "gbk.txt") == sample


def test_read_docx_paragraphs_and_tables_in_order(tmp_path, indicators):
    import docx
    doc = docx.Document()
    doc.add_paragraph("2022年工作要点")
    doc.add_paragraph("规模以上工业总产值同比增长12%，力争达到15%；")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "目标"
    table.cell(1, 0).text, table.cell(1, 1).text = "协议引资", "50亿元"
    doc.add_paragraph("到位资金10亿元。")
    doc.save(tmp_path / "plan.docx")
    text = read_document(tmp_path / "plan.docx")
    assert text.split("\n") == ["2022年工作要点", "规模以上工业总产值同比增长12%，力争达到15%；", "指标 目标",
                                "协议引资 50亿元", "到位资金10亿元。"]  # a table row is its cells joined by spaces
    [table] = text.tables
    assert [[(text[c.start:c.end], c.col) for c in r.cells] for r in table.rows] == \
        [[("指标", 0), ("目标", 1)], [("协议引资", 0), ("50亿元", 1)]]
    rows = find_candidates(text, indicators)
    assert {"industrial_output", "funds_in_place"} <= set(rows["indicator_id"])


def test_read_pdf(tmp_path, indicators):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # Adobe's CID font: no font file needed
    c = canvas.Canvas(str(tmp_path / "summary.pdf"))
    c.setFont("STSong-Light", 12)
    c.drawString(72, 760, "2021年工作总结")
    c.drawString(72, 740, "预计完成规上工业企业产值56.8亿元，同比增长30.5%；培育规模以上企业7家。")
    c.showPage()
    c.save()
    text = read_document(tmp_path / "summary.pdf")
    assert "预计完成规上工业企业产值56.8亿元，同比增长30.5%" in text
    rows = find_candidates(text, indicators)
    assert list(rows["value"]) == [56.8, 30.5, 7.0] and set(rows["kind"]) == {"actual"}


def test_cli_find(tmp_path, capsys):
    assert main(["find", str(DOCS / "004_dd0899c097f0b116.txt"), "--root", str(ROOT / "tests" / "fixtures" / "frozen"), "--source", "lx_2022_plan",
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["park_id"] == "linxiang" and rows[0]["source"] == "lx_2022_plan"
    assert rows[0]["quote"] == "完成技工贸总收入420亿元"
    assert main(["find", str(DOCS / "001_fe6c54b28da53ab7.txt"), "--root", str(ROOT / "tests" / "fixtures" / "frozen"), "--type", "summary",
                 "--suggest-catalogue"]) == 0
    assert "indicators" in yaml.safe_load(capsys.readouterr().out)


# --- the measurement -------------------------------------------------------------------------------------------

def evaluate(indicators) -> dict[str, Score]:
    """Run the finder on every document and score it against the frozen hand-checked rows, per document type
    (finder_measure.score_document: values agree after unit conversion, quote spans overlap, one to one)."""
    expected = pd.read_csv(EXPECTED, keep_default_na=False, dtype=str)
    scores: dict[str, Score] = {}
    for source, meta in SOURCES.items():
        text = read_document(DOCS / meta["file"])
        cand = find_candidates(text, indicators, park=meta["park"], source=source, year=int(meta["year"]),
                               doc_type=meta["type"], scope=meta["scope"])
        score_document(text, cand, expected[expected["source"] == source], scores.setdefault(meta["type"], Score()),
                       source)
    return scores


def test_measurement_against_the_hand_checked_rows(indicators):
    scores = evaluate(indicators)
    lines = ["figure finder vs hand-checked rows (recall ≥ 0.90, precision ≥ 0.85, agreement ≥ 0.95 per type):"]
    for kind, f in sorted(scores.items()):
        agree = " ".join(f"{k}={f.agreement(k):.2f}" for k in [*AGREEMENT_FIELDS, "indicator_id"])
        lines.append(f"  {kind:<14} recall={f.recall:.2f} precision={f.precision:.2f} "
                     f"({f.expected} expected, {f.candidates} candidates) agreement: {agree}")
    lines += [f"  - {m}" for s in scores.values() for m in s.misses]
    report = "\n".join(lines)
    print(report)
    failures = [f"{kind} {name}" for kind, f in scores.items()
                for name, value in [("recall", f.recall), ("precision", f.precision)] if value < BARS[name]]
    failures += [f"{kind} {field} agreement" for kind, f in scores.items() for field in AGREEMENT_FIELDS
                 if f.agreement(field) < BARS["agreement"]]
    assert set(scores) == {"plan", "summary", "district_plan"}
    assert not failures, f"below the bar: {failures}\n{report}"
