"""data/observations/*.csv, set-wise: each file read, parsed and validated in batches by validate.RULES, kept per
file (size, mtime) so that an edit to one CSV re-validates that file only."""
from __future__ import annotations

import dataclasses
import io
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .. import validate
from ..model import OBSERVATION_COLUMNS
from ..problems import Problem
from ..read import list_files, read_csv, read_data, simple_csv
from .catalogue import _TEXT_CACHE, _TEXT_LOCK
from .controls import _CONTROL_BYTES, _control_row, shown_controls
from .dataset import INDICATORS_FILE, OBSERVATIONS_DIR, PARKS_FILE, QUARANTINE_COLUMNS, Dataset, _quarantine_record
from .rows import (_DTYPES, CATEGORY_COLUMNS, _as_built, _assemble, _blocking_cause, _categorised, _duplicates,
                   _empty_frame, _header_problems, _raw_lines, _read_rows, _set_aside)


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
    with _TEXT_LOCK:
        _TEXT_CACHE.clear()




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
