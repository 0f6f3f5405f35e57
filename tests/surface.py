"""The import surface tried as a user and as an attacker would (#17): every case the issue lists, each run in a
process of its own through the very functions the import page and the CLI call, with its wall time, its memory
growth (peak RSS after the input is built, against before) and its outcome.

    .venv/bin/python -m tests.surface            # the table, in Markdown (for the issue's note)
    tests/test_surface.py                        # the same runs, each outcome asserted

A case's outcome is one of: `read N` (the page shows N candidate figures), `stopped` (the finder's time budget
ended the reading early, and the page says where), `refused <code>` (the reason shown, zh and en), `capped`
(a read-only page refuses text over its size), `exit N: <first line>` (the CLI), `saved` / a write refusal's class.
`traceback` means an exception the page would have turned into its failure box: always a failure.
"""
from __future__ import annotations

import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback as tb
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "tests" / "fixtures" / "frozen"
MB = 1024 * 1024


# --- inputs ------------------------------------------------------------------------------------------------------

def docx_bytes(text: str = "规上工业总产值405.97亿元，同比增长12%。", table: tuple[int, int] | None = None) -> bytes:
    import docx
    doc = docx.Document()
    doc.add_paragraph(text)
    if table:  # rows filled through their own cells: table.cell(r, c) walks the whole grid on every call
        rows, cols = table
        t = doc.add_table(rows=rows, cols=cols)
        for r, row in enumerate(t.rows):
            for c, cell in enumerate(row.cells):
                cell.text = f"指标{r}(亿元)" if c == 0 else f"{r * cols + c}.5"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def pdf_bytes(text: str = "规上工业总产值405.97亿元，同比增长12%。", *, encrypt: str | None = None,
              drawing_only: bool = False) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # Adobe's CID font: no font file needed
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    if drawing_only:  # a scan: marks on the page, no text layer
        c.rect(72, 500, 400, 200, fill=1)
    else:
        c.setFont("STSong-Light", 12)
        c.drawString(72, 760, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def _pdf(objects: list[bytes]) -> bytes:
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def flate_bomb_pdf(inflated: int) -> bytes:
    """A one-page PDF whose content stream inflates to `inflated` bytes (zeros, compressed in steps)."""
    deflater, parts, step = zlib.compressobj(9), [], b"0" * MB
    for _ in range(inflated >> 20):
        parts.append(deflater.compress(step))
    stream = b"".join(parts) + deflater.flush()
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                 b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"])


def self_referencing_pdf() -> bytes:
    """A page tree whose only kid is the tree itself."""
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])


