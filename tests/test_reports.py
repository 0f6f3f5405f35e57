"""Reports as a reader sees them: every briefing (.docx) and deck (.pptx) — the three parks and the cross-park
one, in zh and en — built from the frozen fixture root, converted to PDF by LibreOffice and rendered by poppler.

The conversions run once per module (one soffice call for every file, its own profile folder, so parallel runs
do not clash); the tests then read the files back (python-docx, python-pptx), the PDFs (pdffonts, pdfinfo) and
the rendered pages (pdftoppm → PNG → Pillow).
"""
from __future__ import annotations

import io
import functools
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn as wqn
from PIL import Image, ImageChops, ImageDraw, ImageFont
from pptx import Presentation
from pptx.oxml.ns import qn as aqn
from pptx.util import Inches, Pt

from parkmetrics import charts, i18n, reports, views
from parkmetrics.analysis import analyse_root
from parkmetrics.cli import main as cli_main
from parkmetrics.reports import briefing, images, slides
from parkmetrics.reports.content import TARGET_LABELS, briefing_content
from parkmetrics.views import headline_rows

pytestmark = pytest.mark.slow  # LibreOffice converts 18 files (~1–2 min on 2 cores)

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "tests" / "fixtures" / "frozen"
PARKS = ["zhengyang", "jiangyou", "linxiang", None]
LANGS = ["zh", "en"]
SELECTIONS = [(p, lang) for p in PARKS for lang in LANGS]
FACES = {face for _, face in briefing.FONTS.values()}
PROBE = "区门令直返"  # drawn differently in the SC and the JP faces of Noto CJK

for tool in ("soffice", "pdftoppm", "pdffonts", "pdfinfo"):
    if shutil.which(tool) is None:  # never skipped: scripts/test.sh installs them (as root)
        raise RuntimeError(f"{tool} not found: run scripts/test.sh as root, or apt-get install "
                           "libreoffice-writer-nogui libreoffice-impress-nogui poppler-utils")


def _id(selection) -> str:
    park, lang = selection
    return f"{park or 'compare'}-{lang}"


@dataclass
class Built:
    content: bytes
    name: str
    path: Path
    pdf: Path


@pytest.fixture(scope="module")
def analysis():
    return analyse_root(FROZEN)


def _probe_docx() -> bytes:
    """One large probe character per paragraph, heading role then body role, with the briefing's typography."""
    doc = Document()
    briefing._style_fonts(doc, "zh")
    for role in ("heading", "body", "table"):
        for ch in PROBE:
            p = doc.add_paragraph()
            p.paragraph_format.space_after = Pt(6)
            briefing._run(p, ch, "zh", role, size=40)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _probe_pptx() -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = slides.SLIDE_W, slides.SLIDE_H
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    slides._text(slide, Inches(1), Inches(0.2), Inches(3), Inches(7), [(ch, 40, False, slides.INK) for ch in PROBE],
                 "zh")
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _soffice(files: list[Path], outdir: Path, profile: Path) -> None:
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, files)], check=True, capture_output=True, timeout=900,
                   env=reports.fontconfig_env())


@pytest.fixture(scope="module")
def built(analysis, tmp_path_factory) -> dict:
    """(park, lang, fmt) → Built, plus ("probe", fmt) → the glyph probes; every PDF made in one soffice call."""
    out = tmp_path_factory.mktemp("reports")
    files: dict = {}
    for park, lang in SELECTIONS:
        for fmt in ("docx", "pptx"):
            content, name = reports.build(analysis, park_id=park, lang=lang, fmt=fmt)
            path = out / f"{park or 'compare'}_{lang}_{fmt}.{fmt}"  # one PDF name per file: soffice names it by stem
            path.write_bytes(content)
            files[(park, lang, fmt)] = Built(content, name, path, out / "pdf" / f"{path.stem}.pdf")
    for fmt, content in (("docx", _probe_docx()), ("pptx", _probe_pptx())):
        path = out / f"probe_{fmt}.{fmt}"
        path.write_bytes(content)
        files[("probe", fmt)] = Built(content, path.name, path, out / "pdf" / f"{path.stem}.pdf")
    _soffice([b.path for b in files.values()], out / "pdf", out / "profile")
    return files


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _render(pdf: Path, dpi: int, dest: Path) -> list[Image.Image]:
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(dest / "page")], check=True, timeout=300)
    return [Image.open(p).convert("L") for p in sorted(dest.glob("page-*.png"))]


