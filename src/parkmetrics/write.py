"""The one writer of data files: a source in parks.yaml and data/observations/<source>.csv (the import page).

Rules, each for a reason:
- Editor mode only: every writer refuses unless PARKMETRICS_EDITOR=1 is set when it is called, so a public
  deployment can never change its data. Reading, validating and previewing need no editor mode.
- parks.yaml keeps every comment, quote and line of the editor's layout: the new source is rendered on its own
  (ruamel.yaml, round-trip) and inserted as text after the last source, so the diff is exactly the added block. The
  file's own line endings (CRLF stays CRLF) and UTF-8 BOM are kept; a replaced CSV keeps its own too.
- The same rules as the loader, without reloading the data: `validate_before_write` checks the new rows with the
  loader's own rule functions against the dataset as loaded (catalogue, parks, sources, duplicates); its cost grows
  with the document, not with the data root. There is no second validator.
- The same id rule as the model (`model.id_problem`: ≤ 64 characters, no white space or control character, not a
  Windows device name such as con or com1); text with a control character (`loader.CONTROL_CHARS`) is refused.
- All or nothing (`save`, below): every file a save changes is first written in full to a temporary file beside
  it and fsynced; then a journal naming them (.parkmetrics-save.json in the data root) is committed; then each
  temporary file is renamed over its target, and the journal is removed. A crash before the journal is committed
  leaves every file as it was (the temporary files are removed by the next recovery); a crash after it is
  completed by `recover`, which the next save, the import page's reads (`importing.existing`, `validate`, `diff`)
  and `load` run first — so parks.yaml and the CSV always change together. A full disk or any other failure while
  writing is a refusal (`DiskFull`, `WriteFailed`) with nothing written. A single-file write needs no journal:
  temporary file, fsync, then one rename (or a link, when the file must not exist yet).
- No lost update: `version` hashes parks.yaml and the target CSV when a diff is made; `save(..., version=…)`
  refuses with `StaleDiff` when either changed since. One writer at a time per data root (flock on the root
  directory, held across a whole save). Nothing is written through a symlink, so nothing lands outside the root.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import errno
import fcntl
import hashlib
import io
import json
import math
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from . import loader, validate
from .loader import CONTROL_CHARS, INDICATORS_FILE, OBSERVATIONS_DIR, PARKS_FILE, Dataset, load_dataset
from .model import OBSERVATION_COLUMNS, Park, Source, id_problem
from .problems import Problem
from .read import list_files, read_csv
from .yamlfile import LineList, read_yaml

EDITOR_ENV = "PARKMETRICS_EDITOR"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
JOURNAL = ".parkmetrics-save.json"   # in the data root, only while a save is being applied
_TMP = ".save.tmp"                   # temporary files: .<target name>.<random>.save.tmp beside their target
_STRAY = re.compile(r"^\..+\.[0-9a-f]{16}\.save\.tmp$|^\.(parks\.yaml|indicators\.yaml|.+\.csv)\.[A-Za-z0-9_]{8}\.tmp$")
_BOM = b"\xef\xbb\xbf"


# --- refusals: one exception class per reason, each with a message in Chinese and English -------------------


class WriteRefused(Exception):
    """A write that was not done. `message_zh` / `message_en` are for the page; str() carries both."""

    def __init__(self, message_zh: str, message_en: str):
        self.message_zh, self.message_en = message_zh, message_en
        super().__init__(f"{message_zh} / {message_en}")


class EditorModeOff(WriteRefused):
    def __init__(self) -> None:
        super().__init__(f"未开启编辑模式：设置环境变量 {EDITOR_ENV}=1 后才能写入数据文件",
                         f"editor mode is off: set {EDITOR_ENV}=1 to write data files")


class SourceExists(WriteRefused):
    def __init__(self, source_id: str) -> None:
        super().__init__(f"parks.yaml 中已有来源 {source_id}；如需替换，请明确选择替换",
                         f"parks.yaml already has a source {source_id}; replace it explicitly to overwrite it")


class ObservationsExist(WriteRefused):
    def __init__(self, rel: str) -> None:
        super().__init__(f"{rel} 已存在；如需覆盖，请明确选择覆盖",
                         f"{rel} already exists; choose to overwrite it explicitly")


class UnsafePath(WriteRefused):
    def __init__(self, rel: str, why_zh: str, why_en: str) -> None:
        super().__init__(f"拒绝写入 {rel}：{why_zh}", f"refusing to write {rel}: {why_en}")


class InvalidInput(WriteRefused):
    pass


class SourceRowsElsewhere(WriteRefused):
    """Saving a source with its rows would leave other rows citing it in other files, which would then count as
    the new document's figures (its title, issuer, date): refused, naming the files, to be moved by hand."""

    def __init__(self, source_id: str, files: list[str]) -> None:
        self.files = files
        names = "、".join(files)
        super().__init__(
            f"{names} 中还有引用来源 {source_id} 的行：保存只会写入 {OBSERVATIONS_DIR}/{source_id}.csv，那些行会被算作"
            f"这份文件的数字。请先把它们移入 {source_id}.csv 或删除，再保存",
            f"{', '.join(files)} also hold rows citing the source {source_id}: saving writes only "
            f"{OBSERVATIONS_DIR}/{source_id}.csv, and those rows would count as this document's figures. Move them "
            f"into {source_id}.csv or delete them first, then save")


class StaleDiff(WriteRefused):
    """The files changed after the diff the editor confirmed was made (another editor saved meanwhile). `changed`
    names them; importing.save adds the new diff (`diff`) and version (`version`) to show instead."""

    def __init__(self, changed: list[str]) -> None:
        self.changed = changed
        self.diff: str | None = None
        self.version: str | None = None
        names = "、".join(changed)
        super().__init__(f"生成差异之后，{names} 已被修改（可能是另一位编辑刚刚保存）：未保存。请查看新的差异后再保存",
                         f"{', '.join(changed)} changed after the diff was made (another editor may just have "
                         "saved): nothing was saved. Review the new diff and save again")


class WriteFailed(WriteRefused, OSError):
    """The operating system refused a write (still an OSError): nothing was written, unless `pending`, in which
    case the save is recorded in the journal and completes at the next recovery."""

    def __init__(self, exc: OSError, files: list[str], *, pending: bool = False) -> None:
        self.pending = pending
        reason = exc.strerror or str(exc) or type(exc).__name__
        names = "、".join(files)
        if pending:
            super().__init__(f"写入 {names} 时出错（{reason}）：保存已记入日志，将在下次保存或载入时完成",
                             f"writing {', '.join(files)} failed ({reason}): the save is recorded in the journal and "
                             "completes at the next save or load")
        else:
            super().__init__(f"写入失败（{reason}）：未写入任何文件，{names} 保持原样",
                             f"the write failed ({reason}): nothing was written; {', '.join(files)} unchanged")


class DiskFull(WriteFailed):
    def __init__(self, exc: OSError, files: list[str]) -> None:
        self.pending = False
        names = "、".join(files)
        WriteRefused.__init__(self, f"磁盘已满：未写入任何文件，{names} 保持原样。请腾出空间后再保存",
                              f"the disk is full: nothing was written; {', '.join(files)} unchanged. Free some "
                              "space and save again")


def _failed(exc: OSError, files: list[str]) -> WriteFailed:
    return DiskFull(exc, files) if exc.errno in (errno.ENOSPC, errno.EDQUOT) else WriteFailed(exc, files)


