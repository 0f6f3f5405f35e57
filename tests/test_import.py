"""The import page 录入文件 (pages/5_import.py) through AppTest: paste a 工作总结, review the candidates, validate,
preview, save into a copy of the frozen root (editor mode), and the read-only page a viewer sees."""
from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, copy_data
from pages import assert_page_ok, page_text, shown
from parkmetrics import write
from parkmetrics.loader import load_dataset
from parkmetrics.analysis import analyse_root
from parkmetrics.ui import marked_md, md

SUMMARY = ("临湘高新区2022年工作总结\n"
           "2022年，临湘高新区完成规模工业总产值401.5亿元，同比增长9.2%；新增规模工业企业28家。\n")


@pytest.fixture
def root(tmp_path, monkeypatch):
    root = copy_data(tmp_path / "root")
    monkeypatch.setenv("PARKMETRICS_ROOT", str(root))
    return root


@pytest.fixture
def editor(monkeypatch):
    monkeypatch.setenv(write.EDITOR_ENV, "1")


@pytest.fixture
def viewer(monkeypatch):
    monkeypatch.delenv(write.EDITOR_ENV, raising=False)


def open_import(lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/5_import.py")
    if lang != "zh":
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def paste(at: AppTest, text: str = SUMMARY) -> AppTest:
    at.text_area(key="imp_text").input(text).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def fill_source(at: AppTest) -> AppTest:
    at.text_input(key="imp_issuer").input("临湘高新区管委会")
    at.text_input(key="imp_date").input("2023-01-06").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def unmark(markdown: str) -> str:
    """marked_md's output without its directives (what is left is md()'s escaped text)."""
    return re.sub(r"(?<!\\):\w+(?:-background)?\[|(?<!\\)\]", "", markdown)


def span_input(at: AppTest):
    """The "add from the text" input (its key changes whenever the table is rebuilt)."""
    return at.text_input(key=f"imp_span_{at.session_state['imp_ver']}")


def candidates(at: AppTest):
    return at.dataframe[0].value


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_a_pasted_summary_shows_its_figures_highlighted_and_its_candidates(root, viewer):
    at = open_import()
    assert_page_ok(at)
    assert at.title[0].value == "录入文件"
    assert "粘贴文本或上传文件后" in page_text(at)
    paste(at)
    table = candidates(at)
    assert table["value"].tolist() == [401.5, 9.2, 28.0]
    assert table["indicator_id"].tolist() == ["industrial_output", "industrial_output", "above_scale_enterprises_new"]
    assert table["basis"].tolist() == ["level", "growth_pct", "new_count"]
    assert set(table["kind"]) == {"actual"} and set(table["year"]) == {2022} and not table["accept"].any()
    # prefilled from the text: the park, the type, the year, the title, and the default source id
    assert at.selectbox(key="w_imp_park").value == "linxiang" and at.selectbox(key="w_imp_type").value == "summary"
    assert at.number_input(key="imp_year").value == 2022
    assert at.text_input(key="imp_title").value == "临湘高新区2022年工作总结"
    assert at.text_input(key="imp_sid").value == "lx_2022_summary"
    document = next(m.value for m in at.markdown if "background[" in m.value)
    assert document.count(":orange-background[") == 2 and ":blue-background[" not in document
    assert shown(unmark(document)).replace("  \n", "\n") == SUMMARY.strip()       # the text, as written
    assert "找到 3 个候选数字，已接受 0 个" in page_text(at)


def test_without_editor_mode_there_is_no_save_button_and_the_notice_says_how(root, viewer):
    at = paste(open_import())
    click(fill_source(at), "接受全部已识别指标的候选")
    notice = at.info[0].value
    assert "只读" in notice and "Read-only" in notice and "PARKMETRICS_EDITOR=1" in notice
    assert notice.index("只读") < notice.index("Read-only")                  # 中文 first
    assert "保存" not in buttons(at)
    assert at.code and "+  - id: lx_2022_summary" in at.code[0].value       # the preview still works
    assert not (root / "data/observations/lx_2022_summary.csv").exists()


def test_the_editor_accepts_validates_previews_and_saves(root, editor):
    at = paste(open_import())
    assert "只读" not in page_text(at)
    save = next(b for b in at.button if b.label == "保存")
    assert save.disabled                                                     # nothing accepted yet
    assert "尚未接受任何候选" in page_text(at)
    click(at, "接受全部已识别指标的候选")
    assert candidates(at)["accept"].all()
    assert ":blue-background[" in next(m.value for m in at.markdown if "background[" in m.value)
    assert "来源的字段有误" in page_text(at)                                  # issuer and date still missing
    fill_source(at)
    assert "校验通过：3 条数据" in page_text(at)
    diff = at.code[0].value
    assert "+  - id: lx_2022_summary\n" in diff and "+    date: 2023-01-06\n" in diff
    assert "+linxiang,park,industrial_output,2022,,,actual,,401.5,亿元,=,level,,,lx_2022_summary," in diff
    click(at, "保存")
    assert "已保存：parks.yaml, data/observations/lx_2022_summary.csv" in page_text(at)
    assert [link.value for link in at.main.get("page_link")] == ["园区画像 →"]
    ds = load_dataset(root)
    assert ds.problems == [] and len(ds.quarantine) == 0
    assert ds.sources["lx_2022_summary"].issuer == "临湘高新区管委会"
    mine = ds.observations[ds.observations["source"] == "lx_2022_summary"]
    assert sorted(mine["value"]) == [9.2, 28.0, 401.5]
    att = analyse_root(root).attainment.set_index(["park_id", "scope", "indicator_id", "year", "target_level"])
    output = att.loc[("linxiang", "park", "industrial_output", 2022, "base")]
    assert output["actual_value"] == 401.5 and output["target_value"] == 390 and output["status"] == "met"


def test_overwriting_needs_the_explicit_confirmation(root, editor):
    at = click(fill_source(paste(open_import())), "接受全部已识别指标的候选")
    click(at, "保存")
    assert "已保存" in page_text(at)
    at.run()
    assert "已保存" not in page_text(at)                                      # said once, right after saving
    assert "来源 lx_2022_summary 已存在（parks.yaml + data/observations/lx_2022_summary.csv）" in page_text(at)
    assert next(b for b in at.button if b.label == "保存").disabled
    click(at, "全部取消接受")
    span_input(at).input("完成规模工业总产值401.5亿元").run()
    click(at, "在这段原文中查找")
    # the figure is already a row of the table: it is ticked there, never added a second time
    assert "表中已有这段原文的 1 个数字：已勾选接受，没有重复添加。" in page_text(at)
    assert next(b for b in at.button if b.label == "保存").disabled
    at.checkbox(key="imp_confirm").check().run()
    assert not next(b for b in at.button if b.label == "保存").disabled
    click(at, "保存")
    ds = load_dataset(root)
    assert ds.problems == []
    assert ds.observations[ds.observations["source"] == "lx_2022_summary"]["value"].tolist() == [401.5]
    assert (root / "parks.yaml").read_text(encoding="utf-8").count("id: lx_2022_summary") == 1


def test_a_span_that_is_not_in_the_document_is_refused(root, viewer):
    at = paste(open_import())
    span_input(at).input("新增规模以上工业企业28家").run()
    click(at, "在这段原文中查找")
    assert "这段文字不在文件中" in at.error[0].value and len(candidates(at)) == 3


def test_a_new_park_is_validated_and_saved_with_the_source(root, editor):
    at = paste(open_import())
    at.selectbox(key="w_imp_park").set_value("__new__").run()
    assert "新园区的字段有误" in page_text(at)
    for key, value in {"imp_np_id": "xinpark", "imp_np_name_zh": "测试新园区", "imp_np_name_en": "Test Park",
                       "imp_np_province": "湖南省", "imp_np_city": "岳阳市", "imp_np_county": "临湘市"}.items():
        at.text_input(key=key).input(value)
    at.run()
    assert "新园区的字段有误" not in page_text(at)
    assert at.text_input(key="imp_sid").value == "xinpark_2022_summary"
    click(fill_source(at), "接受全部已识别指标的候选")
    assert "+  - id: xinpark\n" in at.code[0].value
    click(at, "保存")
    ds = load_dataset(root)
    assert ds.problems == [] and ds.parks["xinpark"].name_zh == "测试新园区"
    assert ds.sources["xinpark_2022_summary"].park == "xinpark"


def test_the_page_in_english(root, viewer):
    at = paste(open_import("en"))
    assert_page_ok(at, "en")
    assert at.title[0].value == "Import"
    assert "3 candidates found, 0 accepted" in page_text(at)
    notice = at.info[0].value
    assert notice.index("Read-only") < notice.index("只读")


PYDANTIC_WORDING = ("String should", "Field required", "should match pattern", "Input should", "validation error",
                    "errors.pydantic.dev", "[a-z]", "∈")
FIELD_MESSAGES = {
    "zh": ["来源的字段有误：",
           "「来源编号」字段类型或取值不正确 = 'LX-2022'：应为以小写字母开头、只含小写字母、数字和下划线的编号。"
           "提示：按“园区简称_年份_类型”命名，如 lx_2022_summary",
           "「标题」缺少必填字段：应为文件的标题。提示：照文件首行抄录",
           "「日期」字段类型或取值不正确 = '2023/1/6'：应为日期，写作 YYYY-MM-DD、YYYY-MM 或 YYYY。提示：照文件落款日期填写"],
    "en": ["The source has errors:",
           "“Source id”: wrong type or value = 'LX-2022'; expected an id of lower-case letters, digits and _, "
           "starting with a letter. Hint: name it park prefix_year_type, e.g. lx_2022_summary",
           "“Title”: required field is missing; expected the document's title. Hint: copy it from the document's "
           "first line",
           "“Date”: wrong type or value = '2023/1/6'; expected a date written YYYY-MM-DD, YYYY-MM or YYYY. "
           "Hint: the date the document is signed"],
}
PARK_MESSAGES = {
    "zh": ["新园区的字段有误：", "「园区编号」字段类型或取值不正确 = 'Bad-Id'：应为以小写字母开头、只含小写字母、数字和下划线的编号。"
           "提示：用园区名称的拼音，如 linxiang", "「中文名称」缺少必填字段：应为园区的中文全称。提示：",
           "「园区」字段类型或取值不正确 = 'Bad-Id'："],
    "en": ["The new park has errors:", "“Park id”: wrong type or value = 'Bad-Id'; expected an id of lower-case "
           "letters, digits and _, starting with a letter. Hint: the park's name in pinyin, e.g. linxiang",
           "“Chinese name”: required field is missing; expected the park's full Chinese name. Hint:",
           "“Park”: wrong type or value = 'Bad-Id';"],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_source_field_errors_name_the_field_say_what_is_expected_and_hint(root, viewer, lang):
    """A bad source id, a missing title and a date in the wrong form are said in the page's language with the
    field's label, what it expects and a hint — never pydantic's English ("String should match pattern …")."""
    at = paste(open_import(lang))
    at.text_input(key="imp_sid").input("LX-2022")
    at.text_input(key="imp_title").input("")
    at.text_input(key="imp_issuer").input("临湘高新区管委会")
    at.text_input(key="imp_date").input("2023/1/6").run()
    assert not at.exception, [e.value for e in at.exception]
    warning = next(shown(w.value) for w in at.warning if FIELD_MESSAGES[lang][0] in shown(w.value))
    for message in FIELD_MESSAGES[lang]:
        assert message in warning, (message, warning)
    assert "发文单位" not in warning and "Issuer" not in warning            # filled in: not named
    assert warning.count("\n") == 3                                       # one line per field
    other = FIELD_MESSAGES["en" if lang == "zh" else "zh"]
    assert not any(m in warning for m in other[1:])                       # the UI language only
    text = page_text(at)
    assert not [w for w in PYDANTIC_WORDING if w in text], text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_new_park_field_errors_are_in_the_page_language(root, viewer, lang):
    at = paste(open_import(lang))
    at.selectbox(key="w_imp_park" if lang == "zh" else "w_imp_park.en").set_value("__new__").run()
    at.text_input(key="imp_np_id").input("Bad-Id").run()
    assert not at.exception, [e.value for e in at.exception]
    warning = next(shown(w.value) for w in at.warning if PARK_MESSAGES[lang][0] in shown(w.value))
    for message in PARK_MESSAGES[lang][:3]:
        assert message in warning, (message, warning)
    assert PARK_MESSAGES[lang][3] in page_text(at)                      # the source's park: the same id
    at.text_input(key="imp_np_id").input("linxiang").run()               # a park that exists
    warning = next(shown(w.value) for w in at.warning if PARK_MESSAGES[lang][0] in shown(w.value))
    assert {"zh": "「园区编号」ID 重复 = 'linxiang'：应为在 parks.yaml 中尚未使用的编号。提示：该园区已存在",
            "en": "“Park id”: duplicate id = 'linxiang'; expected an id not yet used in parks.yaml. Hint: that "
                  "park exists"}[lang] in warning
    text = page_text(at)
    assert not [w for w in PYDANTIC_WORDING if w in text], text


@pytest.mark.parametrize("text", ["产值]401.5亿元 [x](https://evil.example) :red[y] {a} $x$ <b>",
                                  "a\\]b", "www.evil.example\n  # head\n- item"])
def test_highlighted_text_is_escaped_and_cannot_leave_its_directive(text):
    whole = marked_md(text, [(0, len(text), "orange")])
    assert marked_md(text, []) == md(text)                       # no span: exactly what md() shows
    opening = ":orange-background[:orange["
    for line in whole.split("  \n"):
        assert line.startswith(opening) and line.endswith("]]")
        inner = line[len(opening):-2].replace("\\\\", "")     # an escaped backslash escapes nothing
        assert not re.search(r"(?<!\\)[\[\]{}:]", inner), inner   # every bracket, brace and colon escaped
    assert shown(unmark(whole)).replace("  \n", "\n") == "\n".join(line.strip() for line in text.splitlines())
    with pytest.raises(ValueError):
        marked_md(text, [(0, 1, "url(javascript:x)")])


def test_a_read_only_viewer_cannot_make_the_server_read_a_book(root, viewer):
    """Over importing.READ_ONLY_MAX_CHARS a read-only server says why and runs no finder (no candidate table)."""
    at = paste(open_import(), "规上工业总产值增长5%，" * 9_100)            # 100,100 characters
    assert "只读模式下不读取这么长的文本" in page_text(at)
    assert not at.get("arrow_data_frame") and "③ 文件与候选数字" not in page_text(at)


def test_a_save_is_bound_to_the_diff_the_editor_saw(root, editor):
    """Another editor saves between the diff shown and the click: nothing is saved, the refusal names the file and
    the new diff is shown; the next click (on the new diff) saves."""
    at = click(fill_source(paste(open_import())), "接受全部已识别指标的候选")
    assert "+  - id: lx_2022_summary" in at.code[0].value
    parks = root / "parks.yaml"
    parks.write_text(parks.read_text(encoding="utf-8") + "# another editor's edit\n", encoding="utf-8")
    click(at, "保存")
    assert "已被修改" in page_text(at) and "parks.yaml" in page_text(at)
    assert "lx_2022_summary" not in load_dataset(root).sources                  # nothing was saved
    click(at, "保存")
    assert "已保存：parks.yaml" in page_text(at)
    assert "lx_2022_summary" in load_dataset(root).sources and "# another editor's edit" in parks.read_text("utf-8")
