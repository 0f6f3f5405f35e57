"""The one writer of data files (write/): layout-keeping parks.yaml edits, CSVs the loader reads back, atomic
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
        patched.setattr(os, fail, _boom)
        write.write_observations(data_copy, "lx_2022_summary", ROWS[:1], overwrite=True)
    assert path.read_bytes() == first and leftovers(path.parent) == []


@pytest.mark.parametrize("fail", ["fsync", "link"])
def test_a_failed_new_file_leaves_nothing(data_copy, editor, monkeypatch, fail):
    with monkeypatch.context() as patched, pytest.raises(OSError, match="simulated"):
        patched.setattr(os, fail, _boom)
        write.write_observations(data_copy, "lx_2022_summary", ROWS)
    obs_dir = data_copy / "data/observations"
    assert not (obs_dir / "lx_2022_summary.csv").exists() and leftovers(obs_dir) == []


def test_a_failed_parks_write_leaves_parks_yaml_intact(data_copy, editor, monkeypatch):
    path = data_copy / "parks.yaml"
    old = path.read_bytes()
    mode = path.stat().st_mode
    with monkeypatch.context() as patched, pytest.raises(OSError, match="simulated"):
        patched.setattr(os, "replace", _boom)
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


# --- issue 17: the check before writing runs against the data as loaded, and agrees with the loader ---------------


def _the_loaders_verdict(root: Path, tmp: Path, source, rows, *, park=None, replace=False) -> set[tuple]:
    """The reference: write into a copy of the root (raw text, so that even what the writer refuses is written)
    and load it; the problems in the new CSV, in the new entries' blocks, or new anywhere else."""
    copy = copy_data(tmp, root)
    sid = source["id"] if source else rows[0]["source"]
    rel = f"data/observations/{sid}.csv"
    blocks = []
    text = (copy / "parks.yaml").read_text(encoding="utf-8")
    if park is not None:
        text, block = write.parks_text_with_park(text, park)
        blocks.append(block)
    if source is not None:
        text, block = write.parks_text_with_source(text, source, replace=replace)
        blocks = [(a + (block[1] - block[0] + 1 if a > block[0] else 0), b + (block[1] - block[0] + 1 if a > block[0]
                                                                            else 0)) for a, b in blocks] + [block]
    (copy / "parks.yaml").write_text(text, encoding="utf-8")
    if rows is not None:
        (copy / rel).write_text(write.observations_csv_text(rows, sid), encoding="utf-8")
    key = lambda p: (p.code, p.file, p.line, p.field, p.value)     # noqa: E731
    before = {key(p) for p in load_dataset(root).problems}
    after = load_dataset(copy).problems
    return {(p.code, p.file, p.line, p.field, p.value, p.detail) for p in after
            if p.file == rel or (p.file == "parks.yaml" and any(a <= (p.line or 0) <= b for a, b in blocks))
            or key(p) not in before}


NEW_PARK = {"id": "xinpark", "name_zh": "测试新园区", "name_en": "Test New Park", "province": "湖南省", "city": "岳阳市",
            "county": "临湘市", "level": "省级", "kind": "高新区", "color": "#7d3c98"}
PLAN_ROW = row(source="aa_2022_plan", kind="target", target_level="base", value=390, quote="规模工业总产值390亿元")
VERDICT_CASES = {
    "valid": (SOURCE, ROWS, {}),
    "row errors": (SOURCE, [row(indicator_id="no_such_indicator"), row(value=12, quote="没有这个数"),
                            row(indicator_id="fixed_asset_investment", value=85.5, unit="万元",
                                quote="完成固定资产投资85.5亿元")], {}),
    "a repeat inside the new file": (SOURCE, [row(), row(value=401, quote="全年完成规模工业总产值401亿元")], {}),
    "a repeat of an older file's row": (None, [row(source="lx_2022_plan", kind="target", target_level="base",
                                                   value=390, quote="规模工业总产值390亿元")], {}),
    "the new file comes first": (SOURCE | {"id": "aa_2022_plan", "type": "plan"}, [PLAN_ROW], {}),
    "a control character in a quote and a note": (SOURCE, [row(quote="全年完成规模\f工业总产值400亿元"),
                                                           row(indicator_id="fixed_asset_investment", value=85.5,
                                                               quote="完成固定资产投资85.5亿元", note="表格\x07")], {}),
    "a bad source entry": (SOURCE | {"park": "atlantis", "type": "memo"}, ROWS, {}),
    "a control character in the title": (SOURCE | {"title": "临湘高新区2022年工作总结\x07"}, ROWS, {}),
    "a new park": (SOURCE | {"park": "xinpark"}, [r | {"park_id": "xinpark"} for r in ROWS], {"park": NEW_PARK}),
    "a bad new park": (SOURCE | {"park": "xinpark"}, [r | {"park_id": "xinpark"} for r in ROWS],
                       {"park": NEW_PARK | {"color": "purple", "name_en": "名\x0c"}}),
    "a source entry replaced, its scope changed": (SOURCE | {"id": "lx_2022_plan", "type": "plan",
                                                             "scope": "district"}, None, {"replace": True}),
}


