"""The import page's logic (parkmetrics.importing), without Streamlit: candidates ⇄ the editable table, the
source and park entries, and validate / diff / save through write/ on a copy of the frozen root."""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import FROZEN, copy_data
from parkmetrics import importing, write
from parkmetrics.loader import load_dataset
from parkmetrics.model import OBSERVATION_COLUMNS, Park, Source

TEXT = ("临湘高新区2022年工作总结\n"
        "2022年，临湘高新区完成规模工业总产值401.5亿元，同比增长9.2%；新增规模工业企业28家。\n"
        "临湘高新区管委会\n2023年1月6日\n")
SOURCE = importing.source_entry(id="lx_2022_summary", file="lx_2022_summary.txt", title="临湘高新区2022年工作总结",
                                issuer="临湘高新区", date="2023-01-06", type="summary", park="linxiang",
                                scope="park")
NEW_PARK = importing.park_entry(id="xinpark", name_zh="测试新园区", name_en="Test New Park", province="湖南省",
                                city="岳阳市", county="临湘市", level="省级", kind="高新区", color="#7d3c98")


@pytest.fixture(scope="module")
def indicators():
    return load_dataset(FROZEN).indicators


@pytest.fixture
def frame(indicators):
    return importing.review_frame(TEXT, indicators, doc_type="summary", year=2022, scope="park")


@pytest.fixture
def editor(monkeypatch):
    monkeypatch.setenv(write.EDITOR_ENV, "1")


def test_infer_reads_type_year_title_and_the_signature_date():
    info = importing.infer(TEXT)
    assert (info.doc_type, info.year, info.title, info.date) == ("summary", 2022, "临湘高新区2022年工作总结",
                                                                   "2023-01-06")
    plan = importing.infer("临湘高新区2022年工作计划\n全年完成规模工业总产值390亿元。")
    assert (plan.doc_type, plan.year, plan.date) == ("plan", 2022, "")


def test_default_source_id_uses_the_parks_prefix():
    sources = [("lx_2022_plan", "linxiang"), ("zy_2022_plan", "zhengyang"), ("qj_industry_plan", "zhengyang"),
               ("zy_2021_summary", "zhengyang")]
    assert importing.default_source_id("linxiang", 2022, "summary", sources) == "lx_2022_summary"
    assert importing.default_source_id("zhengyang", 2023, "plan", sources) == "zy_2023_plan"
    assert importing.default_source_id("xinpark", 2022, "summary", sources) == "xinpark_2022_summary"
    assert importing.default_source_id("xinpark", None, "plan") == "xinpark_plan"


def test_guess_park_from_the_names_in_the_text():
    parks = load_dataset(FROZEN).parks
    assert importing.guess_park(TEXT, parks) == "linxiang"
    assert importing.guess_park("江油高新区2023年工作要点", parks) == "jiangyou"
    assert importing.guess_park("某某园区", parks) is None


def test_review_frame_holds_the_candidates_none_accepted(frame):
    assert list(frame.columns) == importing.COLUMNS
    assert frame["value"].tolist() == [401.5, 9.2, 28.0]
    assert frame["indicator_id"].tolist() == ["industrial_output", "industrial_output", "above_scale_enterprises_new"]
    assert frame["basis"].tolist() == ["level", "growth_pct", "new_count"]
    assert set(frame["kind"]) == {"actual"} and not frame["accept"].any()
    for r in frame.itertuples():
        assert r.quote == TEXT[r.start:r.end]         # every quote is the document's own text


def test_accepted_rows_become_observation_rows(frame):
    frame = importing.set_accept(frame, True)
    frame.loc[1, "accept"] = False
    rows = importing.observation_rows(frame, park_id="linxiang", source_id="lx_2022_summary")
    assert [r["value"] for r in rows] == [401.5, 28.0]
    first = rows[0]
    assert set(first) == set(OBSERVATION_COLUMNS)
    assert first | {"quote": None} == {
        "park_id": "linxiang", "scope": "park", "indicator_id": "industrial_output", "year": 2022, "period": None,
        "baseline_year": None, "kind": "actual", "target_level": None, "value": 401.5, "unit": "亿元",
        "comparator": "=", "basis": "level", "estimate": False, "approximate": False, "source": "lx_2022_summary",
        "quote": None, "note": None}
    assert importing.observation_rows(importing.set_accept(frame, False), park_id="linxiang", source_id="x") == []


