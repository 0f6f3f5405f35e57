"""The one writer of data files: a source in parks.yaml and data/observations/<source>.csv (the import page).

Rules, each for a reason:
- Editor mode only: every writer refuses unless PARKMETRICS_EDITOR=1 is set when it is called, so a public
  deployment can never change its data. Reading, validating and previewing need no editor mode.
- parks.yaml keeps every comment, quote and line of the editor's layout: the new source is rendered on its own
  (ruamel.yaml, round-trip) and inserted as text after the last source, so the diff is exactly the added block.
- The same id rule as the model (`model.id_problem`: ≤ 64 characters, no white space or control character, not a
  Windows device name such as con or com1).
- The same rules as the loader, by construction: `validate_before_write` writes into a temporary copy of the data
  root with the functions below and runs `loader.load_dataset` on it — there is no second validator.
- Atomic: a temporary file in the target's directory, fsync, then os.replace (or os.link when the file must not
  exist yet); a failure leaves the old file as it was and no temporary file behind. Nothing is written through a
  symlink, so nothing can land outside the data root.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import fcntl
import io
import math
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

import pandas as pd
import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .loader import INDICATORS_FILE, OBSERVATIONS_DIR, PARKS_FILE, Dataset, load_dataset
from .model import OBSERVATION_COLUMNS, Park, Source, id_problem
from .problems import Problem
from .yamlfile import read_yaml

EDITOR_ENV = "PARKMETRICS_EDITOR"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def editor_mode() -> bool:
    """Writing is allowed only when PARKMETRICS_EDITOR=1 (read at call time, so a test can set it)."""
    return os.environ.get(EDITOR_ENV) == "1"


def _require_editor() -> None:
    if not editor_mode():
        raise EditorModeOff()


# --- paths and atomic writes --------------------------------------------------------------------------------


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


def _atomic_write(path: Path, text: str, *, overwrite: bool = True) -> None:
    """Write `text` (UTF-8, no BOM, as given: "\\n" newlines) to `path` all at once or not at all."""
    data = text.encode("utf-8")
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600; keep the file readable as the old one was
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if the file appeared meanwhile: never clobbers
            os.unlink(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)


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


def parks_text_with_source(text: str, source: dict, *, replace: bool = False) -> tuple[str, tuple[int, int]]:
    """parks.yaml's text with `source` added after the last source (or put in place of the one with its id).

    Returns the new text and the 1-based line range (first, last) of the source's block in it.
    """
    if not isinstance(source, dict):
        raise InvalidInput("来源应为字段表", "a source must be a mapping of fields")
    sid = _check_id(source.get("id"))
    before, problems = read_yaml(text, PARKS_FILE)   # the loader's own reader, with its guards (alias bombs…)
    if before is None:
        raise InvalidInput("parks.yaml 无法读取，请先修正：" + "；".join(p.message("zh") for p in problems),
                           "parks.yaml cannot be read; fix it first: " + "; ".join(p.message("en") for p in problems))
    y = _yaml()
    data = y.load(text)
    if not isinstance(data, CommentedMap):
        raise InvalidInput("parks.yaml 顶层应为映射", "parks.yaml must be a mapping at the top level")
    seq = data.get("sources")
    ids = [item.get("id") if isinstance(item, dict) else None for item in seq or []]
    if sid in ids and not replace:
        raise SourceExists(sid)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if not isinstance(seq, CommentedSeq) or not seq or seq.fa.flow_style():
        return _parks_text_reformatted(y, data, source, sid, replace)
    first_line, first_col = seq.lc.item(0)
    dash = lines[first_line].index("-")
    # Where the block goes: in place of the old entry, or after the last one (before the blank lines and
    # comments that lead to whatever follows the sources list).
    keys = list(data)
    after = keys[keys.index("sources") + 1:]
    end_of_list = data.lc.key(after[0])[0] if after else len(lines)
    if sid in ids:
        i = ids.index(sid)
        start = seq.lc.item(i)[0]
        stop = seq.lc.item(i + 1)[0] if i + 1 < len(seq) else end_of_list
    else:
        start = stop = end_of_list
    while stop > 0 and stop - 1 >= (start if sid in ids else 0) and _is_blank_or_comment(lines[stop - 1]):
        stop -= 1
    if sid not in ids:
        start = stop
    y.indent(mapping=2, sequence=first_col, offset=dash)
    buf = io.StringIO()
    y.dump(CommentedMap([("sources", CommentedSeq([_source_map(source)]))]), buf)
    block = buf.getvalue().splitlines(keepends=True)[1:]  # without the "sources:" line
    new = "".join(lines[:start] + block + lines[stop:])
    if not _reads_back(before, new, source, ids.index(sid) if sid in ids else None):
        return _parks_text_reformatted(y, y.load(text), source, sid, replace)  # an unusual layout: dump it all
    return new, (start + 1, start + len(block))


def _same(read: object, written: object) -> bool:
    if isinstance(read, (dt.date, dt.datetime)) and isinstance(written, str):
        return read.isoformat() == written
    return read == written


def _reads_back(before: dict, text: str, source: dict, replaced: int | None) -> bool:
    """Does the loader read the new text as the old one with exactly this source added (or replaced)?"""
    after, _ = read_yaml(text, PARKS_FILE)
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


def _parks_text_reformatted(y: YAML, data: CommentedMap, source: dict, sid: str, replace: bool
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
    text = buf.getvalue()
    lines = text.splitlines()
    first = next(n for n, line in enumerate(lines, 1) if re.match(rf"^\s*-\s+id:\s*['\"]?{sid}['\"]?\s*$", line))
    last = first
    while last < len(lines) and lines[last].startswith(" ") and not lines[last].lstrip().startswith("- "):
        last += 1
    return text, (first, last)


@contextlib.contextmanager
def _locked(directory: Path):
    """One writer at a time per directory (two editors adding sources at once must not lose one): flock on the
    directory itself, so no lock file is left in the data root. Sessions are threads of one process: each call
    opens its own descriptor, and flock excludes across descriptors."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def add_source(root: str | Path, source: dict, *, replace: bool = False) -> Path:
    """Add `source` to parks.yaml's sources (or replace the one with its id when replace=True)."""
    _require_editor()
    path = _safe_path(root, PARKS_FILE)
    with _locked(path.parent):  # read, change and write back as one step
        text, _ = parks_text_with_source(path.read_text(encoding="utf-8"), source, replace=replace)
        _atomic_write(path, text)
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
    before, problems = read_yaml(text, PARKS_FILE)
    if before is None:
        raise InvalidInput("parks.yaml 无法读取，请先修正：" + "；".join(p.message("zh") for p in problems),
                           "parks.yaml cannot be read; fix it first: " + "; ".join(p.message("en") for p in problems))
    y = _yaml()
    data = y.load(text)
    seq = data.get("parks") if isinstance(data, CommentedMap) else None
    if not isinstance(seq, CommentedSeq) or not seq or seq.fa.flow_style():
        raise InvalidInput("parks.yaml 的 parks 列表不是常规的块格式，请手工添加园区",
                           "the parks list in parks.yaml is not in the usual block layout; add the park by hand")
    if pid in [item.get("id") if isinstance(item, dict) else None for item in seq]:
        raise ParkExists(pid)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    first_line, first_col = seq.lc.item(0)
    dash = lines[first_line].index("-")
    keys = list(data)
    after = keys[keys.index("parks") + 1:]
    stop = data.lc.key(after[0])[0] if after else len(lines)
    while stop > 0 and _is_blank_or_comment(lines[stop - 1]):
        stop -= 1
    y.indent(mapping=2, sequence=first_col, offset=dash)
    buf = io.StringIO()
    y.dump(CommentedMap([("parks", CommentedSeq([_park_map(park)]))]), buf)
    block = buf.getvalue().splitlines(keepends=True)[1:]
    new = "".join(lines[:stop] + block + lines[stop:])
    read, _ = read_yaml(new, PARKS_FILE)
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
    path = _safe_path(root, PARKS_FILE)
    with _locked(path.parent):
        text, _ = parks_text_with_park(path.read_text(encoding="utf-8"), park)
        _atomic_write(path, text)
    return path


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
    new = out.getvalue()
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
    path = _safe_path(root, INDICATORS_FILE)
    with _locked(path.parent):
        _atomic_write(path, catalogue_text_with_basis(path.read_text(encoding="utf-8"), indicator_id, basis))
    return path


