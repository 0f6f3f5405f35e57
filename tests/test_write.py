"""The one writer of data files (write.py): layout-keeping parks.yaml edits, CSVs the loader reads back, atomic
writes, the loader's own verdict before writing, and editor mode."""
from __future__ import annotations

import csv
import difflib
import io
import os
from pathlib import Path

import pandas as pd
import pytest

from conftest import copy_data
from parkmetrics import metrics, write
from parkmetrics.loader import load_dataset
from parkmetrics.model import OBSERVATION_COLUMNS
from parkmetrics.yamlfile import read_yaml

SOURCE = {"id": "lx_2022_summary", "file": "lx_2022_summary.txt", "title": "临湘高新区2022年工作总结",
          "issuer": "临湘高新区", "date": "2022-12-30", "type": "summary", "park": "linxiang", "scope": "park"}
BLOCK = ["  - id: lx_2022_summary\n", "    file: lx_2022_summary.txt\n", "    title: 临湘高新区2022年工作总结\n",
         "    issuer: 临湘高新区\n", "    date: 2022-12-30\n", "    type: summary\n", "    park: linxiang\n",
         "    scope: park\n"]


def row(**kw) -> dict:
    return {"park_id": "linxiang", "scope": "park", "indicator_id": "industrial_output", "year": 2022,
            "kind": "actual", "value": 400, "unit": "亿元", "comparator": "=", "basis": "level",
            "source": "lx_2022_summary", "quote": "全年完成规模工业总产值400亿元"} | kw


ROWS = [row(), row(indicator_id="fixed_asset_investment", value=85.5, quote="完成固定资产投资85.5亿元，同比增长7%")]


@pytest.fixture
def editor(monkeypatch):
    monkeypatch.setenv(write.EDITOR_ENV, "1")


def added_lines(old: str, new: str) -> list[str]:
    """The lines `new` adds to `old`; fails if it removes or changes any."""
    ops = list(difflib.ndiff(old.splitlines(keepends=True), new.splitlines(keepends=True)))
    assert not [op for op in ops if op.startswith("- ")], "a line of the original was changed or removed"
    return [op[2:] for op in ops if op.startswith("+ ")]


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".tmp")]


# --- editor mode --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "0", "", "true", "yes"])
def test_every_writer_refuses_without_editor_mode(data_copy, monkeypatch, value):
    if value is None:
        monkeypatch.delenv(write.EDITOR_ENV, raising=False)
    else:
        monkeypatch.setenv(write.EDITOR_ENV, value)
    before = (data_copy / "parks.yaml").read_text(encoding="utf-8")
    assert write.editor_mode() is False
    with pytest.raises(write.EditorModeOff) as exc:
        write.add_source(data_copy, SOURCE)
    assert "PARKMETRICS_EDITOR=1" in exc.value.message_zh and "editor mode is off" in exc.value.message_en
    with pytest.raises(write.EditorModeOff):
        write.write_observations(data_copy, "lx_2022_summary", ROWS)
    assert (data_copy / "parks.yaml").read_text(encoding="utf-8") == before
    assert not (data_copy / "data/observations/lx_2022_summary.csv").exists()
    # reading, validating and previewing need no editor mode
    problems, _ = write.validate_before_write(data_copy, SOURCE, ROWS)
    assert problems == [] and "lx_2022_summary" in write.diff_preview(data_copy, "lx_2022_summary", ROWS,
                                                                      source=SOURCE)


def test_editor_mode_is_read_at_call_time(monkeypatch):
    monkeypatch.setenv(write.EDITOR_ENV, "1")
    assert write.editor_mode()
    monkeypatch.setenv(write.EDITOR_ENV, "0")
    assert not write.editor_mode()


# --- parks.yaml ---------------------------------------------------------------------------------------------


def test_adding_a_source_changes_nothing_but_the_added_block(data_copy, editor):
    path = data_copy / "parks.yaml"
    old = path.read_text(encoding="utf-8")
    assert write.add_source(data_copy, SOURCE) == path.resolve()
    new = path.read_text(encoding="utf-8")
    assert added_lines(old, new) == BLOCK
    assert new == old + "".join(BLOCK)     # after the last source, which ends the file
    data, problems = read_yaml(new, "parks.yaml")
    assert problems == [] and data["sources"][-1]["date"].isoformat() == "2022-12-30"