def test_accept_all_skips_rows_without_an_indicator(frame):
    frame.loc[2, "indicator_id"] = None
    assert importing.set_accept(frame, True)["accept"].tolist() == [True, True, False]
    assert importing.set_accept(frame, True, with_indicator_only=False)["accept"].all()


def test_a_pasted_span_must_be_verbatim_and_is_read_by_the_finder(frame, indicators):
    with pytest.raises(importing.SpanNotInDocument):
        importing.add_span(frame, TEXT, "新增规模以上工业企业28家", indicators, doc_type="summary", year=2022,
                           scope="park")
    # the figure is a row already: that row is ticked, nothing is added twice
    again = importing.add_span(frame, TEXT, " 新增规模工业企业28家 ", indicators, doc_type="summary", year=2022,
                               scope="park")
    assert len(again) == len(frame) == 3 and again["accept"].tolist() == [False, False, True]
    # a row the editor does not have yet is appended, accepted
    grown = importing.add_span(frame.iloc[:2], TEXT, " 新增规模工业企业28家 ", indicators, doc_type="summary",
                               year=2022, scope="park")
    new = grown.iloc[-1]
    assert len(grown) == 3 and new["accept"] and new["value"] == 28 and new["indicator_id"] == \
        "above_scale_enterprises_new"
    assert TEXT[new["start"]:new["end"]] == new["quote"] == "新增规模工业企业28家"
    # nothing the finder can read: one row quoting the span, for the editor to complete
    blank = importing.add_span(frame, TEXT, "临湘高新区管委会", indicators, doc_type="summary", year=2022,
                               scope="park").iloc[-1]
    assert blank["quote"] == "临湘高新区管委会" and pd.isna(blank["value"]) and blank["accept"]
    assert (blank["kind"], blank["year"], blank["start"]) == ("actual", 2022, TEXT.index("临湘高新区管委会"))


def test_highlight_spans_paint_accepted_rows_blue_last(frame):
    frame.loc[0, "accept"] = True
    spans = importing.highlight_spans(frame)
    assert spans[-1] == (frame.loc[0, "start"], frame.loc[0, "end"], "blue")
    assert [c for *_, c in spans] == ["orange", "orange", "blue"]      # painted last: wins where quotes overlap


def test_entries_are_checked_by_the_data_model():
    assert importing.model_errors(Source, SOURCE) == []
    missing = importing.source_entry(id="lx_2022_summary", file="x.txt", title="t", issuer="", date="2023/1/6",
                                     type="summary", park="linxiang", scope="park")
    errors = importing.model_errors(Source, missing)
    assert any(e.startswith("「发文单位」缺少必填字段") for e in errors)
    assert any(e.startswith("「日期」字段类型或取值不正确 = '2023/1/6'") for e in errors)
    assert [p.field for p in importing.field_problems(Source, missing)] == ["issuer", "date"]
    assert importing.model_errors(Park, NEW_PARK) == []
    bad = importing.model_errors(Park, NEW_PARK | {"id": "Bad Id", "color": "purple"}, "en")
    assert bad[0].startswith("“Park id”: wrong type or value = 'Bad Id'; expected") and "Hint:" in bad[0]
    assert bad[1].startswith("“Chart colour”") and not any("should match" in e for e in bad)
    assert importing.model_errors(Park, NEW_PARK, taken={"xinpark"}) == [importing.FieldProblem(
        "park", "id", "duplicate-id", "xinpark").message("zh")]


def test_every_form_field_has_a_label_an_expectation_and_a_hint():
    """Each field an editor fills in can be named, explained and hinted at in both languages (i18n keys)."""
    from parkmetrics import i18n
    for model, fields in importing.FORM_FIELDS.items():
        for fld, label in fields.items():
            assert label in i18n.TEXT
            if fld not in ("draft", "note"):       # a tick box and a free note: nothing to get wrong
                assert f"imp_expect_{model}_{fld}" in i18n.TEXT and f"imp_hint_{model}_{fld}" in i18n.TEXT, fld


