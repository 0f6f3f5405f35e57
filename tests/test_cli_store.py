"""The CLI's table commands and the DuckDB store."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import FROZEN
from parkmetrics.metrics import STATUS_CODES

REQUIRED = ["park_id", "scope", "indicator_id", "indicator_name_zh", "year", "kind", "target_level", "value", "unit",
            "comparator", "basis", "estimate", "approximate", "source", "quote"]


def cli(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "parkmetrics", *args, "--root", str(FROZEN)], capture_output=True,
                          text=True, check=True)
    return done.stdout


def test_observations_csv_has_the_promised_columns():
    rows = list(csv.DictReader(io.StringIO(cli("observations", "--format", "csv"))))
    assert len(rows) == 173 and set(REQUIRED) <= set(rows[0])
    assert {r["kind"] for r in rows} == {"actual", "target"}
    assert {r["target_level"] for r in rows if r["kind"] == "actual"} == {""}


@pytest.mark.parametrize("command, park, year, expected", [
    ("attainment", "linxiang", 2022, 19), ("yoy", "zhengyang", 2021, 48), ("pace", "zhengyang", 2025, 30),
    ("checks", "linxiang", 2022, 4), ("coverage", "jiangyou", 2022, 30), ("observations", "linxiang", 2021, 1)])
def test_table_commands_filter_by_park_and_year(command, park, year, expected):
    rows = json.loads(cli(command, "--format", "json", "--park", park, "--year", str(year)))
    assert len(rows) == expected and {r["park_id"] for r in rows} == {park}


def test_attainment_json_reports_a_status_per_target():
    rows = json.loads(cli("attainment", "--format", "json"))
    # codes for machines: the labels are the UI's (i18n), never columns of the metric
    assert len(rows) == 109 and all(r["status"] in STATUS_CODES for r in rows)
    assert not [c for c in rows[0] if c.endswith(("_zh", "_en"))]


def test_store_tables_and_views(frozen):
    store = frozen.store
    assert len(store.observations()) == 173 and len(store.observations(park="linxiang", year=2022)) == 19
    assert store.sources().set_index("id").loc["zy_2021_summary", "figures"] == 61
    coverage = json.loads(cli("coverage", "--format", "json"))   # the one definition: metrics.coverage
    assert [sum(r[k] for r in coverage) for k in ("targets", "actuals")] == [109, 64]


def test_store_is_safe_under_concurrent_sessions(frozen):
    store = frozen.store

    def work(i: int) -> int:
        park = ["zhengyang", "jiangyou", "linxiang"][i % 3]
        return len(store.observations(park=park))

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(work, range(300)))
    assert set(counts) == {123, 30, 20}


@pytest.mark.parametrize("period, partial", [("M1-M12", False), ("", False), ("M1-M9", True), ("Q4", True)])
def test_full_year_has_one_definition(tmp_path, period, partial):
    """An actual for 1–12月 is the year's figure everywhere (periods.is_full_year): in coverage, the one definition
    the pages and the CLI read, and in the park's latest actual year on the pages."""
    from conftest import copy_data
    from parkmetrics import metrics, views
    from parkmetrics.analysis import analyse_root
    from parkmetrics.periods import is_full_year

    from parkmetrics.model import OBSERVATION_COLUMNS

    root = copy_data(tmp_path / "root")
    row = dict.fromkeys(OBSERVATION_COLUMNS, "")
    row.update(park_id="linxiang", scope="park", indicator_id="industrial_output", year="2023", period=period,
               kind="actual", value="401.5", unit="亿元", comparator="=", basis="level", source="lx_2022_plan",
               quote="规模工业总产值401.5亿元")
    (root / "data" / "observations" / "linxiang_2023_extra.csv").write_text(
        ",".join(OBSERVATION_COLUMNS) + "\n" + ",".join(row[c] for c in OBSERVATION_COLUMNS) + "\n", encoding="utf-8")
    analysis = analyse_root(root)
    assert is_full_year(period) is not partial
    py = metrics.coverage(analysis.dataset.observations)
    key = (py["park_id"] == "linxiang") & (py["year"] == 2023) & (py["indicator_id"] == "industrial_output")
    assert py.loc[key, ["actuals", "partial_actuals"]].values.tolist() == [[0, 1] if partial else [1, 0]]
    assert views.latest_actual_year(analysis, "linxiang") == 2023   # the latest year with an actual, partial or not