TRICKY = """\
# yaml-language-server: $schema=schemas/parks.schema.json
# Sources first here, parks after: the writer must not care.
sources:
  # plans
  - id: a_plan            # trailing comment
    file: 'a.txt'
    title: "《2022年工作要点》"
    issuer: 某园区
    date: "2022"
    type: plan
    park: a
    scope: park
    note: null

  - id: b_plan
    file: b.txt
    title: 计划：第二份
    issuer: 某园区
    date: 2022-06
    type: plan
    park: a
    scope: park
    draft: true

# --- parks -----------------------------------------------------------
parks:
  - {id: a, name_zh: 甲, name_en: A, province: 省, city: 市, county: 县, level: 省级, kind: 高新区, color: "#000000"}
"""


def test_a_commented_layout_keeps_every_byte_and_the_block_goes_after_the_last_source(tmp_path, editor):
    (tmp_path / "parks.yaml").write_text(TRICKY, encoding="utf-8")
    source = SOURCE | {"id": "c_summary", "park": "a", "date": "2023", "note": "yes", "title": "标题: 带冒号 #号",
                       "draft": False}
    write.add_source(tmp_path, source)
    new = (tmp_path / "parks.yaml").read_text(encoding="utf-8")
    block = added_lines(TRICKY, new)
    assert block == ["  - id: c_summary\n", "    file: lx_2022_summary.txt\n", "    title: '标题: 带冒号 #号'\n",
                     "    issuer: 临湘高新区\n", '    date: "2023"\n', "    type: summary\n", "    park: a\n",
                     "    scope: park\n", "    draft: false\n", '    note: "yes"\n']
    assert new.index("".join(block)) == TRICKY.index("\n# --- parks")    # before the blank line and comment
    data, problems = read_yaml(new, "parks.yaml")
    assert problems == [] and [s["id"] for s in data["sources"]] == ["a_plan", "b_plan", "c_summary"]
    assert data["sources"][-1] | {} == {k: v for k, v in source.items()}      # "2023", "yes" stay strings


def test_a_duplicate_id_is_refused_unless_replaced_in_place(data_copy, editor):
    path = data_copy / "parks.yaml"
    old = path.read_text(encoding="utf-8")
    with pytest.raises(write.SourceExists) as exc:
        write.add_source(data_copy, SOURCE | {"id": "zy_2022_plan"})
    assert "zy_2022_plan" in exc.value.message_zh and "already has a source" in exc.value.message_en
    assert path.read_text(encoding="utf-8") == old
    write.add_source(data_copy, SOURCE | {"id": "zy_2021_summary", "park": "zhengyang", "note": None},
                     replace=True)
    new = path.read_text(encoding="utf-8")
    removed = [op[2:] for op in difflib.ndiff(old.splitlines(True), new.splitlines(True)) if op.startswith("- ")]
    assert "    note: Issued 2021-12-30, before the year closed; several headline actuals are marked 预计 (estimate).\n" \
        in removed and "  - id: zy_2021_summary\n" not in removed            # same place, same id line
    ds = load_dataset(data_copy)
    assert list(ds.sources)[1] == "zy_2021_summary" and ds.sources["zy_2021_summary"].note is None
    assert len(ds.sources) == 5


@pytest.mark.parametrize("bad", ["../evil", "Upper", "", None, "a/b", "1abc"])
def test_an_unsafe_source_id_is_refused(data_copy, editor, bad):
    with pytest.raises(write.InvalidInput):
        write.add_source(data_copy, SOURCE | {"id": bad})
    with pytest.raises(write.InvalidInput):
        write.write_observations(data_copy, bad, ROWS)


# --- observation CSVs ---------------------------------------------------------------------------------------


