"""Load and validate parks.yaml, data/indicators.yaml and data/observations/*.csv.

Every problem is collected (never stop at the first), typed and located. A record or row with an error is
quarantined and reported; the valid rest loads. Nothing is silently dropped: len(observations) +
len(quarantine) always equals the number of data rows read.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ValidationError

from .model import (BASIS_UNIT, COMPARATOR_ALIASES, OBSERVATION_COLUMNS, REQUIRED_COLUMNS, TASK_COLUMNS, Basis,
                    Comparator, Indicator, Kind, Park, Scope, Source, TargetLevel)
from .problems import Problem
from .units import UNITS, convert
from .yamlfile import LineDict, line_of, read_yaml

PARKS_FILE = "parks.yaml"
INDICATORS_FILE = "data/indicators.yaml"
OBSERVATIONS_DIR = "data/observations"
TASKS_FILE = "data/tasks.csv"
YEAR_RANGE = (2000, 2050)

KEY_COLUMNS = ["park_id", "scope", "indicator_id", "year", "kind", "target_level", "basis"]
FATAL_CODES = {"yaml-syntax", "file-missing", "encoding-unreadable"}


@dataclass
class Dataset:
    root: Path
    parks: dict[str, Park] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    observations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OBSERVATION_COLUMNS))
    quarantine: pd.DataFrame = field(default_factory=pd.DataFrame)
    tasks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TASK_COLUMNS))
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0

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
        """A whole file could not be read: what it holds is missing, not merely a few rows."""
        return any(p.code in FATAL_CODES for p in self.problems)


def data_files(root: Path) -> list[Path]:
    root = Path(root)
    files = [root / PARKS_FILE, root / INDICATORS_FILE, root / TASKS_FILE]
    files += sorted((root / OBSERVATIONS_DIR).glob("*.csv"))
    return files


def fingerprint(root: Path) -> str:
    """Changes whenever any data file is added, removed or edited (size or mtime)."""
    h = hashlib.sha1()
    for f in data_files(root):
        try:
            st = f.stat()
            h.update(f"{f}:{st.st_size}:{st.st_mtime_ns};".encode())
        except FileNotFoundError:
            h.update(f"{f}:-;".encode())
    return h.hexdigest()


# --- text files ---------------------------------------------------------------------------------------------

def read_text(path: Path, rel: str, problems: list[Problem]) -> str | None:
    """Read UTF-8 (with or without Excel's BOM); fall back to GBK with a warning; otherwise report."""
    if not path.exists():
        problems.append(Problem.of("file-missing", rel))
        return None
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        line = raw[: utf8_error.start].count(b"\n") + 1
        problems.append(Problem.of("encoding-unreadable", rel, line, detail=str(utf8_error)))
        return None
    problems.append(Problem.of("encoding-gbk", rel, 1))
    return text


# --- YAML records -------------------------------------------------------------------------------------------

_PYDANTIC_CODES = {"missing": "missing-field", "extra_forbidden": "unknown-field", "literal_error": "invalid-choice",
                   "enum": "invalid-choice"}


def _validate_records(data: object, section: str, model: type[BaseModel], rel: str,
                      problems: list[Problem]) -> list[BaseModel]:
    """Validate each record on its own, so one bad record never hides the others."""
    if not isinstance(data, dict) or section not in data:
        problems.append(Problem.of("missing-field", rel, getattr(data, "line", 1), field=section))
        return []
    items = data[section]
    if not isinstance(items, list):
        problems.append(Problem.of("wrong-type", rel, line_of(data, (section,)), field=section,
                                   detail="expected a list of records"))
        return []
    out: list[BaseModel] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        try:
            record = model.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                loc = (section, i, *err["loc"])
                fld = ".".join(str(p) for p in err["loc"]) or None
                value = err.get("input") if err["type"] != "missing" else None
                if isinstance(value, dict):
                    value = None
                problems.append(Problem.of(_PYDANTIC_CODES.get(err["type"], "wrong-type"), rel, line_of(data, loc),
                                           field=fld, value=value, detail=err["msg"]))
            continue
        rid = record.id
        line = line_of(data, (section, i))
        if rid in seen:
            problems.append(Problem.of("duplicate-id", rel, line, field="id", value=rid,
                                       detail=f"first at line {seen[rid]}"))
            continue
        seen[rid] = line
        out.append(record)
    return out


def _check_top_level(data: object, allowed: set[str], rel: str, problems: list[Problem]) -> None:
    if isinstance(data, LineDict):
        for key in data:
            if key not in allowed:
                problems.append(Problem.of("unknown-field", rel, data.key_lines.get(key), field=str(key)))
    elif data is not None:
        problems.append(Problem.of("wrong-type", rel, 1, detail="expected a mapping at the top level"))


def load_parks(root: Path, ds: Dataset) -> None:
    text = read_text(root / PARKS_FILE, PARKS_FILE, ds.problems)
    if text is None:
        return
    data, problems = read_yaml(text, PARKS_FILE)
    ds.problems += problems
    if data is None:
        return
    _check_top_level(data, {"parks", "sources"}, PARKS_FILE, ds.problems)
    ds.parks = {p.id: p for p in _validate_records(data, "parks", Park, PARKS_FILE, ds.problems)}
    for i, src in enumerate(_validate_records(data, "sources", Source, PARKS_FILE, ds.problems)):
        if src.park not in ds.parks:
            ds.problems.append(Problem.of("unknown-park", PARKS_FILE, _record_line(data, "sources", src.id, "park"),
                                          field="park", value=src.park))
            continue
        ds.sources[src.id] = src


def load_indicators(root: Path, ds: Dataset) -> None:
    text = read_text(root / INDICATORS_FILE, INDICATORS_FILE, ds.problems)
    if text is None:
        return
    data, problems = read_yaml(text, INDICATORS_FILE)
    ds.problems += problems
    if data is None:
        return
    _check_top_level(data, {"indicators"}, INDICATORS_FILE, ds.problems)
    indicators = {i.id: i for i in _validate_records(data, "indicators", Indicator, INDICATORS_FILE, ds.problems)}
    for ind in list(indicators.values()):
        for ref_field in ("parent", "subset_of"):
            ref = getattr(ind, ref_field)
            if ref is not None and ref not in indicators:
                ds.problems.append(Problem.of("unknown-indicator", INDICATORS_FILE,
                                              _record_line(data, "indicators", ind.id, ref_field),
                                              field=ref_field, value=ref))
        for unit in ind.allowed_units():
            if unit not in UNITS:
                ds.problems.append(Problem.of("unit-not-allowed", INDICATORS_FILE,
                                              _record_line(data, "indicators", ind.id, "unit"),
                                              field="unit", value=unit, detail="not a known unit"))
    ds.indicators = indicators


def _record_line(data: object, section: str, rid: str, fld: str) -> int | None:
    for i, item in enumerate(data.get(section) or []):
        if isinstance(item, dict) and item.get("id") == rid:
            return line_of(data, (section, i, fld))
    return None


# --- CSV rows -----------------------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_TRUE = {"true", "1", "yes", "y", "是", "√"}
_FALSE = {"", "false", "0", "no", "n", "否"}


def _normalise(raw: str, rel: str, line: int, fld: str, problems: list[Problem]) -> str:
    """NFKC turns full-width digits and signs (５６.８, ％, ，) into half-width ones; say so."""
    text = raw.strip()
    norm = unicodedata.normalize("NFKC", text)
    if norm != text:
        problems.append(Problem.of("fullwidth-normalised", rel, line, field=fld, value=raw, detail=f"read as {norm!r}"))
    return norm


def parse_number(raw: str, rel: str, line: int, fld: str, problems: list[Problem]) -> float | None:
    text = _normalise(raw, rel, line, fld, problems)
    if _THOUSANDS.match(text):
        problems.append(Problem.of("thousands-separator", rel, line, field=fld, value=raw))
        text = text.replace(",", "")
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem.of("not-a-number", rel, line, field=fld, value=raw))
        return None
    if value != value or value in (float("inf"), float("-inf")):
        problems.append(Problem.of("not-a-number", rel, line, field=fld, value=raw))
        return None
    return value


