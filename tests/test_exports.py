"""Downloads neutralise spreadsheet formulas in text cells (OWASP CSV injection) and keep numbers numeric."""
from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from parkmetrics.exports import FORMULA_PREFIXES, csv_bytes, excel_bytes, neutralise

HYPERLINK = '=HYPERLINK("http://x","完成技工贸总收入420亿元")'
RISKY = [HYPERLINK, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=cmd|' /C calc'!A0"]


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "quote": RISKY + ["完成技工贸总收入420亿元"],
        "value": [-3.5, 1.0, 2.5, -0.25, 0.0, 7.0, 8.0, 420.0],            # a float column, negatives included
        "line": list(range(2, 10)),                                          # an int column
        "note": pd.array([None, "a-b", "-", "", "x=1", None, "@", "ok"], dtype="str"),
        "mixed": [1, "=1+1", None, 2.5, "-x", "y", -4, "z"],                 # object column: numbers and text
    })


@pytest.mark.parametrize("text", RISKY)
def test_a_text_cell_starting_a_formula_gets_a_quote(text):
    assert neutralise(text) == "'" + text
    assert text.startswith(FORMULA_PREFIXES)


def test_other_values_are_unchanged():
    for value in ["完成420亿元", "a=b", "", -3.5, 7, None, "'already"]:
        assert neutralise(value) == value


def test_csv_neutralises_text_and_keeps_numbers():
    raw = csv_bytes(frame())
    assert raw.startswith(b"\xef\xbb\xbf")                                   # BOM for Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [r["quote"] for r in rows] == ["'" + t for t in RISKY] + ["完成技工贸总收入420亿元"]
    assert [r["value"] for r in rows] == ["-3.5", "1.0", "2.5", "-0.25", "0.0", "7.0", "8.0", "420.0"]
    assert [r["line"] for r in rows] == [str(n) for n in range(2, 10)]
    assert [r["note"] for r in rows] == ["", "a-b", "'-", "", "x=1", "", "'@", "ok"]
    assert [r["mixed"] for r in rows] == ["1", "'=1+1", "", "2.5", "'-x", "y", "-4", "z"]
    for row in rows:                                                          # no cell a spreadsheet would evaluate
        assert not any(v.startswith(FORMULA_PREFIXES) for k, v in row.items() if k not in ("value", "mixed"))


def test_excel_stores_strings_as_strings_and_numbers_as_numbers():
    book = openpyxl.load_workbook(io.BytesIO(excel_bytes({"observations": frame()})))
    sheet = book["observations"]
    cells = list(sheet.iter_rows(min_row=2))
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)    # not a single formula
    # the text as written (never "'=…"), kept text by Excel's quote prefix: shown, and still text when edited
    assert [r[0].value for r in cells] == RISKY + ["完成技工贸总收入420亿元"]
    assert [r[0].data_type for r in cells] == ["s"] * 8
    assert [r[0].quotePrefix for r in cells] == [True] * len(RISKY) + [False]
    assert [r[1].value for r in cells] == [-3.5, 1.0, 2.5, -0.25, 0.0, 7.0, 8.0, 420.0]
    assert {r[1].data_type for r in cells} == {"n"}
    assert [r[4].value for r in cells] == [1, "=1+1", None, 2.5, "-x", "y", -4, "z"]


def test_excel_survives_control_characters():
    data = excel_bytes({"x": pd.DataFrame({"quote": ["bell\x07 and nul\x00", "=1\x01"]})})
    values = [c.value for c in openpyxl.load_workbook(io.BytesIO(data))["x"]["A"]][1:]
    assert values == ["bell\ufffd and nul\ufffd", "=1\ufffd"]


def test_the_shipped_downloads_hold_no_formula(frozen):
    a = frozen
    data = excel_bytes({"observations": a.dataset.observations, "attainment": a.attainment, "yoy": a.yoy,
                        "pace": a.pace, "checks": a.checks, "sources": a.store.sources(), "problems": a.store.problems()})
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert all(c.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)
    obs = book["observations"]
    header = [c.value for c in obs[1]]
    values = [r[header.index("value")].value for r in obs.iter_rows(min_row=2)]
    assert all(isinstance(v, (int, float)) for v in values) and len(values) == 173
    comparators = {r[header.index("comparator")].value for r in obs.iter_rows(min_row=2)}
    assert "=" in comparators and not any(c.startswith("'") for c in comparators)     # #19.7: never "'="
    assert csv_bytes(a.attainment).decode("utf-8-sig").count("\r\n") == len(a.attainment) + 1