def test_the_csv_has_the_model_header_utf8_no_bom_and_quoted_fields(data_copy, editor):
    tricky = 'a "quoted", comma\nand a newline: 400亿元'
    path = write.write_observations(data_copy, "lx_2022_summary", pd.DataFrame(ROWS + [row(quote=tricky,
                                                                                         note="x,y")]))
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert rows[0] == OBSERVATION_COLUMNS
    back = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert back[2]["quote"] == tricky and back[2]["note"] == "x,y"
    assert back[1]["value"] == "85.5" and back[0]["value"] == "400" and back[0]["period"] == ""
    assert back[0]["estimate"] == ""


def test_an_existing_csv_is_never_overwritten_unless_asked(data_copy, editor):
    path = write.write_observations(data_copy, "lx_2022_summary", ROWS)
    first = path.read_bytes()
    with pytest.raises(write.ObservationsExist) as exc:
        write.write_observations(data_copy, "lx_2022_summary", ROWS[:1])
    assert "已存在" in exc.value.message_zh and "already exists" in exc.value.message_en
    assert path.read_bytes() == first
    write.write_observations(data_copy, "lx_2022_summary", ROWS[:1], overwrite=True)
    assert path.read_bytes().count(b"\n") == 2


def test_an_unknown_column_is_refused_rather_than_dropped(data_copy, editor):
    with pytest.raises(write.InvalidInput) as exc:
        write.write_observations(data_copy, "lx_2022_summary", [row(valeu=3)])
    assert "valeu" in str(exc.value)
    assert not (data_copy / "data/observations/lx_2022_summary.csv").exists()


# --- atomic, and never through a symlink ---------------------------------------------------------------------


def _boom(*args, **kwargs):
    raise OSError("disk full (simulated)")


@pytest.mark.parametrize("fail", ["fsync", "replace"])
def test_a_failed_overwrite_leaves_the_old_file_and_no_temporary_file(data_copy, editor, monkeypatch, fail):
    path = write.write_observations(data_copy, "lx_2022_summary", ROWS)
    first = path.read_bytes()
    with monkeypatch.context() as patched, pytest.raises(OSError, match="simulated"):
        patched.setattr(write.os, fail, _boom)
        write.write_observations(data_copy, "lx_2022_summary", ROWS[:1], overwrite=True)
    assert path.read_bytes() == first and leftovers(path.parent) == []


@pytest.mark.parametrize("fail", ["fsync", "link"])
def test_a_failed_new_file_leaves_nothing(data_copy, editor, monkeypatch, fail):
    with monkeypatch.context() as patched, pytest.raises(OSError, match="simulated"):
        patched.setattr(write.os, fail, _boom)
        write.write_observations(data_copy, "lx_2022_summary", ROWS)
    obs_dir = data_copy / "data/observations"
    assert not (obs_dir / "lx_2022_summary.csv").exists() and leftovers(obs_dir) == []


def test_a_failed_parks_write_leaves_parks_yaml_intact(data_copy, editor, monkeypatch):
    path = data_copy / "parks.yaml"
    old = path.read_bytes()
    mode = path.stat().st_mode
    with monkeypatch.context() as patched, pytest.raises(OSError, match="simulated"):
        patched.setattr(write.os, "replace", _boom)
        write.add_source(data_copy, SOURCE)
    assert path.read_bytes() == old and leftovers(data_copy) == []
    write.add_source(data_copy, SOURCE)
    assert path.stat().st_mode == mode          # the replaced file keeps its permissions