def editor_mode() -> bool:
    """Writing is allowed only when PARKMETRICS_EDITOR=1 (read at call time, so a test can set it)."""
    return os.environ.get(EDITOR_ENV) == "1"


def _require_editor() -> None:
    if not editor_mode():
        raise EditorModeOff()


# --- ids, text, paths --------------------------------------------------------------------------------------------


def observations_rel(source_id: str) -> str:
    _check_id(source_id)
    return f"{OBSERVATIONS_DIR}/{source_id}.csv"


def _check_id(value: object, what: str = "source") -> str:
    """The model's id rule (model.id_problem), as a refusal: the writer never disagrees with the loader."""
    reason = id_problem(value)
    if reason is not None:
        zh, en = {"park": ("园区编号", "park id"), "indicator": ("指标编号", "indicator id")}.get(
            what, ("来源编号", "source id"))
        shown = repr(value)[:80]
        raise InvalidInput(f"{zh} {shown} 无效：{reason[0]}", f"invalid {en} {shown}: {reason[1]}")
    return value  # type: ignore[return-value]


def _check_text(entry: dict, what_zh: str, what_en: str) -> None:
    """Refuse a field holding a control character (the loader would set the record or row aside)."""
    for key, value in entry.items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and CONTROL_CHARS.search(text):
                shown = loader.shown_controls(text)[:80]
                raise InvalidInput(f"{what_zh}的「{key}」含有控制字符：{shown}（请删除 ␌、␇ 等字符）",
                                   f"the {key} of {what_en} holds a control character: {shown} (delete the ␌, ␇…)")


def _safe_path(root: str | Path, rel: str) -> Path:
    """root/rel, refusing any symlink at or below the root on the way (the root itself may be one)."""
    base = Path(root).resolve()
    path = base
    for part in Path(rel).parts:
        if part in ("", ".", ".."):
            raise UnsafePath(rel, "路径不能包含 . 或 ..", "the path may not contain . or ..")
        path = path / part
        if path.is_symlink():
            raise UnsafePath(rel, f"{path.relative_to(base)} 是符号链接", f"{path.relative_to(base)} is a symlink")
    if os.path.commonpath([base, os.path.realpath(path)]) != str(base):
        raise UnsafePath(rel, "目标在数据目录之外", "the target is outside the data root")
    return path


# --- a file's own style: UTF-8 BOM and line endings -------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    bom: bool = False
    newline: str = "\n"


def _newline_of(text: str) -> str:
    """The file's line ending: CRLF when most of its lines end so, else LF."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"


def _decode(data: bytes, rel: str) -> tuple[str, _Style]:
    """A data file's text (without its BOM, line endings as they are) and its style."""
    bom = data.startswith(_BOM)
    try:
        text = data[3 if bom else 0:].decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{rel} 不是 UTF-8 编码：请先用 UTF-8 另存该文件", f"{rel} is not UTF-8: save it as UTF-8 first")
    return text, _Style(bom, _newline_of(text))


def _encode(text: str, style: _Style) -> bytes:
    return (_BOM if style.bom else b"") + text.encode("utf-8")


def _lines(text: str) -> list[str]:
    """The lines of `text` with their endings, split where YAML and CSV break lines (\n, \r\n, \r) only."""
    return io.StringIO(text, newline="").readlines()


def _with_newline(lines: list[str], newline: str) -> list[str]:
    return [ln[:-1] + newline if newline != "\n" and ln.endswith("\n") and not ln.endswith("\r\n") else ln
            for ln in lines]


# --- all or nothing: temporary files, the journal, recovery -----------------------------------------------------


@contextlib.contextmanager
def _locked(root: str | Path):
    """One writer at a time per data root (two editors adding sources at once must not lose one; a recovery must
    not meet a save half-way): flock on the root directory itself, so no lock file is left in it. Sessions are
    threads of one process: each call opens its own descriptor, and flock excludes across descriptors (and
    processes; a killed process's lock is released by the kernel)."""
    fd = os.open(Path(root).resolve(), os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # not every file system syncs directories
    finally:
        os.close(fd)


def _stage(path: Path, data: bytes) -> Path:
    """Write `data` to a new temporary file beside `path`, fsynced, with the mode `path` has (or would get)."""
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask()
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}{_TMP}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0),
                 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            os.fchmod(fd, mode)  # created 0600; keep the file readable as the old one was
        finally:
            os.close(fd)
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _sha(data: bytes | None) -> str:
    return "-" if data is None else hashlib.sha256(data).hexdigest()


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


@dataclass
class _Change:
    rel: str
    data: bytes
    must_not_exist: bool = False   # a new file: never clobber one that appeared meanwhile


def _commit(root: Path, changes: list[_Change]) -> list[Path]:
    """Write every change or none (the caller holds the root's lock). One file: a temporary file and one rename
    (or link). Several: temporary files, the journal, the renames, the journal removed."""
    paths = [_safe_path(root, c.rel) for c in changes]
    names = [c.rel for c in changes]
    for c, path in zip(changes, paths):
        if c.must_not_exist and (path.exists() or path.is_symlink()):
            raise ObservationsExist(c.rel) if c.rel.startswith(OBSERVATIONS_DIR) else UnsafePath(
                c.rel, "文件已存在", "the file exists")
    staged: list[Path] = []
    try:
        for c, path in zip(changes, paths):
            staged.append(_stage(path, c.data))
    except OSError as exc:
        for tmp in staged:
            _unlink(tmp)
        raise _failed(exc, names) from exc
    except BaseException:
        for tmp in staged:
            _unlink(tmp)
        raise
    if len(changes) == 1:
        path, tmp = paths[0], staged[0]
        try:
            if changes[0].must_not_exist:
                os.link(tmp, path)   # fails if the file appeared meanwhile: never clobbers
            else:
                os.replace(tmp, path)
        except OSError as exc:
            _unlink(tmp)
            raise _failed(exc, names) from exc
        except BaseException:
            _unlink(tmp)
            raise
        if changes[0].must_not_exist:
            with contextlib.suppress(OSError):
                os.unlink(tmp)       # the file is in place; a name left behind is a stray for the next recovery
        _fsync_dir(path.parent)
        return paths
    base = Path(root).resolve()
    journal = base / JOURNAL
    record = {"format": 1, "files": [{"target": c.rel, "staged": tmp.relative_to(base).as_posix(),
                                       "sha256": _sha(c.data)} for c, tmp in zip(changes, staged)]}
    jtmp: Path | None = None
    try:
        for path in {p.parent for p in paths}:
            _fsync_dir(path)     # the temporary files' names are durable before the journal names them
        jtmp = _stage(journal, json.dumps(record, ensure_ascii=False).encode("utf-8"))
        os.link(jtmp, journal)   # the commit point; never over another save's journal
    except BaseException as exc:
        for tmp in [*staged, *([jtmp] if jtmp else [])]:
            _unlink(tmp)
        if isinstance(exc, OSError):
            raise _failed(exc, names) from exc
        raise
    _unlink(jtmp)
    _fsync_dir(base)
    applied = 0
    try:
        for tmp, path in zip(staged, paths):
            os.replace(tmp, path)
            applied += 1
    except OSError as exc:
        if applied == 0:         # nothing changed yet: abandon the save (journal first, then its files)
            _unlink(journal)
            _fsync_dir(base)
            for tmp in staged:
                _unlink(tmp)
            raise _failed(exc, names) from exc
        try:
            _roll_forward(base, record)
        except OSError:
            raise WriteFailed(exc, names, pending=True) from exc
        return paths
    _finish(base, record)
    return paths