def _fonts(pdf: Path) -> list[dict]:
    lines = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:
        parts = line.split()
        # name, type (one or two words), encoding, emb, sub, uni, object, id
        rows.append({"name": parts[0], "emb": parts[-5], "type": " ".join(parts[1:-6])})
    return rows


# --- the files open, convert and have pages ---------------------------------------------------------------------


@pytest.mark.parametrize("selection", SELECTIONS, ids=_id)
@pytest.mark.parametrize("fmt", ["docx", "pptx"])
def test_opens_without_repair_and_converts(built, analysis, selection, fmt):
    park, lang = selection
    b = built[(park, lang, fmt)]
    assert b.pdf.exists(), f"LibreOffice could not convert {b.name}"
    pages = _pages(b.pdf)
    brief = briefing_content(analysis, park, lang)
    if fmt == "docx":
        Document(io.BytesIO(b.content))  # python-docx re-opens it
        assert pages >= 2
    else:
        prs = Presentation(io.BytesIO(b.content))
        # a title slide, the summary (the briefing's overview and issues, as written), one targets slide per park,
        # then one chart per slide
        tables = [data for _, data in brief.headline if data.rows]
        assert len(prs.slides) == pages == len(brief.charts) + 2 + len(tables)
        summary = [shape.text_frame.text for shape in prs.slides[1].shapes if shape.has_text_frame]
        assert summary[0] == ("要点" if lang == "zh" else "Summary")
        assert brief.body[0].paragraphs[0] in summary[1]
        for k, data in enumerate(tables, start=2):   # a park's targets, as the annex lists them
            [grid] = [shape.table for shape in prs.slides[k].shapes if shape.has_table]
            assert [c.text for c in grid.rows[1].cells] == data.rows[0][:len(grid.columns)]
    assert 2 <= len(brief.charts) <= 4
    ext = fmt
    assert b.name.endswith(f"_{lang}.{ext}") and not re.search(r'[<>:"/\\|?*]', b.name)


# --- numbers: the briefing says what the pages say --------------------------------------------------------------


def _docx_rows(content: bytes) -> list[list[str]]:
    return [row for t in _docx_tables(content) for row in t]


def _docx_tables(content: bytes) -> list[list[list[str]]]:
    doc = Document(io.BytesIO(content))
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


TARGET_COLUMNS = ["scope", "indicator", "year", "target_level", "target_value", "actual_value", "ratio", "status",
                  "flags"]
RESULT_COLUMNS = ["actual_value", "ratio", "status"]


@pytest.mark.parametrize("selection", SELECTIONS, ids=_id)
def test_target_numbers_equal_the_pages(built, analysis, selection):
    """Every target row of views.targets_table (what the park page and the tracker show) is in the briefing with
    the same indicator, year, tier, target, actual, attainment, status and flags — and nothing else is. A park's
    table with no actual at all leaves the result columns out and says so once, under the table."""
    park, lang = selection
    content = built[(park, lang, "docx")].content
    column_of = {reports.labels.t(TARGET_LABELS[c], lang): c for c in TARGET_COLUMNS}
    tables = [t for t in _docx_tables(content) if column_of.get(t[0][0]) == "scope"]
    ids = [park] if park else analysis.park_ids()
    assert len(tables) == len(ids)
    for pid, t in zip(ids, tables):
        columns = [column_of.get(h) for h in t[0][:-1]]
        page = views.targets_table(analysis.attainment[analysis.attainment["park_id"] == pid], analysis, lang)
        if columns != TARGET_COLUMNS:     # only the result columns may go, and only when no row has an actual
            assert [c for c in TARGET_COLUMNS if c not in columns] == RESULT_COLUMNS
            assert not any(str(v).strip() not in ("", "—") for v in page["actual_value"])
            assert reports.labels.t("no_actuals_table", lang) in briefing.text_of(content)
        expected = Counter(tuple(str(v) if str(v).strip() else "—" for v in row)
                           for row in page[columns].itertuples(index=False))
        assert Counter(tuple(r[:-1]) for r in t[1:]) == expected
    # The headline tables: the same strings for the headline rows, in the columns each table has (the prior
    # year's actual, when there is one, is the briefing's own column: test_narrative checks it).
    heads = [t for t in _docx_tables(content) if column_of.get(t[0][0]) == "indicator" and "year" in
             [column_of.get(h) for h in t[0]]]
    assert len(heads) == len(ids)
    for pid, t in zip(ids, heads):
        head = views.targets_table(headline_rows(analysis, pid), analysis, lang)
        columns = [column_of.get(h) for h in t[0][:-1]]
        shown = [k for k, c in enumerate(columns) if c is not None]
        assert [c for c in TARGET_COLUMNS[1:-1] if c not in columns] in ([], RESULT_COLUMNS)
        expected = Counter(tuple(str(v) for v in row) for row in head[[columns[k] for k in shown]].itertuples(index=False))
        assert Counter(tuple(r[k] for k in shown) for r in t[1:]) == expected