def test_nothing_is_written_through_a_symlink(data_copy, editor, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    obs_dir = data_copy / "data/observations"
    (obs_dir / "lx_2022_summary.csv").symlink_to(outside / "target.csv")
    with pytest.raises(write.UnsafePath):
        write.write_observations(data_copy, "lx_2022_summary", ROWS, overwrite=True)
    assert not (outside / "target.csv").exists()
    (obs_dir / "lx_2022_summary.csv").unlink()
    moved = tmp_path / "moved_obs"
    obs_dir.rename(moved)
    obs_dir.symlink_to(moved)
    with pytest.raises(write.UnsafePath):
        write.write_observations(data_copy, "lx_2022_summary", ROWS)
    assert not (moved / "lx_2022_summary.csv").exists()
    parks = data_copy / "parks.yaml"
    parks.rename(outside / "parks.yaml")
    parks.symlink_to(outside / "parks.yaml")
    before = (outside / "parks.yaml").read_text(encoding="utf-8")
    with pytest.raises(write.UnsafePath):
        write.add_source(data_copy, SOURCE)
    assert (outside / "parks.yaml").read_text(encoding="utf-8") == before


# --- the loader's verdict before writing ---------------------------------------------------------------------


def test_validate_before_write_reports_the_loaders_codes_at_the_lines_of_the_new_file(data_copy):
    before = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    rows = [row(), row(indicator_id="no_such_indicator", quote="完成某指标400亿元"), row(year=2022, value=12,
                                                                                     quote="没有这个数")]
    problems, ds = write.validate_before_write(data_copy, SOURCE, rows)
    got = {(p.code, p.file, p.line) for p in problems}
    rel = "data/observations/lx_2022_summary.csv"
    assert ("unknown-indicator", rel, 3) in got and ("figure-not-in-quote", rel, 4) in got
    assert all(p.file == rel for p in problems)
    assert len(ds.quarantine) == 2 and ds.rows_read == ds.rows_accounted
    # nothing under the root was touched
    assert {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()} == before


def test_validate_before_write_reports_a_bad_source_in_its_block_of_parks_yaml(data_copy):
    problems, _ = write.validate_before_write(data_copy, SOURCE | {"park": "atlantis", "type": "memo"}, ROWS)
    parks_lines = {p.code: p.line for p in problems if p.file == "parks.yaml"}
    first = len((data_copy / "parks.yaml").read_text(encoding="utf-8").splitlines()) + 1
    assert "invalid-choice" in parks_lines and first <= parks_lines["invalid-choice"] < first + len(BLOCK)
    # the rows cite a source that did not load: the loader's code for that, on the new file
    assert any(p.code == "unknown-source" and p.file.endswith("lx_2022_summary.csv") for p in problems)


def test_validate_before_write_reports_a_duplicate_found_in_an_older_file(data_copy):
    dup = [row(source="lx_2022_plan", kind="target", target_level="base", value=390, quote="规模工业总产值390亿元")]
    problems, _ = write.validate_before_write(data_copy, None, dup)   # source id taken from the rows
    assert [p.code for p in problems] == ["duplicate-observation"]


def test_validate_before_write_refuses_like_the_writer(data_copy):
    with pytest.raises(write.SourceExists):
        write.validate_before_write(data_copy, SOURCE | {"id": "lx_2022_plan"}, ROWS)
    problems, _ = write.validate_before_write(data_copy, SOURCE | {"id": "lx_2022_plan"}, None, replace=True)
    assert problems == []


def test_diff_preview_shows_both_files(data_copy, editor):
    text = write.diff_preview(data_copy, "lx_2022_summary", ROWS, source=SOURCE)
    assert "--- a/parks.yaml\n+++ b/parks.yaml\n" in text and "+  - id: lx_2022_summary\n" in text
    assert "--- /dev/null\n+++ b/data/observations/lx_2022_summary.csv\n" in text
    assert "+" + ",".join(OBSERVATION_COLUMNS) + "\n" in text
    assert sum(1 for line in text.splitlines() if line.startswith("-") and not line.startswith("---")) == 0
    write.write_observations(data_copy, "lx_2022_summary", ROWS)
    text = write.diff_preview(data_copy, "lx_2022_summary", ROWS[:1])
    assert text.startswith("--- a/data/observations/lx_2022_summary.csv") and "\n-linxiang,park,fixed_asset" in text
    assert "parks.yaml" not in text and not leftovers(data_copy / "data/observations")


# --- end to end: a 2022 工作总结 through the writer, into the metrics (issue 9 item 5) --------------------------


@pytest.mark.parametrize("period, value, quote, status", [
    ("", 400, "全年完成规模工业总产值400亿元", "met"),                  # 400 / 390 = 1.026
    ("", 420, "全年完成规模工业总产值420亿元", "exceeded"),             # 1.077
    ("", 300, "全年完成规模工业总产值300亿元", "not_met"),
    ("M1-M9", 300, "1-9月完成规模工业总产值300亿元", "on_schedule"),    # docs/metrics.md worked example
    ("H1", 150, "上半年完成规模工业总产值150亿元", "behind_schedule"),  # 38.5 % at 50 %
])
def test_a_2022_summary_written_through_the_writer_shows_up_in_attainment(tmp_path, editor, period, value, quote,
                                                                          status):
    root = copy_data(tmp_path / "root")
    rows = [row(value=value, quote=quote, period=period), ROWS[1]]
    problems, _ = write.validate_before_write(root, SOURCE, rows)
    assert problems == []
    write.add_source(root, SOURCE)
    write.write_observations(root, "lx_2022_summary", rows)
    ds = load_dataset(root)
    assert ds.problems == [] and ds.rows_read == ds.rows_accounted and len(ds.quarantine) == 0
    att = metrics.attainment(ds.observations, metrics.indicator_frame(ds.indicators))
    att = att.set_index(["park_id", "scope", "indicator_id", "year", "target_level"])
    output = att.loc[("linxiang", "park", "industrial_output", 2022, "base")]
    assert output["status"] == status and output["actual_value"] == value and output["target_value"] == 390
    assert (output["period"] or "") == period and ("partial_year" in output["flags"]) is bool(period)
    investment = att.loc[("linxiang", "park", "fixed_asset_investment", 2022, "base")]
    assert investment["status"] == "exceeded" and investment["ratio"] == pytest.approx(85.5 / 80)


def test_concurrent_editors_never_lose_a_source(data_copy, editor):
    from concurrent.futures import ThreadPoolExecutor

    ids = [f"src_{i}" for i in range(12)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda i: write.add_source(data_copy, SOURCE | {"id": i}), ids))
    ds = load_dataset(data_copy)
    assert set(ids) <= set(ds.sources) and ds.problems == [] and leftovers(data_copy) == []


