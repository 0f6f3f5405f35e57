"""The Word briefing (python-docx): A4, Chinese typography, numbered sources.

Typography. python-docx sets only the Latin font of a run (w:ascii/w:hAnsi); Word then takes Chinese text from
w:eastAsia, which it leaves unset, and falls back to whatever the theme or the machine offers. Here every style
and every run names all three, the theme fonts are removed from the styles (a theme attribute would win over an
explicit name), and the document language is zh-CN for East-Asian text. The faces are GB/T 9704's:

    role      Latin (ascii/hAnsi)   East Asian (eastAsia)   here (fontconfig, reports/fonts.conf)
    heading   Arial                 SimHei (黑体)            Liberation Sans + Noto Sans CJK SC
    body      Times New Roman       FangSong (仿宋)          Liberation Serif + Noto Serif CJK SC
    kai       Times New Roman       KaiTi (楷体)             Liberation Serif + AR PL UKai CN
    table     Times New Roman       SimSun (宋体)            Liberation Serif + Noto Serif CJK SC

The Windows names are what an official's PC has (Chinese Windows ships 仿宋, 楷体, 宋体 and 黑体). The tables keep
宋体: 仿宋's thin strokes do not hold at 8.5 pt. fontconfig has no rule for 仿宋 or 楷体 and would draw them in a sans
face; reports/fonts.conf maps them to a serif and to a Kai face (docs/reports.md says what a machine without it
shows). The font table names each with its Chinese name and the GB2312 charset, so Word on a non-Chinese Windows
substitutes a Chinese face rather than a Japanese one.
"""
from __future__ import annotations

import datetime as dt
import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from . import labels
from .content import Briefing, Masthead, Table
from .narrative import date_text

FONTS = {"heading": ("Arial", "SimHei"), "body": ("Times New Roman", "FangSong"),
         "kai": ("Times New Roman", "KaiTi"), "table": ("Times New Roman", "SimSun")}
ALT_NAMES = {"SimSun": ("宋体", "02010600030101010101", "auto", "variable"),
             "SimHei": ("黑体", "02010609060101010101", "modern", "fixed"),
             "FangSong": ("仿宋", "02010609060101010101", "modern", "fixed"),
             "KaiTi": ("楷体", "02010609060101010101", "modern", "fixed")}
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN_X, MARGIN_Y = Cm(2.0), Cm(2.2)
TEXT_WIDTH_CM = 17.0
CHART_WIDTH = Cm(16.0)          # a chart laid out at charts.PRINT_WIDTH, 3× (1860 px), prints at 295 dpi
INK = RGBColor(0x1B, 0x1B, 0x1B)
RED = RGBColor(0xC0, 0x00, 0x00)  # a 公文's 报头 and its rule are printed red
BODY_PT, TABLE_PT = 10.5, 8.5   # 五号 body of the annexes; tables one size below 小五 so nine columns fit
NARRATIVE_PT = 16               # 三号: the written analysis, as GB/T 9704 sets a 公文's body
HEADER_FILL = "E8EBEE"


# --- typography -----------------------------------------------------------------------------------------------

def set_fonts(rpr, role: str, lang: str | None = None) -> None:
    """Name the Latin and the East-Asian font on a run's or a style's w:rPr, dropping theme fonts."""
    latin, east = FONTS[role]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east)):
        fonts.set(qn(attr), value)
    fonts.set(qn("w:hint"), "eastAsia")  # “”、… in Chinese text take the Chinese face
    if lang is not None:
        _set_lang(rpr, lang)


def _set_lang(rpr, lang: str) -> None:
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    # As a Chinese Word document declares it: Latin text and digits English, East-Asian text zh-CN. With digits
    # tagged zh-CN, LibreOffice breaks a number across lines (江油高新区2 / 022年); Chinese glyphs follow w:eastAsia.
    el.set(qn("w:val"), "en-US")
    el.set(qn("w:eastAsia"), "zh-CN")