def test_validate_diff_and_save_write_files_the_loader_reads_cleanly(tmp_path, frame, editor):
    root = copy_data(tmp_path / "root")
    rows = importing.observation_rows(importing.set_accept(frame, True), park_id="linxiang",
                                      source_id="lx_2022_summary")
    problems, ds = importing.validate(root, SOURCE, rows)
    assert problems == [] and len(ds.observations) == len(load_dataset(root).observations) + 3
    preview = importing.diff(root, SOURCE, rows)
    assert "+  - id: lx_2022_summary\n" in preview and "+++ b/data/observations/lx_2022_summary.csv" in preview
    assert importing.existing(root, "lx_2022_summary") == {"source": False, "csv": False}
    written = importing.save(root, SOURCE, rows)
    assert [p.relative_to(root).as_posix() for p in written] == ["parks.yaml",
                                                                  "data/observations/lx_2022_summary.csv"]
    loaded = load_dataset(root)
    assert loaded.problems == [] and "lx_2022_summary" in loaded.sources
    assert importing.existing(root, "lx_2022_summary") == {"source": True, "csv": True}
    # saving again overwrites only with the explicit confirmation
    with pytest.raises(write.SourceExists):
        importing.save(root, SOURCE, rows[:1])
    before = (root / "data/observations/lx_2022_summary.csv").read_text(encoding="utf-8")
    assert before.count("\n") == 4
    importing.save(root, SOURCE, rows[:1], replace=True)
    assert (root / "data/observations/lx_2022_summary.csv").read_text(encoding="utf-8").count("\n") == 2
    assert load_dataset(root).problems == []


def test_an_orphan_csv_also_needs_the_confirmation(tmp_path, frame, editor):
    root = copy_data(tmp_path / "root")
    (root / "data/observations/lx_2022_summary.csv").write_text(",".join(OBSERVATION_COLUMNS) + "\n",
                                                                  encoding="utf-8")
    rows = importing.observation_rows(importing.set_accept(frame, True), park_id="linxiang",
                                      source_id="lx_2022_summary")
    parks_before = (root / "parks.yaml").read_text(encoding="utf-8")
    with pytest.raises(write.ObservationsExist):
        importing.save(root, SOURCE, rows)
    assert (root / "parks.yaml").read_text(encoding="utf-8") == parks_before     # nothing half-written


def test_a_new_park_is_added_with_its_source_and_everything_loads(tmp_path, frame, editor):
    root = copy_data(tmp_path / "root")
    source = SOURCE | {"id": "xinpark_2022_summary", "park": "xinpark"}
    rows = importing.observation_rows(importing.set_accept(frame, True), park_id="xinpark",
                                      source_id="xinpark_2022_summary")
    problems, ds = importing.validate(root, source, rows, park=NEW_PARK)
    assert problems == [] and "xinpark" in ds.parks
    preview = importing.diff(root, source, rows, park=NEW_PARK)
    assert "+  - id: xinpark\n" in preview and "+    color: \"#7d3c98\"\n" in preview
    assert preview.count("+++ b/parks.yaml") == 1                     # one diff of parks.yaml: park and source
    old = (root / "parks.yaml").read_text(encoding="utf-8")
    importing.save(root, source, rows, park=NEW_PARK)
    new = (root / "parks.yaml").read_text(encoding="utf-8")
    assert new.startswith(old[:old.index("\nsources:")])               # the old parks, byte for byte
    loaded = load_dataset(root)
    assert loaded.problems == [] and loaded.parks["xinpark"].name_zh == "测试新园区"
    with pytest.raises(write.ParkExists):
        write.add_park(root, NEW_PARK)


