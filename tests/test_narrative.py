"""#20: the briefing's written analysis in 公文 order, sentence by sentence against the frozen fixture data (and a
copy of it with a 2022 summary imported, for an actual against its target)."""
from __future__ import annotations

import re
import subprocess

import pytest

from conftest import copy_data
from parkmetrics import importing, write
from parkmetrics.analysis import analyse_root
from parkmetrics.loader import load_dataset
from parkmetrics.reports import build, fontconfig_env, narrative
from parkmetrics.reports.briefing import text_of
from parkmetrics.reports.content import briefing_content

SUMMARY = "临湘高新区2022年工作总结\n2022年，临湘高新区完成规模工业总产值401.5亿元，同比增长9.2%。\n"


def body_text(analysis, park_id, lang) -> list[str]:
    return [line for s in narrative.body(analysis, park_id, lang) for line in (s.heading, *s.paragraphs)]


@pytest.fixture(scope="module")
def with_actual(tmp_path_factory):
    """The frozen data and 临湘's 2022 工作总结 (规模工业总产值 401.5亿元 against the 390亿元 target)."""
    root = copy_data(tmp_path_factory.mktemp("narrative") / "root")
    frame = importing.review_frame(SUMMARY, load_dataset(root).indicators, doc_type="summary", year=2022,
                                   scope="park")
    rows = importing.observation_rows(importing.set_accept(frame, True), park_id="linxiang",
                                      source_id="lx_2022_summary")
    source = importing.source_entry(id="lx_2022_summary", file="lx_2022_summary.txt", title="临湘高新区2022年工作总结",
                                    issuer="临湘高新区", date="2023-01-06", type="summary", park="linxiang", scope="park")
    mp = pytest.MonkeyPatch()
    mp.setenv(write.EDITOR_ENV, "1")
    importing.save(root, source, rows)
    mp.undo()
    return analyse_root(root)


def test_the_headings_follow_the_official_order(frozen):
    assert [s.heading for s in narrative.body(frozen, "zhengyang", "zh")] == [
        "一、总体情况", "二、主要指标完成情况", "三、需要关注的问题", "四、下步建议"]
    assert [s.heading for s in narrative.body(frozen, None, "zh")] == [
        "一、总体情况", "二、主要指标完成情况", "三、对比分析", "四、需要关注的问题", "五、下步建议"]
    assert [s.heading for s in narrative.body(frozen, None, "en")][0] == "1. Overview"


def test_this_years_target_beside_last_years_actual(frozen):
    lines = "".join(body_text(frozen, "zhengyang", "zh"))
    assert "2022年协议引资目标50亿元，较2021年实绩53.8亿元下降7.1%。" in lines       # 50 / 53.8 − 1
    assert "2022年签约项目数目标≥30个，较2021年实绩27个增长11.1%。" in lines
    # a growth target is a growth; the level it implies is "约", as precise as the rate
    assert "2022年规上工业总产值目标增长12%，按2021年实绩56.8亿元计约为63.6亿元。" in lines
    # and a target below last year's actual is named among the issues
    assert "正阳（黔江高新区）2022年协议引资目标50亿元，低于2021年实绩53.8亿元。" in lines


def test_the_headline_table_sets_last_years_actual_beside_each_target(frozen):
    brief = briefing_content(frozen, "zhengyang", "zh")
    (_, table), = brief.headline
    assert table.header[:5] == ["指标", "年份", "目标档", "目标值", "2021年实绩"]
    rows = {(r[0], r[2]): r for r in table.rows}
    assert rows[("协议引资", "基本目标")][3:5] == ["50亿元", "53.8亿元"]
    assert rows[("签约项目数", "基本目标")][3:5] == ["≥30个", "27个"]
    assert rows[("规上工业总产值", "基本目标")][3:5] == ["增长12%", "56.8亿元"]   # the level, in the level's unit
    target_ref, prior_ref = rows[("协议引资", "基本目标")][-1].split()          # each figure cites its sentence
    assert "2022" in brief.sources[int(target_ref.strip("[]")) - 1]
    assert "协议引资53.8亿元" in brief.sources[int(prior_ref.strip("[]")) - 1].replace(" ", "")
    assert "实际值" not in table.header and table.note     # no actual for 2022 yet: said once, under the table
    (_, jiangyou), = briefing_content(frozen, "jiangyou", "zh").headline
    assert not any("实绩" in h for h in jiangyou.header)    # no 2021 figures: no empty column