def _style_fonts(doc, lang: str) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, "body", lang)
    for name, role, size, bold in (("Normal", "body", BODY_PT, False), ("Title", "heading", 22, True),
                                   ("Subtitle", "body", 11, False), ("Heading 1", "heading", 14, True),
                                   ("Heading 2", "heading", 12, True), ("Caption", "heading", 9, False),
                                   ("Table Grid", "table", TABLE_PT, False)):
        style = styles[name]
        font = style.font
        font.size, font.bold = Pt(size), bold
        font.italic = False
        font.color.rgb = INK
        set_fonts(style.element.get_or_add_rPr(), role, lang)
        color = style.element.rPr.find(qn("w:color"))
        if color is not None:  # drop the theme colour, keep the explicit one
            for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
                color.attrib.pop(qn(attr), None)
    title = styles["Title"].element.pPr
    if title is not None:  # the default template draws a rule under the title; a briefing does not need it
        border = title.find(qn("w:pBdr"))
        if border is not None:
            title.remove(border)
    for name, before, after in (("Heading 1", 14, 6), ("Heading 2", 10, 4), ("Normal", 0, 4)):
        fmt = styles[name].paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    styles["Normal"].paragraph_format.line_spacing = 1.25


def _font_table(doc) -> None:
    """Declare the Chinese faces in word/fontTable.xml with their Chinese names and the GB2312 charset (86)."""
    part = next((rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
        f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, (alt, panose, family, pitch) in ALT_NAMES.items())
    blob = part.blob.decode("utf-8")
    if 'w:name="SimSun"' not in blob:
        blob = blob.replace("</w:fonts>", entries + "</w:fonts>")
        part._blob = blob.encode("utf-8")  # python-docx keeps this part as bytes (no object model for it)


def _run(paragraph, text: str, lang: str, role: str = "body", *, size: float | None = None, bold: bool = False,
         color: RGBColor | None = None):
    run = paragraph.add_run(text)
    set_fonts(run._r.get_or_add_rPr(), role, lang)
    if size:
        run.font.size = Pt(size)
    if bold:
        run.bold = True
    if color is not None:
        run.font.color.rgb = color
    return run


def _paragraph(container, text: str, lang: str, role: str = "body", style: str | None = None, **kw):
    p = container.add_paragraph(style=style)
    if text:
        _run(p, text, lang, "heading" if style in ("Title", "Heading 1", "Heading 2", "Caption") else role, **kw)
    return p


# --- page furniture -------------------------------------------------------------------------------------------

def _field(paragraph, instruction: str, lang: str, size: float) -> None:
    """A complex field (PAGE, NUMPAGES) with a cached result, so every reader shows a number."""
    def char(kind: str):
        r = _run(paragraph, "", lang, size=size)
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        r._r.append(fld)
    char("begin")
    r = _run(paragraph, "", lang, size=size)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    r._r.append(instr)
    char("separate")
    _run(paragraph, "1", lang, size=size)
    char("end")


def _page(doc, brief: Briefing) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN_X
    section.top_margin = section.bottom_margin = MARGIN_Y
    section.footer_distance = Cm(1.0)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lang = brief.lang
    before, after = labels.t("page", lang, page="\0").split("\0")
    _run(footer, before, lang, size=9)
    _field(footer, "PAGE", lang, 9)
    _run(footer, after, lang, size=9)


# --- tables ---------------------------------------------------------------------------------------------------

def _row_props(row, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))     # a row never breaks across pages
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page


def _cell_text(cell, text: str, lang: str, *, bold: bool = False, fill: str | None = None) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    _run(p, text, lang, "heading" if bold else "table", size=TABLE_PT, bold=bold)
    if fill:
        cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" '
                                                    f'w:fill="{fill}"/>'))