def _finish(base: Path, record: dict) -> None:
    """Every rename of a journaled save is done: make them durable, then remove the journal."""
    for d in {(base / f["target"]).parent for f in record["files"]}:
        _fsync_dir(d)
    _unlink(base / JOURNAL)
    _fsync_dir(base)


def _roll_forward(base: Path, record: dict) -> None:
    """Complete a journaled save: rename each temporary file that is still there over its target."""
    for f in record["files"]:
        target, tmp = _safe_path(base, f["target"]), base / f["staged"]
        if tmp.exists():
            if _sha(tmp.read_bytes()) != f["sha256"]:
                raise OSError(errno.EIO, f"{f['staged']} does not match the journal")
            os.replace(tmp, target)
    _finish(base, record)


def _remove_strays(base: Path) -> list[str]:
    """Temporary files no journal names (a save or write that died before its commit point): removed."""
    removed = []
    for folder in (base, base / "data", base / OBSERVATIONS_DIR):
        try:
            with os.scandir(folder) as entries:
                stray = [e.name for e in entries if e.name.startswith(".") and _STRAY.match(e.name)
                         and not e.is_symlink()]
        except OSError:
            continue
        for name in stray:
            _unlink(folder / name)
            removed.append((folder / name).relative_to(base).as_posix())
    return removed


def recover(root: str | Path) -> str | None:
    """Complete a save that a crash interrupted after its journal was committed ("completed"), or remove the
    temporary files of one that died before ("rolled back"); None when there was nothing to do.

    Runs before every save and on the import page's reads; `load` runs it before loading. Completing a journaled
    save needs no editor mode (it only finishes renaming files an editor-mode save already wrote in full);
    removing stray temporary files does."""
    base = Path(root).resolve()
    if not (base / JOURNAL).exists() and not editor_mode():
        return None
    with _locked(base):
        return _recover_locked(base)


def _recover_locked(base: Path) -> str | None:
    journal = base / JOURNAL
    outcome = None
    if journal.exists():
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
            files = record["files"]
            # each temporary file beside its target, named as this module names them: a journal cannot move a
            # file from anywhere else into the data
            assert all(isinstance(f, dict) and {"target", "staged", "sha256"} <= set(f)
                       and Path(f["staged"]).parent == Path(f["target"]).parent
                       and re.fullmatch(r"\..+\.[0-9a-f]{16}\.save\.tmp", Path(f["staged"]).name) for f in files)
        except (ValueError, KeyError, TypeError, AssertionError):
            # a journal is committed whole (a link of a complete file), so this one was edited by hand: it cannot
            # be trusted to complete anything; its temporary files are removed with the other strays
            _unlink(journal)
            outcome = "rolled back"
        else:
            _roll_forward(base, record)
            outcome = "completed"
    if editor_mode() and _remove_strays(base):
        outcome = outcome or "rolled back"
    return outcome


def recover_if_journaled(root: str | Path) -> None:
    """The cheap check on every read: one stat, and a recovery only when a journal is there."""
    if (Path(root) / JOURNAL).exists():
        recover(root)


def load(root: str | Path) -> Dataset:
    """`loader.load_dataset` after `recover`: never a half-save, even right after a crash."""
    recover(root)
    return load_dataset(root)


def version(root: str | Path, source_id: str) -> str:
    """The version of what a save of `source_id` changes: parks.yaml and its CSV (hashes of their bytes). Take it
    with the diff (importing.preview does) and pass it to save: a change in between is a StaleDiff, not a lost
    update."""
    base = Path(root)
    rel = observations_rel(source_id)
    return _version({PARKS_FILE: _read_bytes(_safe_path(base, PARKS_FILE)), rel: _read_bytes(_safe_path(base, rel))})


def _version(files: dict[str, bytes | None]) -> str:
    return ";".join(f"{rel}={_sha(data)[:20]}" for rel, data in files.items())


def _stale(expected: str, current: str) -> list[str]:
    """The files whose hash differs between two versions."""
    def parse(v: str) -> dict[str, str]:
        return dict(part.rsplit("=", 1) for part in v.split(";") if "=" in part)
    old, new = parse(expected), parse(current)
    return [rel for rel in new if old.get(rel) != new[rel]] or ([] if old == new else list(new))


# --- parks.yaml: a new source, inserted as text --------------------------------------------------------------


def _yaml() -> YAML:
    y = YAML()  # round-trip
    y.preserve_quotes = True
    y.width = 4096  # never fold a long title or note
    y.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return y


