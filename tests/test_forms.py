"""指标填报表 (parkmetrics.forms): the form built from the frozen root's targets, filled in with openpyxl as a park
would, read back into the import page's candidate rows, saved, and shown by the metrics like any actual; every kind
of mistake a park can make in it is named by its cell; the CLI's `form` and `import-form`; the printed page."""
from __future__ import annotations

import datetime as dt
import io
import math
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import FROZEN, copy_data
from parkmetrics import forms, i18n, importing, views, write
from parkmetrics.analysis import analyse_root
from parkmetrics.cli import main as cli_main
from parkmetrics.loader import load_dataset

PERIOD = "2022-M1-M9"
ISSUER = "临湘高新区经济发展局"


@pytest.fixture(scope="module")
def ds():
    return load_dataset(FROZEN)


@pytest.fixture(scope="module")
def blank(ds) -> bytes:
    return forms.build_form(ds, "linxiang", PERIOD)


@pytest.fixture
def editor(monkeypatch):
    monkeypatch.setenv(write.EDITOR_ENV, "1")


def rows_by_indicator(ws) -> dict[str, int]:
    return {ws[f"{forms.COL['indicator_id']}{r}"].value: r for r in range(forms.FIRST_ROW, ws.max_row + 1)
            if ws[f"{forms.COL['indicator_id']}{r}"].value}


