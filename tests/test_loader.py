"""Loader and validation: every problem code, at the right file and line; nothing lost; the valid rest loads."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import BROKEN, FROZEN, ROOT, edit, line_of
from parkmetrics.loader import load_dataset
from parkmetrics.problems import CODES
from parkmetrics.schema import SCHEMAS, problems_doc_text, schema_text

BAD = "data/observations/bad.csv"

# The broken fixture folder: every problem it must report, as (severity, code, file, line).
EXPECTED_BROKEN = {
    ("error", "not-a-number", BAD, 3),
    ("warning", "fullwidth-normalised", BAD, 4),
    ("warning", "thousands-separator", BAD, 5),
    ("error", "unknown-park", BAD, 6),
    ("error", "unknown-indicator", BAD, 7),
    ("error", "unknown-source", BAD, 8),
    ("error", "duplicate-observation", BAD, 9),
    ("error", "unit-not-allowed", BAD, 10),
    ("error", "year-out-of-range", BAD, 11),
    ("error", "missing-quote", BAD, 12),
    ("error", "basis-not-allowed", BAD, 13),
    ("error", "ragged-row", BAD, 14),
    ("error", "target-level-mismatch", BAD, 15),
    ("error", "missing-source", BAD, 16),
    ("warning", "figure-not-in-quote", BAD, 17),
    ("warning", "scope-mismatch", BAD, 18),
    ("warning", "encoding-gbk", "data/observations/gbk.csv", 1),
    ("error", "duplicate-key", "parks.yaml", 14),
    ("error", "invalid-choice", "parks.yaml", 19),
    ("error", "unknown-park", "parks.yaml", 37),
}


def test_frozen_data_validates_clean():
    ds = load_dataset(FROZEN)
    assert [p.format("en") for p in ds.problems] == []
    assert len(ds.observations) == 173 and ds.quarantine.empty
    assert set(ds.parks) == {"zhengyang", "jiangyou", "linxiang"}


def test_broken_fixture_reports_every_problem_at_its_location():
    ds = load_dataset(BROKEN)
    got = {(p.severity, p.code, p.file, p.line) for p in ds.problems}
    assert got == EXPECTED_BROKEN


def test_broken_fixture_loses_nothing_and_keeps_the_valid_rest():
    ds = load_dataset(BROKEN)
    assert ds.rows_read == ds.rows_accounted == len(ds.observations) + len(ds.quarantine) == 19
    quarantined = set(zip(ds.quarantine["file"], ds.quarantine["line"]))
    assert quarantined == {(BAD, n) for n in (3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)}
    # The valid park loads even though its neighbour in parks.yaml is broken.
    assert list(ds.parks) == ["alpha"]


@pytest.mark.parametrize("line, value, unit, value_std", [
    (4, 56.8, "亿元", 56.8),       # ５６.８ (full-width) read as 56.8, not dropped
    (5, 1500.0, "万元", 0.15),     # "1,500" 万元 → 1500 万元 → 0.15 亿元 before any arithmetic
])
def test_normalised_values(line, value, unit, value_std):
    obs = load_dataset(BROKEN).observations
    row = obs[(obs["file"] == BAD) & (obs["line"] == line)].iloc[0]
    assert (row["value"], row["unit"], row["unit_std"]) == (value, unit, "亿元")
    assert row["value_std"] == pytest.approx(value_std)


@pytest.mark.parametrize("file", ["data/observations/gbk.csv", "data/observations/bom.csv"])
def test_excel_encodings_are_read(file):
    obs = load_dataset(BROKEN).observations
    row = obs[obs["file"] == file].iloc[0]
    assert row["quote"] == "项目4个" and row["park_id"] == "alpha"


# Edits to a copy of the frozen data: (file, old text, new text, code, line of the new text).
MUTATIONS = [
    ("parks.yaml", "    level: 省级\n    kind: 高新区\n    established: null\n    area_km2: null\n    leading_industries: [先进",
     "    level: 省级\n    kind: 高新区\n    established: null\n    area_km2: null\n    leading_industries: [[先进",
     "yaml-syntax", None),
    ("parks.yaml", "    short_name_zh: 江油高新区\n", "    short_name_zh: 江油高新区\n    short_name_zh: JY\n",
     "duplicate-key", "short_name_zh: JY"),
    ("parks.yaml", "    name_en: Hunan Linxiang High-tech Zone\n", "", "missing-field", "- id: linxiang"),
    ("parks.yaml", "    color: \"#2471a3\"\n", "    colour: \"#2471a3\"\n", "unknown-field", "colour:"),
    ("parks.yaml", "    color: \"#239b56\"\n", "    color: green\n", "wrong-type", "color: green"),
    ("parks.yaml", "  - id: linxiang\n", "  - id: jiangyou\n", "duplicate-id", None),
    ("data/indicators.yaml", "    parent: industrial_output\n", "    parent: industrial_outptu\n",
     "unknown-indicator", "parent: industrial_outptu"),
    ("data/indicators.yaml", "    bases: [level, reduction_pct]\n", "    bases: [level, reduce]\n", "invalid-choice",
     "bases: [level, reduce]"),
    ("data/observations/linxiang_2022_plan.csv", "park_id,scope,", "park,scope,", "missing-csv-column", None),
]


@pytest.mark.parametrize("file, old, new, code, needle", MUTATIONS, ids=[m[3] for m in MUTATIONS])
def test_a_typo_is_reported_at_its_line(data_copy, file, old, new, code, needle):
    edit(data_copy / file, old, new)
    ds = load_dataset(data_copy)
    hits = [p for p in ds.problems if p.code == code and p.file == file]
    assert hits, [p.format("en") for p in ds.problems]
    if needle:
        assert hits[0].line == line_of(data_copy / file, needle)
    assert ds.rows_read == ds.rows_accounted


def test_yaml_syntax_error_reports_line_and_column(data_copy):
    path = data_copy / "parks.yaml"
    edit(path, "    province: 湖南省\n", "\tprovince: 湖南省\n")  # a tab: YAML forbids tabs for indentation
    problem = next(p for p in load_dataset(data_copy).problems if p.code == "yaml-syntax")
    assert (problem.file, problem.line, problem.column) == ("parks.yaml", line_of(path, "\tprovince"), 1)


def test_non_numeric_value_in_a_copy_is_located(data_copy):
    path = data_copy / "data/observations/linxiang_2022_plan.csv"
    edit(path, ",420,亿元,", ",四百二十,亿元,")
    ds = load_dataset(data_copy)
    problem = next(p for p in ds.problems if p.code == "not-a-number")
    assert (problem.file, problem.line, problem.field) == ("data/observations/linxiang_2022_plan.csv",
                                                            line_of(path, "四百二十"), "value")
    assert len(ds.observations) == 172 and len(ds.quarantine) == 1


def test_undecodable_csv_is_reported_not_misread(data_copy):
    (data_copy / "data/observations/junk.csv").write_bytes(b"park_id,scope\n\xff\xfe\xfa\x80\x81\n")
    problem = next(p for p in load_dataset(data_copy).problems if p.file == "data/observations/junk.csv")
    assert problem.code == "encoding-unreadable"


def test_unsafe_yaml_tags_are_refused(data_copy):
    edit(data_copy / "parks.yaml", "parks:\n", "boom: !!python/object/apply:os.system [\"touch /tmp/pm_pwned\"]\nparks:\n")
    ds = load_dataset(data_copy)
    assert any(p.code == "yaml-syntax" for p in ds.problems)
    assert ds.fatal


def test_missing_file_is_reported(tmp_path):
    ds = load_dataset(tmp_path)
    assert {("file-missing", "parks.yaml"), ("file-missing", "data/indicators.yaml")} <= {(p.code, p.file) for p in ds.problems}


LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+)(:\d+)?: (?P<severity>error|warning) (?P<code>[a-z-]+): .+")


def test_cli_validate_prints_one_located_line_per_problem_and_exits_1():
    done = subprocess.run([sys.executable, "-m", "parkmetrics", "validate", "--root", str(BROKEN)],
                          capture_output=True, text=True)
    assert done.returncode == 1
    lines = done.stdout.strip().splitlines()
    assert len(lines) == len(EXPECTED_BROKEN)
    parsed = {(m["severity"], m["code"], m["file"], int(m["line"])) for m in map(LINE.match, lines)}
    assert parsed == EXPECTED_BROKEN
    assert "提示" in done.stdout and "Hint:" in done.stdout


def test_cli_validate_is_clean_on_frozen_data():
    done = subprocess.run([sys.executable, "-m", "parkmetrics", "validate", "--root", str(FROZEN)],
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "")


def test_every_problem_code_is_documented():
    doc = (ROOT / "docs" / "problems.md").read_text(encoding="utf-8")
    assert [c for c in CODES if f"`{c}`" not in doc] == []
    assert doc == problems_doc_text(doc), "run: python -m parkmetrics schema"


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_published_json_schemas_are_up_to_date(name):
    assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == schema_text(SCHEMAS[name]), \
        "run: python -m parkmetrics schema"


def test_vscode_maps_the_schemas():
    import json
    mapping = json.loads((ROOT / ".vscode" / "settings.json").read_text())["yaml.schemas"]
    assert set(mapping) == {f"./schemas/{n}" for n in SCHEMAS}


def test_a_new_csv_file_is_picked_up_without_code_changes(data_copy):
    header = (data_copy / "data/observations/linxiang_2022_plan.csv").read_text(encoding="utf-8").splitlines()[0]
    (data_copy / "data/observations/linxiang_2022_summary.csv").write_text(
        header + "\nlinxiang,park,industrial_output,2022,,actual,,401.5,亿元,=,level,,,lx_2022_plan,规模工业总产值401.5亿元,\n",
        encoding="utf-8")
    ds = load_dataset(data_copy)
    assert len(ds.observations) == 174 and not ds.problems


def test_every_field_and_column_is_documented():
    from parkmetrics.model import OBSERVATION_COLUMNS, TASK_COLUMNS, Indicator, Park, Source
    doc = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    names = [*Park.model_fields, *Source.model_fields, *Indicator.model_fields, *OBSERVATION_COLUMNS, *TASK_COLUMNS]
    assert [n for n in names if f"`{n}`" not in doc] == []


def test_observation_files_are_listed_as_glob_lists_them(tmp_path):
    """list_files reads the folder with scandir: the same names, in the same order, as Path.glob (hidden names
    included, case-sensitive), and a link or a folder named *.csv still checked in full."""
    from parkmetrics.read import list_files

    folder = tmp_path / "data/observations"
    folder.mkdir(parents=True)
    for name in ("b.csv", "a.csv", ".hidden.csv", "C.CSV", "notes.txt"):
        (folder / name).write_text("x", encoding="utf-8")
    (folder / "dir.csv").mkdir()
    (folder / "out.csv").symlink_to("/etc/hostname")
    problems = []
    listed = [rel.split("/")[-1] for _, rel in list_files(tmp_path, "data/observations", "*.csv", problems)]
    globbed = sorted(p.name for p in folder.glob("*.csv"))
    assert listed == [n for n in globbed if n not in ("dir.csv", "out.csv")] == [".hidden.csv", "a.csv", "b.csv"]
    assert sorted(p.code for p in problems) == ["link-outside-root", "not-a-file"]


def test_an_edit_to_a_file_of_actuals_only_reloads_in_a_warm_root(tmp_path):
    """A 工作总结 CSV has no target tier at all (every row an actual): re-read beside the cached files, its empty
    category column once made the loader fail ("dtype of categories must be the same")."""
    import os

    from conftest import copy_data
    import pandas as pd

    from parkmetrics.loader import clear_cache

    root = copy_data(tmp_path / "root")
    load_dataset(root)                                                       # warm: every file cached
    path = root / "data" / "observations" / "zhengyang_2021_summary.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",56.8,", ",56.9,", 1), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    warm = load_dataset(root)
    assert len(warm.observations) == 173 and 56.9 in set(warm.observations["value"])
    clear_cache()
    cold = load_dataset(root)
    pd.testing.assert_frame_equal(warm.observations.reset_index(drop=True), cold.observations.reset_index(drop=True))