def _scalar(value: object) -> object:
    """A value as the loader (PyYAML, YAML 1.1) will read it back: a plain 2022-01-28 stays a date, as the
    existing entries write it; a string PyYAML would read as something else ("2022", "yes", "1.5") is quoted."""
    if isinstance(value, str):
        if _DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        if pyyaml.resolver.Resolver().resolve(pyyaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str":
            return DoubleQuotedScalarString(value)
    return value


def _source_map(source: dict) -> CommentedMap:
    """The source's fields in the model's order (then any others, for the loader to report), without nulls."""
    order = list(Source.model_fields) + [k for k in source if k not in Source.model_fields]
    return CommentedMap((k, _scalar(source[k])) for k in order if k in source and source[k] is not None)


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


# The last few parks.yaml texts as the loader's reader read them: a save reads the file, checks the text with the
# park added, then adds the source to that text; a preview and the save that follows read the same text again.
# Keyed on the text itself (a str caches its hash); nothing mutates what the reader returns.
_PARSED: dict[str, tuple] = {}
_PARSED_KEPT = 3


def _read_parks(text: str) -> tuple[object | None, list[Problem]]:
    got = _PARSED.get(text)
    if got is None:
        got = read_yaml(text, PARKS_FILE)
        _PARSED[text] = got
        while len(_PARSED) > _PARSED_KEPT:
            _PARSED.pop(next(iter(_PARSED)), None)
    return got


def parks_text_with_source(text: str, source: dict, *, replace: bool = False) -> tuple[str, tuple[int, int]]:
    """parks.yaml's text with `source` added after the last source (or put in place of the one with its id).

    Returns the new text and the 1-based line range (first, last) of the source's block in it.
    """
    if not isinstance(source, dict):
        raise InvalidInput("来源应为字段表", "a source must be a mapping of fields")
    sid = _check_id(source.get("id"))
    before, problems = _read_parks(text)   # the loader's own reader, with its guards (alias bombs…)
    if before is None:
        raise InvalidInput("parks.yaml 无法读取，请先修正：" + "；".join(p.message("zh") for p in problems),
                           "parks.yaml cannot be read; fix it first: " + "; ".join(p.message("en") for p in problems))
    if not isinstance(before, dict):
        raise InvalidInput("parks.yaml 顶层应为映射", "parks.yaml must be a mapping at the top level")
    y = _yaml()
    seq = before.get("sources")
    ids = [item.get("id") if isinstance(item, dict) else None for item in seq or []] if isinstance(seq, list) else []
    if sid in ids and not replace:
        raise SourceExists(sid)
    nl = _newline_of(text)
    lines = _lines(text)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += nl
    layout = _list_layout(before, "sources", lines)
    if layout is None:   # no block-style list to insert into: ruamel reads and dumps the whole file
        return _parks_text_reformatted(y, y.load(text), source, sid, replace, nl)
    starts, dash, first_col = layout
    # Where the block goes: in place of the old entry, or after the last one (before the blank lines and
    # comments that lead to whatever follows the sources list).
    keys = list(before)
    after = keys[keys.index("sources") + 1:]
    end_of_list = before.key_lines[after[0]] - 1 if after else len(lines)
    if sid in ids:
        i = ids.index(sid)
        start = starts[i]
        stop = starts[i + 1] if i + 1 < len(starts) else end_of_list
    else:
        start = stop = end_of_list
    while stop > 0 and stop - 1 >= (start if sid in ids else 0) and _is_blank_or_comment(lines[stop - 1]):
        stop -= 1
    if sid not in ids:
        start = stop
    y.indent(mapping=2, sequence=first_col, offset=dash)
    buf = io.StringIO()
    y.dump(CommentedMap([("sources", CommentedSeq([_source_map(source)]))]), buf)
    block = _with_newline(_lines(buf.getvalue())[1:], nl)  # without the "sources:" line; the file's line endings
    new = "".join(lines[:start] + block + lines[stop:])
    if not _reads_back(before, new, source, ids.index(sid) if sid in ids else None):
        return _parks_text_reformatted(y, y.load(text), source, sid, replace, nl)  # an unusual layout: dump it all
    return new, (start + 1, start + len(block))


def _list_layout(data: object, section: str, lines: list[str]) -> tuple[list[int], int, int] | None:
    """Where a block-style, non-empty list of records stands in the text (the loader's reader keeps each item's
    line): the 0-based line each item starts on, its dash's column and its content's column. None for any other
    layout (missing, empty, [flow], an item not on its dash's line)."""
    seq = data.get(section) if isinstance(data, dict) else None
    if not isinstance(seq, LineList) or not seq or len(seq.item_lines) != len(seq):
        return None
    starts = [line - 1 for line in seq.item_lines]
    if not all(0 <= a < b for a, b in zip(starts, starts[1:])) or not 0 <= starts[0] < len(lines):
        return None
    for a in starts:
        if not re.match(r"^ *- +\S", lines[a]):
            return None
    m = re.match(r"^( *)-( +)", lines[starts[0]])
    return starts, len(m.group(1)), len(m.group(1)) + 1 + len(m.group(2))


def _same(read: object, written: object) -> bool:
    if isinstance(read, (dt.date, dt.datetime)) and isinstance(written, str):
        return read.isoformat() == written
    return read == written


def _reads_back(before: dict, text: str, source: dict, replaced: int | None) -> bool:
    """Does the loader read the new text as the old one with exactly this source added (or replaced)?"""
    after, _ = _read_parks(text)
    if not isinstance(after, dict) or list(after) != list(before):
        return False
    if any(after[k] != before[k] for k in before if k != "sources"):
        return False
    old, new = list(before["sources"]), list(after["sources"] or [])
    if replaced is None:
        kept, entry = new[:-1], new[-1] if new else None
    else:
        kept, entry = new[:replaced] + new[replaced + 1:], new[replaced] if len(new) > replaced else None
        old = old[:replaced] + old[replaced + 1:]
    expected = {k: v for k, v in source.items() if v is not None}
    return (kept == old and isinstance(entry, dict) and set(entry) == set(expected)
            and all(_same(entry[k], v) for k, v in expected.items()))


def _parks_text_reformatted(y: YAML, data: CommentedMap, source: dict, sid: str, replace: bool, nl: str = "\n"
                            ) -> tuple[str, tuple[int, int]]:
    """No block-style sources list to insert into (missing, empty or [...]): add it and dump the whole file."""
    seq = data.get("sources")
    if not isinstance(seq, list):
        seq = data["sources"] = CommentedSeq()
    entry = _source_map(source)
    ids = [item.get("id") if isinstance(item, dict) else None for item in seq]
    if sid in ids and replace:
        seq[ids.index(sid)] = entry
    else:
        seq.append(entry)
    if isinstance(seq, CommentedSeq):
        seq.fa.set_block_style()
    y.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    y.dump(data, buf)
    text = _restyle(buf.getvalue(), nl)
    lines = text.splitlines()
    first = next(n for n, line in enumerate(lines, 1) if re.match(rf"^\s*-\s+id:\s*['\"]?{sid}['\"]?\s*$", line))
    last = first
    while last < len(lines) and lines[last].startswith(" ") and not lines[last].lstrip().startswith("- "):
        last += 1
    return text, (first, last)


def _restyle(text: str, nl: str) -> str:
    """A whole dumped text with the file's line endings."""
    return re.sub(r"\r?\n", nl, text) if nl != "\n" else text


def add_source(root: str | Path, source: dict, *, replace: bool = False) -> Path:
    """Add `source` to parks.yaml's sources (or replace the one with its id when replace=True)."""
    _require_editor()
    if isinstance(source, dict):
        _check_id(source.get("id"))
        _check_text(source, "来源", "the source")
    return _write_one(root, PARKS_FILE, lambda text: parks_text_with_source(text, source, replace=replace)[0])


def _write_one(root: str | Path, rel: str, change) -> Path:
    """Read `rel`, apply `change(text) -> text` and write it back, as one step under the root's lock, keeping the
    file's BOM and line endings."""
    path = _safe_path(root, rel)
    with _locked(root):  # read, change and write back as one step
        _recover_locked(Path(root).resolve())
        old = path.read_bytes()
        text, style = _decode(old, rel)
        new = _encode(change(text), style)
        if new != old:
            _commit(Path(root), [_Change(rel, new)])
    return path


# --- parks.yaml: a new park (the import page's "new park"), inserted as text after the last park ------------------


class ParkExists(WriteRefused):
    def __init__(self, park_id: str) -> None:
        super().__init__(f"parks.yaml 中已有园区 {park_id}", f"parks.yaml already has a park {park_id}")


def _park_map(park: dict) -> CommentedMap:
    """The park's fields in the model's order, without nulls and empty lists; lists in flow style, as the file
    writes them ([新型建材, 生物医药])."""
    out = CommentedMap()
    for k in list(Park.model_fields) + [k for k in park if k not in Park.model_fields]:
        value = park.get(k)
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, list):
            seq = CommentedSeq(_scalar(v) for v in value)
            seq.fa.set_flow_style()
            value = seq
        else:
            value = _scalar(value)
            if isinstance(value, str) and value.startswith("#"):
                value = DoubleQuotedScalarString(value)   # color: "#239b56", as the file writes it
        out[k] = value
    return out


