"""Load and validate parks.yaml, data/indicators.yaml, data/observations/*.csv and data/tasks.csv.

Every problem is collected (never stop at the first), typed and located. A record or row with an error is
quarantined and reported; the valid rest loads. Nothing is silently dropped: len(observations) + len(tasks) +
len(quarantine) always equals the number of data rows read. A file that cannot be used as a whole is the root
cause of the problems of every row that depends on it: those rows are set aside with one problem per file that
names it, not one per row. Reading files (links, sizes, encodings, CSV quoting) is read.py's job; YAML is
yamlfile.py's.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from pydantic import BaseModel, ValidationError

from .model import OBSERVATION_COLUMNS, REQUIRED_COLUMNS, TASK_COLUMNS, Indicator, Park, Source
from .problems import CODES, Problem
from . import validate
from .read import list_files, read_csv, read_data, read_text, simple_csv
from .units import UNITS, family
from .yamlfile import LineDict, has_duplicate_keys, line_of, read_yaml

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


# --- control characters: text that the reports cannot carry --------------------------------------------------
# The C0 controls other than tab, line feed and carriage return: XML 1.0 has no place for them, so the Word
# briefing, the slides and the chart images refuse a text holding one ("All strings must be XML compatible",
# plotly.js error 525). pdftotext writes \f between pages; Word ends a table cell with \x07. The import page
# cleans them (importing.clean_text); anywhere else they are a located error and the row or record is set aside.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_BYTES = bytes(c for c in range(32) if c not in (9, 10, 13))


def shown_controls(text: str) -> str:
    """`text` with each control character drawn as its Unicode control picture (\f → ␌), safe to show anywhere."""
    return CONTROL_CHARS.sub(lambda m: chr(0x2400 + ord(m.group())), text)


def control_problem(rel: str, line: int | None, fld: str | None, text: str) -> Problem | None:
    """A control-character problem for `text` (the first control character named by its code point), or None."""
    m = CONTROL_CHARS.search(text)
    if m is None:
        return None
    return Problem.of("control-character", rel, line, field=fld, value=shown_controls(text),
                      detail=f"U+{ord(m.group()):04X} at character {m.start() + 1}")


def _control_row(header: list[str], cells: list[str], rel: str, line: int) -> list[Problem]:
    """One control-character problem per cell of a CSV row that holds one."""
    out = []
    for i, cell in enumerate(cells):
        p = control_problem(rel, line, header[i] if i < len(header) else None, cell)
        if p is not None:
            out.append(p)
    return out


def _control_record(item: object, section: str, i: int, data: LineDict, rel: str) -> list[Problem]:
    """One control-character problem per text of a YAML record (a field, or an item of a list field) that holds one."""
    if not isinstance(item, dict):
        return []
    out = []
    for key, value in item.items():
        texts = [((key,), value)] if not isinstance(value, list) else [((key, j), v) for j, v in enumerate(value)]
        for loc, text in texts:
            if isinstance(text, str):
                p = control_problem(rel, line_of(data, (section, i, *loc)), ".".join(map(str, loc)), text)
                if p is not None:
                    out.append(p)
    return out


# --- YAML records -------------------------------------------------------------------------------------------

_PYDANTIC_CODES = {"missing": "missing-field", "extra_forbidden": "unknown-field", "literal_error": "invalid-choice",
                   "enum": "invalid-choice"}


def _usable(data: object, sections: tuple[str, ...], rel: str, problems: list[Problem]) -> bool:
    """Can the file's records be read? Not when it is unreadable, of the wrong shape, or repeats a section:
    then nothing in it is trusted (a file-level problem blocks the file), and nothing is half-loaded."""
    if data is None:
        return False
    _sections(data, sections, rel, problems)
    return not any(p.file == rel and p.blocks_file for p in problems)


def _sections(data: object, sections: tuple[str, ...], rel: str, problems: list[Problem]) -> None:
    """Check the file's shape: a mapping of the sections, each a list of records (else a file-level problem)."""
    if not isinstance(data, LineDict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        problems.append(Problem.of("wrong-shape", rel, getattr(data, "line", 1) or 1,
                                   detail=f"the top level is {kind}; expected {', '.join(s + ':' for s in sections)}"))
        return
    for key in data:
        if key not in sections:
            problems.append(Problem.of("unknown-field", rel, data.key_lines.get(key), field=str(key),
                                       detail=f"allowed at the top level: {', '.join(sections)}"))
    for section in sections:
        if section not in data:
            problems.append(Problem.of("wrong-shape", rel, 1, field=section, detail=f"no `{section}:` section"))
        elif not isinstance(data[section], list):
            problems.append(Problem.of("wrong-shape", rel, line_of(data, (section,)), field=section,
                                       detail=f"`{section}:` must be a list of records, each starting with '- '"))


def _validate_records(data: LineDict, section: str, model: type[BaseModel], rel: str, ds: Dataset
                      ) -> list[tuple[BaseModel, int]]:
    """Validate each record on its own, so one bad record never hides the others. Returns (record, line);
    a blocked record's id is remembered in ds.blocked."""
    out: list[tuple[BaseModel, int]] = []
    seen: dict[str, int] = {}
    problems = ds.problems
    for i, item in enumerate(data[section]):
        line = line_of(data, (section, i))
        if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"] not in seen:
            ds.blocked[(section, item["id"])] = f"{rel}:{line}"  # until the record turns out valid, below
        controls = _control_record(item, section, i, data, rel)
        try:
            record = model.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                loc = (section, i, *err["loc"])
                fld = ".".join(str(p) for p in err["loc"]) or None
                value = err.get("input") if err["type"] != "missing" else None
                if isinstance(value, (dict, list)):
                    value = None
                problems.append(Problem.of(_PYDANTIC_CODES.get(err["type"], "wrong-type"), rel, line_of(data, loc),
                                           field=fld, value=value, detail=err["msg"]))
            problems += controls
            continue
        if controls:
            problems += controls
            continue
        if has_duplicate_keys(item):
            continue  # reported as duplicate-key; YAML kept only one of the values, so the record is not trusted
        if record.id in seen:
            problems.append(Problem.of("duplicate-id", rel, line, field="id", value=record.id,
                                       detail=f"first at line {seen[record.id]}"))
            continue
        seen[record.id] = line
        ds.blocked.pop((section, record.id), None)
        out.append((record, line))
    return out


def _record_line(data: LineDict, section: str, index_line: int, fld: str) -> int:
    """The line of `fld` in the record that starts at `index_line`."""
    for i, item in enumerate(data[section]):
        if line_of(data, (section, i)) == index_line:
            return line_of(data, (section, i, fld)) or index_line
    return index_line


# What the last few YAML texts gave (records, problems, blocked ids): parks.yaml at 3,000 parks takes 2.5 s to parse
# and validate, and an edit to one CSV should not do it again. Keyed on the text itself, so any edit is read anew.
_TEXT_CACHE: dict[tuple[str, str], Dataset] = {}
_TEXT_KEPT = 4


def _from_text(root: Path, rel: str, ds: Dataset, fill) -> None:
    """Read `rel` and merge into `ds` what `fill(text, part)` puts into a fresh Dataset `part`, which depends on
    the text alone; the outcome is kept for the same text (nothing mutates it: the loader only reads records)."""
    text = read_text(root, rel, ds.problems)
    if text is None:
        return
    with _CACHE_LOCK:
        part = _TEXT_CACHE.get((rel, text))
    if part is None:
        part = Dataset(root=root)
        fill(text, part)
        with _CACHE_LOCK:
            _TEXT_CACHE[(rel, text)] = part
            while len(_TEXT_CACHE) > _TEXT_KEPT:
                _TEXT_CACHE.pop(next(iter(_TEXT_CACHE)))
    ds.parks.update(part.parks)
    ds.sources.update(part.sources)
    ds.indicators.update(part.indicators)
    ds.problems += part.problems
    ds.blocked.update(part.blocked)


def load_parks(root: Path, ds: Dataset) -> None:
    _from_text(root, PARKS_FILE, ds, _parks_from_text)


def _parks_from_text(text: str, ds: Dataset) -> None:
    data, problems = read_yaml(text, PARKS_FILE)
    ds.problems += problems
    if not _usable(data, ("parks", "sources"), PARKS_FILE, ds.problems):
        return
    ds.parks = {p.id: p for p, _ in _validate_records(data, "parks", Park, PARKS_FILE, ds)}
    for src, line in _validate_records(data, "sources", Source, PARKS_FILE, ds):
        if src.park not in ds.parks:
            ds.problems.append(Problem.of("unknown-park", PARKS_FILE, _record_line(data, "sources", line, "park"),
                                          field="park", value=src.park, detail=ds.unknown("parks", src.park)))
            ds.blocked[("sources", src.id)] = f"{PARKS_FILE}:{line}"
            continue
        ds.sources[src.id] = src


def load_indicators(root: Path, ds: Dataset) -> None:
    _from_text(root, INDICATORS_FILE, ds, _indicators_from_text)


def _indicators_from_text(text: str, ds: Dataset) -> None:
    data, problems = read_yaml(text, INDICATORS_FILE)
    ds.problems += problems
    if not _usable(data, ("indicators",), INDICATORS_FILE, ds.problems):
        return
    records = _validate_records(data, "indicators", Indicator, INDICATORS_FILE, ds)
    ids = {ind.id for ind, _ in records}
    for ind, line in records:
        p: list[Problem] = []
        for ref_field in ("parent", "subset_of"):
            ref = getattr(ind, ref_field)
            if ref is not None and ref not in ids:
                p.append(Problem.of("unknown-indicator", INDICATORS_FILE,
                                    _record_line(data, "indicators", line, ref_field), field=ref_field, value=ref))
        unit_line = _record_line(data, "indicators", line, "units" if ind.units else "unit")
        unknown = [u for u in ind.allowed_units() if u not in UNITS]
        for unit in unknown:
            p.append(Problem.of("unit-not-allowed", INDICATORS_FILE, unit_line, field="unit", value=unit,
                                detail="not a known unit (units.py)"))
        if not unknown and len({family(u) for u in ind.allowed_units()}) > 1:
            p.append(Problem.of("unit-family-mixed", INDICATORS_FILE, unit_line, field="units",
                                value=", ".join(ind.allowed_units())))
        ds.problems += p
        if p:
            ds.blocked[("indicators", ind.id)] = f"{INDICATORS_FILE}:{line}"
        else:
            ds.indicators[ind.id] = ind


def _blocking_cause(ds: Dataset, needs: tuple[str, ...]) -> Problem | None:
    """The first root cause among the files these rows need (parks.yaml, the catalogue), if any."""
    return next((p for p in ds.root_causes() if p.file in needs), None)


def _read_rows(root: Path, rel: str, ds: Dataset, path: Path | None = None):
    """Header and rows of one CSV; rows the reader refused go to the quarantine here. None if unreadable."""
    text = read_text(root, rel, ds.problems, path=path)
    if text is None:
        return None
    header, rows, refused = read_csv(text, rel, ds.problems)
    ds.rows_read += len(rows) + len(refused)
    return header, rows, [_quarantine_record(rel, r["line"], r["codes"], r["raw"]) for r in refused]


def _header_problems(header: list[str], rel: str, problems: list[Problem]) -> list[str]:
    """Report the required columns an observation CSV's header lacks and the columns it should not have;
    returns the missing ones (a file missing any has all its rows quarantined)."""
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    problems += [Problem.of("missing-csv-column", rel, 1, field=col) for col in missing]
    problems += [Problem.of("unknown-csv-column", rel, 1, field=col) for col in header if col not in OBSERVATION_COLUMNS]
    return missing


def _set_aside(rel: str, rows: list[tuple[int, list[str]]], cause: Problem, ds: Dataset) -> list[dict]:
    """Rows that depend on an unusable file: one problem naming the cause, every row quarantined (not lost)."""
    if rows:
        ds.problems.append(Problem.of("blocked-by-file", rel, rows[0][0], value=f"{len(rows)} rows",
                                      detail=f"{cause.location()} {cause.code}"))
    return [_quarantine_record(rel, line, "blocked-by-file", ",".join(cells)) for line, cells in rows]


# --- the observations, set-wise --------------------------------------------------------------------------

OUTPUT_COLUMNS = OBSERVATION_COLUMNS + ["value_std", "unit_std", "file", "line"]
_DTYPES = {"year": "int64", "baseline_year": "Int64", "value": "float64", "value_std": "float64",
           "estimate": "bool", "approximate": "bool", "line": "int64"}


@dataclass
class _FileEntry:
    """What one observation file gave, before duplicates across files are looked for."""
    stat: tuple | None
    start: int = 0          # its candidate rows in the cached frame: [start, stop)
    stop: int = 0
    pre: list = field(default_factory=list)        # read and header problems
    rows: list = field(default_factory=list)       # (line, order, Problem) of its rows, in order
    refused: list = field(default_factory=list)    # quarantine records of rows the reader refused
    held: list = field(default_factory=list)       # (line, quarantine record) of rows with errors
    rows_read: int = 0


@dataclass
class _Cached:
    context: tuple
    frame: pd.DataFrame
    files: dict


# Per data root: the validated rows of every observation file, keyed by each file's (size, mtime), valid while
# parks.yaml and the catalogue are unchanged. An edit to one CSV re-validates that file only.
_CACHE: dict[str, _Cached] = {}
_CACHE_ROOTS = 4
_CACHE_LOCK = threading.Lock()


def _stat(path: Path) -> tuple | None:
    try:
        st = path.stat()
        return st.st_size, st.st_mtime_ns, st.st_ino
    except OSError:
        return None


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()
        _TEXT_CACHE.clear()


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame([], columns=OUTPUT_COLUMNS).astype(_DTYPES)


def _canonical(columns: list[pa.Array], header: list[str], n: int) -> dict[str, pa.Array]:
    """The observation columns from a file's columns: rec.get(name, "") of dict(zip(header, cells))."""
    where = {name: i for i, name in enumerate(header)}  # a repeated name: the last one wins, as in dict(zip())
    empty = None
    out = {}
    for name in OBSERVATION_COLUMNS:
        if name in where:
            out[name] = columns[where[name]]
        else:
            if empty is None:
                empty = pa.array(np.full(n, "", dtype=object), pa.string())
            out[name] = empty
    return out


def _parse_simple(bodies: list[bytes], width: int) -> list[pa.Array]:
    names = [f"c{i}" for i in range(width)]
    table = pacsv.read_csv(
        io.BytesIO(b"".join(bodies)),
        read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(quote_char=False, double_quote=False, escape_char=False,
                                         newlines_in_values=False, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in names}, strings_can_be_null=False,
                                             quoted_strings_can_be_null=False, check_utf8=False))
    return [table.column(c).combine_chunks() for c in names]