def docx_with(document_xml: str | None, *, content_types: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        if content_types:
            z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                       'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
                       'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                       'wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        if document_xml is not None:
            z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ENTITIES = ('<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
            + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>")
NESTED_ENTITIES = (f'<?xml version="1.0"?>{ENTITIES}<w:document {W_NS}><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p>'
                   "</w:body></w:document>")
NESTED_ELEMENTS = (f'<?xml version="1.0"?><w:document {W_NS}><w:body>' + "<w:tbl><w:tr><w:tc>" * 5000 + "<w:p/>"
                   + "</w:tc></w:tr></w:tbl>" * 5000 + "</w:body></w:document>")


def docx_zip_bomb(inflated: int = 1 << 30) -> bytes:
    """A ~1 MB .docx whose document.xml inflates to `inflated` bytes, written in steps (never held whole)."""
    buf = io.BytesIO(docx_with(None))
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as z, \
            z.open("word/document.xml", "w", force_zip64=True) as part:
        part.write(f'<?xml version="1.0"?><w:document {W_NS}><w:body><w:p><w:r><w:t>'.encode())
        for _ in range(inflated >> 20):
            part.write(b"a" * MB)
        part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


def fenbie_list(n: int) -> str:
    return "、".join(f"产业{i}" for i in range(n)) + "产值分别增长" + "、".join(f"{i % 50 + 1}.5%" for i in range(n)) + "。"


def dense(kb: int) -> str:
    unit = "园区实现工业总产值12.5亿元，同比增长8.3%，新增规上企业5家；"
    return unit * (kb * 1024 // len(unit.encode()))


# --- cases -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    id: str
    what: str          # the words
    kind: str          # upload | paste | cli | write
    role: str          # viewer (read-only server) | editor
    expect: tuple[str, ...]  # acceptable outcome prefixes


def _case(id, what, kind, expect, role="editor"):
    return Case(id, what, kind, role, (expect,) if isinstance(expect, str) else tuple(expect))


CASES = [
    _case("pdf-named-docx", "a PDF named .docx", "upload", "read"),
    _case("docx-named-pdf", "a .docx named .pdf", "upload", "read"),
    _case("truncated-docx", "a truncated .docx", "upload", "refused damaged"),
    _case("zip-no-content-types", "a zip without [Content_Types].xml", "upload", ("refused wrong-type",
                                                                                  "refused damaged")),
    _case("docx-nested-entities", "a .docx whose XML declares nested entities", "upload",
          ("refused damaged", "refused too-complex")),
    _case("docx-nested-elements", "a .docx with 5,000 nested elements", "upload",
          ("refused damaged", "refused too-complex")),
    _case("encrypted-pdf", "an encrypted PDF", "upload", "refused encrypted"),
    _case("malformed-pdf", "a malformed PDF", "upload", "refused damaged"),
    _case("truncated-pdf", "a truncated PDF", "upload", ("refused damaged", "refused no-text", "read")),
    _case("pdf-self-page-tree", "a PDF whose page tree contains itself", "upload",
          ("refused damaged", "refused too-complex", "refused no-text")),
    _case("pdf-flate-bomb", "a PDF flate bomb (1 MB → 1 GB)", "upload", "refused too-complex"),
    _case("utf16-text", "a UTF-16 text (Notepad's “Unicode”)", "upload", "read"),
    _case("scanned-pdf", "a PDF with no text layer (a scan)", "upload", "refused no-text"),
    _case("evil-exe", "a crafted client uploading evil.exe", "upload", "refused wrong-type", role="viewer"),
    _case("upload-25mb", "a 25 MB body past the 20 MB limit", "upload", "refused too-large", role="viewer"),
    _case("docx-zip-bomb", "a .docx zip bomb (1 MB → 1 GB)", "upload", "refused too-complex"),
    _case("docx-table-2000x30", "a 2,000 × 30 table in a .docx (58,000 figures)", "upload", "stopped"),
    _case("paste-jia-4000", "'1家、' × 4,000 pasted by a read-only viewer", "paste", "read", role="viewer"),
    _case("paste-growth-6000", "'工业总产值增长5%，' × 6,000", "paste", ("read", "capped"), role="viewer"),
    _case("paste-yi-8000", "'5亿元' × 8,000", "paste", "read", role="viewer"),
    _case("paste-fenbie-3000", "a 3,000-item 分别 list", "paste", ("read", "capped"), role="viewer"),
    _case("paste-yi-150000-viewer", "150,000 × '一' on a read-only server", "paste", "capped", role="viewer"),
    _case("paste-yi-150000-editor", "150,000 × '一' by an editor", "paste", ("read", "stopped")),
    _case("paste-dense-1000kb", "1,000 KB of dense figures by an editor", "paste", ("read", "stopped")),
    _case("cli-missing", "`find` on a missing file", "cli", "exit 1"),
    _case("cli-rtf", "`find` on an .rtf", "cli", "exit 1"),
    _case("cli-binary", "`find` on a binary file", "cli", "exit 1"),
    _case("cli-utf16", "`find` on a UTF-16 text", "cli", "exit 0"),
    _case("cli-encrypted", "`find` on an encrypted PDF", "cli", "exit 1"),
    _case("cli-not-a-zip", "`find` on a .docx that is not a zip", "cli", "exit 1"),
    _case("cli-malformed", "`find` on a malformed PDF", "cli", "exit 1"),
    _case("cli-50mb", "`find` on a 50 MB text", "cli", "exit 1"),
    _case("id-con", "a source id `con` (reserved on Windows)", "write", "refused InvalidInput"),
    _case("id-300", "a 300-character source id", "write", "refused InvalidInput"),
    _case("id-newline", "a source id with a trailing newline", "write", "refused InvalidInput"),
    _case("park-id-300", "a new park id of 300 characters", "write", "refused InvalidInput"),
    _case("crlf-parks", "adding a source to a CRLF parks.yaml", "write", "saved, CRLF kept"),
    _case("control-chars", "a page break in a quote, a Word cell mark ending a title", "write",
          "saved, controls cleaned"),
    _case("replace-elsewhere", "replacing a source whose rows live in another file", "write",
          "refused SourceRowsElsewhere"),
    _case("lost-update", "A confirms a diff while B saves", "write", "refused StaleDiff, B's save kept"),
]
BY_ID = {c.id: c for c in CASES}


def build(case_id: str, folder: Path) -> Path:
    """The case's input, as a file in `folder` (an upload's bytes, a pasted text, the CLI's file)."""
    name, data = {
        "pdf-named-docx": lambda: ("a.docx", pdf_bytes()),
        "docx-named-pdf": lambda: ("a.pdf", docx_bytes()),
        "truncated-docx": lambda: ("cut.docx", docx_bytes()[:900]),
        "zip-no-content-types": lambda: ("a.docx", docx_with("<w:document/>", content_types=False)),
        "docx-nested-entities": lambda: ("a.docx", docx_with(NESTED_ENTITIES)),
        "docx-nested-elements": lambda: ("a.docx", docx_with(NESTED_ELEMENTS)),
        "encrypted-pdf": lambda: ("a.pdf", pdf_bytes(encrypt="secret")),
        "malformed-pdf": lambda: ("a.pdf", b"%PDF-1.4\n1 0 obj <<>> garbage"),
        "truncated-pdf": lambda: ("a.pdf", pdf_bytes()[:600]),
        "pdf-self-page-tree": lambda: ("a.pdf", self_referencing_pdf()),
        "pdf-flate-bomb": lambda: ("a.pdf", flate_bomb_pdf(1 << 30)),
        "utf16-text": lambda: ("notepad.txt", "规上工业总产值405.97亿元，同比增长12%。".encode("utf-16")),
        "scanned-pdf": lambda: ("scan.pdf", pdf_bytes(drawing_only=True)),
        "evil-exe": lambda: ("evil.exe", b"MZ\x90\x00" + b"\x00" * 200),
        "upload-25mb": lambda: ("big.txt", ("工业总产值增长5%。" * (25 * MB // 27)).encode()),
        "docx-zip-bomb": lambda: ("bomb.docx", docx_zip_bomb()),
        "docx-table-2000x30": lambda: ("table.docx", docx_bytes("园区主要经济指标", table=(2000, 30))),
        "paste-jia-4000": lambda: ("paste.txt", ("1家、" * 4000).encode()),
        "paste-growth-6000": lambda: ("paste.txt", ("工业总产值增长5%，" * 6000).encode()),
        "paste-yi-8000": lambda: ("paste.txt", ("5亿元" * 8000).encode()),
        "paste-fenbie-3000": lambda: ("paste.txt", fenbie_list(3000).encode()),
        "paste-yi-150000-viewer": lambda: ("paste.txt", ("一" * 150_000).encode()),
        "paste-yi-150000-editor": lambda: ("paste.txt", ("一" * 150_000).encode()),
        "paste-dense-1000kb": lambda: ("paste.txt", dense(1000).encode()),
        "cli-missing": lambda: ("missing.txt", None),
        "cli-rtf": lambda: ("a.rtf", b"{\\rtf1\\ansi 405.97}"),
        "cli-binary": lambda: ("a.txt", bytes(range(256)) * 40),
        "cli-utf16": lambda: ("a.txt", "规上工业总产值405.97亿元。".encode("utf-16")),
        "cli-encrypted": lambda: ("a.pdf", pdf_bytes(encrypt="secret")),
        "cli-not-a-zip": lambda: ("a.docx", b"PK\x03\x04 not really a zip"),
        "cli-malformed": lambda: ("a.pdf", b"%PDF-1.4\n1 0 obj <<>> garbage"),
        "cli-50mb": lambda: ("big.txt", ("工业总产值增长5%。" * (50 * MB // 27)).encode()),
    }.get(case_id, lambda: ("none", b""))()
    path = folder / name
    if data is not None:
        path.write_bytes(data)
    return path


# --- one case, in its own process --------------------------------------------------------------------------------

def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _page_read(case: Case, path: Path) -> str:
    """What the import page does with an upload or a paste, through the same functions."""
    from parkmetrics import importing
    from parkmetrics.finder import UnreadableDocument
    from parkmetrics.loader import load_dataset
    indicators = load_dataset(FROZEN).indicators
    try:
        text = importing.read_upload(path.name, path.read_bytes()) if case.kind == "upload" else \
            path.read_bytes().decode("utf-8")
    except UnreadableDocument as exc:
        assert " / " in str(exc)  # the reason in Chinese and English
        return f"refused {exc.code}"
    if case.role == "viewer" and len(text) > importing.READ_ONLY_MAX_CHARS:
        return "capped"
    frame = importing.review_frame(text, indicators, doc_type="summary", year=2023, scope="park")
    if frame.attrs.get("stopped_at") is not None:
        return f"stopped at {frame.attrs['stopped_at']:,} of {len(text):,}"
    return f"read {len(frame)}"


def _cli(path: Path) -> str:
    run = subprocess.run([sys.executable, "-m", "parkmetrics", "find", str(path), "--root", str(FROZEN)],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    if "Traceback" in run.stderr:
        return "traceback: " + run.stderr.strip().splitlines()[-1]
    first = (run.stderr.strip() or run.stdout.strip()).splitlines()[:1]
    return f"exit {run.returncode}: {first[0][:80] if first else ''}"


def _write(case: Case, folder: Path) -> str:
    """The import page's save path (importing.validate / preview / save) on a copy of the frozen root."""
    from parkmetrics import importing, write
    from parkmetrics.loader import load_dataset
    os.environ[write.EDITOR_ENV] = "1"
    root = folder / "root"
    root.mkdir()
    shutil.copy(FROZEN / "parks.yaml", root / "parks.yaml")
    shutil.copytree(FROZEN / "data", root / "data")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}

    def source(**kw):
        return importing.source_entry(**({"id": "lx_2023_summary", "file": "lx_2023_summary.txt",
                                          "title": "临湘高新区2023年工作总结", "issuer": "临湘高新区",
                                          "date": "2024-01-06", "type": "summary", "park": "linxiang",
                                          "scope": "park"} | kw))

    def row(src, **kw):
        return {"park_id": "linxiang", "scope": "park", "indicator_id": "industrial_output", "year": 2023,
                "kind": "actual", "value": 401.5, "unit": "亿元", "comparator": "=", "basis": "level",
                "source": src["id"], "quote": "完成规模工业总产值401.5亿元"} | kw

    def unchanged() -> bool:
        return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before

    try:
        if case.id in ("id-con", "id-300", "id-newline"):
            sid = {"id-con": "con", "id-300": "lx_" + "x" * 297, "id-newline": "lx_x\n"}[case.id]
            s = source(file="x.txt") | {"id": sid}  # as a caller of the writer passes it, not stripped by a form
            write.save(root, s, [row(s)])
        elif case.id == "park-id-300":
            park = importing.park_entry(id="p" * 300, name_zh="新园区", name_en="New Park", province="湖南省",
                                        city="岳阳市", county="临湘市", level="省级", kind="高新区", color="#7d3c98")
            s = source(id="p_2023_summary", park="p" * 300)
            importing.save(root, s, [row(s, park_id="p" * 300)], park=park)
        elif case.id == "crlf-parks":
            parks = root / "parks.yaml"
            parks.write_bytes(parks.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
            s = source()
            importing.save(root, s, [row(s)])
            raw = parks.read_bytes()
            return "saved, CRLF kept" if raw.count(b"\n") == raw.count(b"\r\n") else "saved, bare LF written"
        elif case.id == "control-chars":
            s = source(title="临湘高新区2023年工作总结\x07")
            importing.save(root, s, [row(s, quote=importing.clean_text("完成规模工业总产值\f401.5亿元"))])
            ds = load_dataset(root)
            texts = [s_.title for s_ in ds.sources.values()] + ds.observations["quote"].tolist()
            clean = not any(c in t for t in texts for c in "\x07\x0c")
            return "saved, controls cleaned" if clean and not ds.problems else "saved, controls kept"
        elif case.id == "replace-elsewhere":
            ds = load_dataset(root)
            sid = ds.observations["source"].iloc[0]
            src = ds.sources[sid].model_dump(exclude_none=True)
            elsewhere = root / "data" / "observations" / "zz_elsewhere.csv"
            first_file = root / ds.observations["file"].iloc[0] if "file" in ds.observations else \
                next(p for p in (root / "data" / "observations").glob("*.csv") if sid in p.read_text(encoding="utf-8"))
            lines = first_file.read_text(encoding="utf-8").splitlines()
            elsewhere.write_text(lines[0] + "\n" + next(ln for ln in lines[1:] if sid in ln) + "\n", encoding="utf-8")
            before.update({p: p.read_bytes() for p in [elsewhere]})
            importing.save(root, src, [row(src, year=2019, value=1.5, quote="1.5亿元")], replace=True)
        elif case.id == "lost-update":
            s = source()
            importing.save(root, s, [row(s)])
            shown = importing.preview(root, s, [row(s, value=200, quote="200亿元")], replace=True)   # A's diff
            importing.save(root, s, [row(s, value=300, quote="300亿元")], replace=True)             # B saves
            theirs = (root / "data" / "observations" / "lx_2023_summary.csv").read_bytes()
            try:
                importing.save(root, s, [row(s, value=200, quote="200亿元")], replace=True, version=shown.version)
            except write.StaleDiff:
                kept = (root / "data" / "observations" / "lx_2023_summary.csv").read_bytes() == theirs
                return "refused StaleDiff, B's save kept" if kept else "refused StaleDiff, B's save lost"
            return "saved over B"
        else:
            raise KeyError(case.id)
    except write.WriteRefused as exc:
        assert exc.message_zh and exc.message_en
        return f"refused {type(exc).__name__}" + ("" if unchanged() else ", files changed")
    return "saved"


def run_here(case_id: str, path: Path) -> dict:
    case = BY_ID[case_id]
    import parkmetrics.importing  # noqa: F401 — imports count as the baseline, not as the case's memory
    import parkmetrics.loader  # noqa: F401
    base = _rss_mb()
    started = time.perf_counter()
    try:
        outcome = {"upload": _page_read, "paste": _page_read}[case.kind](case, path) if case.kind in (
            "upload", "paste") else _cli(path) if case.kind == "cli" else _write(case, path.parent)
    except Exception as exc:  # noqa: BLE001 — what the page would have shown as its failure box
        outcome = f"traceback: {type(exc).__name__}: {exc}"[:200]
        tb.print_exc()
    seconds = time.perf_counter() - started
    grown = _rss_mb() - base
    if case.kind == "cli":
        grown = max(grown, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 - base)
    return {"id": case_id, "outcome": outcome, "seconds": round(seconds, 2), "mb": round(max(grown, 0), 1)}


def run(case_id: str) -> dict:
    """One case in a fresh process: its input built first (not counted), then the operation measured."""
    with tempfile.TemporaryDirectory() as tmp:
        path = build(case_id, Path(tmp))
        proc = subprocess.run([sys.executable, "-m", "tests.surface", "--run", case_id, str(path)],
                              capture_output=True, text=True, cwd=ROOT, timeout=300,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"id": case_id, "outcome": f"crash {proc.returncode}: {proc.stderr[-300:]}", "seconds": 0, "mb": 0}
    return json.loads(lines[-1])


def run_all(workers: int = 2) -> list[dict]:
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(run, [c.id for c in CASES]))


def table(results: list[dict]) -> str:
    out = ["| case | role | outcome | time (s) | memory growth (MB) |", "| --- | --- | --- | ---: | ---: |"]
    for r in results:
        c = BY_ID[r["id"]]
        out.append(f"| {c.what} | {c.role} | {r['outcome'].replace('|', '/')} | {r['seconds']:.2f} | {r['mb']:.0f} |")
    return "\n".join(out)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--run"]:
        print(json.dumps(run_here(sys.argv[2], Path(sys.argv[3])), ensure_ascii=False))
    else:
        print(table(run_all()))
