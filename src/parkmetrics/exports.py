"""Downloads: CSV that Excel opens with Chinese intact (UTF-8 with BOM), and Excel workbooks.

CSV neutralises formula injection (OWASP "CSV injection"): a text cell starting with = + - @ tab or carriage
return would be a formula to Excel (=HYPERLINK(...), =cmd|...), so it gets a leading single quote and is shown,
not evaluated. Numbers stay numbers (a negative number is a number, not text). A workbook needs no quote in the
text: such a cell is a string cell with Excel's quote prefix, never a formula (so a comparator "=" reads "=", not
"'="), and characters Excel cannot store are replaced. A workbook for people may carry heading lines above its table: what it is,
the filter applied, the data's date.
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


def excel_bytes(sheets: dict[str, pd.DataFrame], heading: list[str] | None = None) -> bytes:
    """One sheet per table (names cut to Excel's 31 characters). `heading`: lines written above each table, in
    bold, with the table's header row frozen below them."""
    from openpyxl.styles import Font

    heading = heading or []
    skip = len(heading) + 1 if heading else 0            # a blank line between the heading and the table
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame = frame.rename(columns=_storable)
            for col in frame.columns:
                if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
                    frame[col] = frame[col].map(_storable, na_action="ignore")
            frame.to_excel(writer, sheet_name=name[:31], index=False, startrow=skip)
            sheet = writer.sheets[name[:31]]
            for i, line in enumerate(heading, start=1):
                cell = sheet.cell(row=i, column=1, value=_storable(line))
                cell.data_type, cell.font = "s", Font(bold=i == 1)
            sheet.freeze_panes = sheet.cell(row=skip + 2, column=1)
        # openpyxl stores any string starting with "=" as a formula: every text a spreadsheet would evaluate is a
        # string cell with Excel's quote prefix (as if typed '=…: shown as written, still text when edited).
        for sheet in writer.book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    risky = isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES)
                    if cell.data_type == "f" or risky:
                        cell.data_type, cell.quotePrefix = "s", True
    return buf.getvalue()