def table(doc, data: Table, lang: str, keep_with_next: bool = False) -> None:
    """A full-width table: fixed column widths, a shaded header row repeated on every page, rows unbroken.
    `keep_with_next`: its last row goes to the next page with what follows (a closing line never stands alone)."""
    if not data.rows:
        _paragraph(doc, labels.t("none", lang), lang)
        return
    scale = TEXT_WIDTH_CM / sum(data.widths)
    widths = [Cm(w * scale) for w in data.widths]
    t = doc.add_table(rows=1, cols=len(widths))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    t._tbl.tblPr.append(layout)
    grid = t._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(width.twips)))
    if data.header:
        _row_props(t.rows[0], header=True)
        for cell, text, width in zip(t.rows[0].cells, data.header, widths):
            cell.width = width
            _cell_text(cell, text, lang, bold=True, fill=HEADER_FILL)
    for k, values in enumerate(data.rows):
        row = t.rows[0] if k == 0 and not data.header else t.add_row()
        _row_props(row, header=False)
        for cell, text, width in zip(row.cells, values, widths):
            cell.width = width
            _cell_text(cell, text, lang)
    if keep_with_next:
        for cell in row.cells:
            for para in cell.paragraphs:
                para.paragraph_format.keep_with_next = True
    after = _paragraph(doc, data.note, lang, role="table", size=TABLE_PT)
    after.paragraph_format.space_after = Pt(2)
    after.paragraph_format.keep_with_next = keep_with_next


def _facts_table(doc, brief: Briefing) -> None:
    """The profile: one column per park (label | park…), from views.park_facts."""
    lang = brief.lang
    labels_ = list(brief.facts[0][1])
    header = [""] + [name for name, _ in brief.facts] if len(brief.facts) > 1 else None  # one park: no header
    rows = [[label] + [facts.get(label, "—") for _, facts in brief.facts] for label in labels_]
    widths = [2.6] + [14.4 / len(brief.facts)] * len(brief.facts)
    table(doc, Table(header, rows, widths), lang)


# --- the document ---------------------------------------------------------------------------------------------

class _Annexes:
    """附件1, 附件2…: the tables, charts and sources after the written analysis, the first on a new page."""

    def __init__(self, doc, lang: str):
        self.doc, self.lang, self.n = doc, lang, 0

    def heading(self, title: str) -> None:
        self.n += 1
        p = _paragraph(self.doc, labels.t("annex", self.lang, n=self.n, title=title), self.lang, style="Heading 1")
        p.paragraph_format.page_break_before = self.n == 1


# A number with its unit or date suffix (2022年, 53.8亿元, 7.1%, 2022-08) and a 《title》 or a park's short name
# must not break across lines: Word and LibreOffice break Chinese text between any two characters, digits
# included. A word joiner (U+2060) between the characters forbids the break and prints nothing.
_UNBREAKABLE = re.compile(r"[≥≤<>≈]?\d[\d.,:\-]*(?:%|亿元|万元|万亩|万人|平方公里|个百分点|个|家|项|年|月|日|倍)?")


def unbreakable(text: str) -> str:
    return _UNBREAKABLE.sub(lambda m: "\u2060".join(m.group(0)), text)


def _unbroken_runs(paragraph, text: str, names: list[str], lang: str, role: str, size: float | None) -> None:
    """`text` as runs in which no line breaks inside a number with its unit, a date or a place name. A name's
    characters are joined by U+2060 too, and its run's East-Asian language is not zh-CN: LibreOffice's Chinese line
    breaker ignores the joiner (临湘高 / 新区), its general one honours it, as Word does everywhere."""
    pos = 0
    for m in re.finditer("|".join(map(re.escape, names)), text) if names else ():
        if m.start() > pos:
            _run(paragraph, unbreakable(text[pos:m.start()]), lang, role, size=size)
        name = _run(paragraph, "\u2060".join(m.group(0)), lang, role, size=size)
        name._r.rPr.find(qn("w:lang")).set(qn("w:eastAsia"), "en-US")
        pos = m.end()
    if pos < len(text):
        _run(paragraph, unbreakable(text[pos:]), lang, role, size=size)


