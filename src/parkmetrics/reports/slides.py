"""The slide deck (python-pptx): a title slide, the summary, one targets slide per park, then one chart per 16:9
slide with its title and source line.

Every text run names its Latin face (a:latin, Arial) and its East-Asian face (a:ea, Microsoft YaHei — on every
Chinese Windows; fontconfig maps it to Noto Sans CJK SC on Linux) and the language zh-CN / en-US, so neither
PowerPoint nor LibreOffice falls back to a Japanese face for Chinese text.
"""
from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from . import labels
from .briefing import set_properties
from .content import Briefing

LATIN, EAST_ASIAN = "Arial", "Microsoft YaHei"
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
INK, GREY, ACCENT = RGBColor(0x1B, 0x1B, 0x1B), RGBColor(0x55, 0x55, 0x55), RGBColor(0x24, 0x71, 0xA3)


def set_fonts(run, lang: str) -> None:
    """a:latin, a:ea and a:cs on a run, and its language (python-pptx's font.name sets a:latin only)."""
    run.font.name = LATIN
    rpr = run._r.get_or_add_rPr()
    latin = rpr.find(qn("a:latin"))
    previous = latin
    for tag, face in (("a:ea", EAST_ASIAN), ("a:cs", LATIN)):
        el = rpr.find(qn(tag))
        if el is None:
            el = rpr.makeelement(qn(tag), {})
            previous.addnext(el)
        el.set("typeface", face)
        previous = el
    rpr.set("lang", "en-US" if lang == "en" else "zh-CN")
    rpr.set("altLang", "zh-CN" if lang == "en" else "en-US")


def _text(slide, left, top, width, height, lines: list[tuple[str, float, bool, RGBColor]], lang: str,
          align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for k, (text, size, bold, color) in enumerate(lines):
        p = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = text
        run.font.size, run.font.bold = Pt(size), bold
        run.font.color.rgb = color
        set_fonts(run, lang)
    return box


def _picture(slide, png: bytes, left, top, max_w, max_h):
    """The chart, as large as fits the box, centred, aspect kept."""
    from PIL import Image

    w_px, h_px = Image.open(io.BytesIO(png)).size
    scale = min(max_w / w_px, max_h / h_px)
    width, height = Emu(int(w_px * scale)), Emu(int(h_px * scale))
    return slide.shapes.add_picture(io.BytesIO(png), left + (max_w - width) // 2, top + (max_h - height) // 2,
                                    width, height)


SUMMARY_POINTS = 7     # sentences on the summary slide (18 pt: each one or two lines)
TABLE_ROWS = 12        # a targets slide's rows at 12 pt; the briefing's annex has them all


def _table(slide, data, left, top, width, lang: str) -> None:
    """A targets table (the briefing's headline table) as a native slide table, 12 pt, header row shaded."""
    header, rows, widths = data.header or [], data.rows[:TABLE_ROWS], data.widths
    if header and header[-1] == labels.t("ref", lang):  # its numbers point into the briefing's source list
        header, rows, widths = header[:-1], [r[:-1] for r in rows], widths[:-1]
    shape = slide.shapes.add_table(len(rows) + bool(header), len(widths), left, top, width,
                                   Inches(0.4) * (len(rows) + 1))
    grid = shape.table
    total = sum(widths)
    for k, w in enumerate(widths):
        grid.columns[k].width = Emu(int(width * w / total))
    for r, cells in enumerate(([header] if header else []) + rows):
        for c, text in enumerate(cells):
            frame = grid.cell(r, c).text_frame
            frame.word_wrap = True
            run = frame.paragraphs[0].add_run()
            run.text = str(text)
            run.font.size, run.font.bold = Pt(12), bool(header) and r == 0
            run.font.color.rgb = INK
            set_fonts(run, lang)


def build_pptx(brief: Briefing, images: list[bytes], title: str) -> bytes:
    lang = brief.lang
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    blank = prs.slide_layouts[6]
    set_properties(prs.core_properties, brief)
    inner = SLIDE_W - 2 * MARGIN

    slide = prs.slides.add_slide(blank)
    _text(slide, MARGIN, Inches(2.3), inner, Inches(1.6), [(title, 36, True, INK)], lang, PP_ALIGN.CENTER,
          MSO_ANCHOR.BOTTOM)
    sep = "、" if lang != "en" else " · "
    lines = [(sep.join(brief.parks), 16, False, ACCENT)] if brief.park_id is None else []
    _text(slide, MARGIN, Inches(4.1), inner, Inches(1.8), lines + [
        (labels.t("data_as_of", lang, date=brief.data_date), 16, False, INK),
        (labels.t("generated_by", lang), 12, False, GREY)], lang, PP_ALIGN.CENTER)

    # the summary a leader reads first: the briefing's overview and the issues to watch, in its own sentences
    # (the body ends with its issues, then its next steps)
    sections = [brief.body[0], brief.body[-2]] if len(brief.body) >= 3 else brief.body[:1]
    points = [p for section in sections for p in section.paragraphs][:SUMMARY_POINTS]
    if points:
        slide = prs.slides.add_slide(blank)
        _text(slide, MARGIN, Inches(0.3), inner, Inches(0.8), [(labels.t("summary_slide", lang), 28, True, INK)],
              lang, anchor=MSO_ANCHOR.MIDDLE)
        _text(slide, MARGIN, Inches(1.3), inner, Inches(5.6), [("• " + p, 18, False, INK) for p in points], lang)
    # one targets slide per park: its headline targets, as the briefing's annex lists them
    for park, data in brief.headline:
        if not data.rows:
            continue
        slide = prs.slides.add_slide(blank)
        heading = labels.t("headline_targets", lang) + ("" if brief.park_id else f" · {park}")
        _text(slide, MARGIN, Inches(0.3), inner, Inches(0.8), [(heading, 24, True, INK)], lang,
              anchor=MSO_ANCHOR.MIDDLE)
        _table(slide, data, MARGIN, Inches(1.2), inner, lang)
        if data.note:
            below = Inches(1.3) + Inches(0.4) * (min(len(data.rows), TABLE_ROWS) + 1)
            _text(slide, MARGIN, below, inner, Inches(0.5), [(data.note, 14, False, INK)], lang)
        _text(slide, MARGIN, Inches(6.6), inner, Inches(0.7), [(labels.t("slide_sources", lang), 11, False, GREY)],
              lang)
    first = len(prs.slides) + 1
    for n, (chart, png) in enumerate(zip(brief.charts, images), start=first):
        slide = prs.slides.add_slide(blank)
        _text(slide, MARGIN, Inches(0.3), inner, Inches(0.8), [(chart.title, 24, True, INK)], lang,
              anchor=MSO_ANCHOR.MIDDLE)
        pic = _picture(slide, png, MARGIN, Inches(1.15), inner, Inches(5.35))
        pic._element.nvPicPr.cNvPr.set("descr", f"{chart.title}. {chart.source_line}".strip())   # alt text
        _text(slide, MARGIN, Inches(6.6), inner, Inches(0.7),
              [(chart.source_line, 11, False, GREY)], lang)
        _text(slide, SLIDE_W - MARGIN - Inches(1.0), SLIDE_H - Inches(0.45), Inches(1.0), Inches(0.35),
              [(str(n), 10, False, GREY)], lang, PP_ALIGN.RIGHT)

    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
