"""Reading a document into one string: .txt, .docx, .pdf — with the tables it holds.

Every quote the finder emits is a substring of what `read_document` returns, so this text is never rewritten.
Conversion furniture (`[bookmark: _GoBack]`) is only blanked out in the analysis copy (`mask_furniture`), with the
same length, so offsets stay valid.

A table row is one line: its non-empty cells, each cell's paragraphs joined by one space, joined by single spaces,
merged cells once (`规上工业总产值 亿元 405.97 1.8`). That line is the quote of every figure in the row, so an editor
finds it in the document as printed. The returned text is a `DocumentText`: a str that also knows where each
table's rows and cells are (the grid columns a merged header cell spans), which the table reader needs for
multi-row headers; plain pasted text has none and its tables are found from the lines themselves (`tables.py`).

The real type is sniffed from the bytes, never trusted from the name: a PDF named .docx is read as a PDF. Reading
is bounded — the file's size, a .docx's unpacked size and part count, a PDF's pages — and every refusal is an
`UnreadableDocument` with a reason code and a bilingual message, never a library's exception.

PDF: pdfplumber (pdfminer.six underneath) for the text layer and the ruled tables; a scanned PDF has no text layer
and is refused as `no-text` with the hint to run OCR first.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

FURNITURE = re.compile(r"\[bookmark: [^\]]*\]|\[image: [^\]]*\]|\f")

MAX_BYTES = 20 * 1024 * 1024          # an upload or a file on disk
MAX_TEXT = 2_000_000                  # characters of text handed to the finder (~4 MB of UTF-8)
MAX_UNZIPPED = 60 * 1024 * 1024       # a .docx's parts, unpacked, as the zip directory states them
MAX_XML_PART = 8 * 1024 * 1024       # one XML part unpacked: parsed whole, it takes ~15× that in memory (≈ 1,500 pages)
MAX_PARTS = 2_000
MAX_PDF_PAGES = 300
MAX_PDF_INFLATED = 200 * 1024 * 1024  # every stream of a PDF, decompressed (a flate bomb: 2 MB → 2 GB)

REASONS = {  # code: (zh, en)
    "too-large": ("文件过大（上限 20 MB）", "the file is too large (limit 20 MB)"),
    "wrong-type": ("不是可读取的 .txt、.docx 或 .pdf 文件", "not a readable .txt, .docx or .pdf file"),
    "damaged": ("文件已损坏或不完整，无法读取", "the file is damaged or incomplete"),
    "encrypted": ("文件已加密，请先解除密码保护", "the file is encrypted: remove the password first"),
    "no-text": ("PDF 没有文字层（扫描件），请先做文字识别（OCR）", "the PDF has no text layer (a scan): run OCR first"),
    "too-complex": ("文件展开后过大或结构过深，已拒绝读取", "the file expands too far or nests too deep: refused"),
    "empty": ("文件中没有文字", "the file holds no text"),
    "not-found": ("找不到该文件", "no such file"),
}


class UnreadableDocument(ValueError):
    """The file cannot be read: `code` (a key of REASONS) says why, `str()` says it in Chinese and English."""

    def __init__(self, code: str, name: str = "", detail: str = ""):
        self.code, self.name, self.detail = code, name, detail
        zh, en = REASONS[code]
        where = f"{name}：" if name else ""
        extra = f"（{detail}）" if detail else ""
        super().__init__(f"{where}{zh}{extra} / {en}")

    def message(self, lang: str = "zh") -> str:
        zh, en = REASONS[self.code]
        text = zh if lang == "zh" else en
        return f"{self.name}: {text}" if self.name else text


@dataclass
class Cell:
    start: int   # the cell's text in the document
    end: int
    col: int     # first grid column
    span: int = 1


@dataclass
class Row:
    start: int   # the row's line
    end: int
    cells: list[Cell]


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)


class DocumentText(str):
    """The document's text; `tables` says where the rows and cells of its tables are (empty for plain text)."""

    tables: list[Table]

    def __new__(cls, text: str, tables: list[Table] | None = None):
        obj = super().__new__(cls, text)
        obj.tables = tables or []
        return obj