@pytest.mark.parametrize("selection", SELECTIONS, ids=_id)
def test_every_figure_cites_its_sentence(built, analysis, selection):
    """Each target row's reference number points to the numbered source entry with its quote; the profile,
    the headline targets (views.headline's texts), tasks, self-checks and the scope note are there."""
    park, lang = selection
    content = built[(park, lang, "docx")].content
    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    entries = dict(re.findall(r"^\[(\d+)\] (.*)$", text, re.M))
    assert entries, "no numbered source list"
    att = analysis.attainment if park is None else analysis.attainment[analysis.attainment["park_id"] == park]
    page = views.targets_table(att, analysis, lang)
    rows = [r for r in _docx_rows(content) if len(r) == 10 and r[0] in set(page["scope"])]
    quotes = {(r.indicator, str(r.year), r.target_level, r.target_value): r.quote for r in page.itertuples()}
    for r in rows:
        n = r[-1].strip("[]")
        assert quotes[(r[1], r[2], r[3], r[4])] in entries[n]
    cells = "\n".join(" | ".join(r) for r in _docx_rows(content))
    for pid in ([park] if park else analysis.park_ids()):
        for label, value in views.park_facts(analysis, pid, lang).items():
            assert label in cells and value in cells
    tasks = views.tasks_table(analysis, park)
    assert all(t in cells for t in tasks["task_zh"])
    checks = analysis.checks if park is None else analysis.checks[analysis.checks["park_id"] == park]
    shown = {i18n.check_status(s, lang) for s in checks["status"]}
    assert sum(cells.count(f"| {s} |") for s in shown) >= len(checks)
    district = int((att["scope"] == "district").sum())
    if district:
        assert any(f" {district} " in p.text and ("区级" in p.text or "district" in p.text) for p in doc.paragraphs), \
            "scope warning for district targets missing"


def _check_rows(content: bytes, lang: str) -> tuple[list[str], list[list[str]]]:
    """The self-check table of a briefing: its header and its rows, found by the header's first cell."""
    doc = Document(io.BytesIO(content))
    first = reports.labels.t("check_scope", lang)
    for t in doc.tables:
        rows = [[c.text for c in row.cells] for row in t.rows]
        if rows and rows[0][0] == first:
            return rows[0], rows[1:]
    raise AssertionError("no self-check table")