def test_nothing_is_written_without_editor_mode(tmp_path, frame, monkeypatch):
    monkeypatch.delenv(write.EDITOR_ENV, raising=False)
    root = copy_data(tmp_path / "root")
    rows = importing.observation_rows(importing.set_accept(frame, True), park_id="linxiang",
                                      source_id="lx_2022_summary")
    assert importing.validate(root, SOURCE, rows)[0] == []            # previewing needs no editor mode
    with pytest.raises(write.EditorModeOff):
        importing.save(root, SOURCE, rows)
    with pytest.raises(write.EditorModeOff):
        importing.save(root, SOURCE, rows, park=NEW_PARK)
    assert not (root / "data/observations/lx_2022_summary.csv").exists()


def test_read_upload_reads_txt_in_gb18030_and_refuses_other_types():
    assert importing.read_upload("总结.txt", TEXT.encode("gb18030")) == TEXT
    with pytest.raises(ValueError):
        importing.read_upload("总结.xls", b"\x00")


@pytest.mark.parametrize("text, title", [
    (TEXT, "临湘高新区2022年工作总结"),
    # a web page whose first line is a run-on sentence: the title line below it, never a cut word
    ("今年以来,高新区锚定高质量发展目标,积极推动产业升级和创新驱动,全区经济运行整体平稳,并呈现五大运行特点。\n", "今年以来"),
    ("首页 > 新闻\n高新区1至9月经济运行情况\n今年以来,高新区锚定高质量发展目标。", "高新区1至9月经济运行情况"),
    # a title a web copy glued to the text (124_summary, 133_summary, 129_summary): up to its document word
    ("工业园区上半年工作总结及下半年思路一、1-6月份工作总结(一)经济指标平稳增长1、工业产值34亿元,完成年度目标任务的37%",
     "工业园区上半年工作总结及下半年思路"),
    ("新篁镇“十一五”工作总结及“十二五”工作规划一、2010年工作总结今年以来,按照市委副书记陈绍泽“两个高于”的指示和区委书记",
     "新篁镇“十一五”工作总结及“十二五”工作规划"),
    ("上半年各项重点工作基本情况及下半年工作目标措施的调研报告 今年以来,我镇在市委、市政府的正确领导和各级部门的关心支持下,深入",
     "上半年各项重点工作基本情况及下半年工作目标措施的调研报告"),
])
def test_the_title_is_the_documents_title_line(text, title):
    assert importing.title_line(text) == title


def test_kind_year_and_period_set_on_the_ticked_rows_at_once(frame):
    frame.loc[[0, 1], "accept"] = True
    out = importing.set_fields(frame, kind="target", year=2023, period="M1-M9")
    assert out["kind"].tolist() == ["target", "target", "actual"]
    def texts(column):
        return [v if isinstance(v, str) else None for v in column]
    assert out["year"].tolist() == [2023, 2023, 2022] and texts(out["period"]) == ["M1-M9", "M1-M9", None]
    assert texts(out["target_level"]) == ["base", "base", None]              # a target gets its tier
    back = importing.set_fields(out, kind="actual", period=None)             # None leaves a column as it is
    assert texts(back["target_level"]) == [None, None, None] and texts(back["period"])[:2] == ["M1-M9"] * 2


def test_rows_say_why_they_cannot_be_saved(frame, indicators):
    frame.loc[0, "basis"] = "pct_of_plan"                                    # 规上工业总产值 does not allow it here
    frame.loc[2, "indicator_id"] = None
    frame.loc[2, "accept"] = True
    reasons = importing.why(frame, indicators)
    assert reasons[0][0] == "imp_why_basis" and reasons[0][1]["basis"] == "pct_of_plan" and \
        "pct_of_plan" not in reasons[0][1]["allowed"]
    assert reasons[1] == ("", {})
    assert reasons[2] == ("imp_why_no_indicator", {"words": frame.loc[2, "indicator_text"]})
    assert importing.unchosen(frame) == [3]                                  # table row 3: 请选择指标


def test_an_indicator_stub_for_the_catalogue(indicators):
    stub = importing.indicator_stub("社会消费品零售总额", "亿元", "level", indicators)
    assert stub["id"] == "new_indicator_1" and stub["name_zh"] == "社会消费品零售总额"
    assert (stub["unit"], stub["bases"]) == ("亿元", ["level"])
    assert importing.indicator_stub("利用外资", "%", "growth_pct", {"new_indicator_1": None})["id"] == \
        "new_indicator_2"