class _Builder:
    """Lines of paragraphs and table rows, recording where each cell lands."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.tables: list[Table] = []

    def line(self, text: str, joined: bool = False) -> None:
        """A new line; `joined`: the rest of the last one, which a PDF wrapped at the margin (no break between two
        CJK characters or digits, else a space) — its words and numbers read whole, as the page shows them."""
        if self.parts and joined:
            last = self.parts[-1][-1:] if self.parts[-1] else ""
            glue = "" if last and text and (_CJK.match(last) or _CJK.match(text[0]) or
                                            last.isdigit() and text[0].isdigit()) else " "
            self.parts.append(glue)
            self.length += len(glue)
        elif self.parts:
            self.parts.append("\n")
            self.length += 1
        self.parts.append(text)
        self.length += len(text)

    def row(self, table: Table, cells: list[tuple[str, int, int]]) -> None:
        """cells: (text, grid column, span); empty cells are left out of the line."""
        cells = [(t, c, s) for t, c, s in cells if t]
        if not cells:
            return
        self.line("")
        start = self.length
        out = []
        for i, (text, col, span) in enumerate(cells):
            if i:
                self.parts.append(" ")
                self.length += 1
            out.append(Cell(self.length, self.length + len(text), col, span))
            self.parts.append(text)
            self.length += len(text)
        table.rows.append(Row(start, self.length, out))

    def text(self) -> DocumentText:
        return DocumentText("".join(self.parts), [t for t in self.tables if t.rows])


def read_document(path: str | Path) -> DocumentText:
    """The document's text: paragraphs and table rows in reading order, one per line."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UnreadableDocument("not-found", path.name) from None
    except OSError as exc:
        raise UnreadableDocument("damaged", path.name, exc.strerror or "") from None
    if path.suffix.lower() not in (".txt", ".docx", ".pdf"):
        raise UnreadableDocument("wrong-type", path.name)  # refused before it is read (.rtf, .doc, .xls …)
    if size > MAX_BYTES:
        raise UnreadableDocument("too-large", path.name)
    return read_bytes(path.name, path.read_bytes())


def read_bytes(name: str, data: bytes) -> DocumentText:
    """An upload's bytes, read by what they are (sniffed), not by the name's extension."""
    if len(data) > MAX_BYTES:
        raise UnreadableDocument("too-large", name)
    kind = sniff(data)
    if kind is None:
        raise UnreadableDocument("wrong-type", name)
    try:
        text = {"txt": _read_txt, "docx": _read_docx, "pdf": _read_pdf}[kind](data)
    except UnreadableDocument as exc:
        exc.name = exc.name or name
        raise UnreadableDocument(exc.code, name, exc.detail) from None
    except (RecursionError, MemoryError):
        raise UnreadableDocument("too-complex", name) from None
    except Exception as exc:  # noqa: BLE001 — a library's parse error on a damaged file: one reason, logged detail
        raise UnreadableDocument("damaged", name, type(exc).__name__) from None
    if len(text) > MAX_TEXT:
        raise UnreadableDocument("too-large", name, f"{len(text):,} 字")
    if not text.strip():
        raise UnreadableDocument("no-text" if kind == "pdf" else "empty", name)
    return text


