"""Which data version a page is served: the analysis of each version of the data folder's files, built once on a
thread of its own; the last valid one kept and served while a broken edit is being fixed, or while a slow build
(national scale) is still under way. No Streamlit here: the pages ask `current_analysis` through `ui.page_setup`,
the CLI's `serve` warms it, tests drive it directly."""
from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import Analysis, analyse, analyse_root
from .loader import FATAL_CODES, Dataset, fingerprint, load_dataset
from .problems import Problem

def get_logger(name: str) -> logging.Logger:
    """Streamlit's own log format and level (server stderr) for the server's modules; plain logging outside it."""
    try:
        from streamlit.logger import get_logger as streamlit_logger
        return streamlit_logger(name)
    except Exception:  # pragma: no cover
        return logging.getLogger(name)


log = get_logger("parkmetrics.serving")


def data_root() -> Path:
    """The data folder: $PARKMETRICS_ROOT, else the working directory (where `streamlit run app.py` starts)."""
    return Path(os.environ.get("PARKMETRICS_ROOT") or os.getcwd()).resolve()


# The analysis of each data version (the files' fingerprint) per data folder, each built once on a thread of its
# own. Where a build takes long (the folder's last one took over SLOW_BUILD_S: tens of seconds at 3,000 parks), a
# rerun that finds the files changed waits PATIENCE_S for the new version, then serves the last valid one with a
# notice, so that no viewer waits for an edit. Small data is simply waited for: the edit shows on the next rerun.
SLOW_BUILD_S = 5.0
PATIENCE_S = 1.0
_BUILDS: dict[tuple[str, str], Future] = {}     # (folder, version) → its build: the newest per folder
_BUILDS_KEPT = 8                                # folders
_BUILD_SECONDS: dict[str, float] = {}           # folder → how long its last build took
_BUILDS_LOCK = threading.Lock()


def _build(root: str, version: str) -> Future:
    """The build of one data version, started on first request (later requests share it)."""
    with _BUILDS_LOCK:
        future = _BUILDS.get((root, version))
        if future is None:
            # a folder's older versions go (the last valid one stays in _LAST_GOOD): at 3,000 parks each is ~1 GB
            for old in [k for k in _BUILDS if k[0] == root] + list(_BUILDS)[:-_BUILDS_KEPT]:
                _BUILDS.pop(old, None)
            future = _BUILDS[(root, version)] = Future()

            def run() -> None:
                started = time.perf_counter()
                try:
                    future.set_result(analyse_root(root, _LAST_GOOD.get(root)))
                except BaseException as exc:  # noqa: BLE001 — handed to whoever asks for the result
                    future.set_exception(exc)
                _BUILD_SECONDS[root] = time.perf_counter() - started
            # a daemon thread: a build under way never holds up the server's shutdown
            threading.Thread(target=run, name="parkmetrics-build", daemon=True).start()
        return future


def _forget_build(root: str, version: str) -> None:
    """A failed build is not kept: the next rerun tries again (the fix may be one save away)."""
    with _BUILDS_LOCK:
        _BUILDS.pop((root, version), None)


def forget_data() -> None:
    """Forget every built analysis and the last valid data (a server that has seen nothing yet; for tests)."""
    with _BUILDS_LOCK:
        _BUILDS.clear()
    _BUILD_SECONDS.clear()
    _LAST_GOOD.clear()


def warm(root: Path) -> None:
    """Load the data into the cache the sessions use, and start the report exporter (kaleido's browser), before
    the first visitor (`parkmetrics serve`): the first briefing or chart export on a served app is warm."""
    _build(str(root), fingerprint(root)).result()
    try:
        from . import reports
        reports.warm()
    except Exception:  # exports then start cold on first use; the dashboard itself never depends on them
        log.exception("warming the report exporter failed")


# The last analysis whose files could all be read, per data folder: served while a broken edit is being fixed.
_LAST_GOOD: dict[str, Analysis] = {}


def root_causes(ds: Dataset) -> list[Problem]:
    """The file-level problems that made data missing, the root cause first (not the follow-on errors of every
    row that cites what the broken file would have defined). Uses Dataset.root_causes() once the loader has it."""
    method = getattr(ds, "root_causes", None)
    if callable(method):
        return list(method())
    return [p for p in ds.problems if p.code in FATAL_CODES]


@dataclass
class Served:
    """What a page shows: an analysis (None only if even an empty one could not be built), the problems to
    show above the page, and how it relates to the files."""
    analysis: Analysis | None
    problems: list[Problem] = field(default_factory=list)
    stale: bool = False        # the newest edit broke a file: the last valid data is shown
    updating: bool = False     # the files changed and their new version is still being built: the last is shown
    unusable: bool = False     # cold and broken (or empty): there is no valid data to show
    failed: str | None = None  # an internal error while loading (logged with this reference)


def _fallback(root: Path, ref: str) -> Served:
    """Computing the metrics failed (a bug, logged): still show what is wrong with the files, if anything, and
    serve the last valid data when there is some; otherwise pages end with a notice after their title."""
    try:
        ds = load_dataset(root)
        problems = root_causes(ds) or ds.errors
    except Exception:
        log.exception("loading the data in %s failed [ref %s]", root, ref)
        ds, problems = Dataset(root=root), []
    last = _LAST_GOOD.get(str(root))
    if last is not None:
        return Served(last, problems, stale=True, failed=ref)
    try:
        analysis = analyse(ds)
    except Exception:
        analysis = None
    return Served(analysis, problems, unusable=True, failed=ref)


def current_analysis(root: Path) -> Served:
    """The analysis to serve. Never raises: a broken file keeps the last valid data when this server has seen
    any, otherwise the (partial) fresh data is served and flagged unusable, with the file-level problems. While
    an edit is being built (longer than PATIENCE_S), the last valid data is served, flagged updating."""
    key, version, build = str(root), None, None
    last = _LAST_GOOD.get(key)
    try:
        # a save a crash interrupted is completed (or its temporaries dropped) before anything is read: a viewer
        # never sees a source without its rows (one stat when there is no journal)
        from .write import recover_if_journaled
        recover_if_journaled(root)
        version = fingerprint(root)
        build = _build(key, version)
        slow = last is not None and _BUILD_SECONDS.get(key, 0.0) > SLOW_BUILD_S
        fresh = build.result(timeout=PATIENCE_S if slow else None)
    except Exception as exc:
        if isinstance(exc, TimeoutError) and not build.done():   # only when slow: there is a last version
            return Served(last, updating=True)
        ref = new_ref()
        log.exception("analysing the data in %s failed [ref %s]", root, ref)
        _forget_build(key, version)
        return _fallback(root, ref)
    ds = fresh.dataset
    if ds.fatal:
        causes = root_causes(ds) or ds.errors
        if last is not None:
            return Served(last, causes, stale=True)
        return Served(fresh, causes, unusable=True)
    _LAST_GOOD[key] = fresh
    if not ds.parks or ds.observations.empty:
        return Served(fresh, ds.errors, unusable=True)
    return Served(fresh)


def new_ref() -> str:
    """A short reference for a logged failure, shown to the viewer so the log entry can be found."""
    return uuid.uuid4().hex[:8]