def _parse_year(raw: str, rel: str, line: int, fld: str, problems: list[Problem]) -> int | None:
    value = parse_number(raw, rel, line, fld, problems)
    if value is None:
        return None
    if value != int(value) or not YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
        problems.append(Problem.of("year-out-of-range", rel, line, field=fld, value=raw))
        return None
    return int(value)


def _parse_choice(raw: str, choices: type, rel: str, line: int, fld: str, problems: list[Problem]) -> str | None:
    text = raw.strip()
    allowed = [c.value for c in choices]
    if text not in allowed:
        problems.append(Problem.of("invalid-choice", rel, line, field=fld, value=raw,
                                   detail="allowed: " + ", ".join(allowed)))
        return None
    return text


def _parse_flag(raw: str, rel: str, line: int, fld: str, problems: list[Problem]) -> bool | None:
    text = raw.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    problems.append(Problem.of("invalid-choice", rel, line, field=fld, value=raw, detail="allowed: true, false"))
    return None


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "十": 10, "首": 1}


def figure_in_quote(value: float, quote: str) -> bool:
    """Does the figure appear in the quote as written — in digits at any scale, or as a Chinese numeral?"""
    q = re.sub(r"\s+", "", unicodedata.normalize("NFKC", quote))
    q = re.sub(r"(?<=\d),(?=\d{3})", "", q)  # 1,500 → 1500
    if value == 0:
        return "0" in q or "零" in q
    for scale in (1, 1e-4, 1e-8, 1e4, 1e8, 100, 0.01):
        v = abs(value) * scale
        if 0 < v < 1e9:
            for digits in range(4):
                s = f"{v:.{digits}f}"
                if abs(float(s) - v) < 1e-9 * max(1.0, v):
                    s = s.rstrip("0").rstrip(".") if "." in s else s
                    if re.search(rf"(?<![\d.]){re.escape(s)}(?![\d])", q):
                        return True
                    break
    return any(v == abs(value) and ch in q for ch, v in _CN_DIGITS.items())