def add_indicator(root: str | Path, indicator: dict) -> Path:
    """Append a new indicator to data/indicators.yaml (the editor completes its 口径 there)."""
    _require_editor()
    path = _safe_path(root, INDICATORS_FILE)
    with _locked(path.parent):
        _atomic_write(path, catalogue_text_with_indicator(path.read_text(encoding="utf-8"), indicator))
    return path


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


def observations_csv_text(rows: pd.DataFrame | list[dict], source_id: str | None = None) -> str:
    """The CSV text for `rows`: header model.OBSERVATION_COLUMNS, every field quoted by the csv module where it
    needs it, "\\n" newlines. An empty `source` is filled with `source_id`; an unknown column is refused (it would
    otherwise vanish without a word)."""
    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else [dict(r) for r in rows]
    unknown = sorted({k for r in records for k in r} - set(OBSERVATION_COLUMNS))
    if unknown:
        raise InvalidInput(f"未知的列：{', '.join(unknown)}；允许的列：{', '.join(OBSERVATION_COLUMNS)}",
                           f"unknown columns: {', '.join(unknown)}; allowed: {', '.join(OBSERVATION_COLUMNS)}")
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    out.writerow(OBSERVATION_COLUMNS)
    for r in records:
        if source_id and not _cell(r.get("source")):
            r = r | {"source": source_id}
        out.writerow([_cell(r.get(c)) for c in OBSERVATION_COLUMNS])
    return buf.getvalue()


