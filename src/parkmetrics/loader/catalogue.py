"""parks.yaml and data/indicators.yaml: YAML records validated by the model, each problem at its line."""
from __future__ import annotations

import threading
from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..model import Indicator, Park, Source
from ..problems import Problem
from ..read import read_text
from ..units import UNITS, family
from ..yamlfile import LineDict, has_duplicate_keys, line_of, read_yaml
from .controls import _control_record
from .dataset import INDICATORS_FILE, PARKS_FILE, Dataset


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
    try:   # (list.index: the units' line is looked up for every indicator, and a loop here cost 20,000 line_of calls)
        i = data[section].item_lines.index(index_line)
    except ValueError:
        return index_line
    return line_of(data, (section, i, fld)) or index_line


# What the last few YAML texts gave (records, problems, blocked ids): parks.yaml at 3,000 parks takes 2.5 s to parse
# and validate, and an edit to one CSV should not do it again. Keyed on the text itself, so any edit is read anew.
_TEXT_CACHE: dict[tuple[str, str], Dataset] = {}
_TEXT_LOCK = threading.Lock()
_TEXT_KEPT = 4


def _from_text(root: Path, rel: str, ds: Dataset, fill) -> None:
    """Read `rel` and merge into `ds` what `fill(text, part)` puts into a fresh Dataset `part`, which depends on
    the text alone; the outcome is kept for the same text (nothing mutates it: the loader only reads records)."""
    text = read_text(root, rel, ds.problems)
    if text is None:
        return
    with _TEXT_LOCK:
        part = _TEXT_CACHE.get((rel, text))
    if part is None:
        part = Dataset(root=root)
        fill(text, part)
        with _TEXT_LOCK:
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