def test_a_figure_the_data_already_holds_is_named_and_not_accepted_by_accept_all(indicators):
    # a 填报 table restating the plan's target (frozen root: 临湘 2022 规模工业总产值 390亿元, lx_2022_plan)
    text = "指标名称 单位 1-9月 全年目标\n规模工业总产值 亿元 296.2 390\n"
    frame = importing.review_frame(text, indicators, doc_type="summary", year=2022, scope="park")
    known = importing.already_known(frame, load_dataset(FROZEN).observations, "linxiang")
    assert known == ["", "lx_2022_plan"]                         # the 1-9月 actual is new, the 390 target is not
    accepted = importing.set_accept(frame, True, known=known)
    assert accepted["accept"].tolist() == [True, False]
    assert importing.already_known(frame, load_dataset(FROZEN).observations, "jiangyou") == ["", ""]


# --- issue 17: ids and text safe everywhere, the check against the loaded data, no lost update -----------------------


@pytest.mark.parametrize("bad, code", [("con", "unsafe-id"), ("com1", "unsafe-id"), ("a" * 65, "unsafe-id"),
                                       ("lx_x\n", "wrong-type"), ("lx x", "wrong-type"), ("lx\x07", "wrong-type")])
def test_an_unsafe_id_is_a_field_error_of_the_form(bad, code):
    for model, entry, label in ((Source, SOURCE | {"id": bad}, ("「来源编号」", "“Source id”")),
                                (Park, NEW_PARK | {"id": bad}, ("「园区编号」", "“Park id”"))):
        problems = importing.field_problems(model, entry)
        assert [(p.field, p.code) for p in problems] == [("id", code)]
        zh, en = importing.model_errors(model, entry, "zh")[0], importing.model_errors(model, entry, "en")[0]
        if code == "unsafe-id":
            assert zh.startswith(label[0] + "编号不能用作文件名：过长，或是 Windows 的保留名 = ")
            assert "不超过 64 个字符的编号，且不能是 Windows 的保留名（con、prn、aux、nul、com1–com9、lpt1–lpt9）" in zh
            assert en.startswith(label[1] + ": the id cannot name a file: too long, or a name Windows reserves")
            assert "at most 64 characters, and not a name Windows reserves (con, prn, aux, nul, com1–com9" in en
        else:                       # white space, a control character: the letters the id may use, as before
            assert zh.startswith(label[0] + "字段类型或取值不正确") and "只含小写字母、数字和下划线" in zh
            assert en.startswith(label[1] + ": wrong type or value") and "lower-case letters, digits and _" in en
    assert importing.existing(FROZEN, bad) == {"source": False, "csv": False}      # no OSError on a long name


def test_control_characters_are_cleaned_at_import(tmp_path, frame, editor):
    import docx
    rows = importing.observation_rows(importing.set_accept(frame, True), park_id="linxiang",
                                      source_id="lx_2022_summary")
    rows[0]["quote"] = rows[0]["quote"][:6] + "\f" + rows[0]["quote"][6:]      # a PDF page break, as pdftotext writes it
    rows[0]["note"] = "表格\x07"                                              # a Word cell mark
    dirty = pd.DataFrame(rows).assign(accept=True)
    clean = importing.observation_rows(dirty, park_id="linxiang", source_id="lx_2022_summary")
    assert clean[0]["quote"] == rows[0]["quote"].replace("\f", " ") and clean[0]["note"] == "表格"
    source = importing.source_entry(id="lx_2022_summary", file="lx.txt", title="临湘高新区2022年工作总结\x07",
                                    issuer="临湘\x0c高新区", date="2023-01-06", type="summary", park="linxiang",
                                    scope="park", note="\x00备注")
    assert (source["title"], source["issuer"], source["note"]) == ("临湘高新区2022年工作总结", "临湘 高新区", "备注")
    park = importing.park_entry(id="xinpark", name_zh="测试新园区\x07", name_en="Test\x0bPark", province="湖南省",
                                city="岳阳市", county="临湘市", level="省级", kind="高新区", color="#7d3c98")
    assert (park["name_zh"], park["name_en"]) == ("测试新园区", "Test Park")
    with pytest.raises(ValueError):                       # what the reports met before: lxml refuses the raw text
        docx.Document().add_paragraph(rows[0]["quote"])
    root = copy_data(tmp_path / "root")
    assert importing.validate(root, source, clean)[0] == []
    importing.save(root, source, clean)
    ds = load_dataset(root)
    assert ds.problems == []
    document = docx.Document()
    for text in ds.observations["quote"].tolist() + [s.title for s in ds.sources.values()]:
        document.add_paragraph(text)                      # every text that loads goes into a Word briefing