def parks_text_with_park(text: str, park: dict) -> tuple[str, tuple[int, int]]:
    """parks.yaml's text with `park` added after the last park (a block-style `parks:` list with at least one
    entry; anything else is refused, to be edited by hand). Returns the new text and the block's 1-based lines."""
    if not isinstance(park, dict):
        raise InvalidInput("园区应为字段表", "a park must be a mapping of fields")
    pid = _check_id(park.get("id"), "park")
    before, problems = _read_parks(text)
    if before is None:
        raise InvalidInput("parks.yaml 无法读取，请先修正：" + "；".join(p.message("zh") for p in problems),
                           "parks.yaml cannot be read; fix it first: " + "; ".join(p.message("en") for p in problems))
    y = _yaml()
    nl = _newline_of(text)
    lines = _lines(text)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += nl
    layout = _list_layout(before, "parks", lines)
    if layout is None:
        raise InvalidInput("parks.yaml 的 parks 列表不是常规的块格式，请手工添加园区",
                           "the parks list in parks.yaml is not in the usual block layout; add the park by hand")
    if pid in [item.get("id") if isinstance(item, dict) else None for item in before["parks"]]:
        raise ParkExists(pid)
    _, dash, first_col = layout
    keys = list(before)
    after = keys[keys.index("parks") + 1:]
    stop = before.key_lines[after[0]] - 1 if after else len(lines)
    while stop > 0 and _is_blank_or_comment(lines[stop - 1]):
        stop -= 1
    y.indent(mapping=2, sequence=first_col, offset=dash)
    buf = io.StringIO()
    y.dump(CommentedMap([("parks", CommentedSeq([_park_map(park)]))]), buf)
    block = _with_newline(_lines(buf.getvalue())[1:], nl)
    new = "".join(lines[:stop] + block + lines[stop:])
    read, _ = _read_parks(new)
    expected = {k: v for k, v in park.items() if v not in (None, "", [])}
    ok = (isinstance(read, dict) and list(read) == list(before)
          and all(read[k] == before[k] for k in before if k != "parks")
          and list(read["parks"][:-1]) == list(before["parks"]) and isinstance(read["parks"][-1], dict)
          and set(read["parks"][-1]) == set(expected)
          and all(_same(read["parks"][-1][k], v) for k, v in expected.items()))
    if not ok:
        raise InvalidInput("无法在保持 parks.yaml 格式的前提下添加园区，请手工添加",
                           "cannot add the park while keeping the layout of parks.yaml; add it by hand")
    return new, (stop + 1, stop + len(block))


def add_park(root: str | Path, park: dict) -> Path:
    """Add `park` to parks.yaml's parks (never replaces one: an existing id is refused)."""
    _require_editor()
    if isinstance(park, dict):
        _check_id(park.get("id"), "park")
        _check_text(park, "园区", "the park")
    return _write_one(root, PARKS_FILE, lambda text: parks_text_with_park(text, park)[0])


# --- data/indicators.yaml: a basis for an indicator, a new indicator (the import page's catalogue offers) ---------


def _catalogue_text(text: str, change) -> str:
    """indicators.yaml with `change(indicators: CommentedSeq)` applied, round-trip (comments and layout kept), and
    checked to read back with the loader's own reader."""
    y = _yaml()
    y.indent(mapping=2, sequence=4, offset=2)  # the catalogue's own layout: "  - id: …" under "indicators:"
    data = y.load(text)
    if not isinstance(data, CommentedMap) or not isinstance(data.get("indicators"), CommentedSeq):
        raise InvalidInput("indicators.yaml 的结构无法识别，请手工修改", "indicators.yaml has an unexpected shape: edit it by hand")
    change(data["indicators"])
    out = io.StringIO()
    y.dump(data, out)
    new = _restyle(out.getvalue(), _newline_of(text))
    _, problems = read_yaml(new, INDICATORS_FILE)
    if any(p.is_error for p in problems):
        raise InvalidInput("修改后的 indicators.yaml 无法读回，未写入", "the changed indicators.yaml does not read back: not written")
    return new


def catalogue_text_with_basis(text: str, indicator_id: str, basis: str) -> str:
    """indicators.yaml with `basis` added to the bases of `indicator_id` (a no-op when it is there)."""
    def change(indicators: CommentedSeq) -> None:
        entry = next((e for e in indicators if isinstance(e, CommentedMap) and e.get("id") == indicator_id), None)
        if entry is None:
            raise InvalidInput(f"目录中没有指标 {indicator_id}", f"the catalogue has no indicator {indicator_id}")
        bases = entry.get("bases")
        if not isinstance(bases, CommentedSeq):
            raise InvalidInput(f"指标 {indicator_id} 的 bases 无法识别", f"the bases of {indicator_id} are not a list")
        if basis not in bases:
            bases.append(basis)
    return _catalogue_text(text, change)


def catalogue_text_with_indicator(text: str, indicator: dict) -> str:
    """indicators.yaml with a new indicator appended (an existing id is refused)."""
    def change(indicators: CommentedSeq) -> None:
        if any(isinstance(e, CommentedMap) and e.get("id") == indicator["id"] for e in indicators):
            raise InvalidInput(f"目录中已有指标 {indicator['id']}", f"the catalogue already has {indicator['id']}")
        entry = CommentedMap((k, v) for k, v in indicator.items() if v not in (None, "", []))
        for key in ("aliases", "bases", "units"):
            if key in entry:
                seq = CommentedSeq(entry[key])
                seq.fa.set_flow_style()  # [level, growth_pct], as the file writes lists
                entry[key] = seq
        indicators.append(entry)
    return _catalogue_text(text, change)


def add_indicator_basis(root: str | Path, indicator_id: str, basis: str) -> Path:
    """Allow `basis` for `indicator_id` in data/indicators.yaml."""
    _require_editor()
    return _write_one(root, INDICATORS_FILE, lambda text: catalogue_text_with_basis(text, indicator_id, basis))


def add_indicator(root: str | Path, indicator: dict) -> Path:
    """Append a new indicator to data/indicators.yaml (the editor completes its 口径 there)."""
    _require_editor()
    _check_id(indicator.get("id") if isinstance(indicator, dict) else None, "indicator")
    _check_text(indicator, "指标", "the indicator")
    return _write_one(root, INDICATORS_FILE, lambda text: catalogue_text_with_indicator(text, indicator))


# --- observation CSVs ---------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else ""   # the files' own style: "true" or empty
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "item"):  # numpy scalars
        return _cell(value.item())
    return str(value)


def _records(rows: pd.DataFrame | list[dict]) -> list[dict]:
    return rows.to_dict("records") if isinstance(rows, pd.DataFrame) else [dict(r) for r in rows]


def observations_csv_text(rows: pd.DataFrame | list[dict], source_id: str | None = None, *,
                          newline: str = "\n") -> str:
    """The CSV text for `rows`: header model.OBSERVATION_COLUMNS, every field quoted by the csv module where it
    needs it, `newline` line endings ("\n" for a new file). An empty `source` is filled with `source_id`; an
    unknown column is refused (it would otherwise vanish without a word)."""
    records = _records(rows)
    unknown = sorted({k for r in records for k in r} - set(OBSERVATION_COLUMNS))
    if unknown:
        raise InvalidInput(f"未知的列：{', '.join(unknown)}；允许的列：{', '.join(OBSERVATION_COLUMNS)}",
                           f"unknown columns: {', '.join(unknown)}; allowed: {', '.join(OBSERVATION_COLUMNS)}")
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    out.writerow(OBSERVATION_COLUMNS)
    for r in records:
        if source_id and not _cell(r.get("source")):
            r = r | {"source": source_id}
        out.writerow([_cell(r.get(c)) for c in OBSERVATION_COLUMNS])
    return buf.getvalue()


def _check_rows(rows: pd.DataFrame | list[dict]) -> None:
    """Refuse a cell holding a control character (the loader would set the row aside)."""
    for n, r in enumerate(_records(rows), start=1):
        for c in OBSERVATION_COLUMNS:
            text = _cell(r.get(c))
            if CONTROL_CHARS.search(text):
                shown = loader.shown_controls(text)[:80]
                raise InvalidInput(f"第 {n} 行的「{c}」含有控制字符：{shown}（请删除 ␌、␇ 等字符）",
                                   f"row {n}: the {c} holds a control character: {shown} (delete the ␌, ␇…)")


def write_observations(root: str | Path, source_id: str, rows: pd.DataFrame | list[dict], *,
                       overwrite: bool = False) -> Path:
    """Write data/observations/<source_id>.csv; refuse to replace an existing file unless overwrite=True (writing
    exactly what the file already holds is a no-op: a retry)."""
    _require_editor()
    _check_id(source_id)
    save(root, None, rows, replace=overwrite, source_id=source_id)
    return _safe_path(root, observations_rel(source_id))


