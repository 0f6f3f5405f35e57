"""An editor's routine data change must not break CI (issue 9, item 5).

A copy of the project gets next year's 工作总结 through the same code path the import page uses (write/), and
the suite's data and behaviour tests run again in that copy, in a fresh interpreter: they must all still pass.
Behaviour tests read the frozen fixture root; the dataset tests count per original document.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from parkmetrics import write
from parkmetrics.loader import load_dataset

SUMMARY = {"id": "lx_2022_summary", "file": "lx_2022_summary.txt", "title": "临湘高新区2022年工作总结",
           "issuer": "临湘高新区", "date": "2022-12-30", "type": "summary", "park": "linxiang", "scope": "park"}
ROWS = [
    {"park_id": "linxiang", "scope": "park", "indicator_id": "industrial_output", "year": 2022, "kind": "actual",
     "value": 401.5, "unit": "亿元", "comparator": "=", "basis": "level", "source": "lx_2022_summary",
     "quote": "全年完成规模工业总产值401.5亿元"},
    {"park_id": "linxiang", "scope": "park", "indicator_id": "above_scale_enterprises_new", "year": 2022,
     "kind": "actual", "value": 28, "unit": "家", "comparator": "=", "basis": "new_count",
     "source": "lx_2022_summary", "quote": "新增规模工业企业28家"},
]
# The suite's data and behaviour tests that need no browser and no LibreOffice.
SUITE = ["tests/test_dataset.py", "tests/test_loader.py", "tests/test_metrics.py", "tests/test_cli_store.py",
         "tests/test_corpus.py", "tests/test_app.py", "tests/test_finder.py"]


def _copy_project(dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for rel in filter(None, files.decode().split("\0")):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


@pytest.mark.slow
def test_a_new_summary_added_by_the_writer_leaves_the_suite_green(tmp_path, monkeypatch):
    project = _copy_project(tmp_path / "project")
    monkeypatch.setenv(write.EDITOR_ENV, "1")
    write.add_source(project, SUMMARY)
    write.write_observations(project, SUMMARY["id"], ROWS)

    ds = load_dataset(project)
    assert ds.errors == [] and (ds.observations["source"] == "lx_2022_summary").sum() == 2

    # the suite runs as a viewer would (no editor mode: a viewer sees no data files named on the quote tab)
    env = {k: v for k, v in os.environ.items() if k not in ("PARKMETRICS_ROOT", write.EDITOR_ENV)} | {
        "PYTHONPATH": str(project / "src")}
    done = subprocess.run([sys.executable, "-m", "pytest", *SUITE, "-q", "-p", "no:cacheprovider", "-x",
                           "-k", "not every_page"], cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]