def write_observations(root: str | Path, source_id: str, rows: pd.DataFrame | list[dict], *,
                       overwrite: bool = False) -> Path:
    """Write data/observations/<source_id>.csv; refuse to replace an existing file unless overwrite=True."""
    _require_editor()
    return _write_observations(root, source_id, rows, overwrite=overwrite)


def _write_observations(root: str | Path, source_id: str, rows, *, overwrite: bool) -> Path:
    rel = observations_rel(source_id)
    text = observations_csv_text(rows, source_id)
    path = _safe_path(root, rel)
    with _locked(path.parent):
        if path.exists() and not overwrite:
            raise ObservationsExist(rel)
        _atomic_write(path, text, overwrite=overwrite)
    return path


# --- before writing: the loader's verdict, and the diff --------------------------------------------------------


def _source_id_of(source: dict | None, rows) -> str:
    if source is not None:
        return _check_id(source.get("id") if isinstance(source, dict) else None)
    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows or [])
    ids = {str(r.get("source") or "").strip() for r in records} - {""}
    if len(ids) != 1:
        raise InvalidInput("无法确定来源编号：请给出来源，或让所有行引用同一来源",
                           "cannot tell the source id: pass the source, or let every row cite one source")
    return _check_id(ids.pop())


def _problem_key(p: Problem) -> tuple:
    return (p.code, p.file, p.line, p.field, str(p.value))


def validate_before_write(root: str | Path, source: dict | None, rows, *, replace: bool = False
                          ) -> tuple[list[Problem], Dataset]:
    """What the loader would say once `source` and `rows` are written, without writing anything under `root`.

    Builds a temporary copy of the data root (parks.yaml and data/), writes the source and the CSV into it with
    the writer's own functions, and loads it with `loader.load_dataset`. Returns the problems that concern the
    new source or file — in the new CSV, in the source's block of parks.yaml, or anywhere else that the
    unchanged data did not have (a duplicate reported in an older file) — and the dataset as it would load.
    Raises SourceExists / InvalidInput like the writers would.
    """
    base = Path(root)
    source_id = _source_id_of(source, rows)
    with tempfile.TemporaryDirectory(prefix="parkmetrics-validate-") as tmp:
        copy = Path(tmp)
        shutil.copy(base / PARKS_FILE, copy / PARKS_FILE)
        shutil.copytree(base / "data", copy / "data")
        block = None
        if source is not None:
            text, block = parks_text_with_source((copy / PARKS_FILE).read_text(encoding="utf-8"), source,
                                                 replace=replace)
            _atomic_write(copy / PARKS_FILE, text)
        rel = observations_rel(source_id)
        if rows is not None:
            (copy / OBSERVATIONS_DIR).mkdir(parents=True, exist_ok=True)
            _write_observations(copy, source_id, rows, overwrite=True)
        ds = load_dataset(copy)
    ds.root = base
    before = {_problem_key(p) for p in load_dataset(base).problems}

    def concerns(p: Problem) -> bool:
        if p.file == rel:
            return True
        if p.file == PARKS_FILE and block is not None and p.line is not None and block[0] <= p.line <= block[1]:
            return True
        return _problem_key(p) not in before

    return [p for p in ds.problems if concerns(p)], ds


def _unified(old: str, new: str, rel: str, is_new: bool) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile="/dev/null" if is_new else f"a/{rel}", tofile=f"b/{rel}"))


def diff_preview(root: str | Path, source_id: str, rows, *, source: dict | None = None,
                 replace: bool = False) -> str:
    """A unified diff of what the write would change: parks.yaml (when a source is given) and the CSV (new, or
    replacing the existing file), for the editor to confirm. Writes nothing."""
    base = Path(root)
    parts = []
    if source is not None:
        old = (base / PARKS_FILE).read_text(encoding="utf-8")
        new, _ = parks_text_with_source(old, source, replace=replace)
        parts.append(_unified(old, new, PARKS_FILE, False))
    if rows is not None:
        rel = observations_rel(source_id)
        path = base / rel
        old = path.read_text(encoding="utf-8-sig") if path.exists() else ""
        parts.append(_unified(old, observations_csv_text(rows, source_id), rel, not path.exists()))
    return "".join(parts)