@pytest.mark.parametrize("case", VERDICT_CASES)
def test_the_check_before_writing_agrees_with_the_loader_after_the_write(data_copy, tmp_path, case):
    source, rows, kw = VERDICT_CASES[case]
    before = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    problems, ds = write.validate_before_write(data_copy, source, rows, dataset=load_dataset(data_copy), **kw)
    got = {(p.code, p.file, p.line, p.field, p.value, p.detail) for p in problems}
    assert got == _the_loaders_verdict(data_copy, tmp_path / "reference", source, rows, **kw)
    assert (got == set()) == (case in ("valid", "a new park"))
    # the dataset as it would load, built only when asked for
    reference = load_dataset(copy_data(tmp_path / "written", data_copy))
    assert ds.rows_read == ds.rows_accounted
    assert {p.id for p in ds.parks.values()} >= set(reference.parks) - {"xinpark"}
    assert {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()} == before     # nothing written


def test_the_check_shows_what_each_case_reports(data_copy):
    """The codes and places, spelled out for a few of the cases above."""
    rel = "data/observations/lx_2022_summary.csv"
    def codes(case):
        source, rows, kw = VERDICT_CASES[case]
        return [(p.code, p.file, p.line) for p in write.validate_before_write(data_copy, source, rows, **kw)[0]]
    assert codes("a repeat inside the new file") == [("duplicate-observation", rel, 3)]
    assert codes("the new file comes first") == [("duplicate-observation", "data/observations/linxiang_2022_plan.csv",
                                                 3)]
    assert codes("a control character in a quote and a note") == [("control-character", rel, 2),
                                                                   ("control-character", rel, 3)]
    title = codes("a control character in the title")
    assert title[0][0] == "control-character" and title[0][1] == "parks.yaml"
    assert {c for c, f, _ in title[1:]} == {"unknown-source"} and {f for _, f, _ in title[1:]} == {rel}
    problems, _ = write.validate_before_write(data_copy, *VERDICT_CASES["a control character in a quote and a note"][:2])
    assert problems[0].value == "全年完成规模␌工业总产值400亿元" and problems[0].detail == "U+000C at character 7"
    assert "控制字符" in problems[0].message("zh") and "control character" in problems[0].message("en")


def test_the_check_never_copies_or_reloads_the_root(data_copy, monkeypatch):
    ds = load_dataset(data_copy)
    import shutil
    from parkmetrics import loader

    def refuse(*args, **kwargs):
        raise AssertionError("the check copied or reloaded the data root")
    monkeypatch.setattr(shutil, "copytree", refuse)
    monkeypatch.setattr(shutil, "copy", refuse)
    monkeypatch.setattr(write.checks, "load_dataset", refuse)
    monkeypatch.setattr(loader, "load_dataset", refuse)
    monkeypatch.setattr(loader, "load_observations", refuse)
    problems, after = write.validate_before_write(data_copy, SOURCE | {"park": "xinpark"},
                                                  [r | {"park_id": "xinpark"} for r in ROWS], park=NEW_PARK,
                                                  dataset=ds)
    assert problems == [] and "xinpark" in after.parks and "lx_2022_summary" in after.sources
    assert len(after.observations) == len(ds.observations) + 2