def _body(doc, brief: Briefing) -> None:
    """The written analysis in 公文 order: 一、 headings in 黑体, （一） sub-headings in 楷体, paragraphs in 仿宋 at
    三号 (16 pt) with a two-character first-line indent, as a Chinese office writes them."""
    lang = brief.lang
    for section in brief.body:
        h = _paragraph(doc, section.heading, lang, role="heading", size=NARRATIVE_PT, bold=lang == "en")
        h.paragraph_format.space_before, h.paragraph_format.space_after = Pt(6), Pt(3)
        h.paragraph_format.keep_with_next = True
        for text in section.paragraphs:
            sub = text.startswith(("（", "("))           # （一）a park's name: a sub-heading
            p = doc.add_paragraph()
            _unbroken_runs(p, text, brief.place_names, lang, "kai" if sub else "body", NARRATIVE_PT)
            p.paragraph_format.first_line_indent = Pt(NARRATIVE_PT * 2) if lang != "en" else None
            p.paragraph_format.line_spacing = Pt(NARRATIVE_PT * 1.75) if lang != "en" else 1.15
            p.paragraph_format.space_after = Pt(0 if lang != "en" else 4)
            p.paragraph_format.keep_with_next = sub


def set_properties(props, brief: Briefing) -> None:
    """The file's properties from the report itself, never a template's (python-docx ships "python-docx",
    python-pptx "Steve Canny" and dates of 2013): title, subject, the data's date, now as created/modified, and
    the issuing office as author when a masthead names one."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props.title, props.subject = brief.title, labels.t("data_as_of", brief.lang, date=brief.data_date)
    issuer = brief.masthead.issuer if brief.masthead is not None else ""
    props.author = props.last_modified_by = issuer or labels.t("author", brief.lang)
    props.comments, props.keywords = "", ""
    props.created = props.modified = now
    props.language = "en-US" if brief.lang == "en" else "zh-CN"


def _rule(paragraph, where: str, color: str, size: int) -> None:
    """A line across the text width above or below a paragraph (its border): the 报头's red rule, the 版记's lines."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{where}")
    for k, v in (("val", "single"), ("sz", str(size)), ("space", "4"), ("color", color)):
        line.set(qn(f"w:{k}"), v)
    borders.append(line)


def _masthead(doc, head: Masthead, lang: str) -> None:
    """The 报头: the briefing's name large and red, its 期号, then 编发单位 on the left and the date on the right
    above a red rule."""
    name = _paragraph(doc, head.name, lang, "heading", size=30, bold=True, color=RED)
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    name.paragraph_format.space_after = Pt(6)
    if head.issue:
        issue = _paragraph(doc, labels.t("issue", lang, n=head.issue), lang, size=16)
        issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line = doc.add_paragraph()
    line.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    date = date_text(head.date or dt.date.today().isoformat(), lang)
    _run(line, f"{unbreakable(head.issuer)}\t{unbreakable(date)}", lang, size=14)
    _rule(line, "bottom", "C00000", 18)
    line.paragraph_format.space_after = Pt(18)


def _closing(doc, head: Masthead, lang: str) -> None:
    """The 版记: 报送 and 抄送 between two lines, at the end of the document."""
    lines = [labels.t(key, lang, to=to) for key, to in (("to", head.report_to), ("copy_to", head.copy_to)) if to]
    for n, text in enumerate(lines):
        p = _paragraph(doc, text, lang, size=14)
        p.paragraph_format.space_after = Pt(0)
        if n == 0:
            _rule(p, "top", "000000", 8)
            p.paragraph_format.space_before = Pt(24)
        if n == len(lines) - 1:
            _rule(p, "bottom", "000000", 8)


