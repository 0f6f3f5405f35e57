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

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..loader import OBSERVATIONS_DIR, PARKS_FILE
from ..read import list_files, read_csv
from .checks import _source_id_of, rows_elsewhere, validate_before_write
from .files import (JOURNAL, _Change, _check_id, _check_text, _commit, _decode, _encode, _locked, _read_bytes,
                    _recover_locked, _safe_path, _stale, _Style, _version, load, observations_rel, recover,
                    recover_if_journaled, version)
from .refusals import (EDITOR_ENV, DiskFull, EditorModeOff, InvalidInput, ObservationsExist, ParkExists, SourceExists,
                       SourceRowsElsewhere, StaleDiff, UnsafePath, WriteFailed, WriteRefused, _require_editor,
                       editor_mode)
from .texts import (_check_rows, _read_parks, _same, add_indicator, add_indicator_basis, add_park, add_source,
                    catalogue_text_with_basis, catalogue_text_with_indicator, observations_csv_text,
                    parks_text_with_park, parks_text_with_source)


__all__ = ["EDITOR_ENV", "JOURNAL", "DiskFull", "EditorModeOff", "InvalidInput", "ObservationsExist", "ParkExists",
           "Plan", "SourceExists", "SourceRowsElsewhere", "StaleDiff", "UnsafePath", "WriteFailed", "WriteRefused",
           "add_indicator", "add_indicator_basis", "add_park", "add_source", "catalogue_text_with_basis",
           "catalogue_text_with_indicator", "diff_preview", "editor_mode", "files_citing", "load",
           "observations_csv_text", "observations_rel", "parks_text_with_park", "parks_text_with_source", "plan",
           "recover", "recover_if_journaled", "rows_elsewhere", "save", "validate_before_write", "version",
           "write_observations"]

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


def _unified(old: str, new: str, rel: str, is_new: bool) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile="/dev/null" if is_new else f"a/{rel}", tofile=f"b/{rel}"))


def diff_preview(root: str | Path, source_id: str, rows, *, source: dict | None = None,
                 replace: bool = False) -> str:
    """A unified diff of what the write would change: parks.yaml (when a source is given) and the CSV (new, or
    replacing the existing file), for the editor to confirm. Writes nothing."""
    recover_if_journaled(root)
    return plan(root, source, rows, replace=replace, source_id=source_id).diff()


def write_observations(root: str | Path, source_id: str, rows: pd.DataFrame | list[dict], *,
                       overwrite: bool = False) -> Path:
    """Write data/observations/<source_id>.csv; refuse to replace an existing file unless overwrite=True (writing
    exactly what the file already holds is a no-op: a retry)."""
    _require_editor()
    _check_id(source_id)
    save(root, None, rows, replace=overwrite, source_id=source_id)
    return _safe_path(root, observations_rel(source_id))
