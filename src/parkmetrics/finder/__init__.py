"""The figure finder: a government document → candidate observation rows. The machine proposes, the editor confirms.

    text = read_document("2023年工作总结.docx")
    rows = find_candidates(text, load_dataset(".").indicators, park="zhengyang", source="zy_2023_summary")

Every quote is a verbatim span of `text` (text[start:end]). Patterns and their example sentences: docs/finder.md.
"""
from __future__ import annotations

from .candidates import COLUMNS, find_candidates, scan_document
from .catalogue import suggest_catalogue
from .reading import DocumentText, UnreadableDocument, read_bytes, read_document

__all__ = ["COLUMNS", "DocumentText", "find_candidates", "read_bytes", "read_document", "scan_document",
           "suggest_catalogue", "UnreadableDocument"]
