"""Reports for officials: a Word briefing, a slide deck, and the charts as images — per park or across parks.

    content, name = reports.build(analysis, park_id="linxiang", lang="zh", fmt="docx")

is what the pages' "生成简报 / Briefing" buttons and `python -m parkmetrics report` call. Everything comes from
the views (the numbers the pages show) and the same figure builders (exported server-side by kaleido). No
streamlit here: the reports run in the CLI and in tests as they do behind a button.
"""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from .. import i18n
from ..analysis import Analysis
from ..loader import CONTROL_CHARS
from . import images, labels
from .content import Briefing, Masthead, briefing_content, data_date

FORMATS = ("docx", "pptx", "png")
MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "png": "application/zip"}
warm = images.warm
FONTS_CONF = Path(__file__).with_name("fonts.conf")  # 仿宋 → a serif, 楷体 → a Kai face, for LibreOffice here


def fontconfig_env(env: dict | None = None) -> dict:
    """The environment for converting a briefing with LibreOffice on Linux: fontconfig reads FONTS_CONF (the
    system's rules plus 仿宋 and 楷体), so the faces the .docx names print as a Chinese office's PC prints them."""
    return {**(os.environ if env is None else env), "FONTCONFIG_FILE": str(FONTS_CONF)}

__all__ = ["FONTS_CONF", "FORMATS", "MIME", "Masthead", "build", "chart_images", "file_name", "fontconfig_env",
           "warm"]


def chart_images(analysis: Analysis, brief: Briefing) -> list[bytes]:
    """The briefing's charts as 3× PNGs, each exported once per data version (cached in the analysis)."""
    return [analysis.memo(("reports.png", *chart.key), lambda c=chart: images.png(c.figure)) for chart in brief.charts]


def file_name(analysis: Analysis, park_id: str | None, lang: str, fmt: str) -> str:
    """"临湘高新区_简报_2022_zh.docx", "all_parks_briefing_2022-08_en.pptx", "…_图表_…_zh.zip"."""
    park = (i18n.short(analysis.dataset.parks[park_id], lang) if park_id else labels.t("all_parks", lang))
    what = {"docx": ("简报", "briefing"), "pptx": ("演示", "slides"), "png": ("图表", "charts")}[fmt]
    return images.export_name(park, i18n.pick(what, lang), data_date(analysis, park_id), lang,
                              "zip" if fmt == "png" else fmt)


# A cross-park report has a section, a table and a headline per park: readable for a peer group, thousands of pages
# for a nation. Beyond this many parks it is refused (the pages say so instead of offering the buttons).
CROSS_PARK_MAX = 30


def too_many_parks(analysis: Analysis) -> bool:
    return len(analysis.dataset.parks) > CROSS_PARK_MAX


def build(analysis: Analysis, *, park_id: str | None, lang: str, fmt: str, editor: bool = True,
          masthead: Masthead | None = None) -> tuple[bytes, str]:
    """The report on `park_id` (None: across every park) in `lang` ("zh" or "en") as (content, file name).

    fmt "docx": the Word briefing (A4); "pptx": the slide deck (16:9); "png": a ZIP of every chart of the
    briefing as a 3× PNG and an SVG, each named after its park, indicator, year and language.
    `editor` False: the leader's copy, without the self-checks' appendix. `masthead`: an office's 报头 (name, 期号,
    编发单位, date) above the Word briefing and its 报送/抄送 lines at the end.
    Raises KeyError for an unknown park and ValueError for an unknown language or format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    if lang not in i18n.LANGS:
        raise ValueError(f"unknown language {lang!r}; one of {', '.join(i18n.LANGS)}")
    if park_id is None and too_many_parks(analysis):
        raise ValueError(f"a cross-park report covers at most {CROSS_PARK_MAX} parks, and there are "
                         f"{len(analysis.dataset.parks)}. Hint: make one report per park (--park ID), or point "
                         f"--root at a folder with the parks to compare")
    brief = briefing_content(analysis, park_id, lang, editor)
    if masthead is not None:   # typed by an office: no control character may reach the file's XML
        brief.masthead = Masthead(**{k: CONTROL_CHARS.sub("", str(v)).strip() for k, v in vars(masthead).items()})
    name = file_name(analysis, park_id, lang, fmt)
    if fmt == "docx":
        from .briefing import build_docx
        return build_docx(brief, chart_images(analysis, brief)), name
    if fmt == "pptx":
        from .slides import build_pptx
        return build_pptx(brief, chart_images(analysis, brief), brief.title), name
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for chart, png in zip(brief.charts, chart_images(analysis, brief)):
            z.writestr(images.export_name(chart.park, chart.indicator, chart.year, lang, "png"), png)
            z.writestr(images.export_name(chart.park, chart.indicator, chart.year, lang, "svg"),
                       images.svg(chart.figure))
    return buf.getvalue(), name