# --- a save: the plan (what changes, from which versions), then all of it or nothing ------------------------------


@dataclass
class Plan:
    """What a save changes, made from the files' bytes as read: the diff to show, and the version of the files it
    was made from (to pass back to `save`)."""
    root: Path
    source_id: str
    version: str
    files: list[tuple[str, bytes | None, bytes | None]] = field(default_factory=list)  # (rel, old, new or None)
    writes_source: bool = False

    def diff(self) -> str:
        """A unified diff of every file the save changes (a retry of a completed save: empty)."""
        return "".join(_unified(_display(old), _display(new), rel, old is None)
                       for rel, old, new in self.files if new is not None)

    def changes(self) -> list[_Change]:
        return [_Change(rel, new, must_not_exist=old is None) for rel, old, new in self.files if new is not None]


def _display(data: bytes | None) -> str:
    return "" if data is None else data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")


def _style_of(data: bytes) -> _Style:
    try:
        return _decode(data, "")[1]
    except InvalidInput:
        return _Style()   # not UTF-8 (a GBK file): it is replaced whole, as UTF-8


def _entry_there(before: object, section: str, entry: dict, *, blanks: tuple = (None,)) -> bool | None:
    """Is an entry with `entry`'s id in `section` of parks.yaml as read: True when it is exactly this entry (a
    retry), False when another entry has the id, None when none does."""
    items = before.get(section) if isinstance(before, dict) else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("id") == entry.get("id"):
            expected = {k: v for k, v in entry.items() if v not in blanks}
            return set(item) == set(expected) and all(_same(item[k], v) for k, v in expected.items())
    return None


def plan(root: str | Path, source: dict | None, rows, *, park: dict | None = None, replace: bool = False,
         source_id: str | None = None, strict: bool = False) -> Plan:
    """What saving `park`, `source` and `rows` changes, made from the files as they are now (nothing written).

    An entry or a CSV that is already there exactly as it would be written is left alone (a retry of a save that
    completed); another one with the same id is refused (ParkExists; SourceExists unless `replace`). `strict` (a
    save) also refuses an existing CSV without `replace`, and rows of the source in other files when the source
    entry is written (SourceRowsElsewhere); a preview shows what replacing would change."""
    base = Path(root)
    if source is not None and not isinstance(source, dict):
        raise InvalidInput("来源应为字段表", "a source must be a mapping of fields")
    if park is not None and not isinstance(park, dict):
        raise InvalidInput("园区应为字段表", "a park must be a mapping of fields")
    sid = _check_id(source_id) if source_id is not None else _source_id_of(source, rows)
    rel = observations_rel(sid)
    parks_path, csv_path = _safe_path(base, PARKS_FILE), _safe_path(base, rel)
    parks_old, csv_old = _read_bytes(parks_path), _read_bytes(csv_path)
    out = Plan(base, sid, _version({PARKS_FILE: parks_old, rel: csv_old}))
    csv_new = None
    if rows is not None:
        style = _style_of(csv_old) if csv_old is not None else _Style()
        csv_new = _encode(observations_csv_text(rows, sid, newline=style.newline), style)
    csv_differs = csv_old is not None and csv_new is not None and csv_new != csv_old
    if source is not None or park is not None:
        if park is not None:
            _check_id(park.get("id"), "park")
        if source is not None:
            _check_id(source.get("id"))
        if parks_old is None:
            raise InvalidInput("parks.yaml 不存在", "parks.yaml does not exist")
        text, style = _decode(parks_old, PARKS_FILE)
        before, _ = _read_parks(text)
        new_text = text
        if park is not None:
            there = _entry_there(before, "parks", park, blanks=(None, "", []))
            if there is False:
                raise ParkExists(park["id"])
            if there is None:
                new_text, _ = parks_text_with_park(new_text, park)
        if source is not None:
            there = _entry_there(before, "sources", source)
            # without `replace`, an existing source is left alone only by a retry: the same entry, and a CSV that
            # is missing (a save a crash cut short) or already the same
            if not replace and (there is False or (there and csv_differs)):
                raise SourceExists(source["id"])
            if not there:
                new_text, _ = parks_text_with_source(new_text, source, replace=replace)
                out.writes_source = True
        new = _encode(new_text, style)
        out.files.append((PARKS_FILE, parks_old, None if new == parks_old else new))
    if rows is not None:
        if strict and csv_differs and not replace:
            raise ObservationsExist(rel)
        out.files.append((rel, csv_old, None if csv_old == csv_new else csv_new))
    if strict and out.writes_source and rows is not None:
        elsewhere = files_citing(base, sid, exclude=rel)
        if elsewhere:
            raise SourceRowsElsewhere(sid, elsewhere)
    return out


def files_citing(root: str | Path, source_id: str, *, exclude: str | None = None) -> list[str]:
    """The observation files (other than `exclude`) with a row whose source is `source_id`: the files are read as
    bytes, and only those holding the id are parsed."""
    needle = source_id.encode("utf-8")
    out = []
    for path, rel in list_files(Path(root), OBSERVATIONS_DIR, "*.csv", []):
        if rel == exclude:
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if needle not in data:
            continue
        header, rows, _ = read_csv(data.decode("utf-8-sig", errors="replace"), rel, [])
        if "source" in header:
            i = max(n for n, name in enumerate(header) if name == "source")   # dict(zip()): the last one wins
            if any(len(cells) > i and cells[i].strip() == source_id for _, cells in rows):
                out.append(rel)
    return out


def save(root: str | Path, source: dict | None, rows, *, park: dict | None = None, replace: bool = False,
         version: str | None = None, source_id: str | None = None) -> list[Path]:
    """Write the new park and the source entry (parks.yaml) and the rows (data/observations/<source>.csv) together,
    or nothing: editor mode only; under the root's lock, after recovering any interrupted save.

    `version` (from `version` or importing.preview, taken with the diff the editor confirmed): when parks.yaml
    or the CSV changed since, StaleDiff is raised and nothing is written. A retry of a save that completed (or
    that a crash interrupted, once recovered) finds everything in place and succeeds without writing. A full
    disk is DiskFull, any other failure WriteFailed: nothing written. Returns the paths of the files written (none
    for a retry that finds everything in place: a caller may say "already saved")."""
    _require_editor()
    if isinstance(park, dict):
        _check_id(park.get("id"), "park")
        _check_text(park, "园区", "the park")
    if isinstance(source, dict):
        _check_id(source.get("id"))
        _check_text(source, "来源", "the source")
    if rows is not None:
        _check_rows(rows)
    with _locked(root):
        _recover_locked(Path(root).resolve())
        p = plan(root, source, rows, park=park, replace=replace, source_id=source_id, strict=True)
        if version is not None and version != p.version:
            raise StaleDiff(_stale(version, p.version))
        changes = p.changes()
        if changes:
            _commit(Path(root), changes)
    return [_safe_path(root, c.rel) for c in changes]


# --- before writing: the loader's verdict on the new rows, against the data as loaded ------------------------------


def _source_id_of(source: dict | None, rows) -> str:
    if source is not None:
        return _check_id(source.get("id") if isinstance(source, dict) else None)
    records = _records(rows) if rows is not None else []
    ids = {str(r.get("source") or "").strip() for r in records} - {""}
    if len(ids) != 1:
        raise InvalidInput("无法确定来源编号：请给出来源，或让所有行引用同一来源",
                           "cannot tell the source id: pass the source, or let every row cite one source")
    return _check_id(ids.pop())


