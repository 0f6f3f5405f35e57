"""Reading data files into text and raw CSV rows: the file is a resource, every failure a located problem.

What can go wrong with a file itself is settled here, before any field is looked at: it is missing, a folder, a
link out of the data root, too large, empty, undecodable; a CSV cell is oversized, or a quote is left open and
would swallow the rows after it. Nothing here raises on bad input.
"""
from __future__ import annotations

import csv
import fnmatch
import io
import os
import sys
from pathlib import Path

import numpy as np

from .problems import Problem

# Documented in docs/problems.md. Generous for hand-edited files; small enough that a mistake cannot exhaust memory.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_CELL_CHARS = 5_000
# A suspicious open quote: the cell runs over this many lines, or a line inside it looks like a row of its own.
MAX_CELL_LINES = 3

csv.field_size_limit(sys.maxsize)  # cells are measured against MAX_CELL_CHARS ourselves, with a located problem


def inside(root: Path, path: Path) -> bool:
    """Is `path`, with every link resolved, inside the data root?"""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def checked_path(root: Path, rel: str, problems: list[Problem], *, directory: bool = False) -> Path | None:
    """The path of `rel` under `root` if it may be read: it exists, is of the right kind and stays inside root."""
    path = root / rel
    if not path.exists() and not path.is_symlink():
        problems.append(Problem.of("file-missing", rel))
        return None
    if not inside(root, path):
        problems.append(Problem.of("link-outside-root", rel, detail="points outside the data folder"))
        return None
    if not path.exists():  # a dangling link inside the root
        problems.append(Problem.of("file-missing", rel, detail="a link to nothing"))
        return None
    if directory != path.is_dir():
        problems.append(Problem.of("not-a-file" if not directory else "not-a-folder", rel))
        return None
    return path


def list_files(root: Path, folder: str, pattern: str, problems: list[Problem]) -> list[tuple[Path, str]]:
    """(path, relative name) of the files in `folder` matching `pattern`, in name order; links out are refused."""
    base = checked_path(root, folder, problems, directory=True)
    if base is None:
        return []
    out = []
    with os.scandir(root / folder) as entries:     # as Path.glob(pattern) lists them (hidden names included)
        found = sorted((e for e in entries if fnmatch.fnmatchcase(e.name, pattern)), key=lambda e: e.name)
    for entry in found:
        rel = f"{folder}/{entry.name}"
        # a plain file in the checked folder is inside the root; a link (or anything else) is checked in full
        if (not entry.is_symlink() and entry.is_file()) or checked_path(root, rel, problems) is not None:
            out.append((root / rel, rel))
    return out


def read_text(root: Path, rel: str, problems: list[Problem], *, path: Path | None = None) -> str | None:
    """The text of a data file: UTF-8 (with or without Excel's BOM), else GBK with a warning; None with a
    problem when the file cannot be used at all."""
    got = read_data(root, rel, problems, path=path)
    return None if got is None else got[0]


def read_data(root: Path, rel: str, problems: list[Problem], *, path: Path | None = None,
              ) -> tuple[str, bytes] | None:
    """read_text's text and the same text as UTF-8 bytes without a BOM (the file's own bytes when it is UTF-8)."""
    path = path or checked_path(root, rel, problems)
    if path is None:
        return None
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem.of("file-too-large", rel, detail=f"{size:,} bytes; the limit is {MAX_FILE_BYTES:,}"))
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem.of("file-unreadable", rel, detail=exc.strerror or type(exc).__name__))
        return None
    try:
        text = raw.decode("utf-8-sig")
        data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    except UnicodeDecodeError as utf8_error:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            line = raw[: utf8_error.start].count(b"\n") + 1
            problems.append(Problem.of("encoding-unreadable", rel, line, detail=str(utf8_error)))
            return None
        problems.append(Problem.of("encoding-gbk", rel, 1))
        data = text.encode("utf-8")
    if not text or text.isspace():
        problems.append(Problem.of("empty-file", rel, 1))
        return None
    return text, data


# --- CSV ----------------------------------------------------------------------------------------------------

def _records(lines: list[str], first_line: int):
    """(start line, end line, cells) of each CSV record in `lines`; a malformed record yields cells=None."""
    reader = csv.reader(lines)
    line = first_line
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = first_line + reader.line_num - 1
            yield line, end, None, str(exc)
            line = end + 1
            continue
        end = first_line + reader.line_num - 1
        yield line, end, cells, None
        line = end + 1