@pytest.mark.parametrize("park", ["zhengyang", "linxiang", None], ids=lambda p: p or "compare")  # jiangyou: none
def test_check_details_are_in_the_briefing_language(analysis, park):
    """A zh briefing restates every self-check's detail in Chinese, exactly as the pages do
    (views.check_detail): no English wording of metrics.checks() reaches the reader; an en briefing reads the
    same details in English. Built without LibreOffice (python-docx reads the file back)."""
    checks = analysis.checks if park is None else analysis.checks[analysis.checks["park_id"] == park]
    assert len(checks), "the fixture has self-checks for every selection"
    for lang in LANGS:
        content, _ = reports.build(analysis, park_id=park, lang=lang, fmt="docx")
        header, rows = _check_rows(content, lang)
        col = header.index(reports.labels.t("detail", lang))
        shown = Counter(r[col] for r in rows)
        expected = Counter(views.check_detail(analysis, r, lang) or "—" for r in checks.to_dict("records"))
        assert shown == expected
        if lang == "zh":
            english = [d for d in shown if re.search(r"[A-Za-z]{2,}", d)]
            assert not english, f"English check text in the zh briefing: {english}"
            text = briefing.text_of(content)
            for raw in {*checks["detail"].dropna(), *checks["detail_args"].dropna()} - {""}:
                assert raw not in text                                     # neither a code nor its arguments
            assert "level" not in text and "implied" not in text


# --- typography -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("selection", SELECTIONS, ids=_id)
def test_docx_typography(built, selection):
    park, lang = selection
    doc = Document(io.BytesIO(built[(park, lang, "docx")].content))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    parts = [doc.element.body, *(s.footer._element for s in doc.sections)]
    runs = [r for part in parts for r in part.iter(wqn("w:r"))]
    assert runs
    for r in runs:
        fonts = r.find(wqn("w:rPr") + "/" + wqn("w:rFonts"))
        assert fonts is not None and fonts.get(wqn("w:eastAsia")) in FACES, r.xml[:200]
        assert fonts.get(wqn("w:asciiTheme")) is None
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption"):
        fonts = doc.styles[name].element.rPr.find(wqn("w:rFonts"))
        assert fonts.get(wqn("w:eastAsia")) in FACES and fonts.get(wqn("w:asciiTheme")) is None
    # GB/T 9704's faces: the analysis in 仿宋, its （一） in 楷体, the tables in 宋体; each declared with its Chinese name
    faces = {}
    for p in doc.paragraphs:
        for r in p.runs:
            faces.setdefault(r.element.rPr.find(wqn("w:rFonts")).get(wqn("w:eastAsia")), []).append(p.text)
    assert any(re.match(r"[一二三四五]、" if lang == "zh" else r"[1-5]\.", t) for t in faces["SimHei"])
    assert any(re.search(r"[。.]$", t) and not t.startswith("（") for t in faces["FangSong"])
    if park is None and lang == "zh":  # the comparison's park sub-headings
        assert faces.get("KaiTi") and all(t.startswith("（") for t in faces["KaiTi"]), faces.get("KaiTi")
    cells = [r for t in doc.tables for c in t._cells for p in c.paragraphs for r in p.runs]
    assert {r.element.rPr.find(wqn("w:rFonts")).get(wqn("w:eastAsia")) for r in cells} <= {"SimSun", "SimHei"}
    table_xml = doc.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable").blob.decode()
    for face, name in (("FangSong", "仿宋"), ("KaiTi", "楷体"), ("SimSun", "宋体"), ("SimHei", "黑体")):
        assert re.search(f'w:name="{face}"><w:altName w:val="{name}"/>.*?<w:charset w:val="86"/>', table_xml)
    footer = section.footer._element.xml
    assert "PAGE" in footer and "fldChar" in footer
    for table in doc.tables:
        for k, row in enumerate(table.rows):
            tr_pr = row._tr.trPr
            assert tr_pr is not None and tr_pr.find(wqn("w:cantSplit")) is not None
        first = table.rows[0]._tr.trPr
        header = first.find(wqn("w:tblHeader")) is not None
        assert header or len(table.columns) == 2  # only the one-park profile table has no header row


@pytest.mark.parametrize("selection", SELECTIONS, ids=_id)
def test_pptx_typography(built, selection):
    park, lang = selection
    prs = Presentation(io.BytesIO(built[(park, lang, "pptx")].content))
    assert (prs.slide_width, prs.slide_height) == (slides.SLIDE_W, slides.SLIDE_H)
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    for slide in prs.slides:
        for r in slide.shapes._spTree.iter(aqn("a:r")):
            ea = r.find(aqn("a:rPr") + "/" + aqn("a:ea"))
            assert ea is not None and ea.get("typeface") == slides.EAST_ASIAN