def test_a_replaced_file_is_not_its_own_duplicate(data_copy, editor):
    write.save(data_copy, SOURCE, ROWS)
    problems, ds = write.validate_before_write(data_copy, SOURCE, ROWS[:1], replace=True)
    assert problems == [] and (ds.observations["source"] == "lx_2022_summary").sum() == 1


# --- issue 17: ids and text that are safe everywhere ---------------------------------------------------------------

BAD_IDS = {"con": "Windows reserves", "nul": "Windows reserves", "com1": "Windows reserves",
           "lpt9": "Windows reserves", "a" * 65: "too long", "a" * 300: "too long",
           "lx_x\n": "white space or a control character", "lx x": "white space or a control character",
           "lx\x07": "white space or a control character", "Lx": "lower-case letters"}


@pytest.mark.parametrize("bad", BAD_IDS)
def test_an_unsafe_id_is_refused_by_the_writer_with_the_models_reason(data_copy, editor, bad):
    before = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    for call in (lambda: write.add_source(data_copy, SOURCE | {"id": bad}),
                 lambda: write.write_observations(data_copy, bad, ROWS),
                 lambda: write.save(data_copy, SOURCE | {"id": bad}, [r | {"source": bad} for r in ROWS]),
                 lambda: write.add_park(data_copy, NEW_PARK | {"id": bad}),
                 lambda: write.save(data_copy, SOURCE | {"park": bad}, ROWS, park=NEW_PARK | {"id": bad})):
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


def test_control_characters_are_a_located_problem_for_the_loader(data_copy):
    from parkmetrics.loader import Dataset, load_indicators, load_parks
    from reference.loader_rowwise import load_observations_rowwise
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


def test_the_writer_refuses_control_characters(data_copy, editor):
    before = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    with pytest.raises(write.InvalidInput) as exc:
        write.save(data_copy, SOURCE, [row(quote="全年完成规模\f工业总产值400亿元")])
    assert "row 1: the quote holds a control character: 全年完成规模␌工业总产值400亿元" in exc.value.message_en
    assert "第 1 行的「quote」含有控制字符" in exc.value.message_zh
    with pytest.raises(write.InvalidInput) as exc:
        write.add_source(data_copy, SOURCE | {"title": "标题\x07"})
    assert "the title of the source holds a control character: 标题␇" in exc.value.message_en
    with pytest.raises(write.InvalidInput):
        write.add_park(data_copy, NEW_PARK | {"name_zh": "园区\x00"})
    assert {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()} == before


# --- issue 17: the file's own line endings and BOM --------------------------------------------------------------


def test_a_crlf_parks_yaml_with_a_bom_stays_crlf_with_its_bom(data_copy, editor):
    path = data_copy / "parks.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    old = path.read_bytes()
    write.save(data_copy, SOURCE | {"park": "xinpark"}, [r | {"park_id": "xinpark"} for r in ROWS], park=NEW_PARK)
    new = path.read_bytes()
    assert new.startswith(b"\xef\xbb\xbf") and new.count(b"\n") == new.count(b"\r\n") > old.count(b"\r\n")
    assert b"\r\r" not in new
    added = added_lines(old.decode("utf-8-sig"), new.decode("utf-8-sig"))
    assert "  - id: lx_2022_summary\r\n" in added and "  - id: xinpark\r\n" in added and len(added) == 9 + 8
    ds = load_dataset(data_copy)
    assert ds.problems == [] and "xinpark" in ds.parks and "lx_2022_summary" in ds.sources
    write.add_indicator_basis(data_copy, "key_technologies", "growth_pct")          # every writer keeps them
    write.add_source(data_copy, SOURCE | {"id": "lx_2023_plan"})
    assert path.read_bytes().count(b"\n") == path.read_bytes().count(b"\r\n")


