"""The row-by-row reference for the set-wise validation (parkmetrics.validate): every rule of cells.py applied to
one CSV row at a time, in the order the loader reports them — the oracle tests/test_bulk.py compares the engine
with. Never imported by the product (the loader and the writer validate through validate.validate_cells)."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from parkmetrics.cells import (NONNEGATIVE_BASES, figure_in_quote, normalise, parse_choice, parse_flag, parse_number,
                               parse_year, unit_agrees_with_quote)
from parkmetrics.loader import (INDICATORS_FILE, KEY_COLUMNS, OBSERVATIONS_DIR, PARKS_FILE, QUARANTINE_COLUMNS,
                                Dataset, _categorised, _control_row, _header_problems, _quarantine_record,
                                shown_controls)
from parkmetrics.loader.rows import _blocking_cause, _read_rows, _set_aside
from parkmetrics.read import list_files
from parkmetrics.model import (BASIS_UNIT, COMPARATOR_ALIASES, OBSERVATION_COLUMNS, Basis, Comparator, Kind, Scope,
                              TargetLevel)
from parkmetrics.periods import PERIOD_HELP, parse_period
from parkmetrics.problems import Problem
from parkmetrics.units import UNITS, UnitMismatch, convert


def validate_observation(rec: dict[str, str], rel: str, line: int, ds: Dataset) -> tuple[dict | None, list[Problem]]:
    """Check one CSV row. Returns (clean row, problems); the row is None when any problem is an error."""
    p: list[Problem] = []
    park_id = rec.get("park_id", "").strip()
    if park_id not in ds.parks:
        p.append(Problem.of("unknown-park", rel, line, field="park_id", value=park_id,
                            detail=ds.unknown("parks", park_id)))
    scope = parse_choice(rec.get("scope", ""), Scope, rel, line, "scope", p)
    ind_id = rec.get("indicator_id", "").strip()
    indicator = ds.indicators.get(ind_id)
    if indicator is None:
        p.append(Problem.of("unknown-indicator", rel, line, field="indicator_id", value=ind_id,
                            detail=ds.unknown("indicators", ind_id)))
    year = parse_year(rec.get("year", ""), rel, line, "year", p)
    period = parse_period(rec.get("period", ""))
    if period is None:
        p.append(Problem.of("invalid-period", rel, line, field="period", value=rec.get("period"),
                            detail=f"allowed: {PERIOD_HELP}"))
    baseline_year = None
    if rec.get("baseline_year", "").strip():
        baseline_year = parse_year(rec["baseline_year"], rel, line, "baseline_year", p)
        if baseline_year is not None and year is not None and baseline_year >= year:
            p.append(Problem.of("year-out-of-range", rel, line, field="baseline_year", value=rec["baseline_year"],
                                detail="the baseline year must come before the year"))
    kind = parse_choice(rec.get("kind", ""), Kind, rel, line, "kind", p)
    target_level = rec.get("target_level", "").strip() or None
    if kind == Kind.target and target_level not in {t.value for t in TargetLevel}:
        p.append(Problem.of("target-level-mismatch", rel, line, field="target_level", value=target_level or ""))
    if kind == Kind.actual and target_level is not None:
        p.append(Problem.of("target-level-mismatch", rel, line, field="target_level", value=target_level))
    raw_value = rec.get("value", "")
    value = parse_number(raw_value, rel, line, "value", p)
    unit = normalise(rec.get("unit", ""), rel, line, "unit", p)
    comparator = normalise(rec.get("comparator", ""), rel, line, "comparator", p)
    comparator = parse_choice(COMPARATOR_ALIASES.get(comparator, comparator) or "=", Comparator, rel, line,
                               "comparator", p)
    basis = parse_choice(rec.get("basis", ""), Basis, rel, line, "basis", p)
    if indicator is not None and basis is not None:
        if basis not in indicator.bases:
            p.append(Problem.of("basis-not-allowed", rel, line, field="basis", value=basis,
                                detail=f"{ind_id} allows: {', '.join(indicator.bases)}"))
        expected = BASIS_UNIT[Basis(basis)]
        allowed = [expected] if expected else indicator.allowed_units()
        if unit not in allowed:
            p.append(Problem.of("unit-not-allowed", rel, line, field="unit", value=unit,
                                detail=f"expected: {', '.join(allowed)}"))
    if value is not None and basis in NONNEGATIVE_BASES and (value < 0 or math.copysign(1, value) < 0):
        p.append(Problem.of("negative-value", rel, line, field="value", value=raw_value,
                            detail=f"basis {basis} takes a positive value"))
    estimate = parse_flag(rec.get("estimate", ""), rel, line, "estimate", p)
    approximate = parse_flag(rec.get("approximate", ""), rel, line, "approximate", p)
    source_id = rec.get("source", "").strip()
    source = ds.sources.get(source_id)
    if not source_id:
        p.append(Problem.of("missing-source", rel, line, field="source"))
    elif source is None:
        p.append(Problem.of("unknown-source", rel, line, field="source", value=source_id,
                            detail=ds.unknown("sources", source_id)))
    quote = rec.get("quote", "")
    if not quote.strip():
        p.append(Problem.of("missing-quote", rel, line, field="quote"))
    elif value is not None and not figure_in_quote(value, quote):
        p.append(Problem.of("figure-not-in-quote", rel, line, field="value", value=raw_value))
    elif (value is not None and unit in UNITS and not any(x.field == "unit" and x.is_error for x in p)
          and not unit_agrees_with_quote(value, unit, quote)):
        p.append(Problem.of("unit-disagrees-with-quote", rel, line, field="unit", value=unit,
                            detail=f"the quote writes {value:g} with another unit"))
    if source is not None and scope is not None and source.scope != scope:
        p.append(Problem.of("scope-mismatch", rel, line, field="scope", value=scope,
                            detail=f"{source_id} is {source.scope} scope"))
    if any(x.is_error for x in p):
        return None, p
    # Normalise to the indicator's canonical unit before any arithmetic.
    value_std, unit_std = value, unit
    if BASIS_UNIT[Basis(basis)] is None and unit != indicator.unit:
        try:
            value_std, unit_std = convert(value, unit, indicator.unit), indicator.unit
        except UnitMismatch as exc:  # the catalogue refuses mixed families; this guards the arithmetic anyway
            return None, p + [Problem.of("unit-not-allowed", rel, line, field="unit", value=unit, detail=str(exc))]
    return {
        "park_id": park_id, "scope": scope, "indicator_id": ind_id, "year": year, "period": period.code,
        "baseline_year": baseline_year,
        "kind": kind, "target_level": target_level, "value": value, "unit": unit, "comparator": comparator,
        "basis": basis, "estimate": bool(estimate), "approximate": bool(approximate), "source": source_id,
        "quote": quote.strip(), "note": rec.get("note", "").strip() or None,
        "value_std": value_std, "unit_std": unit_std, "file": rel, "line": line,
    }, p


def load_observations_rowwise(root: Path, ds: Dataset) -> None:
    """The reference: every row through validate_observation in Python. load_observations gives the same
    observations, quarantine and problems, in the same order, set-wise (validate.py); tests compare the two."""
    rows: list[dict] = []
    quarantine: list[dict] = []
    seen: dict[tuple, str] = {}
    files = list_files(root, OBSERVATIONS_DIR, "*.csv", ds.problems)
    if not files and OBSERVATIONS_DIR not in ds.unusable_files():
        ds.problems.append(Problem.of("file-missing", f"{OBSERVATIONS_DIR}/*.csv", detail="no observation files"))
    cause = _blocking_cause(ds, (PARKS_FILE, INDICATORS_FILE))
    for path, rel in files:
        read = _read_rows(root, rel, ds, path)
        if read is None:
            continue
        header, data_rows, refused = read
        quarantine += refused
        if cause is not None:
            quarantine += _set_aside(rel, data_rows, cause, ds)
            continue
        missing = _header_problems(header, rel, ds.problems)
        for line, cells in data_rows:
            if missing:
                quarantine.append(_quarantine_record(rel, line, "missing-csv-column", ",".join(cells)))
                continue
            if len(cells) != len(header):
                problem = Problem.of("ragged-row", rel, line, detail=f"{len(cells)} cells, header has {len(header)}")
                ds.problems.append(problem)
                quarantine.append(_quarantine_record(rel, line, problem.code, ",".join(cells)))
                continue
            controls = _control_row(header, cells, rel, line)
            if controls:
                ds.problems += controls
                quarantine.append(_quarantine_record(rel, line, "control-character", shown_controls(",".join(cells))))
                continue
            clean, problems = validate_observation(dict(zip(header, cells)), rel, line, ds)
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
                quarantine.append(_quarantine_record(rel, line, " ".join(codes), ",".join(cells)))
            else:
                rows.append(clean)
    columns = OBSERVATION_COLUMNS + ["value_std", "unit_std", "file", "line"]
    ds.observations = _categorised(pd.DataFrame(rows, columns=columns).astype(
        {"year": "int64", "baseline_year": "Int64", "value": "float64", "value_std": "float64",
         "estimate": "bool", "approximate": "bool", "line": "int64"}))
    ds.quarantine = pd.concat([ds.quarantine, pd.DataFrame(quarantine, columns=QUARANTINE_COLUMNS)],
                              ignore_index=True)