def _lazy(name: str) -> property:
    """A dataset field built on first read (`_build[name]`), settable like a plain one."""
    def get(self):
        if name not in self._built:
            self._built[name] = self._build[name]()
        return self._built[name]

    def put(self, value) -> None:
        self._built[name] = value
    return property(get, put)


class _After(Dataset):
    """The dataset as it would load after a write: its observations and quarantine are built from the loaded ones
    only when asked for (at national scale that is most of the cost, and the import page does not ask)."""

    observations = _lazy("observations")   # type: ignore[assignment]
    quarantine = _lazy("quarantine")       # type: ignore[assignment]

    def __init__(self, build_observations, build_quarantine, **fields) -> None:
        self._built: dict[str, object] = {}
        self._build = {"observations": build_observations, "quarantine": build_quarantine}
        super().__init__(**fields)
        self._built.clear()


def _model_ok(model: type, entry: dict) -> object | None:
    try:
        return model.model_validate(entry)
    except Exception:   # pydantic's ValidationError, or anything an odd value raises
        return None


def _entry_problems(base: Path, park: dict | None, source: dict | None, replace: bool, view: Dataset
                    ) -> list[Problem]:
    """The loader's verdict on the new entries, located in parks.yaml as the writer would write it: the loader's
    own reader and rules run on the new text, and the problems inside the entries' blocks are kept. (Only when an
    entry is not valid on its own: this reads the whole of parks.yaml.) Updates `view` with what loads."""
    text, _ = _decode(_safe_path(base, PARKS_FILE).read_bytes(), PARKS_FILE)
    if park is not None:
        text, _ = parks_text_with_park(text, park)
    if source is not None:
        text, _ = parks_text_with_source(text, source, replace=replace)
    data, _ = read_yaml(text, PARKS_FILE)
    part = Dataset(root=base)
    loader._parks_from_text(text, part)
    spans = []
    for section, entry in (("parks", park), ("sources", source)):
        if entry is None:
            continue
        key = (section, entry["id"])
        loaded = (part.parks if section == "parks" else part.sources).get(entry["id"])
        target = view.parks if section == "parks" else view.sources
        if loaded is not None:
            target[entry["id"]] = loaded
            view.blocked.pop(key, None)
        else:
            target.pop(entry["id"], None)
            if key in part.blocked:
                view.blocked[key] = part.blocked[key]
        items = data.get(section) if isinstance(data, dict) else None
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and item.get("id") == entry["id"]:
                spans.append(_span(data, (section, i)))
    return [p for p in part.problems if p.file == PARKS_FILE and p.line is not None
            and any(a <= p.line <= b for a, b in spans)]


def _span(data: object, loc: tuple) -> tuple[int, int]:
    """The first and last line of the record at `loc` (its own line and every key's and item's in it)."""
    from .yamlfile import LineDict, LineList, line_of
    node = data
    for part in loc:
        node = node[part]
    lines = [line_of(data, loc) or 0]
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, LineDict):
            lines += [v for v in n.key_lines.values() if v]
            stack += list(n.values())
        elif isinstance(n, LineList):
            lines += [v for v in n.item_lines if v]
            stack += list(n)
    return min(lines), max(lines)


def _key(values: tuple) -> tuple:
    """A duplicate key as text: blanks (None, NaN, "") alike, whole numbers without a decimal point."""
    out = []
    for v in values:
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v == "":
            out.append("")
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        else:
            out.append(str(v.item() if hasattr(v, "item") else v))
    return tuple(out)


def rows_elsewhere(ds: Dataset, source_id: str, rel: str) -> list[str]:
    """The observation files other than `rel` whose rows cite `source_id`, as the loaded dataset knows them (its
    observations, and the rows it set aside for citing an unknown source)."""
    files = set()
    obs = ds.observations
    if len(obs):
        hit = (obs["source"] == source_id).to_numpy() & (obs["file"] != rel).to_numpy()
        files |= {str(f) for f in obs["file"][hit].unique()}
    files |= {p.file for p in ds.problems if p.field == "source" and p.value == source_id and p.file != rel
              and p.file.startswith(OBSERVATIONS_DIR + "/")}
    return sorted(files)


