"""Downloads: CSV that Excel opens with Chinese intact (UTF-8 with BOM), and an Excel workbook.

Both neutralise formula injection (OWASP "CSV injection"): a text cell starting with = + - @ tab or carriage
return would be a formula to Excel (=HYPERLINK(...), =cmd|...), so it gets a leading single quote and is shown,
not evaluated. Numbers stay numbers (a negative number is a number, not text). In the workbook every string is
also stored as a string cell, never as a formula, and characters Excel cannot store are replaced.
"""
from __future__ import annotations

import io

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula, prefixed with ' ; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every text cell (and column name) neutralised; numeric columns untouched."""
    out = frame.rename(columns=lambda c: neutralise(c) if isinstance(c, str) else c)
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_datetime64_any_dtype(out[col])):
            out[col] = out[col].map(neutralise, na_action="ignore")
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM: without it Excel on Windows reads the file as GBK and shows mojibake."""
    return safe_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _storable(value: object) -> object:
    """Excel cannot store control characters (openpyxl raises): replace them."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def excel_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table; sheet names are cut to Excel's 31 characters."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame = safe_frame(frame)
            frame = frame.rename(columns=_storable)
            for col in frame.columns:
                if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
                    frame[col] = frame[col].map(_storable, na_action="ignore")
            frame.to_excel(writer, sheet_name=name[:31], index=False)
        # openpyxl stores any string starting with "=" as a formula: make sure no cell is one.
        for sheet in writer.book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.value = "'" + str(cell.value)
                        cell.data_type = "s"
    return buf.getvalue()