def read_csv_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and each data row with the line it starts on (quoted newlines keep their line)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    line = 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        if header is None:
            header = [c.strip() for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue  # a blank line is layout, not a row
        rows.append((start, cells))
    return header or [], rows


def validate_observation(rec: dict[str, str], rel: str, line: int, ds: Dataset) -> tuple[dict | None, list[Problem]]:
    """Check one CSV row. Returns (clean row, problems); the row is None when any problem is an error."""
    p: list[Problem] = []
    park_id = rec.get("park_id", "").strip()
    if park_id not in ds.parks:
        p.append(Problem.of("unknown-park", rel, line, field="park_id", value=park_id))
    scope = _parse_choice(rec.get("scope", ""), Scope, rel, line, "scope", p)
    ind_id = rec.get("indicator_id", "").strip()
    indicator = ds.indicators.get(ind_id)
    if indicator is None:
        p.append(Problem.of("unknown-indicator", rel, line, field="indicator_id", value=ind_id))
    year = _parse_year(rec.get("year", ""), rel, line, "year", p)
    baseline_year = None
    if rec.get("baseline_year", "").strip():
        baseline_year = _parse_year(rec["baseline_year"], rel, line, "baseline_year", p)
        if baseline_year is not None and year is not None and baseline_year >= year:
            p.append(Problem.of("year-out-of-range", rel, line, field="baseline_year", value=rec["baseline_year"],
                                detail="the baseline year must come before the year"))
    kind = _parse_choice(rec.get("kind", ""), Kind, rel, line, "kind", p)
    target_level = rec.get("target_level", "").strip() or None
    if kind == Kind.target and target_level not in {t.value for t in TargetLevel}:
        p.append(Problem.of("target-level-mismatch", rel, line, field="target_level", value=target_level or ""))
    if kind == Kind.actual and target_level is not None:
        p.append(Problem.of("target-level-mismatch", rel, line, field="target_level", value=target_level))
    value = parse_number(rec.get("value", ""), rel, line, "value", p)
    unit = _normalise(rec.get("unit", ""), rel, line, "unit", p)
    comparator = _normalise(rec.get("comparator", ""), rel, line, "comparator", p)
    comparator = _parse_choice(COMPARATOR_ALIASES.get(comparator, comparator) or "=", Comparator, rel, line,
                               "comparator", p)
    basis = _parse_choice(rec.get("basis", ""), Basis, rel, line, "basis", p)
    if indicator is not None and basis is not None:
        if basis not in indicator.bases:
            p.append(Problem.of("basis-not-allowed", rel, line, field="basis", value=basis,
                                detail=f"{ind_id} allows: {', '.join(indicator.bases)}"))
        expected = BASIS_UNIT[Basis(basis)]
        allowed = [expected] if expected else indicator.allowed_units()
        if unit not in allowed:
            p.append(Problem.of("unit-not-allowed", rel, line, field="unit", value=unit,
                                detail=f"expected: {', '.join(allowed)}"))
    estimate = _parse_flag(rec.get("estimate", ""), rel, line, "estimate", p)
    approximate = _parse_flag(rec.get("approximate", ""), rel, line, "approximate", p)
    source_id = rec.get("source", "").strip()
    source = ds.sources.get(source_id)
    if not source_id:
        p.append(Problem.of("missing-source", rel, line, field="source"))
    elif source is None:
        p.append(Problem.of("unknown-source", rel, line, field="source", value=source_id))
    quote = rec.get("quote", "")
    if not quote.strip():
        p.append(Problem.of("missing-quote", rel, line, field="quote"))
    elif value is not None and not figure_in_quote(value, quote):
        p.append(Problem.of("figure-not-in-quote", rel, line, field="value", value=rec.get("value")))
    if source is not None and scope is not None and source.scope != scope:
        p.append(Problem.of("scope-mismatch", rel, line, field="scope", value=scope,
                            detail=f"{source_id} is {source.scope} scope"))
    if any(x.is_error for x in p):
        return None, p
    # Normalise to the indicator's canonical unit before any arithmetic.
    value_std, unit_std = value, unit
    if BASIS_UNIT[Basis(basis)] is None and unit != indicator.unit:
        value_std, unit_std = convert(value, unit, indicator.unit), indicator.unit
    return {
        "park_id": park_id, "scope": scope, "indicator_id": ind_id, "year": year, "baseline_year": baseline_year,
        "kind": kind, "target_level": target_level, "value": value, "unit": unit, "comparator": comparator,
        "basis": basis, "estimate": bool(estimate), "approximate": bool(approximate), "source": source_id,
        "quote": quote.strip(), "note": rec.get("note", "").strip() or None,
        "value_std": value_std, "unit_std": unit_std, "file": rel, "line": line,
    }, p


def load_observations(root: Path, ds: Dataset) -> None:
    rows: list[dict] = []
    quarantine: list[dict] = []
    seen: dict[tuple, str] = {}
    files = sorted((root / OBSERVATIONS_DIR).glob("*.csv"))
    if not files:
        ds.problems.append(Problem.of("file-missing", f"{OBSERVATIONS_DIR}/*.csv"))
    for path in files:
        rel = path.relative_to(root).as_posix()
        text = read_text(path, rel, ds.problems)
        if text is None:
            continue
        header, data_rows = read_csv_rows(text)
        ds.rows_read += len(data_rows)
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        for col in missing:
            ds.problems.append(Problem.of("missing-csv-column", rel, 1, field=col))
        for col in header:
            if col not in OBSERVATION_COLUMNS:
                ds.problems.append(Problem.of("unknown-csv-column", rel, 1, field=col))
        for line, cells in data_rows:
            raw = dict(zip(header, cells))
            if missing:
                quarantine.append({"file": rel, "line": line, "codes": "missing-csv-column", "raw": ",".join(cells)})
                continue
            if len(cells) != len(header):
                problem = Problem.of("ragged-row", rel, line, detail=f"{len(cells)} cells, header has {len(header)}")
                ds.problems.append(problem)
                quarantine.append({"file": rel, "line": line, "codes": problem.code, "raw": ",".join(cells)})
                continue
            clean, problems = validate_observation(raw, rel, line, ds)
            if clean is not None:
                key = tuple(clean[c] for c in KEY_COLUMNS)
                if key in seen:
                    problems.append(Problem.of("duplicate-observation", rel, line, field="indicator_id",
                                               value=clean["indicator_id"], detail=f"first at {seen[key]}"))
                    clean = None
                else:
                    seen[key] = f"{rel}:{line}"
            ds.problems += problems
            if clean is None:
                codes = sorted({x.code for x in problems if x.is_error})
                quarantine.append({"file": rel, "line": line, "codes": " ".join(codes), "raw": ",".join(cells)})
            else:
                rows.append(clean)
    columns = OBSERVATION_COLUMNS + ["value_std", "unit_std", "file", "line"]
    ds.observations = pd.DataFrame(rows, columns=columns).astype(
        {"year": "int64", "baseline_year": "Int64", "value": "float64", "value_std": "float64",
         "estimate": "bool", "approximate": "bool", "line": "int64"})
    ds.quarantine = pd.DataFrame(quarantine, columns=["file", "line", "codes", "raw"])


def load_tasks(root: Path, ds: Dataset) -> None:
    path = root / TASKS_FILE
    if not path.exists():
        return  # key tasks are optional
    text = read_text(path, TASKS_FILE, ds.problems)
    if text is None:
        return
    header, data_rows = read_csv_rows(text)
    ds.rows_read += len(data_rows)
    for col in ("park_id", "task_zh", "source", "quote"):
        if col not in header:
            ds.problems.append(Problem.of("missing-csv-column", TASKS_FILE, 1, field=col))
    rows, quarantined = [], []
    for line, cells in data_rows:
        rec = dict(zip(header, cells))
        p: list[Problem] = []
        if len(cells) != len(header):
            p.append(Problem.of("ragged-row", TASKS_FILE, line))
        if rec.get("park_id", "").strip() not in ds.parks:
            p.append(Problem.of("unknown-park", TASKS_FILE, line, field="park_id", value=rec.get("park_id")))
        if rec.get("source", "").strip() not in ds.sources:
            p.append(Problem.of("unknown-source", TASKS_FILE, line, field="source", value=rec.get("source")))
        if not rec.get("quote", "").strip():
            p.append(Problem.of("missing-quote", TASKS_FILE, line, field="quote"))
        ds.problems += p
        if p:
            quarantined.append({"file": TASKS_FILE, "line": line, "codes": " ".join(sorted({x.code for x in p})),
                                "raw": ",".join(cells)})
        else:
            rows.append({c: rec.get(c, "").strip() for c in TASK_COLUMNS} | {"line": line})
    ds.tasks = pd.DataFrame(rows, columns=TASK_COLUMNS + ["line"])
    if quarantined:
        ds.quarantine = pd.concat([ds.quarantine, pd.DataFrame(quarantined)], ignore_index=True)


def load_dataset(root: str | Path = ".") -> Dataset:
    """Load everything under `root`, collecting every problem. Never raises on bad data."""
    root = Path(root)
    ds = Dataset(root=root)
    load_parks(root, ds)
    load_indicators(root, ds)
    load_observations(root, ds)
    load_tasks(root, ds)
    return ds
