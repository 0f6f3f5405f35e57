"""National scale: the synthetic generator writes a valid root in the project's format, and `validate` finds
exactly the rows it broke on purpose."""
from __future__ import annotations

import csv
import re
import subprocess
import sys

from parkmetrics.loader import load_dataset
from parkmetrics.synth import DEFECTS, write_root

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+)(:\d+)?: (?P<severity>error|warning) (?P<code>[a-z-]+): ")


def test_a_clean_synthetic_root_validates_clean(tmp_path):
    counts = write_root(tmp_path, parks=4, indicators=8, years=3)
    ds = load_dataset(tmp_path)
    assert ds.problems == []
    assert len(ds.observations) == counts["rows"] == ds.rows_read
    assert len(ds.parks) == 4 and len(ds.sources) == 8 and len(ds.indicators) == 8
    # targets and actuals for every indicator and year, and growth beside the money levels
    assert set(ds.observations["kind"]) == {"target", "actual"}
    assert set(ds.observations["basis"]) == {"level", "growth_pct"}


def test_validate_finds_exactly_the_rows_broken_on_purpose(tmp_path):
    counts = write_root(tmp_path, parks=5, indicators=6, years=4, bad_rows=0.1, seed=1)
    with open(tmp_path / "expected_problems.csv", encoding="utf-8") as f:
        expected = {(r["file"], int(r["line"]), r["code"]) for r in csv.DictReader(f)}
    assert len(expected) == counts["bad_rows"] > 0
    assert {code for _, _, code in expected} == {code for code, _ in DEFECTS}  # every defect kind occurs
    done = subprocess.run([sys.executable, "-m", "parkmetrics", "validate", "--root", str(tmp_path), "--lang", "en"],
                          capture_output=True, text=True)
    assert done.returncode == 1
    found = {(m["file"], int(m["line"]), m["code"]) for m in map(LINE.match, done.stdout.splitlines())}
    assert found == expected
    ds = load_dataset(tmp_path)
    assert len(ds.quarantine) == len(expected) and ds.rows_read == ds.rows_accounted == counts["rows"]
