"""Shared fixtures: the project root, the frozen fixture data root that behaviour tests run on (a copy of the
shipped data as it stood; an editor's new document never changes what they assert), a mutable copy of it, and its
analysis. Only tests/test_dataset.py looks at the shipped data."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from parkmetrics.analysis import analyse_root

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "fixtures" / "broken"
FROZEN = ROOT / "tests" / "fixtures" / "frozen"


def copy_data(dest: Path, src: Path = FROZEN) -> Path:
    """A copy of a data root (parks.yaml and data/; the frozen fixture root by default) that a test may edit."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(src / "parks.yaml", dest / "parks.yaml")
    shutil.copytree(src / "data", dest / "data")
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "root")


@pytest.fixture(scope="session")
def frozen():
    """The frozen fixture root, loaded and analysed."""
    return analyse_root(FROZEN)


# --- a real Streamlit server and Debian's chromium, for the browser tests -----------------------------------

from server import CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def server():
    srv = Server(FROZEN, warm=True)
    yield srv
    srv.stop()


@pytest.fixture(params=["streamlit run", "parkmetrics serve"])
def fresh_server(request):
    """A server nobody has requested anything from yet (the deep-link-first case), started both ways."""
    srv = Server(FROZEN, warm=request.param == "parkmetrics serve")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's chromium; playwright's own browser download cannot run here.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1500, "height": 1100}, "locale": "zh-CN"}