def test_a_district_is_counted_apart_and_its_draft_named(frozen):
    lines = body_text(frozen, "zhengyang", "zh")
    assert "正阳（黔江高新区）2022年共载明园区目标14项（基本目标13项、力争目标1项）。" in lines
    assert "另有黔江区区级目标46项（出自《黔江区“工业强城”建设实施方案》，征求意见稿），单独列示，不计入园区。" in lines
    assert "资料截至2022年8月（含征求意见稿）；实绩截至2021年。" in lines
    assert "黔江区的46项区级目标出自征求意见稿，定稿后需重新核对。" in lines


def test_no_actuals_are_said_once_with_what_to_request_from_whom(frozen):
    lines = body_text(frozen, None, "zh")
    assert sum("尚无实绩可比" in line for line in lines) == 1
    assert "请临湘高新区报送临湘高新区2022年工作总结（实绩）。" in lines
    assert "请四川江油高新技术产业园区综合管理办公室报送江油高新区2022年工作总结（实绩）。" in lines


def test_the_english_briefing_speaks_english_and_marks_what_stays_chinese(frozen):
    """#20.9: the product's own words are English (no 1–9月 in a sentence of ours); the documents' words stay as
    written and the briefing says they are in Chinese."""
    lines = body_text(frozen, "linxiang", "en")
    assert any("January–September" in line for line in lines) and not any("月" in line for line in lines)
    text = text_of(build(frozen, park_id="linxiang", lang="en", fmt="docx")[0])
    assert "as the documents write them, in Chinese" in text and "quoted as written, in Chinese" in text
    # an indicator inside a sentence is a noun phrase, not a title; a fragment inside a sentence opens in lower case
    assert ("The 2022 target for contracted investment is 5 billion yuan, down 7.1% on the 2021 actual of 5.38 billion "
            "yuan.") in " ".join(body_text(frozen, "zhengyang", "en"))


def test_the_comparison_says_who_aims_highest(frozen):
    lines = body_text(frozen, None, "zh")
    assert ("在有此目标的2个园区中，临湘高新区2022年规上工业总产值目标最高（390亿元），正阳（黔江高新区）最低"
            "（63.6亿元，据增速推算）。") in lines


def test_an_actual_against_its_target(with_actual):
    lines = "".join(body_text(with_actual, "linxiang", "zh"))
    # 401.5 / 390 = 102.9 %: met (below the 超额完成 threshold)
    assert "2022年规上工业总产值完成401.5亿元，为年度目标（390亿元）的102.9%，完成。" in lines
    assert "实绩截至2022年" in lines and "请临湘高新区报送" not in lines
    en = " ".join(body_text(with_actual, "linxiang", "en"))
    assert "reached 40.15 billion yuan in 2022, 102.9% of the annual target (39 billion yuan): Met." in en


