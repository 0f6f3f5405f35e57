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
    assert len(rows) == 109 and all(r["status_zh"] and r["status_en"] for r in rows)


def test_store_tables_and_views(frozen):
    store = frozen.store
    assert len(store.observations()) == 173 and len(store.observations(park="linxiang", year=2022)) == 19
    assert store.sources().set_index("id").loc["zy_2021_summary", "figures"] == 61
    summary = store.park_summary().set_index("park_id")
    assert summary.loc["zhengyang", "latest_actual_year"] == 2021 and summary.loc["jiangyou", "actuals"] == 0
    coverage = store.coverage()
    assert coverage[["targets", "actuals"]].sum().tolist() == [109, 64]


def test_store_is_safe_under_concurrent_sessions(frozen):
    store = frozen.store

    def work(i: int) -> int:
        park = ["zhengyang", "jiangyou", "linxiang"][i % 3]
        return len(store.observations(park=park))

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(work, range(300)))
    assert set(counts) == {123, 30, 20}
