"""The new text of each data file: a source or a park inserted into parks.yaml as text (every comment and line
of the editor's layout kept), a basis or an indicator into data/indicators.yaml, the rows of an observation CSV."""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from pathlib import Path

import pandas as pd
import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .. import loader
from ..loader import CONTROL_CHARS, INDICATORS_FILE, PARKS_FILE
from ..model import OBSERVATION_COLUMNS, Park, Source
from ..problems import Problem
from ..yamlfile import LineList, read_yaml
from .files import (_DATE, _Change, _check_id, _check_text, _commit, _decode, _encode, _lines, _locked, _newline_of,
                    _recover_locked, _safe_path, _with_newline)
from .refusals import InvalidInput, ParkExists, SourceExists, _require_editor


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