def validate_before_write(root: str | Path, source: dict | None, rows, *, replace: bool = False,
                          park: dict | None = None, dataset: Dataset | None = None) -> tuple[list[Problem], Dataset]:
    """What the loader would say once `park`, `source` and `rows` are written, without writing anything and
    without copying or reloading the data root.

    The new rows are the CSV text the writer would write, read back with the loader's reader and checked with its
    set-wise rules (`validate.validate_cells`, the control-character rule) against `dataset` — the data as
    loaded (`load_dataset(root)`, cached, when not given) with the new park and source in it: the catalogue, the
    parks, the sources, and the duplicate key of every loaded row. The entries are checked by the model; when one
    fails, the loader reads parks.yaml as it would be written, to locate its problems in the entry's block.

    Returns the problems the write brings — in the new CSV, in the entries' blocks of parks.yaml, and elsewhere
    (a row of an older file that the new file now duplicates first; rows of a replaced source whose scope no
    longer fits) — and the dataset as it would load (observations and quarantine built when first asked for).
    Raises SourceExists / ParkExists / SourceRowsElsewhere / InvalidInput like the writers would (an existing
    source or park even when it is the same: see above)."""
    base = Path(root)
    recover_if_journaled(base)
    if source is not None and not isinstance(source, dict):
        raise InvalidInput("来源应为字段表", "a source must be a mapping of fields")
    if park is not None and not isinstance(park, dict):
        raise InvalidInput("园区应为字段表", "a park must be a mapping of fields")
    source_id = _source_id_of(source, rows)
    rel = observations_rel(source_id)
    ds = dataset if dataset is not None else load_dataset(base)
    view = Dataset(root=base, parks=dict(ds.parks), sources=dict(ds.sources), indicators=ds.indicators,
                   blocked=dict(ds.blocked))
    problems: list[Problem] = []
    # the entries for parks.yaml: a park or a source that is there already is refused (a source unless replaced) —
    # also when it is the same: the question here is whether this import may go in (a form returned twice asks for
    # --replace); `save` itself takes a retry of a save that completed as done
    new_park = new_source = None
    if park is not None:
        pid = _check_id(park.get("id"), "park")
        if pid in ds.parks or ("parks", pid) in ds.blocked:
            raise ParkExists(pid)
        new_park = park
    old_source = ds.sources.get(source_id)
    if source is not None:
        there = source_id in ds.sources or ("sources", source_id) in ds.blocked
        if there and not replace:
            raise SourceExists(source_id)
        if not (old_source is not None and _model_ok(Source, source) == old_source):
            new_source = source
    if new_park is not None or new_source is not None:
        valid = True
        for model, entry in ((Park, new_park), (Source, new_source)):
            if entry is None:
                continue
            record = _model_ok(model, entry)
            texts = [t for v in entry.values() for t in (v if isinstance(v, list) else [v])]
            if record is None or any(isinstance(t, str) and CONTROL_CHARS.search(t) for t in texts) or (
                    model is Source and record.park not in view.parks):
                valid = False
                break
            (view.parks if model is Park else view.sources)[record.id] = record
            view.blocked.pop(("parks" if model is Park else "sources", record.id), None)
        if not valid:
            problems += _entry_problems(base, new_park, new_source, replace, view)
    if rows is not None and new_source is not None:
        elsewhere = rows_elsewhere(ds, source_id, rel)
        if elsewhere:
            raise SourceRowsElsewhere(source_id, elsewhere)
    # the rows: the writer's text, read and checked as the loader reads and checks a file
    clean: list[dict] = []
    held: list[dict] = []
    raw: dict[int, str] = {}
    rows_read = 0
    if rows is not None:
        text = observations_csv_text(rows, source_id)
        found: list[Problem] = []
        header, parsed, refused = read_csv(text, rel, found)
        held += [loader._quarantine_record(rel, r["line"], r["codes"], r["raw"]) for r in refused]
        missing = loader._header_problems(header, rel, found)
        rows_read = len(parsed) + len(refused)
        raw = {line: ",".join(cells) for line, cells in parsed}
        good: list[tuple[int, list[str]]] = []
        for line, cells in parsed:
            if missing:
                held.append(loader._quarantine_record(rel, line, "missing-csv-column", ",".join(cells)))
                continue
            if len(cells) != len(header):
                found.append(Problem.of("ragged-row", rel, line, detail=f"{len(cells)} cells, header has {len(header)}"))
                held.append(loader._quarantine_record(rel, line, "ragged-row", ",".join(cells)))
                continue
            controls = loader._control_row(header, cells, rel, line)
            if controls:
                found += controls
                held.append(loader._quarantine_record(rel, line, "control-character",
                                                      loader.shown_controls(",".join(cells))))
                continue
            good.append((line, cells))
        if good:  # the loader's own set-wise rules (validate.validate_cells), against the data as it would be
            columns = [pa.array([cells[i] for _, cells in good], pa.string()) for i in range(len(header))]
            result = validate.validate_cells(loader._canonical(columns, header, len(good)), view)
            found += [validate.locate(p, rel, good[row][0]) for row, _, p in result.problems]
            held += [loader._quarantine_record(rel, good[row][0], codes, ",".join(good[row][1]))
                     for row, codes in result.error_codes.items()]
            for row, rec in zip(result.clean_rows, result.clean.to_pylist()):
                clean.append(rec | {"file": rel, "line": good[row][0]})
        held.sort(key=lambda r: r["line"])   # problems are put in line order below, with the others
        problems += found
    # duplicates: the loader keeps the first row of a key in file-name and line order and sets the others aside
    obs = ds.observations
    older: dict[tuple, tuple[str, int]] = {}
    if clean and len(obs):
        parks_ = {r["park_id"] for r in clean}
        hit = obs["park_id"].isin(parks_).to_numpy() & (obs["file"] != rel).to_numpy()
        sub = obs.loc[hit, loader.KEY_COLUMNS + ["file", "line"]]
        for r in sub.itertuples(index=False):
            older.setdefault(_key(r[:len(loader.KEY_COLUMNS)]), (str(r.file), int(r.line)))
    first: dict[tuple, tuple[str, int]] = {}
    kept, displaced = [], []
    for rec in clean:
        k = _key(tuple(rec[c] for c in loader.KEY_COLUMNS))
        earlier = first.get(k)
        if earlier is None and k in older and older[k] < (rel, rec["line"]):
            earlier = older[k]
        if earlier is not None:
            p = Problem.of("duplicate-observation", rel, rec["line"], field="indicator_id", value=rec["indicator_id"],
                           detail=f"first at {earlier[0]}:{earlier[1]}")
            problems.append(p)
            held.append(loader._quarantine_record(rel, rec["line"], p.code, raw.get(rec["line"], "")))
            continue
        first[k] = (rel, rec["line"])
        kept.append(rec)
        if k in older:   # the new file comes first: the older file's row is now the repeat
            f, line = older[k]
            problems.append(Problem.of("duplicate-observation", f, line, field="indicator_id",
                                       value=rec["indicator_id"], detail=f"first at {rel}:{rec['line']}"))
            displaced.append((f, line))
    # a replaced source's rows in other files (an entry-only edit): its scope against theirs
    if new_source is not None and rows is None and source_id in view.sources and len(obs):
        scope, old_scope = view.sources[source_id].scope, old_source.scope if old_source else None
        hit = (obs["source"] == source_id).to_numpy() & (obs["file"] != rel).to_numpy()
        for r in obs.loc[hit, ["scope", "file", "line"]].itertuples(index=False):
            if str(r.scope) != scope and str(r.scope) == old_scope:
                problems.append(Problem.of("scope-mismatch", str(r.file), int(r.line), field="scope",
                                           value=str(r.scope), detail=f"{source_id} is {scope} scope"))
    problems.sort(key=lambda p: (p.file != PARKS_FILE, p.file != rel, p.file, p.line or 0))
    return problems, _after(ds, view, rel, rows is not None, problems, kept, held, displaced, rows_read)


def _after(ds: Dataset, view: Dataset, rel: str, replaces_file: bool, problems: list[Problem], kept: list[dict],
           held: list[dict], displaced: list[tuple[str, int]], rows_read: int) -> Dataset:
    """The dataset as it would load after the write (see _After)."""
    obs, quarantine = ds.observations, ds.quarantine
    gone = 0
    if replaces_file:
        gone = int((obs["file"] == rel).sum()) + int((quarantine["file"] == rel).sum()) if len(obs) or len(
            quarantine) else 0

    def observations() -> pd.DataFrame:
        keep = (obs["file"] != rel).to_numpy() if replaces_file and len(obs) else None
        old = obs[keep] if keep is not None else obs
        if displaced:
            mark = pd.Series(list(zip(old["file"].astype(str), old["line"])), index=old.index).isin(displaced)
            old = old[~mark.to_numpy()]
        new = pd.DataFrame(kept, columns=loader.OUTPUT_COLUMNS).astype(loader._DTYPES)
        if not len(new):
            return loader._as_built(old.reset_index(drop=True))
        new = loader._categorised(new)
        for c in loader.CATEGORY_COLUMNS:   # categories of the loaded frame's text type (Arrow-backed), to unite
            if isinstance(old[c].dtype, pd.CategoricalDtype) and isinstance(new[c].dtype, pd.CategoricalDtype):
                new[c] = new[c].astype(old[c].cat.categories.dtype).astype("category")
        return loader._as_built(loader._concat([old, new]).reset_index(drop=True))

    def quarantined() -> pd.DataFrame:
        old = quarantine[quarantine["file"] != rel] if replaces_file and len(quarantine) else quarantine
        extra = [loader._quarantine_record(f, line, "duplicate-observation", "") for f, line in displaced]
        return pd.concat([old, pd.DataFrame(held + extra, columns=loader.QUARANTINE_COLUMNS)], ignore_index=True)

    kept_problems = [p for p in ds.problems if not (replaces_file and p.file == rel)]
    return _After(observations, quarantined, root=ds.root, parks=view.parks, sources=view.sources,
                  indicators=ds.indicators, tasks=ds.tasks, problems=kept_problems + problems,
                  rows_read=ds.rows_read - gone + rows_read, blocked=view.blocked)


def _unified(old: str, new: str, rel: str, is_new: bool) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile="/dev/null" if is_new else f"a/{rel}", tofile=f"b/{rel}"))


def diff_preview(root: str | Path, source_id: str, rows, *, source: dict | None = None,
                 replace: bool = False) -> str:
    """A unified diff of what the write would change: parks.yaml (when a source is given) and the CSV (new, or
    replacing the existing file), for the editor to confirm. Writes nothing."""
    recover_if_journaled(root)
    return plan(root, source, rows, replace=replace, source_id=source_id).diff()
