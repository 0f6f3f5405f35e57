"""#17's cases, each run in a process of its own through the import page's and the CLI's own functions
(tests/surface.py): the expected outcome, never a traceback, no hang past 10 s, memory growth under 200 MB."""
from __future__ import annotations

import pytest

from surface import CASES, run_all

LIMIT_S, LIMIT_MB = 10, 200


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {r["id"]: r for r in run_all()}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_case_has_its_outcome_in_bounded_time_and_memory(results, case):
    got = results[case.id]
    assert got["outcome"].startswith(case.expect), f"{case.what}: {got['outcome']}"
    assert got["seconds"] < LIMIT_S, f"{case.what}: {got['seconds']} s"
    assert got["mb"] < LIMIT_MB, f"{case.what}: {got['mb']} MB more"