BATCH_BYTES = 16 * 2 ** 20  # files are read and validated together up to this many bytes: bounds the peak memory


def _validate_files(root: Path, todo: list[tuple[Path, str]], ds: Dataset, stats: dict
                    ) -> tuple[pd.DataFrame, dict[str, _FileEntry]]:
    """Read and validate these files, in batches of about BATCH_BYTES; returns their candidate rows (in file and
    line order) and what each file gave."""
    entries: dict[str, _FileEntry] = {}
    tables: list[pa.Table] = []
    batch: list[tuple[Path, str]] = []
    size = offset = 0

    def flush():
        nonlocal offset
        table = _validate_batch(root, batch, ds, stats, entries)
        for _, rel in batch:
            entries[rel].start += offset
            entries[rel].stop += offset
        offset += table.num_rows
        tables.append(table)
        batch.clear()
    for path, rel in todo:
        batch.append((path, rel))
        try:
            size += path.stat().st_size
        except OSError:
            pass
        if size >= BATCH_BYTES:
            flush()
            size = 0
    if batch:
        flush()
    tables = [t for t in tables if t.num_rows] or tables[:1]
    if not tables or not tables[0].num_rows:
        return _empty_frame(), entries
    return _categorised(pa.concat_tables(tables).to_pandas().astype(_DTYPES)), entries


