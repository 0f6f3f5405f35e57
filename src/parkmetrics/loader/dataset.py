"""The dataset as loaded: its parks, sources, catalogue, observations, tasks, quarantine and problems, the files' names
and their fingerprint (which data version this is)."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..model import OBSERVATION_COLUMNS, TASK_COLUMNS, Indicator, Park, Source
from ..problems import CODES, Problem


PARKS_FILE = "parks.yaml"
INDICATORS_FILE = "data/indicators.yaml"
OBSERVATIONS_DIR = "data/observations"
TASKS_FILE = "data/tasks.csv"
RAW_CHARS = 1_000  # a quarantined row's raw text is kept up to this length

KEY_COLUMNS = ["park_id", "scope", "indicator_id", "year", "period", "kind", "target_level", "basis"]
# Codes whose error keeps a whole file's content out: the app then serves the last valid data.
FATAL_CODES = {code for code, c in CODES.items() if c.severity == "error" and c.blocks == "file"}
QUARANTINE_COLUMNS = ["file", "line", "codes", "raw"]


@dataclass
class Dataset:
    root: Path
    parks: dict[str, Park] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    observations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OBSERVATION_COLUMNS))
    quarantine: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=QUARANTINE_COLUMNS))
    tasks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TASK_COLUMNS))
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    # (section, id) → location of a YAML record that was blocked by an error: rows citing it name it as the cause.
    blocked: dict[tuple[str, str], str] = field(default_factory=dict)
    # What the observations were validated against and read from: parks.yaml's and the catalogue's (size, mtime,
    # inode), and each observation file's. Two datasets with the same context differ only in the files whose
    # stats differ (analysis.analyse recomputes the parks those files touch). None: not comparable.
    context: tuple | None = None
    file_stats: dict[str, tuple | None] = field(default_factory=dict)

    def unknown(self, section: str, rid: str) -> str:
        """The detail of an unknown-park/-indicator/-source problem: the blocked record it means, if any."""
        where = self.blocked.get((section, rid))
        return f"its record at {where} has an error" if where else ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def rows_accounted(self) -> int:
        """Every data row read is loaded (an observation or a task) or quarantined: this equals rows_read."""
        return len(self.observations) + len(self.tasks) + len(self.quarantine)

    @property
    def fatal(self) -> bool:
        """A whole file could not be used: what it holds is missing, not merely a few rows."""
        return any(p.blocks_file for p in self.problems)

    def root_causes(self) -> list[Problem]:
        """The problems that keep a whole file out, in load order: the cause of everything that depends on them."""
        return [p for p in self.problems if p.blocks_file]

    def unusable_files(self) -> set[str]:
        return {p.file for p in self.root_causes()}

    def sorted_problems(self) -> list[Problem]:
        """Root causes first, then by file and line: what an editor should fix first is on top."""
        return sorted(self.problems, key=lambda p: (not p.blocks_file, p.file, p.line or 0, p.code))


def fingerprint(root: Path) -> str:
    """Changes whenever any data file is added, removed or edited (size or mtime). Asked on every rerun, so it
    reads the observations folder with one scandir (3,000 files: 25 ms instead of 65 ms with glob and stat)."""
    root = Path(root)
    h = hashlib.sha1()

    def add(name: str, stat) -> None:
        try:
            st = stat()
            h.update(f"{name}:{st.st_size}:{st.st_mtime_ns};".encode())
        except OSError:
            h.update(f"{name}:-;".encode())
    for name in (PARKS_FILE, INDICATORS_FILE, TASKS_FILE):
        add(name, (root / name).stat)
    try:
        with os.scandir(root / OBSERVATIONS_DIR) as found:
            entries = sorted((e for e in found if e.name.endswith(".csv")), key=lambda e: e.name)
    except OSError:
        entries = []
    for entry in entries:
        add(entry.name, entry.stat)
    return h.hexdigest()


def _quarantine_record(rel: str, line: int, codes: str, raw: str) -> dict:
    return {"file": rel, "line": line, "codes": codes, "raw": raw[:RAW_CHARS]}