def _looks_like_a_row(line: str, width: int) -> bool:
    try:
        return len(next(csv.reader([line]))) == width
    except (csv.Error, StopIteration):
        return False


def read_csv(text: str, rel: str, problems: list[Problem]) -> tuple[list[str], list[tuple[int, list[str]]], list[dict]]:
    """The header, the usable data rows with the line each starts on, and the rows refused here — each with a
    located problem and a quarantine record (line, codes, raw): a quote left open, a malformed record, an
    oversized cell.

    An open quote makes the csv module swallow every following line into one cell. A record that spans several
    lines where a line inside it would be a complete row of its own is taken to be that mistake: its first line
    is refused as `unbalanced-quote`, and reading starts again on the next line, so no row after it is lost.
    """
    lines = io.StringIO(text, newline="").readlines()  # \n, \r\n or \r: the lines an editor sees
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    refused: list[dict] = []

    def refuse(problem: Problem, line: int) -> None:
        problems.append(problem)
        refused.append({"line": line, "codes": problem.code, "raw": lines[line - 1].rstrip("\r\n")})
    start = 0  # index into lines where reading (re)starts
    while start < len(lines):
        restart = None
        for first, last, cells, error in _records(lines[start:], start + 1):
            if cells is not None and not any(c.strip() for c in cells):
                continue  # a blank line is layout, not a row
            if header is None:
                if cells is None:
                    problems.append(Problem.of("csv-syntax", rel, first, detail=error))
                    return [], [], []
                header = [c.strip() for c in cells]
                continue
            if last > first:
                inner = lines[first:last]  # lines after the first, inside the record
                width_ok = cells is not None and len(cells) == len(header)
                if (not width_ok or last - first >= MAX_CELL_LINES
                        or any(_looks_like_a_row(x, len(header)) for x in inner)):
                    refuse(Problem.of("unbalanced-quote", rel, first,
                                      detail=f"the quote opened here runs to line {last}"), first)
                    restart = first  # re-read from the line after the one that opened the quote
                    break
            if cells is None:
                refuse(Problem.of("csv-syntax", rel, first, detail=error), first)
                continue
            long_cell = next((i for i, c in enumerate(cells) if len(c) > MAX_CELL_CHARS), None)
            if long_cell is not None:
                name = header[long_cell] if long_cell < len(header) else None
                refuse(Problem.of("cell-too-large", rel, first, field=name,
                                  detail=f"{len(cells[long_cell]):,} characters; the limit is {MAX_CELL_CHARS:,}"), first)
                continue
            rows.append((first, cells))
        if restart is None:
            break
        start = restart
    if header is None:
        problems.append(Problem.of("empty-file", rel, 1, detail="no header row"))
    return header or [], rows, refused


# Bytes that may belong to a blank cell: ASCII white space, the comma, and any non-ASCII byte (a line of only
# these might be a row of empty cells, which the reader skips; such a file takes the exact path).
_MAYBE_BLANK = np.zeros(256, dtype=bool)
_MAYBE_BLANK[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 44]] = True
_MAYBE_BLANK[128:] = True


def simple_csv(data: bytes) -> tuple[list[str], bytes, int] | None:
    """The fast path's rule: when every physical line of `data` (UTF-8) is exactly one record — no double quote
    anywhere, no NUL, no lone CR, no blank line (not even one of commas), every line with the header's number of
    commas, no line longer than MAX_CELL_CHARS bytes — return (header, the data lines with \\n endings, row count):
    then row i is on line i + 2 and its cells are the line split at commas, exactly what read_csv would give.
    Otherwise None: the file goes through read_csv, which handles those cases."""
    if b'"' in data or b"\x00" in data:
        return None
    if b"\r" in data:
        if data.count(b"\r") != data.count(b"\r\n"):
            return None
        data = data.replace(b"\r\n", b"\n")
    if not data.endswith(b"\n"):
        data += b"\n"
    arr = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10)
    starts = np.concatenate(([0], ends[:-1] + 1))
    if int((ends - starts).max()) > MAX_CELL_CHARS:
        return None
    commas = np.add.reduceat((arr == 44).astype(np.int32), starts)
    if (commas != commas[0]).any():
        return None
    significant = np.add.reduceat((~_MAYBE_BLANK[arr]).astype(np.int32), starts)
    if (significant == 0).any():
        return None
    header = [c.strip() for c in data[: ends[0]].decode("utf-8").split(",")]
    return header, data[ends[0] + 1:], len(ends) - 1
