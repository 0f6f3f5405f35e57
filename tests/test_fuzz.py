"""Fuzzing the loader: whatever the CSV rows and YAML records hold, loading never raises, every problem is a
catalogued code at a file (and, for rows, a line), and every row read is accounted for.

1,000 examples each; marked slow (CI runs them: `pytest` runs every marker).
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkmetrics.loader import load_dataset
from parkmetrics.model import OBSERVATION_COLUMNS
from parkmetrics.problems import CODES

from test_corpus import FROZEN

FUZZ = settings(max_examples=1_000, deadline=None, suppress_health_check=list(HealthCheck))
pytestmark = pytest.mark.slow

# Cells an editor (or Excel) might produce: valid values, near misses, and the characters that break parsers.
TRICKY = ["", " ", "\"", "\"\"", ",", "\n", "\r", "\r\n", "\x00", "\ufeff", "\u2028", "=1+1", "-0", "1,500", "５６.８",
          "NaN", "inf", "1e309", "-26", "亿元", "万元", "家", "%", "≥", ">=", "~", "level", "growth_pct", "rank",
          "target", "actual", "base", "stretch", "park", "district", "linxiang", "industrial_output", "lx_2022_plan",
          "2022", "1890", "M1-M9", "H1", "Q5", "true", "是", "规模工业总产值390亿元", "<script>alert(1)</script>",
          "[x](https://evil.example)"]
cell = st.one_of(st.sampled_from(TRICKY), st.text(max_size=40),
                 st.from_regex(r"-?\d{1,6}(\.\d{1,3})?", fullmatch=True))
row = st.lists(cell, min_size=0, max_size=len(OBSERVATION_COLUMNS) + 2)


def _small_root_files() -> tuple[str, str]:
    """临湘 with its plan, and three of its indicators, from the frozen root: small, so 1,000 examples run fast."""
    parks = yaml.safe_load((FROZEN / "parks.yaml").read_text(encoding="utf-8"))
    catalogue = yaml.safe_load((FROZEN / "data" / "indicators.yaml").read_text(encoding="utf-8"))
    small_parks = {"parks": [p for p in parks["parks"] if p["id"] == "linxiang"],
                   "sources": [s for s in parks["sources"] if s["id"] == "lx_2022_plan"]}
    keep = {"industrial_output", "tech_industry_trade_revenue", "above_scale_enterprises_new"}
    small_catalogue = {"indicators": [i for i in catalogue["indicators"] if i["id"] in keep]}
    return (yaml.safe_dump(small_parks, allow_unicode=True, sort_keys=False),
            yaml.safe_dump(small_catalogue, allow_unicode=True, sort_keys=False))


SMALL_PARKS, SMALL_CATALOGUE = _small_root_files()


def _base_root() -> Path:
    """A small valid root (one park, its plan, three indicators) with no observation files yet."""
    root = Path(tempfile.mkdtemp(prefix="pm-fuzz-"))
    (root / "parks.yaml").write_text(SMALL_PARKS, encoding="utf-8")
    (root / "data" / "observations").mkdir(parents=True)
    (root / "data" / "indicators.yaml").write_text(SMALL_CATALOGUE, encoding="utf-8")
    return root


def _assert_sound(root: Path) -> None:
    ds = load_dataset(root)
    assert ds.rows_read == ds.rows_accounted
    for p in ds.problems:
        assert p.code in CODES and p.file
        assert p.line is None or p.line >= 1
        assert len(p.format("zh")) < 1_000


def _csv_text(header: list[str], rows: list[list[str]], separator: str) -> str:
    """Rows joined naively (as a hand editor would type them): quotes and commas inside cells are not escaped."""
    return separator.join([",".join(header), *(",".join(r) for r in rows)]) + separator


@FUZZ
@given(header=st.one_of(st.just(OBSERVATION_COLUMNS), st.permutations(OBSERVATION_COLUMNS),
                        st.lists(st.sampled_from(OBSERVATION_COLUMNS + ["x", ""]), max_size=18)),
       rows=st.lists(row, max_size=8), separator=st.sampled_from(["\n", "\r\n", "\r"]))
def test_fuzzed_csv_rows_give_located_problems_only(header, rows, separator):
    root = _base_root()
    try:
        (root / "data/observations/fuzz.csv").write_text(_csv_text(header, rows, separator), encoding="utf-8",
                                                         newline="")
        _assert_sound(root)
    finally:
        shutil.rmtree(root)


# YAML records: any structure of scalars, lists and mappings, where the parks and sources should be.
scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.sampled_from(TRICKY),
                   st.text(max_size=20), st.dates())
value = st.recursive(scalar, lambda children: st.one_of(st.lists(children, max_size=4),
                                                        st.dictionaries(st.text(max_size=8), children, max_size=4)),
                     max_leaves=20)
park_keys = st.sampled_from(["id", "name_zh", "name_en", "province", "city", "county", "level", "kind", "color",
                             "aliases", "area_km2", "park", "scope", "type", "date", "file", "title", "issuer", "x"])
record = st.dictionaries(park_keys, value, max_size=12)


@FUZZ
@given(doc=st.one_of(st.fixed_dictionaries({"parks": st.lists(record, max_size=4),
                                            "sources": st.lists(record, max_size=4)}), value))
def test_fuzzed_yaml_records_give_located_problems_only(doc):
    root = _base_root()
    try:
        (root / "parks.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        shutil.copy(FROZEN / "data/observations/linxiang_2022_plan.csv", root / "data/observations/lx.csv")
        _assert_sound(root)
    finally:
        shutil.rmtree(root)


VALID_PARKS = SMALL_PARKS


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, len(VALID_PARKS)), st.integers(0, 5),
                                st.sampled_from(["", " ", "\t", ":", "-", "[", "]", "{", "&a", "*a", "!!python/name:os.system",
                                                 "\"", "'", "#", "\n", "\n  - ", "---\n", "%YAML 1.1\n", "|", ">"])),
                      min_size=1, max_size=4))
def test_typed_yaml_edits_give_located_problems_only(edits):
    """Typing slips in a valid parks.yaml: characters inserted, deleted or replaced anywhere."""
    text = VALID_PARKS
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut:]
    root = _base_root()
    try:
        (root / "parks.yaml").write_text(text, encoding="utf-8")
        shutil.copy(FROZEN / "data/observations/linxiang_2022_plan.csv", root / "data/observations/lx.csv")
        _assert_sound(root)
    finally:
        shutil.rmtree(root)