def build_docx(brief: Briefing, images: list[bytes]) -> bytes:
    """The briefing as .docx bytes; `images` are the PNGs of `brief.charts`, in order."""
    lang = brief.lang
    doc = Document()
    _style_fonts(doc, lang)
    _font_table(doc)
    _page(doc, brief)
    set_properties(doc.core_properties, brief)

    if brief.masthead is not None:
        _masthead(doc, brief.masthead, lang)
    title = doc.add_paragraph(style="Title")
    # a title wraps between its words, the park's name and 目标与实绩简报, never leaving 简报 alone on a line
    words = [w for w in labels.t("briefing_park", lang, park="\0").split("\0") if w.strip()] if lang != "en" else []
    _unbroken_runs(title, brief.title, brief.place_names + words, lang, "heading", None)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = _paragraph(doc, labels.t("data_as_of", lang, date=date_text(brief.data_date, lang)), lang, size=11)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    _body(doc, brief)
    annex = _Annexes(doc, lang)

    annex.heading(labels.t("profile" if brief.park_id else "profiles", lang))
    _facts_table(doc, brief)
    if lang == "en":  # the product's words are English; the documents' own words stay as written, and say so
        _paragraph(doc, labels.t("as_written", lang), lang, size=9)

    annex.heading(labels.t("headline_targets", lang))
    if brief.status_counts is not None:
        _paragraph(doc, labels.t("status_counts", lang), lang, style="Heading 2")
        table(doc, brief.status_counts, lang)
    for name, data in brief.headline:
        if brief.park_id is None:
            _paragraph(doc, name, lang, style="Heading 2")
        table(doc, data, lang)

    annex.heading(labels.t("charts", lang))
    for n, (chart, png) in enumerate(zip(brief.charts, images), start=1):
        pic = doc.add_paragraph()
        pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pic.paragraph_format.keep_with_next = True
        run = _run(pic, "", lang)
        shape = run.add_picture(io.BytesIO(png), width=CHART_WIDTH)
        shape._inline.docPr.set("descr", f"{chart.title}. {chart.source_line}".strip())   # alt text: the chart said
        cap = _paragraph(doc, f"{labels.t('figure_n', lang, n=n)}  {chart.title}", lang, style="Caption")
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap.paragraph_format.keep_with_next = bool(chart.source_line)
        cap.paragraph_format.space_after = Pt(0)
        if chart.source_line:  # the chart's footer again as text: searchable, and whole at any print size
            src = _paragraph(doc, chart.source_line, lang, size=8, color=RGBColor(0x55, 0x55, 0x55))
            src.alignment = WD_ALIGN_PARAGRAPH.CENTER
            src.paragraph_format.space_after = Pt(10)

    for heading, data in brief.targets:
        if brief.park_id is None and heading == brief.targets[0][0]:
            annex.heading(labels.t("target_table_compare", lang))
        elif brief.park_id is not None:
            annex.heading(labels.t("target_table", lang))
        if heading:
            _paragraph(doc, heading, lang, style="Heading 2")
        table(doc, data, lang)

    annex.heading(labels.t("tasks", lang))
    if lang == "en":
        _paragraph(doc, labels.t("tasks_in_chinese", lang), lang, size=9)
    table(doc, brief.tasks, lang)

    annex.heading(labels.t("sources", lang))
    _paragraph(doc, labels.t("sources_intro", lang), lang, size=9)
    for n, entry in enumerate(brief.sources, start=1):
        p = _paragraph(doc, f"[{n}] {entry}", lang, size=9)
        p.paragraph_format.left_indent = Cm(0.9)
        p.paragraph_format.first_line_indent = Cm(-0.9)
        p.paragraph_format.space_after = Pt(2)
        p.paragraph_format.keep_with_next = n == len(brief.sources) and not brief.editor  # with the closing line

    if brief.editor:          # the self-checks: for the editor who checks the data, left out of a leader's copy
        annex.heading(labels.t("checks_editor", lang))
        for text in brief.scope_notes:
            _paragraph(doc, text, lang, bold=True)
        table(doc, brief.checks, lang, keep_with_next=True)
    if brief.masthead is not None:   # issued by an office: its 版记 closes it, and no software is named
        _closing(doc, brief.masthead, lang)
    else:
        note = _paragraph(doc, labels.t("generated_by", lang), lang, size=9, color=RGBColor(0x55, 0x55, 0x55))
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def text_of(docx_bytes: bytes) -> str:
    """Every paragraph and table cell of a .docx, in order (what a reader, or a test, reads)."""
    doc = Document(io.BytesIO(docx_bytes))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)