_BOMS = [(b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")]


def sniff(data: bytes) -> str | None:
    """txt | docx | pdf from the bytes themselves, or None for anything else (an .exe, an image, a .doc)."""
    if data.startswith(b"%PDF-") or data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return "txt"
    if b"\x00" in data[:4096]:
        return None  # binary
    return "txt" if _decode(data) is not None else None


def _decode(raw: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                return None
    for encoding in ("utf-8", "gb18030"):  # GBK/GB2312 are subsets of GB18030: older government files
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_txt(raw: bytes) -> DocumentText:
    text = _decode(raw)
    if text is None:
        raise UnreadableDocument("wrong-type")
    return DocumentText(text)


def _read_docx(raw: bytes) -> DocumentText:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableDocument("damaged") from None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise UnreadableDocument("wrong-type", detail="不是 Word 文档 / not a Word document")
    if any(i.flag_bits & 0x1 for i in infos):
        raise UnreadableDocument("encrypted")
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_UNZIPPED:
        raise UnreadableDocument("too-complex")
    for info in infos:  # the directory's sizes can lie: read each XML part with the cap enforced
        if info.filename.endswith(".xml") or info.filename.endswith(".rels"):
            with archive.open(info) as part:
                if len(part.read(MAX_XML_PART + 1)) > MAX_XML_PART:
                    raise UnreadableDocument("too-complex", detail=f"{info.filename} > {MAX_XML_PART >> 20} MB")
    import docx  # python-docx; imported here so the dashboard never pays for it
    from docx.oxml.ns import qn
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(raw))  # its parser resolves no entities
    out = _Builder()

    def cell_text(tc) -> str:
        return " ".join(t for t in ("".join(x.text or "" for x in p.iter(qn("w:t"))).strip()
                                    for p in tc.iter(qn("w:p"))) if t)

    def walk(parent) -> None:
        for block in parent.iter_inner_content():  # paragraphs and tables in document order
            if isinstance(block, Paragraph):
                out.line(block.text)
            elif isinstance(block, DocxTable):
                table = Table()
                out.tables.append(table)
                for tr in block._tbl.tr_lst:
                    col = tr.grid_before
                    cells = []
                    for tc in tr.tc_lst:  # a vertically merged cell's later rows are empty <w:tc>s: read once
                        cells.append((cell_text(tc), col, tc.grid_span))
                        col += tc.grid_span
                    out.row(table, cells)

    walk(document)
    return out.text()


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _join_wrapped(text: str | None) -> str:
    """A PDF cell's wrapped lines: joined without a space between two CJK characters (a wrapped word), else one."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    out = ""
    for ln in lines:
        if out and not (_CJK.match(out[-1]) and _CJK.match(ln[0])):
            out += " "
        out += ln
    return out


_STREAM = re.compile(rb"stream\r?\n")
_INFLATE_STEP = 8 * 1024 * 1024        # bytes inflated at a time while counting


def _inflated_size_ok(raw: bytes, budget: int = MAX_PDF_INFLATED) -> bool:
    """Do the PDF's streams, decompressed, stay within `budget` bytes? Each stream is inflated in bounded steps
    (never whole), so a flate bomb is refused before the PDF library would inflate it in memory. A stream that is
    not zlib data is skipped (its filter is another one, read as the library reads it)."""
    total, pos = 0, 0
    while (m := _STREAM.search(raw, pos)) is not None:
        end = raw.find(b"endstream", m.end())
        end = len(raw) if end < 0 else end
        inflater = zlib.decompressobj()
        try:
            total += len(inflater.decompress(raw[m.end():end], _INFLATE_STEP))
            while inflater.unconsumed_tail and total <= budget:
                total += len(inflater.decompress(inflater.unconsumed_tail, _INFLATE_STEP))
        except zlib.error:
            pass
        if total > budget:
            return False
        pos = end + 1
    return True


# A PDF's text layer breaks a paragraph into the page's lines (规上工业总产 / 值405.97亿元): a line that runs to the right
# margin and does not end its sentence goes on in the next one — unless that one opens a heading or a list item.
_SENTENCE_CLOSE = re.compile(r"[。！？；：!?;:」』”）)]\s*$")
_NEW_LINE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．](?!\d)|第[一二三四五六七八九十]+[章节条])")


_LATIN_RUN = re.compile(r"^[0-9A-Za-z.,%+\-/]+")


def _wraps(line: dict, following: str, right: float) -> bool:
    """Does `following` go on from `line`: `line` ends near the margin — nearer than the width of the number or word
    that opens `following`, which did not fit — without ending its sentence, and `following` opens no heading?"""
    size = (line["bottom"] - line["top"]) or 10.0   # about one CJK character's width
    token = _LATIN_RUN.match(following)
    room = 1.5 * size + (0.6 * size * len(token.group()) if token else 0.0)
    return line["x1"] >= right - room and not _SENTENCE_CLOSE.search(line["text"]) and \
        not _NEW_LINE.match(following)


def _read_pdf(raw: bytes) -> DocumentText:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if not _inflated_size_ok(raw):
        raise UnreadableDocument("too-complex", detail="解压后过大 / too large once decompressed")

    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise UnreadableDocument("encrypted") from None
    except PdfminerException as exc:  # pdfplumber wraps pdfminer's own errors: a password is still a password
        if any(isinstance(a, (PDFPasswordIncorrect, PDFEncryptionError)) for a in exc.args):
            raise UnreadableDocument("encrypted") from None
        raise
    out = _Builder()
    with pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise UnreadableDocument("too-complex", detail=f"{len(pdf.pages)} 页 / pages")
        open_table: tuple[Table, int] | None = None  # the table that ended the last page, and its column count
        for page in pdf.pages:
            found = page.find_tables()
            boxes = [t.bbox for t in found]

            def outside(obj, boxes=boxes) -> bool:
                return not any(x0 - 1 <= obj["x0"] and obj["x1"] <= x1 + 1 and top - 1 <= obj["top"]
                               and obj["bottom"] <= bottom + 1 for x0, top, x1, bottom in boxes)

            lines = page.filter(outside).extract_text_lines()
            right = max((ln["x1"] for ln in lines), default=0.0)
            blocks: list[tuple[float, object]] = [(ln["top"], ln) for ln in lines]
            blocks += [(t.bbox[1], t) for t in found]
            page_start = True
            previous = None  # the last text line, while nothing but text lines came after it
            for _, block in sorted(blocks, key=lambda b: b[0]):
                if isinstance(block, dict):
                    text = block["text"]
                    out.line(text, joined=previous is not None and _wraps(previous, text, right))
                    previous = block
                    if not _PAGE_NUMBER.match(text):
                        open_table, page_start = None, False
                    continue
                previous = None
                extracted = block.extract()
                ncols = max((len(r) for r in extracted), default=0)
                if page_start and open_table and open_table[1] == ncols and extracted and _is_data(extracted[0]):
                    table = open_table[0]  # a table running on from the last page, without its headers again
                else:
                    table = Table()
                    out.tables.append(table)
                open_table, page_start = (table, ncols), False
                for row in extracted:
                    cells = []
                    for i, value in enumerate(row):
                        if value is None and cells and cells[-1][1] + cells[-1][2] == i:
                            cells[-1] = (cells[-1][0], cells[-1][1], cells[-1][2] + 1)  # a merged cell's span
                            continue
                        cells.append((_join_wrapped(value), i, 1))
                    out.row(table, cells)
            page.flush_cache()
    return out.text()


_PAGE_NUMBER = re.compile(r"^\s*(?:[-—－]\s*\d{1,4}\s*[-—－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4})\s*$")
NUMBER = re.compile(r"^[+\-−－]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[+\-−－]?\d+(?:\.\d+)?$")
_PCT_CELL = re.compile(r"^[+\-−－]?\d+(?:\.\d+)?%$")


_FOOTNOTE = re.compile(r"(?<=\d)\s*(?:[*＊#]+|[①②③④⑤⑥⑦⑧⑨⑩])$")   # 45.1* / 12.3①: the figure and a note's mark


def number(text: str) -> float | None:
    """A table cell's number as written (1,500 or −6.5, half-width digits, a footnote mark after it), or None."""
    text = _FOOTNOTE.sub("", text.strip()).replace("−", "-").replace("－", "-")
    text = re.sub(r"^(-?\d+\.) (\d+)$", r"\1\2", text)   # 2231. 15: a PDF copy's space after the point (417_table)
    if NUMBER.match(text):
        return float(text.replace(",", ""))
    return None


def is_figure_cell(text: str) -> bool:
    return number(text) is not None or bool(_PCT_CELL.match(_FOOTNOTE.sub("", text.strip())))


def _is_data(row: list) -> bool:
    """A table row with a number after its first cell (a data row, not a header)."""
    return any(v is not None and is_figure_cell(v) for v in row[1:])


def mask_furniture(text: str) -> str:
    """Blank out conversion furniture with spaces of the same length (offsets stay valid)."""
    return FURNITURE.sub(lambda m: " " * len(m.group()), text)