def test_the_catalogue_gets_a_basis_or_an_indicator_round_trip(data_copy, editor):
    path = data_copy / "data" / "indicators.yaml"
    before = path.read_text(encoding="utf-8")
    write.add_indicator_basis(data_copy, "key_technologies", "growth_pct")
    after = path.read_text(encoding="utf-8")
    changed = [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[:2] in ("+ ", "- ")]
    assert changed == ["-     bases: [level]", "+     bases: [level, growth_pct]"]  # one line, comments kept
    write.add_indicator_basis(data_copy, "key_technologies", "growth_pct")     # already there: nothing changes
    assert path.read_text(encoding="utf-8") == after
    stub = {"id": "new_indicator_1", "name_zh": "社会消费品零售总额", "name_en": "TODO", "unit": "亿元",
            "bases": ["level"], "category": "output", "description_zh": "TODO 口径"}
    write.add_indicator(data_copy, stub)
    ds = load_dataset(data_copy)
    assert ds.problems == [] and ds.indicators["new_indicator_1"].bases == ["level"]
    assert "growth_pct" in ds.indicators["key_technologies"].bases
    with pytest.raises(write.WriteRefused):
        write.add_indicator(data_copy, stub)                                      # an existing id is refused
    with pytest.raises(write.WriteRefused):
        write.add_indicator_basis(data_copy, "no_such_indicator", "level")


# --- issue 17: ids that are safe everywhere ----------------------------------------------------------------------

NEW_PARK = {"id": "xinpark", "name_zh": "测试新园区", "name_en": "Test New Park", "province": "湖南省", "city": "岳阳市",
            "county": "临湘市", "level": "省级", "kind": "高新区", "color": "#7d3c98"}
BAD_IDS = {"con": "Windows reserves", "nul": "Windows reserves", "com1": "Windows reserves",
           "lpt9": "Windows reserves", "a" * 65: "too long", "a" * 300: "too long",
           "lx_x\n": "white space or a control character", "lx x": "white space or a control character",
           "lx\x07": "white space or a control character", "Lx": "lower-case letters"}