def test_a_replaced_csv_keeps_its_bom_and_line_endings(data_copy, editor):
    path = write.save(data_copy, SOURCE, ROWS)[-1]
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    write.write_observations(data_copy, "lx_2022_summary", ROWS[:1], overwrite=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == raw.count(b"\n") == 2
    assert load_dataset(data_copy).problems == []


# --- issue 17: replacing a source replaces its rows, or says which file keeps them ---------------------------------


def test_replacing_a_source_whose_rows_live_in_another_file_is_refused_naming_it(data_copy, editor):
    before = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    plan = SOURCE | {"id": "lx_2022_plan", "type": "plan", "title": "新标题"}
    one = [row(source="lx_2022_plan", kind="target", target_level="base", value=400, quote="规模工业总产值400亿元")]
    for call in (lambda: write.save(data_copy, plan, one, replace=True),
                 lambda: write.validate_before_write(data_copy, plan, one, replace=True)):
        with pytest.raises(write.SourceRowsElsewhere) as exc:
            call()
        assert exc.value.files == ["data/observations/linxiang_2022_plan.csv"]
        assert "data/observations/linxiang_2022_plan.csv 中还有引用来源 lx_2022_plan 的行" in exc.value.message_zh
        assert ("data/observations/linxiang_2022_plan.csv also hold rows citing the source lx_2022_plan"
                in exc.value.message_en)
    assert {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()} == before
    # an entry-only edit (no rows) keeps its rows where they are: that is what it is for
    write.save(data_copy, plan, None, replace=True)
    assert load_dataset(data_copy).sources["lx_2022_plan"].title == "新标题"


# --- issue 17: a retry after a crash completes; no lost update ---------------------------------------------------


def test_a_retry_of_a_completed_save_succeeds_without_writing(data_copy, editor):
    write.save(data_copy, SOURCE, ROWS)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in data_copy.rglob("*") if p.is_file()}
    write.save(data_copy, SOURCE, ROWS)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in data_copy.rglob("*") if p.is_file()} == before
    with pytest.raises(write.SourceExists):                   # but another save is still refused
        write.save(data_copy, SOURCE, ROWS[:1])
    with pytest.raises(write.SourceExists):
        write.save(data_copy, SOURCE | {"title": "另一个标题"}, ROWS)


def test_a_retry_completes_the_half_save_of_the_old_writer(data_copy, editor):
    write.add_source(data_copy, SOURCE)             # what a crash between the two files used to leave
    write.save(data_copy, SOURCE, ROWS)             # the retry is not refused as "exists": it writes the CSV
    ds = load_dataset(data_copy)
    assert ds.problems == [] and (ds.observations["source"] == "lx_2022_summary").sum() == 2


def test_a_save_bound_to_an_old_version_is_refused_naming_the_file(data_copy, editor):
    write.save(data_copy, SOURCE, [row(value=100, quote="全年完成规模工业总产值100亿元")])
    mine = write.plan(data_copy, SOURCE, [row(value=200, quote="全年完成规模工业总产值200亿元")], replace=True)
    assert "-linxiang,park,industrial_output,2022,,,actual,,100," in mine.diff()
    # another editor saves 300 meanwhile
    write.save(data_copy, SOURCE, [row(value=300, quote="全年完成规模工业总产值300亿元")], replace=True)
    theirs = (data_copy / "data/observations/lx_2022_summary.csv").read_bytes()
    with pytest.raises(write.StaleDiff) as exc:
        write.save(data_copy, SOURCE, [row(value=200, quote="全年完成规模工业总产值200亿元")], replace=True,
                   version=mine.version)
    assert exc.value.changed == ["data/observations/lx_2022_summary.csv"]
    assert "data/observations/lx_2022_summary.csv 已被修改" in exc.value.message_zh
    assert "data/observations/lx_2022_summary.csv changed after the diff was made" in exc.value.message_en
    assert (data_copy / "data/observations/lx_2022_summary.csv").read_bytes() == theirs     # 300 kept
    fresh = write.plan(data_copy, SOURCE, [row(value=200, quote="全年完成规模工业总产值200亿元")], replace=True)
    assert "-linxiang,park,industrial_output,2022,,,actual,,300," in fresh.diff()
    write.save(data_copy, SOURCE, [row(value=200, quote="全年完成规模工业总产值200亿元")], replace=True,
               version=fresh.version)
    assert load_dataset(data_copy).observations.query("source == 'lx_2022_summary'")["value"].tolist() == [200]
    assert write.version(data_copy, "lx_2022_summary") != fresh.version
