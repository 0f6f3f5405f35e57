"""Downloads: CSV that Excel opens with Chinese intact (UTF-8 with BOM), and an Excel workbook."""
from __future__ import annotations

import io

import pandas as pd


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM: without it Excel on Windows reads the file as GBK and shows mojibake."""
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def excel_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table; sheet names are cut to Excel's 31 characters."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    return buf.getvalue()