@pytest.mark.parametrize("bad", BAD_IDS)
def test_an_unsafe_id_is_refused_by_the_writer_with_the_models_reason(data_copy, editor, bad):
    before = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    for call in (lambda: write.add_source(data_copy, SOURCE | {"id": bad}),
                 lambda: write.write_observations(data_copy, bad, ROWS),
                 lambda: write.add_park(data_copy, NEW_PARK | {"id": bad})):
        with pytest.raises(write.InvalidInput) as exc:
            call()
        assert BAD_IDS[bad] in exc.value.message_en and "无效" in exc.value.message_zh
    assert {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()} == before
    from parkmetrics.model import id_problem
    assert id_problem(bad) is not None and id_problem("lx_2022_summary") is None and id_problem("a" * 64) is None


@pytest.mark.parametrize("bad", ["con", "com1", "a" * 65])
def test_the_loader_refuses_the_same_ids_in_parks_yaml(data_copy, bad):
    path = data_copy / "parks.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: lx_2022_plan\n", f"  - id: {bad}\n"),
                    encoding="utf-8")
    ds = load_dataset(data_copy)
    id_problems = [p for p in ds.problems if p.file == "parks.yaml" and p.field == "id"]
    assert [(p.code, p.value) for p in id_problems] == [("wrong-type", bad)]
    assert bad not in ds.sources


# --- issue 17: control characters ------------------------------------------------------------------------------


def test_control_characters_are_a_located_problem_for_the_loader(data_copy):
    from parkmetrics.loader import Dataset, load_indicators, load_observations_rowwise, load_parks
    obs = data_copy / "data/observations/linxiang_2022_plan.csv"
    obs.write_text(obs.read_text(encoding="utf-8").replace("规模工业总产值390亿元", "规模工业总产值\f390亿元"),
                   encoding="utf-8")
    parks = data_copy / "parks.yaml"
    parks.write_text(parks.read_text(encoding="utf-8").replace("    issuer: 四川江油高新技术产业园区综合管理办公室\n",
                                                               '    issuer: "江油高新区管委会\\a"\n'), encoding="utf-8")
    tasks = data_copy / "data/tasks.csv"
    lines = tasks.read_text(encoding="utf-8").splitlines(keepends=True)
    tasks.write_text(lines[0] + lines[1].replace(",", ",\x0b", 1) + "".join(lines[2:]), encoding="utf-8")
    ds = load_dataset(data_copy)
    found = [(p.code, p.file, p.line, p.field) for p in ds.problems if p.code == "control-character"]
    issuer_line = next(n for n, line in enumerate(parks.read_text(encoding="utf-8").splitlines(), 1)
                       if "江油高新区管委会\\a" in line)
    assert found == [("control-character", "parks.yaml", issuer_line, "issuer"),
                     ("control-character", "data/observations/linxiang_2022_plan.csv", 3, "quote"),
                     ("control-character", "data/tasks.csv", 2, found[-1][3])]
    assert ds.rows_read == ds.rows_accounted
    held = ds.quarantine[ds.quarantine["codes"] == "control-character"]
    assert list(zip(held["file"], held["line"])) == [("data/observations/linxiang_2022_plan.csv", 3),
                                                     ("data/tasks.csv", 2)]
    assert "规模工业总产值␌390亿元" in held["raw"].iloc[0] and "\x0b" not in held["raw"].iloc[1]
    assert "jy_2022_plan" not in ds.sources                           # its record is set aside, as for any error
    # the reference reads the same, row by row
    ref = Dataset(root=data_copy)
    load_parks(data_copy, ref), load_indicators(data_copy, ref), load_observations_rowwise(data_copy, ref)
    assert [p for p in ref.problems if p.code == "control-character"] == [p for p in ds.problems if
                                                                           p.code == "control-character"][:2]
    # every text that loads is XML-compatible: what the reports need
    import re
    xml_bad = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
    for col in ("quote", "note"):
        assert not ds.observations[col].dropna().astype(str).str.contains(xml_bad).any()
    assert not any(xml_bad.search(str(v)) for s in ds.sources.values() for v in s.model_dump().values())