def fill(data: bytes, figures: dict[str, dict[str, object]], *, cover: bool = True,
         cells: dict[str, object] | None = None) -> bytes:
    """The form as a park returns it: openpyxl writes the cover and the figures ({indicator: {column: value}},
    columns by key: value, growth, estimate, remark), and `cells` writes anywhere (a planted mistake)."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[forms.SHEET]
    at = rows_by_indicator(ws)
    if cover:
        ws["C3"], ws["F3"], ws["I3"], ws["I2"] = ISSUER, "张三", "0730-3721234", dt.date(2022, 10, 15)
    for indicator, values in figures.items():
        for key, value in values.items():
            ws[f"{forms.COL[key]}{at[indicator]}"] = value
    for cell, value in (cells or {}).items():
        ws[cell] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cell_of(data: bytes, indicator: str, key: str) -> str:
    ws = load_workbook(io.BytesIO(data))[forms.SHEET]
    return f"{forms.COL[key]}{rows_by_indicator(ws)[indicator]}"


GOOD = {"industrial_output": {"value": 296.2, "growth": 8.5, "estimate": "否"},
        "industrial_value_added": {"growth": 7.9},
        "fixed_asset_investment": {"value": 61.5, "estimate": "是", "remark": "9月为快报数"},
        "signed_projects": {"value": 40},
        "above_scale_enterprises_new": {"value": 18}}


# --- the workbook -------------------------------------------------------------------------------------------------


def test_the_form_has_a_row_per_target_indicator_and_protects_all_but_the_fill_cells(ds, blank):
    wb = load_workbook(io.BytesIO(blank))
    assert wb.sheetnames == [forms.SHEET, forms.META_SHEET] and wb[forms.META_SHEET].sheet_state == "veryHidden"
    ws = wb[forms.SHEET]
    at = rows_by_indicator(ws)
    targets = forms.targets_of(ds, "linxiang", 2022, "M1-M9")
    assert list(at) == list(dict.fromkeys(targets["indicator_id"])) and len(at) == 19
    assert ws["A1"].value == "临湘高新区2022年1-9月主要指标填报表"
    assert [ws[c].value for c in ("A2", "C2", "E2", "F2", "H2", "A3", "E3", "H3")] == [
        "园区", "湖南临湘高新技术产业开发区", "报告期", "2022年1-9月", "填报日期", "填报单位", "填报人", "联系电话"]
    assert [ws[f"{forms.COL[k]}{forms.HEADER_ROW}"].value for k in forms.VISIBLE] == [
        "序号", "指标", "口径说明", "目标（基本）", "力争目标", "本期数值", "单位", "同比增长(%)", "预计", "备注"]
    row = lambda ind: {k: ws[f"{forms.COL[k]}{at[ind]}"].value for k, _, _ in forms.COLUMNS}   # noqa: E731
    tax = row("tax_paid")
    assert (tax["name"], tax["base"], tax["stretch"], tax["unit"], tax["value"], tax["growth"]) == (
        "实缴税收", "≥4亿元", forms.NA, "亿元", None, forms.NA)    # the catalogue takes no growth rate for it
    assert tax["note"].startswith("园区企业当年实际缴纳的税收")
    assert row("industrial_value_added")["base"] == "增长7.5%"
    assert row("rank_hunan_wuhao_parks")["stretch"] == "前50位" and row("rank_hunan_wuhao_parks")["unit"] == "位"
    assert row("green_demo_funding")["unit"] == "万元"           # the target's own unit, one the catalogue allows
    assert (tax["park_id"], tax["indicator_id"], tax["year"], tax["period"], tax["basis"]) == (
        "linxiang", "tax_paid", 2022, "M1-M9", "level")
    assert tax["checksum"].startswith("v1:") and len(tax["checksum"].split(".")) == len(forms.CHECKED)
    # protection: the sheet and the structure; only the fill cells are open
    assert ws.protection.sheet and wb.security.lockStructure
    r = at["industrial_output"]
    open_cells = {c.coordinate for line in ws.iter_rows() for c in line if c.protection.locked is False}
    assert {f"F{r}", f"H{r}", f"I{r}", f"J{r}", "C3", "F3", "I3", "I2"} <= open_cells
    assert not open_cells & {f"{forms.COL[k]}{r}" for k in forms.PROTECTED + forms.HIDDEN + ["checksum"]}
    assert f"H{at['tax_paid']}" not in open_cells
    hidden = [k for k, _, _ in forms.COLUMNS if ws.column_dimensions[forms.COL[k]].hidden]
    assert hidden == forms.HIDDEN + ["checksum"]
    # data validation: decimals in the figure and growth cells, 是/否 in 预计, a date on the cover
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    kinds = {dv.type for dv in rules.values()}
    assert kinds == {"decimal", "list", "date"}
    covered = lambda cell: [dv.type for dv in rules.values() if cell in dv.sqref]   # noqa: E731
    assert covered(f"F{r}") == ["decimal"] and covered(f"H{r}") == ["decimal"] and covered(f"I{r}") == ["list"]
    assert covered("I2") == ["date"]
    assert next(dv for dv in rules.values() if dv.type == "list").formula1 == '"是,否"'
    # print: A4 landscape, fit to width, one page per 30 indicators, the header row repeated
    ps = ws.page_setup
    assert (ps.orientation, str(ps.paperSize), ps.fitToWidth, ps.fitToHeight) == ("landscape", "9", 1, 1)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$5:$5"


def test_a_form_needs_a_known_park_a_period_and_targets_that_year(ds):
    with pytest.raises(forms.FormError, match="unknown park"):
        forms.build_form(ds, "nowhere", PERIOD)
    with pytest.raises(forms.FormError, match="is not one"):
        forms.build_form(ds, "linxiang", "2022-M9-M1")
    with pytest.raises(forms.FormError, match="no park targets for 2025"):
        forms.build_form(ds, "zhengyang", "2025")      # its 2025 targets are the district's
    assert forms.parse_form_period("2023") == (2023, "") and forms.parse_form_period("2023-h1") == (2023, "H1")
    assert forms.form_file_name(ds, "linxiang", 2022, "M1-M9") == "指标填报表_临湘高新区_2022年1-9月.xlsx"


def test_the_pages_cheap_question_agrees_with_the_forms_rows(ds):
    """The park page asks has_form on every rerun (not form_rows, which formats every row): same answer for
    every park, year and period, and the 2025 district targets of 正阳 give no form."""
    answers = {}
    for park in ds.parks:
        for year in range(2020, 2027):
            for period in ("", "M1-M3", "H1", "M1-M9"):
                answers[park, year, period] = forms.has_form(ds, park, year, period)
                assert answers[park, year, period] == bool(forms.form_rows(ds, park, year, period))
    assert answers["linxiang", 2022, "M1-M9"] and not answers["zhengyang", 2025, ""]


# --- the round trip ---------------------------------------------------------------------------------------------


def test_round_trip_the_filled_form_feeds_schedule_status_and_names_its_cells(tmp_path, blank, editor):
    root = copy_data(tmp_path / "root")
    ds = load_dataset(root)
    data = fill(blank, GOOD)
    got = forms.read_form(data, ds, name="临湘1-9月.xlsx", expect_park="linxiang", expect_period=PERIOD)
    assert got.problems == [] and not got.blocked
    # the import page's table: the same columns and dtypes as a document's candidates, every figure ticked
    doc = importing.review_frame("规模工业总产值390亿元", ds.indicators, doc_type="plan", year=2022, scope="park")
    assert list(got.frame.columns) == list(doc.columns) and got.frame.dtypes.equals(doc.dtypes)
    assert got.frame["accept"].all() and len(got.frame) == 6
    output = got.frame[got.frame["indicator_id"] == "industrial_output"].set_index("basis")
    cell = cell_of(data, "industrial_output", "value")
    assert output.loc["level", "value"] == 296.2 and output.loc["level", "unit"] == "亿元"
    assert output.loc["growth_pct", "value"] == 8.5 and output.loc["growth_pct", "unit"] == "%"
    assert output.loc["level", "quote"] == "规上工业总产值 390亿元 296.2 亿元 8.5% 否"   # the row as the form shows it
    assert output.loc["level", "note"] == f"填报表 {forms.SHEET}!{cell}"
    assert set(got.frame["period"]) == {"M1-M9"} and set(got.frame["kind"]) == {"actual"}
    assert got.frame.set_index("indicator_id").loc["fixed_asset_investment", "estimate"]
    for r in got.frame.itertuples():
        assert got.text[r.start:r.end] == r.quote
    assert got.source == {
        "id": "lx_2022_m1_m9_form", "file": "临湘1-9月.xlsx", "title": "临湘高新区2022年1-9月指标填报表",
        "issuer": ISSUER, "date": "2022-10-15", "type": "form", "park": "linxiang", "scope": "park",
        "note": got.source["note"]}
    assert f"工作表「{forms.SHEET}」" in got.source["note"] and "张三" in got.source["note"]
    assert "0730" not in got.source["note"]          # a phone number is not data

    rows = got.rows()
    problems, _ = importing.validate(root, got.source, rows)
    assert problems == []
    assert "+++ b/data/observations/lx_2022_m1_m9_form.csv" in importing.diff(root, got.source, rows)
    importing.save(root, got.source, rows)

    analysis = analyse_root(root)
    assert analysis.dataset.problems == [] and analysis.dataset.sources["lx_2022_m1_m9_form"].type == "form"
    att = analysis.attainment.set_index(["park_id", "indicator_id", "basis"])
    out = att.loc[("linxiang", "industrial_output", "level")]
    assert (out["year"], out["target_value"], out["actual_value"], out["period"]) == (2022, 390.0, 296.2, "M1-M9")
    assert out["status"] == "on_schedule" and i18n.status(out["status"], "zh") == "时序进度正常"
    assert math.isclose(out["progress_share"], 296.2 / 390) and out["elapsed_share"] == 0.75
    assert "partial_year" in out["flags"]
    assert att.loc[("linxiang", "signed_projects", "level"), "status"] == "behind_schedule"      # 40/60 < 75 %
    assert att.loc[("linxiang", "industrial_value_added", "growth_pct"), "status"] == "on_schedule"  # 7.9 vs 7.5
    assert "estimate" in att.loc[("linxiang", "fixed_asset_investment", "level"), "flags"]
    # the tracker shows it; the observation names its cell, the source names the workbook
    tracked = views.targets_table(views.tracked_targets(analysis, "linxiang"), analysis, "zh")
    line = tracked[tracked["indicator"] == "规上工业总产值"].iloc[0]
    assert line["status"] == "时序进度正常" and "296.2" in line["actual_value"] and "1-9月" in line["actual_value"]
    # the comparison's status matrix names the document its statuses rest on (#19.2), beside the plan
    footer = views.status_figure(analysis, "output", "zh", 2022).layout.annotations[-1].text.replace("<br>", "")
    assert f"《{analysis.dataset.sources['lx_2022_m1_m9_form'].title}》" in footer and "《临湘高新区2022年工作计划》" in footer
    obs = analysis.dataset.observations
    mine = obs[(obs["source"] == "lx_2022_m1_m9_form") & (obs["indicator_id"] == "industrial_output")
               & (obs["basis"] == "level")].iloc[0]
    assert mine["note"] == f"填报表 {forms.SHEET}!{cell}" and "296.2" in mine["quote"]
    assert "临湘高新区2022年1-9月指标填报表" in views.quote_source(analysis, mine, "zh")


# --- the mistakes a park makes, each named by its cell --------------------------------------------------------------


def _codes(got) -> dict[str, str]:
    return {p.cell: p.code for p in got.problems}


def test_a_form_for_another_park_or_period_is_refused_whole(ds, blank):
    data = fill(blank, GOOD)
    got = forms.read_form(data, ds, name="x.xlsx", expect_park="jiangyou", expect_period="2022-H1")
    assert got.blocked and got.rows() == []
    assert got.messages("zh") == [
        "C2：这是「临湘高新区（linxiang）」的填报表，应为「江油高新区（jiangyou）」；整张表未导入",
        "F2：这是 2022年1-9月 的填报表，应为 2022年上半年；整张表未导入"]
    assert got.messages("en")[0] == ("C2: this form is for Linxiang (linxiang), not Jiangyou (jiangyou); nothing in "
                                     "it is imported")
    assert forms.read_form(data, ds, expect_park="linxiang", expect_period=PERIOD).problems == []
    # the cover's park edited (the sheet unprotected) while the ids still say linxiang: which one is meant is unknown
    got = forms.read_form(fill(blank, GOOD, cells={"C2": "四川江油高新技术产业园区"}), ds)
    assert got.blocked and got.messages() == [
        "C2：封面的园区被改动（现为「四川江油高新技术产业园区」，表内编号为 linxiang 2022-M1-M9）；整张表未导入，请用原表重新填报"]


def test_each_planted_mistake_is_named_by_its_cell_and_the_valid_rows_still_come_in(ds, blank):
    at = rows_by_indicator(load_workbook(io.BytesIO(blank))[forms.SHEET])
    F, D, L, I, H = (forms.COL[k] for k in ("value", "base", "indicator_id", "estimate", "growth"))
    data = fill(blank, GOOD | {
        "tech_industry_trade_revenue": {"value": 405970},       # 万元 where 亿元 is asked; the target is 420
        "tax_paid": {"value": "约3亿"},                          # text in a number cell
        "signed_projects_3bn": {"value": 1},                    # …its hidden id edited below
        "special_bonds": {"value": 2.5},                        # …its target edited below
        "projects_started": {"value": 21, "estimate": "大概"},   # not 是/否
        "projects_completed": {"value": -3}},                   # a count below zero
        cells={f"{L}{at['signed_projects_3bn']}": "signed_projects_1bn", f"{D}{at['special_bonds']}": "2亿元"})
    got = forms.read_form(data, ds, name="x.xlsx", expect_park="linxiang", expect_period=PERIOD)
    assert not got.blocked
    assert _codes(got) == {
        f"{F}{at['tech_industry_trade_revenue']}": "unit-scale", f"{F}{at['tax_paid']}": "not-a-number",
        f"{L}{at['signed_projects_3bn']}": "hidden-edited", f"{D}{at['special_bonds']}": "target-changed",
        f"{I}{at['projects_started']}": "bad-choice", f"{F}{at['projects_completed']}": "negative"}
    msg = {p.code: p.message("zh") for p in got.problems}
    en = {p.code: p.message("en") for p in got.problems}
    row = at["tech_industry_trade_revenue"]
    assert msg["unit-scale"] == (f"F{row}：405970 与目标 420亿元 相差约 967 倍，单位可能有误：本栏以“亿元”填写"
                                 "（若按“万元”填写，即 40.597亿元）；该数未导入")
    assert en["unit-scale"].startswith(f"F{row}: 405970 is about 967× the target 420亿元: probably the wrong unit")
    assert msg["not-a-number"] == f"F{at['tax_paid']}：「约3亿」不是数字：本期数值只填数字（单位：亿元），不写单位或文字"
    assert msg["target-changed"].startswith(f"D{at['special_bonds']}：目标列被改动：原为「3亿元」，现为「2亿元」")
    assert msg["hidden-edited"].startswith(f"L{at['signed_projects_3bn']}：隐藏的编号列 indicator_id 被改动")
    assert en["bad-choice"] == f"I{at['projects_started']}: “大概” should be 是 (yes) or 否 (no); the row is held back"
    # the bad figures are rows the editor can fix, never ticked; every good one is ticked and saved
    frame = got.frame.set_index("indicator_id")
    held = {"tech_industry_trade_revenue", "tax_paid", "signed_projects_3bn", "special_bonds", "projects_started",
            "projects_completed"}
    assert not frame.loc[list(held), "accept"].any()
    assert frame.loc["signed_projects_3bn", "value"] == 1       # read against the form's own id, not the edited one
    assert math.isnan(frame.loc["tax_paid", "value"]) and frame.loc["tax_paid", "quote"] == "实缴税收 ≥4亿元 约3亿 亿元"
    assert {r["indicator_id"] for r in got.rows()} == set(GOOD)
    assert all(got.problems_of(i) for i, ind in enumerate(got.frame["indicator_id"]) if ind in held)


def test_a_growth_typed_as_an_excel_percentage_and_numbers_typed_as_text_are_read_as_shown(ds, blank):
    wb = load_workbook(io.BytesIO(fill(blank, {"industrial_output": {"value": "296.2", "growth": 0.085}})))
    ws = wb[forms.SHEET]
    r = rows_by_indicator(ws)["industrial_output"]
    ws[f"H{r}"].number_format = "0.0%"          # Excel turns a typed 8.5% into 0.085 shown as 8.5%
    out = io.BytesIO()
    wb.save(out)
    got = forms.read_form(out.getvalue(), ds)
    assert got.problems == [] and sorted(got.frame["value"]) == [8.5, 296.2]
    assert got.frame["quote"][0] == "规上工业总产值 390亿元 296.2 亿元 8.5%"


def test_the_cover_must_name_the_unit_and_the_date(ds, blank):
    got = forms.read_form(fill(blank, GOOD, cover=False, cells={"I2": "十月"}), ds)
    assert [m for m in got.messages()] == ["C3：填报单位未填写", "I2：「十月」不是日期，应写作 2022-10-15"]
    assert got.frame["accept"].all()           # the figures are fine: the editor completes the source
    assert "issuer" not in got.source and "date" not in got.source
    assert got.messages("en")[0] == "C3: 填报单位 (the reporting unit) is not filled in"


def test_an_empty_form_a_foreign_workbook_and_junk_are_named(ds, blank):
    assert [p.code for p in forms.read_form(fill(blank, {}), ds).problems] == ["no-figures"]
    wb = Workbook()
    wb.active["A1"] = "指标"
    out = io.BytesIO()
    wb.save(out)
    got = forms.read_form(out.getvalue(), ds, name="别的表.xlsx")
    assert got.blocked and got.problems[0].code == "not-a-form" and got.rows() == []
    assert forms.read_form(b"not a workbook", ds).problems[0].code == "unreadable"


# --- the command line ---------------------------------------------------------------------------------------------


def test_cli_form_writes_the_workbook(tmp_path, capsys):
    assert cli_main(["form", "--park", "linxiang", "--period", PERIOD, "--out", str(tmp_path),
                     "--root", str(FROZEN)]) == 0
    path = tmp_path / "指标填报表_临湘高新区_2022年1-9月.xlsx"
    assert capsys.readouterr().out.strip() == str(path)
    assert load_workbook(path)[forms.SHEET]["A1"].value == "临湘高新区2022年1-9月主要指标填报表"
    assert cli_main(["form", "--park", "nowhere", "--period", PERIOD, "--out", str(tmp_path / "x.xlsx"),
                     "--root", str(FROZEN)]) == 2
    assert "unknown park" in capsys.readouterr().err


def test_cli_import_form_prints_the_diff_and_saves_only_in_editor_mode(tmp_path, blank, capsys, monkeypatch):
    root = copy_data(tmp_path / "root")
    form = tmp_path / "临湘1-9月.xlsx"
    form.write_bytes(fill(blank, GOOD | {"tech_industry_trade_revenue": {"value": 405970}}))
    parks_before = (root / "parks.yaml").read_text(encoding="utf-8")
    monkeypatch.delenv(write.EDITOR_ENV, raising=False)
    assert cli_main(["import-form", str(form), "--root", str(root)]) == 1      # a figure is held back
    out, err = capsys.readouterr()
    assert "+++ b/data/observations/lx_2022_m1_m9_form.csv" in out and "+  - id: lx_2022_m1_m9_form" in out
    assert "临湘1-9月.xlsx!F6: unit-scale: 405970 与目标 420亿元" in err and "editor mode is off" in err
    assert (root / "parks.yaml").read_text(encoding="utf-8") == parks_before
    assert not (root / "data/observations/lx_2022_m1_m9_form.csv").exists()

    monkeypatch.setenv(write.EDITOR_ENV, "1")
    assert cli_main(["import-form", str(form), "--root", str(root), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "6 figures saved, 1 held back" in err
    ds = load_dataset(root)
    assert ds.problems == [] and len(ds.observations[ds.observations["source"] == "lx_2022_m1_m9_form"]) == 6
    # returned twice: refused unless replaced
    assert cli_main(["import-form", str(form), "--root", str(root)]) == 1
    assert "--replace" in capsys.readouterr().err
    form.write_bytes(fill(blank, GOOD))
    assert cli_main(["import-form", str(form), "--root", str(root), "--replace"]) == 0
    # a form for another park is refused whole
    assert cli_main(["import-form", str(form), "--root", str(root), "--park", "jiangyou"]) == 1
    assert "wrong-park" in capsys.readouterr().err


# --- the printed page -----------------------------------------------------------------------------------------------

CALC = Path("/usr/lib/libreoffice/program/libsclo.so")


@pytest.mark.skipif(shutil.which("soffice") is None or not CALC.exists() or shutil.which("pdfinfo") is None,
                    reason="needs LibreOffice Calc (libreoffice-calc-nogui) and poppler-utils")
def test_the_form_prints_on_one_a4_landscape_page_per_30_indicators(tmp_path, ds):
    files = []
    for park, period, n in (("linxiang", PERIOD, 19), ("jiangyou", "2022", 30)):
        path = tmp_path / f"{park}.xlsx"
        path.write_bytes(forms.build_form(ds, park, period))
        assert len(forms.form_rows(ds, park, *forms.parse_form_period(period))) == n
        files.append(path)
    env = {"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, files)], check=True,
                   capture_output=True, timeout=180, env=env)
    for path in files:
        info = subprocess.run(["pdfinfo", str(path.with_suffix(".pdf"))], capture_output=True, text=True,
                              check=True).stdout
        assert "Pages:           1" in info and "841.89 x 595.3" in info, info     # one A4 landscape page
        fonts = subprocess.run(["pdffonts", str(path.with_suffix(".pdf"))], capture_output=True, text=True,
                               check=True).stdout
        assert "NotoSerifCJK" in fonts and "NotoSansCJK" in fonts, fonts           # 宋体 and 黑体, no box


def test_the_quote_tab_names_the_forms_cell(tmp_path, blank, editor):
    """A figure from a returned form says where it stands in the form ("填报表 F7"), not a sentence."""
    from conftest import copy_data
    from parkmetrics import views
    from parkmetrics.analysis import analyse_root

    root = copy_data(tmp_path / "root")
    ds = load_dataset(root)
    data = fill(blank, {"industrial_output": {"value": 296.2}})
    got = forms.read_form(data, ds, name="临湘.xlsx")
    importing.save(root, got.source, got.rows())
    analysis = analyse_root(root)
    obs = analysis.dataset.observations
    row = obs[obs["source"] == got.source["id"]].iloc[0]
    cell = cell_of(data, "industrial_output", "value")
    assert f"填报表 {cell}" in views.quote_source(analysis, row, "zh")
    assert f"form {cell}" in views.quote_source(analysis, row, "en")