def _validate_batch(root: Path, todo: list[tuple[Path, str]], ds: Dataset, stats: dict,
                    entries: dict[str, _FileEntry]) -> pa.Table:
    """Read and validate these files together: their candidate rows (in file and line order) as an Arrow table;
    what each file gave goes into `entries` (row ranges relative to the table)."""
    parts: list[tuple[dict, np.ndarray, np.ndarray, object]] = []  # (cells, file index, line, raw source)
    simple_groups: dict[tuple, list] = {}
    for fi, (path, rel) in enumerate(todo):
        e = entries[rel] = _FileEntry(stat=stats.get(rel))
        got = read_data(root, rel, e.pre, path=path)
        if got is None:
            continue
        text, data = got
        simple = simple_csv(data) if len(data.translate(None, _CONTROL_BYTES)) == len(data) else None
        if simple is not None:
            header, body, nrows = simple
            rows = None
        else:
            header, rows, refused = read_csv(text, rel, e.pre)
            e.refused = [_quarantine_record(rel, r["line"], r["codes"], r["raw"]) for r in refused]
            nrows = len(rows)
        e.rows_read = nrows + len(e.refused)
        missing = _header_problems(header, rel, e.pre)
        if missing:
            lines = (enumerate(body.decode("utf-8").split("\n")[:-1], start=2) if rows is None
                     else ((line, ",".join(cells)) for line, cells in rows))
            e.held = [(line, _quarantine_record(rel, line, "missing-csv-column", raw)) for line, raw in lines]
            continue
        if rows is None:
            if nrows:
                simple_groups.setdefault(tuple(header), []).append((fi, body, nrows))
            continue
        good = []
        for line, cells in rows:
            if len(cells) != len(header):
                problem = Problem.of("ragged-row", rel, line, detail=f"{len(cells)} cells, header has {len(header)}")
                e.rows.append((line, -1, problem))
                e.held.append((line, _quarantine_record(rel, line, problem.code, ",".join(cells))))
            elif controls := _control_row(header, cells, rel, line):
                e.rows += [(line, -1, p) for p in controls]
                e.held.append((line, _quarantine_record(rel, line, "control-character",
                                                        shown_controls(",".join(cells)))))
            else:
                good.append((line, cells))
        if good:
            columns = [pa.array([cells[i] for _, cells in good], pa.string()) for i in range(len(header))]
            parts.append((_canonical(columns, header, len(good)), np.full(len(good), fi, dtype=np.int64),
                          np.array([line for line, _ in good], dtype=np.int64),
                          np.array([",".join(c) for _, c in good], dtype=object)))
    for header, group in simple_groups.items():
        columns = _parse_simple([body for _, body, _ in group], len(header))
        counts = [nrows for _, _, nrows in group]
        fidx = np.repeat(np.array([fi for fi, _, _ in group], dtype=np.int64), counts)
        lines = np.concatenate([np.arange(2, nrows + 2, dtype=np.int64) for nrows in counts]) if counts else \
            np.zeros(0, dtype=np.int64)
        parts.append((_canonical(columns, list(header), len(fidx)), fidx, lines, columns))
    names = [rel for _, rel in todo]
    if not parts:
        return pa.table({})
    cells = {c: pa.concat_arrays([p[0][c] for p in parts]) for c in OBSERVATION_COLUMNS}
    file_idx = np.concatenate([p[1] for p in parts])
    line = np.concatenate([p[2] for p in parts])
    part_of = np.repeat(np.arange(len(parts)), [len(p[1]) for p in parts])
    part_start = np.concatenate(([0], np.cumsum([len(p[1]) for p in parts])[:-1]))
    order = np.lexsort((line, file_idx))
    if (np.diff(order) != 1).any():
        take = pa.array(order)
        cells = {c: a.take(take) for c, a in cells.items()}
        file_idx, line, part_of = file_idx[order], line[order], part_of[order]
        src_row = order - part_start[part_of]
    else:
        src_row = np.arange(len(file_idx)) - part_start[part_of]
    result = validate.validate_cells(cells, ds)
    for row, order_, p in result.problems:
        rel = names[file_idx[row]]
        entries[rel].rows.append((int(line[row]), order_, validate.locate(p, rel, int(line[row]))))
    if result.error_codes:
        bad = np.fromiter(result.error_codes, dtype=np.int64, count=len(result.error_codes))
        raws = np.empty(len(bad), dtype=object)
        for k, (cols, *_rest) in enumerate(parts):
            sel = np.flatnonzero(part_of[bad] == k)
            if not len(sel):
                continue
            source = parts[k][3]
            idx = src_row[bad[sel]]
            if isinstance(source, np.ndarray):
                raws[sel] = source[idx]
            else:
                taken = [c.take(pa.array(idx)) for c in source]
                raws[sel] = pc.binary_join_element_wise(*taken, ",").to_pylist()
        for row, raw in zip(bad, raws):
            rel = names[file_idx[row]]
            entries[rel].held.append((int(line[row]), _quarantine_record(rel, int(line[row]),
                                                                          result.error_codes[int(row)], raw)))
    for e in entries.values():
        e.rows.sort(key=lambda x: (x[0], x[1]))
        e.held.sort(key=lambda x: x[0])
    clean_rows = result.clean_rows
    bounds = np.searchsorted(file_idx[clean_rows], np.arange(len(todo) + 1))
    for fi, (_, rel) in enumerate(todo):
        entries[rel].start, entries[rel].stop = int(bounds[fi]), int(bounds[fi + 1])
    table = result.clean.append_column("file", validate.spread(names, file_idx[clean_rows])) \
        .append_column("line", pa.array(line[clean_rows]))
    for c in CATEGORY_COLUMNS:  # encoded per batch, so the batches waiting to be joined hold codes, not text
        i = table.schema.get_field_index(c)
        if i >= 0:
            table = table.set_column(i, c, pc.dictionary_encode(table.column(i)))
    return table


