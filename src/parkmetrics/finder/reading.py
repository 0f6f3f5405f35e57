"""Reading a document into one string: .txt, .docx, .pdf.

Every quote the finder emits is a substring of what `read_document` returns, so this text is never rewritten.
Conversion furniture (`[bookmark: _GoBack]`) is only blanked out in the analysis copy (`mask_furniture`), with the
same length, so offsets stay valid.

PDF: pypdf. It is pure Python with no dependencies (pdfplumber pulls pdfminer.six, pypdfium2 and Pillow) and reads
the text layer of government PDFs, CJK fonts with ToUnicode maps and Adobe's predefined CMaps (UniGB-UCS2-H)
included. The finder needs running text, not table geometry, so pdfplumber's layout analysis buys nothing here.
A scanned PDF has no text layer: read_document then returns an empty string and the CLI says so.
"""
from __future__ import annotations

import re
from pathlib import Path

FURNITURE = re.compile(r"\[bookmark: [^\]]*\]|\[image: [^\]]*\]|\f")


class UnreadableDocument(ValueError):
    """The file is not a .txt/.docx/.pdf this module can read."""


def read_document(path: str | Path) -> str:
    """The document's text: paragraphs (and .docx table cells) in reading order, one per line."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in {".txt", ".text", ".md", ""}:
        return _read_txt(path.read_bytes())
    if suffix == ".docx":
        return _read_docx(path)
    if suffix == ".pdf":
        return _read_pdf(path)
    raise UnreadableDocument(f"{path.name}: unsupported file type {suffix!r} (use .txt, .docx or .pdf)")


def _read_txt(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")  # with or without the BOM Windows editors add
    except UnicodeDecodeError:
        return raw.decode("gb18030")  # GBK/GB2312 are subsets: the encoding of older government files


def _read_docx(path: Path) -> str:
    import docx  # python-docx; imported here so the dashboard never pays for it
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[str] = []

    def walk(parent) -> None:
        # iter_inner_content keeps paragraphs and tables in document order
        for block in parent.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    seen: set[int] = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # a merged cell appears once per grid column it spans
                            continue
                        seen.add(id(cell._tc))
                        walk(cell)

    walk(document)
    return "\n".join(lines)


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def mask_furniture(text: str) -> str:
    """Blank out conversion furniture with spaces of the same length (offsets stay valid)."""
    return FURNITURE.sub(lambda m: " " * len(m.group()), text)
