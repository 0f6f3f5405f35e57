"""Load and validate parks.yaml, data/indicators.yaml, data/observations/*.csv and data/tasks.csv.

Every problem is collected (never stop at the first), typed and located. A record or row with an error is
quarantined and reported; the valid rest loads. Nothing is silently dropped: len(observations) + len(tasks) +
len(quarantine) always equals the number of data rows read. A file that cannot be used as a whole is the root
cause of the problems of every row that depends on it: those rows are set aside with one problem per file that
names it, not one per row. Reading files (links, sizes, encodings, CSV quoting) is read.py's job; YAML is
yamlfile.py's.
"""
from __future__ import annotations

from pathlib import Path

from .catalogue import _parks_from_text, load_indicators, load_parks
from .controls import CONTROL_CHARS, _control_row, control_problem, shown_controls
from .dataset import (FATAL_CODES, INDICATORS_FILE, KEY_COLUMNS, OBSERVATIONS_DIR, PARKS_FILE, QUARANTINE_COLUMNS,
                      RAW_CHARS, TASKS_FILE, Dataset, _quarantine_record, fingerprint)
from .observations import _canonical, clear_cache, load_observations
from .rows import (_DTYPES, CATEGORY_COLUMNS, OUTPUT_COLUMNS, _as_built, _categorised, _concat, _duplicates,
                   _header_problems)
from .tasks import load_tasks

# the layout: dataset (what is loaded, its fingerprint) · controls (text reports cannot carry) · catalogue
# (parks.yaml and indicators.yaml records) · rows (a CSV's rows, the observation frame's shape) · observations
# (set-wise validation by validate.RULES, per-file cache) · tasks. Other modules use the names below.
__all__ = ["CATEGORY_COLUMNS", "CONTROL_CHARS", "FATAL_CODES", "INDICATORS_FILE", "KEY_COLUMNS", "OBSERVATIONS_DIR",
           "OUTPUT_COLUMNS", "PARKS_FILE", "QUARANTINE_COLUMNS", "RAW_CHARS", "TASKS_FILE", "Dataset", "clear_cache",
           "control_problem", "fingerprint", "load_dataset", "load_indicators", "load_observations", "load_parks",
           "load_tasks", "shown_controls", "_DTYPES", "_as_built", "_canonical", "_categorised", "_concat", "_control_row",
           "_duplicates", "_header_problems", "_parks_from_text", "_quarantine_record"]


def load_dataset(root: str | Path = ".") -> Dataset:
    """Load everything under `root`, collecting every problem. Never raises on bad data."""
    root = Path(root)
    ds = Dataset(root=root)
    load_parks(root, ds)
    load_indicators(root, ds)
    load_observations(root, ds)
    load_tasks(root, ds)
    return ds