_TEXT_COLUMNS = [c for c in OUTPUT_COLUMNS if c not in _DTYPES]
# Text that repeats (ids, codes, units, file names) is kept as categories: at national scale Arrow text cost
# ~15 bytes a cell in each of these columns, categories one or two. Categories are in lexical order, so sorting
# on them is unchanged; quotes and notes stay text.
CATEGORY_COLUMNS = ["park_id", "scope", "indicator_id", "kind", "target_level", "unit", "comparator", "basis",
                    "source", "unit_std", "file", "period"]


def _categorised(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    fixes = {}
    for c in CATEGORY_COLUMNS:
        col = frame.get(c)
        if col is None or not col.notna().any():
            continue
        if not isinstance(col.dtype, pd.CategoricalDtype):
            fixes[c] = col.astype("category")
        elif list(col.cat.categories) != sorted(col.cat.categories):
            fixes[c] = col.cat.reorder_categories(sorted(col.cat.categories))
    return frame.assign(**fixes) if fixes else frame


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """pd.concat that keeps category columns categories: their categories are united first (pandas would turn
    pieces with different categories into text, row by row, and the categories would have to be found again)."""
    parts = [f for f in frames if len(f)] or frames[:1]
    cats = [c for c in CATEGORY_COLUMNS if c in parts[0]
            and all(isinstance(f[c].dtype, pd.CategoricalDtype) for f in parts)]
    out = pd.concat([f.drop(columns=cats) for f in parts], ignore_index=True)
    united = {c: pd.Series(union_categoricals(_same_category_dtype([f[c] for f in parts]), sort_categories=True),
                           index=out.index) for c in cats}
    return out.assign(**united)[list(parts[0].columns)]


def _same_category_dtype(cols: list[pd.Series]) -> list[pd.Series]:
    """Category columns whose categories share one dtype: a piece with no value at all (a 工作总结's target_level:
    every row an actual) has empty categories of object dtype, which union_categoricals refuses beside text."""
    kinds = [c.cat.categories.dtype for c in cols if len(c.cat.categories)]
    if not kinds:
        return cols
    return [c.cat.set_categories(pd.Index([], dtype=kinds[0])) if not len(c.cat.categories) and
            c.cat.categories.dtype != kinds[0] else c for c in cols]


def _as_built(frame: pd.DataFrame) -> pd.DataFrame:
    """The dtypes a frame built from the rows' dicts has: a text column with no value at all is an object column
    of None (pandas infers no text type from it), any other text column is str."""
    fixes = {}
    if frame.empty:
        return frame
    for c in _TEXT_COLUMNS:
        col = frame[c]
        if len(col) and col.isna().all():
            if col.dtype != object:
                fixes[c] = pd.Series([None] * len(col), index=frame.index, dtype=object)
        elif col.dtype == object:
            fixes[c] = col.astype("str")
        elif isinstance(col.dtype, pd.CategoricalDtype):  # a category whose rows were set aside is not shown
            codes = col.cat.codes.to_numpy()
            if not (np.bincount(codes[codes >= 0], minlength=len(col.cat.categories)) > 0).all():  # (quicker)
                fixes[c] = col.cat.remove_unused_categories()
    return frame.assign(**fixes) if fixes else frame


def _duplicates(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose key repeats an earlier row's (file, then line order), and the position of that first row."""
    n = len(frame)
    if n == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64)
    key = np.zeros(n, dtype=np.int64)
    radix = 1
    for c in KEY_COLUMNS:
        codes, uniques = pd.factorize(frame[c], use_na_sentinel=False)
        radix *= len(uniques) + 1
        if radix > 2 ** 62:  # too many combinations for one integer: let pandas number the key's groups
            key = frame.groupby(KEY_COLUMNS, sort=False, dropna=False).ngroup().to_numpy().astype(np.int64)
            break
        key = key * (len(uniques) + 1) + codes
    # A stable sort puts each key's rows together in their order: all but the first of a run repeat it. (A sort
    # of nearly ordered integers: 40 ms for 4 M rows, where a hash table took 0.5 s.)
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    dup = np.zeros(n, dtype=bool)
    dup[order[~starts]] = True
    first = np.zeros(n, dtype=np.int64)
    if dup.any():
        first[order] = order[np.flatnonzero(starts)][np.cumsum(starts) - 1]
    return dup, first


def _raw_lines(root: Path, rel: str, lines: set[int]) -> dict[int, str]:
    """The raw text of a few rows (quarantined duplicates), read again: ",".join(cells) as the reader gives them."""
    got = read_data(root, rel, [])
    if got is None:
        return {}
    text, data = got
    simple = simple_csv(data)
    if simple is not None:
        out = {}
        for i, raw in enumerate(simple[1].decode("utf-8").split("\n")[:-1], start=2):
            if i in lines:
                out[i] = raw
        return out
    _, rows, _ = read_csv(text, rel, [])
    return {line: ",".join(cells) for line, cells in rows if line in lines}


def _assemble(pieces: list[tuple[pd.DataFrame, int, int]]) -> pd.DataFrame:
    merged: list[list] = []
    for src, a, b in pieces:
        if merged and merged[-1][0] is src and merged[-1][2] == a:
            merged[-1][2] = b
        else:
            merged.append([src, a, b])
    if not merged:
        return _empty_frame()
    if len(merged) == 1 and merged[0][1] == 0 and merged[0][2] == len(merged[0][0]):
        return merged[0][0]
    return _concat([src.iloc[a:b] for src, a, b in merged])


def load_observations(root: Path, ds: Dataset) -> None:
    """Every observation CSV, validated set-wise (validate.py, the rules of cells.py); files
    unchanged since the last load of this root (same size and mtime, same parks.yaml and catalogue) are not
    read again."""
    files = list_files(root, OBSERVATIONS_DIR, "*.csv", ds.problems)
    if not files and OBSERVATIONS_DIR not in ds.unusable_files():
        ds.problems.append(Problem.of("file-missing", f"{OBSERVATIONS_DIR}/*.csv", detail="no observation files"))
    cause = _blocking_cause(ds, (PARKS_FILE, INDICATORS_FILE))
    if cause is not None:
        quarantine: list[dict] = []
        for path, rel in files:
            read = _read_rows(root, rel, ds, path)
            if read is not None:
                quarantine += read[2] + _set_aside(rel, read[1], cause, ds)
        ds.observations = _empty_frame()
        ds.quarantine = pd.concat([ds.quarantine, pd.DataFrame(quarantine, columns=QUARANTINE_COLUMNS)],
                                  ignore_index=True)
        return
    key = str(root.resolve())
    context = (_stat(root / PARKS_FILE), _stat(root / INDICATORS_FILE))
    stats = {rel: _stat(path) for path, rel in files}
    ds.context, ds.file_stats = (context if None not in context else None), stats
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
    if cached is None or cached.context != context or None in context:
        cached = None
    reuse = {rel: cached.files[rel] for _, rel in files
             if cached is not None and rel in cached.files and stats[rel] is not None
             and cached.files[rel].stat == stats[rel]}
    todo = [(path, rel) for path, rel in files if rel not in reuse]
    fresh, entries = _validate_files(root, todo, ds, stats) if todo else (_empty_frame(), {})
    pieces, offset, out = [], 0, {}
    for _, rel in files:
        e = reuse.get(rel) or entries[rel]
        src = cached.frame if rel in reuse else fresh
        n = e.stop - e.start
        if n:
            pieces.append((src, e.start, e.stop))
        out[rel] = dataclasses.replace(e, start=offset, stop=offset + n)
        offset += n
    frame = _assemble(pieces)
    if None not in context:
        with _CACHE_LOCK:
            _CACHE.pop(key, None)
            _CACHE[key] = _Cached(context, frame, {rel: e for rel, e in out.items() if e.stat is not None})
            while len(_CACHE) > _CACHE_ROOTS:
                _CACHE.pop(next(iter(_CACHE)))
    dup, first = _duplicates(frame)
    dup_rows = np.flatnonzero(dup)
    extra: dict[str, list] = {}
    if len(dup_rows):
        files_col, lines_col, ind_col = frame["file"].to_numpy(), frame["line"].to_numpy(), frame["indicator_id"]
        by_file: dict[str, list] = {}
        for r in dup_rows:
            by_file.setdefault(files_col[r], []).append(r)
        for rel, rows in by_file.items():
            raws = _raw_lines(root, rel, {int(lines_col[r]) for r in rows})
            for r in rows:
                line = int(lines_col[r])
                f0 = first[r]
                p = Problem.of("duplicate-observation", rel, line, field="indicator_id", value=ind_col.iat[r],
                               detail=f"first at {files_col[f0]}:{lines_col[f0]}")
                extra.setdefault(rel, []).append((line, p, _quarantine_record(rel, line, p.code, raws.get(line, ""))))
        ds.observations = _as_built(frame[~dup].reset_index(drop=True))
    else:
        ds.observations = _as_built(frame).copy(deep=False)  # the cache keeps its own frame object
    quarantine = []
    for _, rel in files:
        e = out[rel]
        ds.problems += e.pre
        quarantine += e.refused
        dups = extra.get(rel, [])
        if not dups:
            ds.problems += [p for _, _, p in e.rows]
            quarantine += [q for _, q in e.held]
        else:
            rows = sorted([(line, order, p) for line, order, p in e.rows] + [(line, 10 ** 6, p) for line, p, _ in dups],
                          key=lambda x: (x[0], x[1]))
            ds.problems += [p for _, _, p in rows]
            quarantine += [q for _, q in sorted(e.held + [(line, q) for line, _, q in dups], key=lambda x: x[0])]
        ds.rows_read += e.rows_read
    ds.quarantine = pd.concat([ds.quarantine, pd.DataFrame(quarantine, columns=QUARANTINE_COLUMNS)],
                              ignore_index=True)
    if todo:
        pa.default_memory_pool().release_unused()  # the batches' buffers, back to the system


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


def load_dataset(root: str | Path = ".") -> Dataset:
    """Load everything under `root`, collecting every problem. Never raises on bad data."""
    root = Path(root)
    ds = Dataset(root=root)
    load_parks(root, ds)
    load_indicators(root, ds)
    load_observations(root, ds)
    load_tasks(root, ds)
    return ds