@pytest.mark.parametrize("selection", SELECTIONS, ids=_id)
@pytest.mark.parametrize("fmt", ["docx", "pptx"])
def test_pdf_fonts_are_embedded_noto_cjk(built, selection, fmt):
    """Every font is embedded; Chinese is set in Noto CJK (no DejaVu/Droid fallback face, which would mean a
    missing glyph or a box). pdffonts names the Noto CJK subsets "NotoSansCJKjp-…" whichever face was used: the
    five faces of Debian's NotoSansCJK-*.ttc share one CFF table named after the JP face, and LibreOffice names
    the subset after the CFF. That the faces are the SC ones is shown by test_glyphs_are_simplified_chinese."""
    park, lang = selection
    fonts = _fonts(built[(park, lang, fmt)].pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
    names = [f["name"].split("+")[-1] for f in fonts]
    assert any(re.match(r"Noto(Sans|Serif)CJK", n) for n in names), names
    assert not [n for n in names if re.match(r"(DejaVu|Droid|WenQuanYi|Unifont|AR(?!PLUKai))", n)], names
    if fmt == "docx" and lang == "zh" and park is None:  # its （一） park headings are 楷体, here AR PL UKai CN
        assert any("UKai" in n for n in names), names
    assert all(f["type"] != "Type 3" for f in fonts)


@functools.lru_cache(maxsize=None)
def _reference_face(family: str, bold: bool) -> tuple[str, int, int]:
    """(file, SC index, JP index) of a Noto CJK collection, from fontconfig."""
    path = subprocess.run(["fc-match", "-f", "%{file}", f"{family} SC:{'bold' if bold else 'regular'}"],
                          check=True, capture_output=True, text=True).stdout
    faces = {ImageFont.truetype(path, 20, index=i).getname()[0]: i for i in range(5)}
    return path, faces[f"{family} SC"], faces[f"{family} JP"]


def _glyph(img: Image.Image) -> Image.Image:
    box = ImageChops.invert(img).point(lambda v: 255 if v > 100 else 0).getbbox()
    return img.crop(box).resize((64, 64)).point(lambda v: 0 if v < 160 else 255)


def _reference(path: str, index: int, ch: str) -> Image.Image:
    font = ImageFont.truetype(path, 160, index=index)
    img = Image.new("L", (240, 240), 255)
    ImageDraw.Draw(img).text((20, 20), ch, font=font, fill=0)
    return _glyph(img)


def _distance(a: Image.Image, b: Image.Image) -> int:
    return sum(1 for v in ImageChops.difference(a, b).get_flattened_data() if v)


def _bands(page: Image.Image) -> list[Image.Image]:
    """The rendered probe characters, top to bottom (rows of ink separated by white)."""
    width, height = page.size
    ink = ImageChops.invert(page).point(lambda v: 255 if v > 100 else 0)
    rows = [ink.crop((0, y, width, y + 1)).getbbox() is not None for y in range(height)]
    spans, start = [], None
    for y, has in enumerate(rows + [False]):
        if has and start is None:
            start = y
        elif not has and start is not None:
            if spans and start - spans[-1][1] < 12:  # a gap inside one glyph (令, 直): same character
                spans[-1] = (spans[-1][0], y)
            else:
                spans.append((start, y))
            start = None
    return [page.crop((0, a, width, b)) for a, b in spans if b - a > 10]


@pytest.mark.parametrize("fmt,roles", [("docx", [("Noto Sans CJK", False), ("Noto Serif CJK", False),
                                                 ("Noto Serif CJK", False)]),
                                       ("pptx", [("Noto Sans CJK", False)])])
def test_glyphs_are_simplified_chinese(built, tmp_path, fmt, roles):
    """The probe characters 区门令直返, set with the reports' own font settings (heading and body roles), render
    in their Simplified Chinese forms: each is nearer the SC face's glyph than the JP face's."""
    bands = [band for page in _render(built[("probe", fmt)].pdf, 150, tmp_path) for band in _bands(page)]
    chars = [(ch, family, bold) for family, bold in roles for ch in PROBE]
    assert len(bands) == len(chars)
    for band, (ch, family, bold) in zip(bands, chars):
        path, sc, jp = _reference_face(family, bold)
        seen = _glyph(band)
        d_sc, d_jp = _distance(seen, _reference(path, sc, ch)), _distance(seen, _reference(path, jp, ch))
        assert d_sc < d_jp, f"{ch} ({family}) looks Japanese: distance SC {d_sc}, JP {d_jp}"


# --- pages a reader sees -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("selection", SELECTIONS, ids=_id)
@pytest.mark.parametrize("fmt", ["docx", "pptx"])
def test_no_page_is_blank(built, tmp_path, selection, fmt):
    park, lang = selection
    pages = _render(built[(park, lang, fmt)].pdf, 30, tmp_path)
    assert pages
    for n, page in enumerate(pages, start=1):
        width, height = page.size
        body = page.crop((0, 0, width, int(height * (0.9 if fmt == "docx" else 1.0))))  # above the footer
        dark = sum(1 for v in body.get_flattened_data() if v < 200)
        assert dark > 0.002 * width * height, f"page {n} of {park or 'compare'} {lang} {fmt} is blank"


@pytest.mark.parametrize("selection", SELECTIONS, ids=_id)
def test_charts_print_at_200_dpi_or_more(built, analysis, selection):
    park, lang = selection
    doc = Document(io.BytesIO(built[(park, lang, "docx")].content))
    shapes = list(doc.inline_shapes)
    assert len(shapes) == len(briefing_content(analysis, park, lang).charts)
    for shape in shapes:
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        px_w, _ = Image.open(io.BytesIO(doc.part.related_parts[rid].blob)).size
        assert px_w / (shape.width / 914400) >= 200
    prs = Presentation(io.BytesIO(built[(park, lang, "pptx")].content))
    pictures = [s for slide in prs.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == len(shapes)
    for pic in pictures:
        assert pic.image.size[0] / (pic.width / 914400) >= 200
    texts = [s.text_frame.text for slide in list(prs.slides)[1:] for s in slide.shapes if s.has_text_frame]
    for chart in briefing_content(analysis, park, lang).charts:  # each slide: the chart's title and source line
        assert chart.title in texts and chart.source_line in texts


# --- chart exports ------------------------------------------------------------------------------------------------


def _translate(el) -> tuple[float, float]:
    m = re.search(r"translate\(\s*([-\d.e]+)(?:[ ,]\s*([-\d.e]+))?\s*\)", el.get("transform", ""))
    return (float(m.group(1)), float(m.group(2) or 0)) if m else (0.0, 0.0)


def _text_width(text: str, size: float) -> float:
    """Width in px of `text` in Noto Sans CJK SC (the first face of the charts' font stack) at `size` px."""
    path, sc, _ = _reference_face("Noto Sans CJK", False)
    return ImageFont.truetype(path, max(1, round(size * 4)), index=sc).getlength(text) / 4


def _outside(svg: bytes) -> list[str]:
    """Texts of an exported SVG that reach outside the image. Annotation boxes (the source footer) are measured
    by the browser (their "bg" rect); other texts from their anchor point and their width in the font the
    browser drew them with (Noto Sans CJK SC, measured by Pillow)."""
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    width, height = float(root.get("width")), float(root.get("height"))
    problems: list[str] = []

    def walk(el, ox, oy):
        dx, dy = _translate(el)
        ox, oy = ox + dx, oy + dy
        if el.tag == ns + "rect" and el.get("class") == "bg":
            x0, y0 = ox + float(el.get("x")), oy + float(el.get("y"))
            x1, y1 = x0 + float(el.get("width")), y0 + float(el.get("height"))
            if x0 < -1 or y0 < -1 or x1 > width + 1 or y1 > height + 1:
                problems.append(f"box {x0:.0f}..{x1:.0f} × {y0:.0f}..{y1:.0f} outside {width:.0f}×{height:.0f}")
        if el.tag == ns + "text" and "annotation-text" not in (el.get("class") or ""):
            size = float((re.search(r"font-size:\s*([\d.]+)px", el.get("style", "")) or [0, 12])[1])
            anchor = el.get("text-anchor", "start")
            lines = [t for t in el if t.tag == ns + "tspan" and t.get("class") == "line"] or [el]  # a wrapped title
            for line in lines:
                text = "".join(line.itertext())
                x, y = ox + float(line.get("x") or el.get("x") or 0), oy + float(line.get("y") or el.get("y") or 0)
                span = _text_width(text, size)
                x0 = x - span if anchor == "end" else x - span / 2 if anchor == "middle" else x
                if "rotate" not in el.get("transform", "") and text.strip() and (
                        x0 < -2 or x0 + span > width + 2 or y < 0 or y > height):
                    problems.append(f"text {text!r} at x {x0:.0f}..{x0 + span:.0f}, y {y:.0f}")
        for child in el:
            walk(child, ox, oy)

    walk(root, 0.0, 0.0)
    return problems


def _font_sizes(svg: bytes) -> list[float]:
    return [float(m) for m in re.findall(rb"font-size:\s*([\d.]+)px", svg)]


def _bar_label_boxes(svg: bytes) -> list[tuple[str, float, float, float, float]]:
    """(text, x0, x1, y0, y1) of every bar label: its lines' widest width around its anchor, its lines' height."""
    ns = "{http://www.w3.org/2000/svg}"
    boxes = []

    def walk(el, ox, oy):
        dx, dy = _translate(el)
        ox, oy = ox + dx, oy + dy
        if el.tag == ns + "text" and "bartext" in (el.get("class") or ""):
            size = float(re.search(r"font-size:\s*([\d.]+)px", el.get("style", "")).group(1))
            lines = ["".join(t.itertext()) for t in el if t.tag == ns + "tspan"] or ["".join(el.itertext())]
            if any(x.strip() for x in lines):
                w = max(_text_width(x, size) for x in lines)
                x = ox + float(el.get("x") or 0)
                boxes.append((" / ".join(lines), x - w / 2, x + w / 2, oy - size, oy + size * 1.3 * (len(lines) - 1)))
        for child in el:
            walk(child, ox, oy)

    walk(ET.fromstring(svg), 0.0, 0.0)
    return boxes


@pytest.mark.parametrize("selection", SELECTIONS, ids=_id)
def test_briefing_charts_print_their_smallest_text_at_8_pt(analysis, selection):
    """#20.6: placed 16 cm wide, every text of a briefing's chart (ticks, labels in bars, the source footer) is at
    least 8 pt, none reaches outside the image, and no two bar labels overlap."""
    park, lang = selection
    width_pt = briefing.CHART_WIDTH.pt
    for chart in briefing_content(analysis, park, lang).charts:
        svg = images.svg(chart.figure)
        px = float(ET.fromstring(svg).get("width"))
        smallest = min(_font_sizes(svg)) * width_pt / px
        assert smallest >= 8, f"{chart.title}: {smallest:.1f} pt"
        assert _outside(svg) == [], chart.title
        boxes = _bar_label_boxes(svg)
        assert not [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                    if a[1] < b[2] and b[1] < a[2] and a[3] < b[4] and b[3] < a[4]], chart.title
    page = views.trend_figure(analysis, "zhengyang", "industrial_output", lang)   # the page keeps its own width
    assert page.layout.width == charts.WIDTH


EXPORTS = [
    pytest.param(("trend_figure", "zhengyang", "industrial_output"), "zh", id="trend-zh"),
    pytest.param(("trend_figure", "zhengyang", "industrial_output"), "en", id="trend-en"),
    pytest.param(("trend_figure", "linxiang", "above_scale_enterprises_new"), "en", id="trend-short-en"),
    *(pytest.param(("compare_figure", "industrial_output", 2022), lang, id=f"compare-{lang}") for lang in LANGS),
    *(pytest.param(view, lang, id=f"{view[0].split('_')[0]}-{lang}")
      for view in [("ambition_figure",), ("status_figure", "enterprises"), ("coverage_figure", "enterprises")]
      for lang in LANGS),
]


@pytest.mark.parametrize("view,lang", EXPORTS)
def test_exported_svg_keeps_every_text_inside(analysis, view, lang):
    fig = getattr(views, view[0])(analysis, *view[1:], lang)
    svg = images.svg(fig)
    root = ET.fromstring(svg)
    assert (float(root.get("width")), float(root.get("height"))) == images.size(fig)
    footer = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if "annotation-text" in (t.get("class") or "")]
    assert footer, "the source footer is missing"
    assert _outside(svg) == []


def test_png_export_is_3x_light_and_explicitly_templated(analysis):
    """A 3× PNG at the figure's own size; light even after `import streamlit` made its placeholder template the
    default (a figure without a template of its own gets the report template on export)."""
    import plotly.graph_objects as go
    import plotly.io as pio
    import streamlit  # noqa: F401  (sets pio.templates.default = "streamlit")

    assert pio.templates.default == "streamlit"
    fig = views.trend_figure(analysis, "zhengyang", "industrial_output", "zh")
    bare = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout=dict(width=500, height=300))
    for figure in (fig, bare):
        img = Image.open(io.BytesIO(images.png(figure))).convert("L")
        w, h = images.size(figure)
        assert img.size == (3 * w, 3 * h)
        assert sum(img.get_flattened_data()) / (img.size[0] * img.size[1]) > 200, "exported PNG is dark"