def test_dates_read_as_written_in_a_document():
    assert narrative.date_text("2022-01-28", "zh") == "2022年1月28日"
    assert narrative.date_text("2022-08", "zh") == "2022年8月"
    assert narrative.date_text("2022-08", "en") == "2022-08"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_rendered_briefing_body_is_three_pages_at_most_and_holds_the_sentences(frozen, tmp_path, lang):
    """Every briefing, rendered by LibreOffice: the body before 附件1 is at most 3 pages and says what the data
    says; no line ends inside a number, a date, or (in Chinese) a park's or a district's name."""
    names = {n for park in frozen.dataset.parks.values()
             for n in (park.name_zh, park.short_name_zh, park.district_label_zh) if n}
    for park_id in ("zhengyang", "jiangyou", "linxiang", None):
        content, name = build(frozen, park_id=park_id, lang=lang, fmt="docx", editor=False)
        doc = tmp_path / name
        doc.write_bytes(content)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(doc)],
                       check=True, capture_output=True, timeout=180, env=fontconfig_env())
        pdf = doc.with_suffix(".pdf")
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout.replace("\u2060", "").split("\f")
        body = [i for i, page in enumerate(pages) if re.search(r"(附件|Annex)\s*1", page)]
        assert body and body[0] <= 3, f"{name}: the annexes start on page {body[0] + 1}"
        flat = "".join("".join(pages[:body[0]]).split())
        if park_id == "zhengyang":
            said = {"zh": "2022年协议引资目标50亿元，较2021年实绩53.8亿元下降7.1%。",
                    "en": "The2022targetforcontractedinvestmentis5billionyuan,down7.1%onthe2021actualof5.38billionyuan."}
            assert said[lang] in flat
        lines = [ln.strip() for page in pages[:body[0]] for ln in page.splitlines()
                 if ln.strip() and not re.fullmatch(r"第\d+页|Page \d+", ln.strip())]     # the footers are no text lines
        broken = [(a, b) for a, b in zip(lines, lines[1:]) if re.search(r"\d$", a) and re.match(r"[\d.,%]", b)]
        assert not broken, broken    # no number, date or percentage split across two lines (江油高新区2 / 022年)
        cut = [(a, b) for a, b in zip(lines, lines[1:]) for n in names
               for i in range(1, len(n)) if a.endswith(n[:i]) and b.startswith(n[i:])]
        assert not cut, cut          # nor a park's or a district's name (临湘高 / 新区)
        assert "数据自检" not in "".join(pages) and "Self-checks" not in "".join(pages)   # the leader's copy
    assert "数据自检" in text_of(build(frozen, park_id="linxiang", lang="zh", fmt="docx")[0])


def test_the_files_carry_their_own_properties_and_alt_text(frozen):
    """#20.7: title, author and dates from the report, never the templates' ("python-docx", "Steve Canny", 2013);
    every chart image says what it shows."""
    import io

    from docx import Document
    from pptx import Presentation

    doc = Document(io.BytesIO(build(frozen, park_id="linxiang", lang="zh", fmt="docx")[0]))
    deck = Presentation(io.BytesIO(build(frozen, park_id="linxiang", lang="zh", fmt="pptx")[0]))
    for props in (doc.core_properties, deck.core_properties):
        assert props.title == "湖南临湘高新技术产业开发区目标与实绩简报"
        assert props.author == props.last_modified_by == "园区目标与实绩看板" and props.created.year >= 2026
    alts = [el.get("descr") for el in doc.inline_shapes._body.iter() if el.tag.endswith("}docPr")]
    assert alts and all(a and "来源：" in a for a in alts), alts               # its title, then its sources
    pics = [sh for slide in deck.slides for sh in slide.shapes if sh.shape_type == 13]
    assert pics and all(p._element.nvPicPr.cNvPr.get("descr") for p in pics)


def test_an_office_issues_it_with_its_masthead_and_closing_lines(frozen):
    """#20.7: an optional 报头 (name, 期号, 编发单位, date) on top and 报送/抄送 at the end; the office is the file's
    author, and the software is not named to the leader. Without one, neither appears."""
    import io

    from docx import Document

    from parkmetrics.reports import Masthead

    head = Masthead("园区发展简报", issue="3", issuer="临湘市发展和改革局", date="2022-09-05",
                    report_to="市委、市政府领导", copy_to="各园区管委会")
    content = build(frozen, park_id="linxiang", lang="zh", fmt="docx", editor=False, masthead=head)[0]
    doc = Document(io.BytesIO(content))
    paragraphs = [p.text.replace("\u2060", "") for p in doc.paragraphs if p.text.strip()]
    assert paragraphs[:4] == ["园区发展简报", "第3期", "临湘市发展和改革局\t2022年9月5日",
                              "湖南临湘高新技术产业开发区目标与实绩简报"]
    assert paragraphs[-2:] == ["报送：市委、市政府领导", "抄送：各园区管委会"]
    assert doc.core_properties.author == "临湘市发展和改革局" and "parkmetrics" not in text_of(content)
    plain = text_of(build(frozen, park_id="linxiang", lang="zh", fmt="docx")[0])
    assert "园区发展简报" not in plain and "报送：" not in plain and "parkmetrics" in plain
