"""The files a save touches: ids and paths inside the root, a file's own style (BOM, line endings), and all or
nothing — temporary files, the journal, the lock, recovery — with the version a diff was made from."""
from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import json
import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from .. import loader
from ..loader import CONTROL_CHARS, OBSERVATIONS_DIR, PARKS_FILE, Dataset, load_dataset
from ..model import id_problem
from .refusals import InvalidInput, ObservationsExist, UnsafePath, WriteFailed, _failed, editor_mode


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
JOURNAL = ".parkmetrics-save.json"   # in the data root, only while a save is being applied
_TMP = ".save.tmp"                   # temporary files: .<target name>.<random>.save.tmp beside their target
_STRAY = re.compile(r"^\..+\.[0-9a-f]{16}\.save\.tmp$|^\.(parks\.yaml|indicators\.yaml|.+\.csv)\.[A-Za-z0-9_]{8}\.tmp$")
_BOM = b"\xef\xbb\xbf"


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