def test_validate_checks_against_the_pages_dataset_without_reloading(tmp_path, frame, monkeypatch):
    root = copy_data(tmp_path / "root")
    ds = load_dataset(root)
    rows = importing.observation_rows(importing.set_accept(frame, True), park_id="linxiang",
                                      source_id="lx_2022_summary")
    from parkmetrics import loader
    from parkmetrics.write import checks
    monkeypatch.setattr(checks, "load_dataset", lambda *a: pytest.fail("reloaded the data root"))
    monkeypatch.setattr(loader, "load_dataset", lambda *a: pytest.fail("reloaded the data root"))
    problems, after = importing.validate(root, SOURCE, rows, dataset=ds)
    assert problems == [] and len(after.observations) == len(ds.observations) + 3
    dup = [rows[0] | {"source": "lx_2022_plan", "kind": "target", "target_level": "base", "value": 390,
                      "quote": "规模工业总产值390亿元"}]
    problems, _ = write.validate_before_write(root, None, dup, dataset=ds)
    assert [(p.code, p.detail) for p in problems] == [("duplicate-observation",
                                                       "first at data/observations/linxiang_2022_plan.csv:3")]


def test_a_diff_confirmed_before_another_editor_saved_is_not_saved(tmp_path, frame, editor):
    root = copy_data(tmp_path / "root")
    rows = importing.observation_rows(importing.set_accept(frame, True), park_id="linxiang",
                                      source_id="lx_2022_summary")
    importing.save(root, SOURCE, rows)
    mine, theirs = rows[:1], rows[1:]
    shown = importing.preview(root, SOURCE, mine, replace=True)          # editor A's diff
    assert shown.diff == importing.diff(root, SOURCE, mine, replace=True) and shown.version
    importing.save(root, SOURCE, theirs, replace=True)                   # editor B saves first
    csv = root / "data/observations/lx_2022_summary.csv"
    after_b = csv.read_bytes()
    with pytest.raises(write.StaleDiff) as exc:
        importing.save(root, SOURCE, mine, replace=True, version=shown.version)
    assert csv.read_bytes() == after_b                                   # B's save is kept
    assert "已被修改" in exc.value.message_zh and "changed after the diff was made" in exc.value.message_en
    assert exc.value.diff and exc.value.diff != shown.diff and exc.value.version != shown.version
    importing.save(root, SOURCE, mine, replace=True, version=exc.value.version)   # A confirms the new diff
    assert load_dataset(root).problems == [] and csv.read_bytes().count(b"\n") == 2
    # without a version (the old call) the save is as before: no check
    importing.save(root, SOURCE, theirs, replace=True)


def test_a_retry_of_the_same_save_succeeds(tmp_path, frame, editor):
    root = copy_data(tmp_path / "root")
    source = SOURCE | {"id": "xinpark_2022_summary", "park": "xinpark"}
    rows = importing.observation_rows(importing.set_accept(frame, True), park_id="xinpark",
                                      source_id="xinpark_2022_summary")
    first = importing.save(root, source, rows, park=NEW_PARK)
    assert [p.name for p in first] == ["parks.yaml", "xinpark_2022_summary.csv"]
    assert importing.save(root, source, rows, park=NEW_PARK) == []     # written: nothing (a caller may say so)
    assert importing.diff(root, source, rows, park=NEW_PARK) == ""      # nothing left to write
    with pytest.raises(write.ParkExists):
        importing.save(root, source, rows, park=NEW_PARK | {"name_en": "Another"})