def test_export_name_says_what_and_is_safe_on_windows():
    assert images.export_name("临湘高新区", "规上工业总产值", 2022, "zh", "png") == "临湘高新区_规上工业总产值_2022_zh.png"
    assert images.export_name("Jiangyou", "Gross output (above size)", 2022, "en", ".SVG") == \
        "Jiangyou_Gross_output_(above_size)_2022_en.svg"
    name = images.export_name('a<b>:"c/d\\e|f?g*', "x\ty\n", "2021–2025", "zh", "png")
    assert not re.search(r'[<>:"/\\|?*\x00-\x1f]', name) and name.endswith("_2021–2025_zh.png")
    assert images.export_name("CON", None, None, None, "png") == "_CON.png"
    assert images.export_name(" . ", None, None, None, "png") == "chart.png"
    assert len(images.export_name("长" * 300, None, 2022, "zh", "png")) <= 124


def test_png_zip_holds_every_chart_as_png_and_svg(analysis):
    content, name = reports.build(analysis, park_id="linxiang", lang="zh", fmt="png")
    assert name.endswith("_zh.zip")
    charts = briefing_content(analysis, "linxiang", "zh").charts
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        names = z.namelist()
        assert len(names) == 2 * len(charts)
        assert all(n.endswith(("_zh.png", "_zh.svg")) for n in names)
        assert Image.open(io.BytesIO(z.read(names[0]))).size[0] == 3 * images.size(charts[0].figure)[0]


