"""Set-wise validation (validate.py) against the row-by-row reference (reference/loader_rowwise.py): the same
observations, quarantine and problems, in the same order — on the fixtures, every corpus case, synthetic roots
with broken rows and generated quotes — and the per-file cache."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BROKEN, FROZEN, ROOT, copy_data
from parkmetrics import loader, read, validate
from parkmetrics.cells import figure_in_quote, unit_agrees_with_quote
from parkmetrics.loader import Dataset, load_dataset
from parkmetrics.synth import write_root
from reference.loader_rowwise import load_observations_rowwise
from test_corpus import CASES


def load_rowwise(root: Path) -> Dataset:
    ds = Dataset(root=root)
    loader.load_parks(root, ds)
    loader.load_indicators(root, ds)
    load_observations_rowwise(root, ds)
    loader.load_tasks(root, ds)
    return ds


def assert_same(root: Path) -> Dataset:
    loader.clear_cache()
    bulk, ref = load_dataset(root), load_rowwise(root)
    assert [p.format("en") for p in bulk.problems] == [p.format("en") for p in ref.problems]
    assert bulk.problems == ref.problems
    pd.testing.assert_frame_equal(bulk.observations, ref.observations)
    pd.testing.assert_frame_equal(bulk.quarantine, ref.quarantine)
    assert bulk.rows_read == ref.rows_read
    again = load_dataset(root)  # from the per-file cache
    assert again.problems == ref.problems
    pd.testing.assert_frame_equal(again.observations, ref.observations)
    pd.testing.assert_frame_equal(again.quarantine, ref.quarantine)
    return bulk


@pytest.mark.parametrize("root", [ROOT, BROKEN, FROZEN], ids=["shipped", "broken", "frozen"])
def test_fixture_roots_load_as_the_reference_does(root):
    assert_same(root)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_corpus_case_loads_as_the_reference_does(tmp_path, case):
    root = copy_data(tmp_path / "root", FROZEN)
    case.mutate(root)
    assert_same(root)


def test_every_problem_comes_from_a_rule_that_names_its_code(tmp_path, monkeypatch):
    """validate.RULES is the list of rules in report order, each with the codes it may report (docs/problems.md
    prints it): every problem the engine finds, on every corpus case and a synthetic root, is one of the codes of
    the rule whose place it holds."""
    found: list[tuple[int, str]] = []
    real = validate.validate_cells

    def recording(cells, ds):
        result = real(cells, ds)
        found.extend((order, p.code) for _, order, p in result.problems)
        return result
    monkeypatch.setattr(validate, "validate_cells", recording)
    roots = [copy_data(tmp_path / case.id, FROZEN) for case in CASES]
    for case, root in zip(CASES, roots):
        case.mutate(root)
    write_root(tmp_path / "synth", parks=6, indicators=8, years=4, bad_rows=0.3, seed=5)
    for root in [*roots, tmp_path / "synth", BROKEN]:
        loader.clear_cache()
        load_dataset(root)
    wrong = {(validate.RULES[order // 10].name, code) for order, code in found
             if code not in validate.RULES[order // 10].codes}
    assert not wrong and len({code for _, code in found}) >= 15


def test_synthetic_root_with_broken_rows_loads_as_the_reference_does(tmp_path):
    write_root(tmp_path, parks=6, indicators=8, years=4, bad_rows=0.15, seed=3)
    ds = assert_same(tmp_path)
    assert len(ds.quarantine) > 0


def test_files_of_every_shape_load_as_the_reference_does(data_copy):
    """Quoted cells, CRLF, blank lines, rows of commas, a header after a blank line, BOM and GBK, duplicates across
    files, repeated and missing optional columns: fast path and exact path side by side."""
    obs = data_copy / "data" / "observations"
    head = "park_id,scope,indicator_id,year,kind,target_level,value,unit,comparator,basis,source,quote"
    row = "linxiang,park,industrial_output,{y},actual,,{v},亿元,=,level,lx_2022_plan,规模工业总产值{v}亿元"
    (obs / "crlf.csv").write_bytes((head + "\r\n" + row.format(y=2030, v=401.5) + "\r\n").encode())
    (obs / "blank.csv").write_text(head + "\n\n" + row.format(y=2031, v=12) + "\n,,,,,,,,,,,\n", encoding="utf-8")
    (obs / "lead.csv").write_text("\n" + head + "\n" + row.format(y=2032, v=13), encoding="utf-8")
    (obs / "quoted.csv").write_text(head + "\n" + row.format(y=2033, v='"1,500"').replace('"1,500"亿元', "1500亿元")
                                    + "\n" + row.format(y=2034, v=14).replace(",规模", ',"规模') + '"\n',
                                    encoding="utf-8")
    (obs / "bom.csv").write_bytes(b"\xef\xbb\xbf" + (head + "\n" + row.format(y=2035, v=15) + "\n").encode())
    (obs / "gbk.csv").write_bytes((head + "\n" + row.format(y=2036, v=16) + "\n").encode("gb18030"))
    (obs / "dup.csv").write_text(head + "\n" + row.format(y=2030, v=401.5) + "\n" + row.format(y=2036, v=16)
                                 + "\n", encoding="utf-8")
    (obs / "twice.csv").write_text(head + ",quote,period\n" + row.format(y=2037, v=17) + ",规模17亿元,\n",
                                   encoding="utf-8")
    (obs / "cr.csv").write_bytes((head + "\r" + row.format(y=2038, v=18) + "\r").encode())
    (obs / "wide.csv").write_text(head + "\n" + row.format(y=2039, v=19) + "\n" + row.format(y=2039, v=19)
                                  + ",extra\n", encoding="utf-8")
    (obs / "ws.csv").write_text(head + "\n" + row.format(y=2040, v=" 20 ").replace("linxiang", " linxiang ")
                                + "\n" + row.format(y=2041, v="２１") + "\n", encoding="utf-8")
    ds = assert_same(data_copy)
    assert {"duplicate-observation", "ragged-row", "fullwidth-normalised", "thousands-separator",
            "encoding-gbk"} <= {p.code for p in ds.problems}


# --- the fast path's rule ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "a,b\n1,2\n", "a,b\r\n1,2\r\n", "a,b\n1,2", "a,b\n\n1,2\n", "a,b\n1,\"2\"\n", "a,b\n1,2,3\n", "a,b\n ,\n",
    "a,b\n1,2\r3,4\n", "a,b\n" + "x" * 6000 + ",1\n", "a,b\n\u3000,\n"])
def test_the_fast_path_reads_what_read_csv_reads_or_declines(text):
    simple = read.simple_csv(text.encode("utf-8"))
    header, rows, refused = read.read_csv(text, "x.csv", [])
    if simple is None:
        return
    got_header, body, count = simple
    lines = body.decode("utf-8").split("\n")[:-1]
    assert got_header == header and not refused
    assert [(i + 2, line.split(",")) for i, line in enumerate(lines)] == rows and count == len(rows)


def test_the_fast_path_declines_what_it_cannot_map_to_lines():
    for text in ("a,b\n\n1,2\n", "a,b\n1,\"2\"\n", "a,b\n1,2,3\n", "a,b\n,\n", "a,b\n1,2\r3,4\n", "a,b\n\u3000,\n"):
        assert read.simple_csv(text.encode("utf-8")) is None, text


# --- the figure and the unit in the quote ------------------------------------------------------------------

def test_python_white_space_is_spelled_out():
    assert set(validate.PY_WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


def test_the_nfkc_stable_ranges_are_stable():
    chars = [chr(c) for c in [*range(0x80), *range(0x4E00, 0xA000), 0x3001, 0x3002, *range(0x300A, 0x3012),
                              *range(0x2018, 0x201E)]]
    assert [c for c in chars if unicodedata.normalize("NFKC", c) != c or unicodedata.combining(c)] == []


@given(x=st.floats(min_value=1e-12, max_value=1e9, exclude_max=True, allow_nan=False), d=st.integers(0, 3))
@settings(max_examples=300)
def test_fixed_point_rounding_matches_python_formatting(x, d):
    assert validate._fixed(np.array([x]), d)[0] == float(f"{x:.{d}f}")


UNITS = ["亿元", "万元", "元", "%", "个", "个月", "家", "户", "人", "人次", "个百分点", "倍", "位", "亩", "平方公里", "平方米",
         "万平方米", "吨标准煤/万元", "起", "吨"]
BITS = ["增长", "下降", "约", "余", "多", "，", "年", "2022", "第", "０", "５", "．", "％", " ", "\u3000", ",", ".", "-",
        "−", "一", "两", "十", "零", "首", "个", "٣", "1,500", "0.0", "00", "5.", ".5"]


@st.composite
def triples(draw):
    value = draw(st.one_of(
        st.integers(-20, 2000).map(float),
        st.decimals(min_value=-500, max_value=50000, places=2, allow_nan=False, allow_infinity=False).map(float),
        st.sampled_from([0.0, -0.0, 0.15, 1500.0, 0.0015, 1e-5, 123456789.0, 56.8, 5.5, 5.0, 10.0, 2.0])))
    unit = draw(st.sampled_from(UNITS))
    shown = draw(st.sampled_from([f"{abs(value):g}", f"{abs(value)}", f"{abs(value) * 1e4:g}", f"{abs(value) / 1e4:g}",
                                  f"{abs(value):.2f}", f"{abs(value):,.0f}", f"{int(abs(value))}", "390"]))
    parts = draw(st.lists(st.one_of(st.sampled_from(BITS), st.just(shown),
                                    st.just(shown + draw(st.sampled_from(UNITS + ["余" + unit, "多亿元", "", "x"])))),
                          min_size=0, max_size=6))
    return value, unit, "".join(parts)


@pytest.mark.parametrize("chunk_rows", [validate.QUOTE_CHUNK_ROWS, 3])   # in one piece, and in pieces on threads
@given(rows=st.lists(triples(), min_size=1, max_size=20))
@settings(max_examples=300, deadline=None)
def test_quote_checks_agree_with_the_scalar_rules(chunk_rows, rows):
    values = np.array([v for v, _, _ in rows])
    units = pa.array([u for _, u, _ in rows])
    quotes = pa.array([q for _, _, q in rows])
    found, agrees = validate.quote_checks(values, units, quotes, chunk_rows=chunk_rows)
    assert found.tolist() == [figure_in_quote(v, q) for v, _, q in rows]
    assert agrees.tolist() == [unit_agrees_with_quote(v, u, q) for v, u, q in rows]


# --- the per-file cache ------------------------------------------------------------------------------------

def test_an_edit_to_one_csv_revalidates_that_file_only(tmp_path, monkeypatch):
    write_root(tmp_path, parks=5, indicators=4, years=3, seed=2)
    loader.clear_cache()
    first = load_dataset(tmp_path)
    seen: list[str] = []
    real = loader.observations.read_data
    monkeypatch.setattr(loader.observations, "read_data", lambda root, rel, problems, **kw: seen.append(rel) or
                        real(root, rel, problems, **kw))
    assert load_dataset(tmp_path).observations is not None and seen == []
    path = tmp_path / "data/observations/p00002.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("park,ind_000,2014", "park,ind_000,1890", 1),
                    encoding="utf-8")
    edited = load_dataset(tmp_path)
    assert seen == ["data/observations/p00002.csv"]
    assert [(p.code, p.file, p.line) for p in edited.problems] == [
        ("year-out-of-range", "data/observations/p00002.csv", 2)]
    assert len(edited.observations) == len(first.observations) - 1
    monkeypatch.setattr(loader.observations, "read_data", real)
    cold = assert_same(tmp_path)
    pd.testing.assert_frame_equal(edited.observations, cold.observations)
    # a change to the catalogue or parks.yaml re-validates every file
    (tmp_path / "parks.yaml").write_text((tmp_path / "parks.yaml").read_text(encoding="utf-8") + "\n",
                                         encoding="utf-8")
    seen.clear()
    monkeypatch.setattr(loader.observations, "read_data", lambda root, rel, problems, **kw: seen.append(rel) or
                        real(root, rel, problems, **kw))
    load_dataset(tmp_path)
    assert len(seen) == 5


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["park", "district"]),
                          st.sampled_from(["x", "y"]), st.integers(2020, 2022), st.sampled_from([None, "base", "stretch"])),
                max_size=40), st.booleans())
def test_duplicates_are_the_repeats_of_an_earlier_row_and_point_at_it(rows, as_loaded):
    """On text columns and on the loader's category columns (codes, a missing target_level among them)."""
    frame = pd.DataFrame([{"park_id": p, "scope": s, "indicator_id": i, "year": y, "period": "", "kind": "actual",
                           "target_level": t, "basis": "level"} for p, s, i, y, t in rows],
                         columns=loader.KEY_COLUMNS)
    if as_loaded:
        frame = loader._categorised(frame)
    dup, first = loader._duplicates(frame)
    seen: dict[tuple, int] = {}
    for n, row in enumerate(rows):
        assert dup[n] == (row in seen)
        if row in seen:
            assert first[n] == seen[row]
        seen.setdefault(row, n)
