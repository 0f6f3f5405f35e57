"""data/tasks.csv: the qualitative tasks (完成…建设) with their source and due date."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..model import TASK_COLUMNS
from ..problems import Problem
from .controls import _control_row, shown_controls
from .dataset import PARKS_FILE, QUARANTINE_COLUMNS, TASKS_FILE, Dataset, _quarantine_record
from .rows import _blocking_cause, _read_rows, _set_aside


def load_tasks(root: Path, ds: Dataset) -> None:
    if not (root / TASKS_FILE).exists() and not (root / TASKS_FILE).is_symlink():
        return  # key tasks are optional
    read = _read_rows(root, TASKS_FILE, ds)
    if read is None:
        return
    header, data_rows, quarantined = read
    rows: list[dict] = []
    cause = _blocking_cause(ds, (PARKS_FILE,))
    if cause is not None:
        quarantined += _set_aside(TASKS_FILE, data_rows, cause, ds)
        data_rows = []
    missing = [c for c in ("park_id", "task_zh", "source", "quote") if c not in header]
    for col in missing:
        ds.problems.append(Problem.of("missing-csv-column", TASKS_FILE, 1, field=col))
    for line, cells in data_rows:
        rec = dict(zip(header, cells))
        p: list[Problem] = []
        if missing:
            quarantined.append(_quarantine_record(TASKS_FILE, line, "missing-csv-column", ",".join(cells)))
            continue
        if len(cells) != len(header):
            p.append(Problem.of("ragged-row", TASKS_FILE, line))
        if rec.get("park_id", "").strip() not in ds.parks:
            p.append(Problem.of("unknown-park", TASKS_FILE, line, field="park_id", value=rec.get("park_id"),
                                detail=ds.unknown("parks", rec.get("park_id", "").strip())))
        if rec.get("source", "").strip() not in ds.sources:
            p.append(Problem.of("unknown-source", TASKS_FILE, line, field="source", value=rec.get("source"),
                                detail=ds.unknown("sources", rec.get("source", "").strip())))
        if not rec.get("quote", "").strip():
            p.append(Problem.of("missing-quote", TASKS_FILE, line, field="quote"))
        p += _control_row(header, cells, TASKS_FILE, line)
        ds.problems += p
        if p:
            quarantined.append(_quarantine_record(TASKS_FILE, line, " ".join(sorted({x.code for x in p})),
                                                  shown_controls(",".join(cells))))
        else:
            rows.append({c: rec.get(c, "").strip() for c in TASK_COLUMNS} | {"line": line})
    ds.tasks = pd.DataFrame(rows, columns=TASK_COLUMNS + ["line"])
    if quarantined:
        ds.quarantine = pd.concat([ds.quarantine, pd.DataFrame(quarantined, columns=QUARANTINE_COLUMNS)],
                                  ignore_index=True)