def test_build_rejects_unknown_inputs(analysis):
    with pytest.raises(KeyError):
        reports.build(analysis, park_id="nowhere", lang="zh", fmt="docx")
    with pytest.raises(ValueError):
        reports.build(analysis, park_id=None, lang="fr", fmt="docx")
    with pytest.raises(ValueError):
        reports.build(analysis, park_id=None, lang="zh", fmt="pdf")


def test_cli_report_writes_the_file(tmp_path, capsys):
    out = tmp_path / "linxiang.pptx"
    assert cli_main(["report", "--park", "linxiang", "--lang", "en", "--format", "pptx", "--out", str(out),
                     "--root", str(FROZEN)]) == 0
    assert Presentation(str(out)).slides
    assert cli_main(["report", "--compare", "--format", "docx", "--out", str(tmp_path), "--root", str(FROZEN)]) == 0
    written = capsys.readouterr().out.split()[-1]
    assert Path(written).parent == tmp_path and written.endswith("_zh.docx")
    Document(written)
    assert cli_main(["report", "--park", "nowhere", "--format", "docx", "--out", str(out),
                     "--root", str(FROZEN)]) == 2
    with pytest.raises(SystemExit):
        cli_main(["report", "--park", "linxiang", "--compare", "--format", "docx", "--out", str(out)])


def test_reports_never_import_streamlit():
    """The CLI and the tests build reports without Streamlit (and its placeholder plot template)."""
    code = "import sys, parkmetrics.reports, parkmetrics.reports.briefing, parkmetrics.reports.slides; " \
           "print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "False"
