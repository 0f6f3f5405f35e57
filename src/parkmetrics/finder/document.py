"""What the finder knows about a document as a whole: its type, year, horizon, and its sentences and clauses.

Boundaries work on the analysis view (NFKC per character), where ，；：become , ; : — so one character class
serves full-width and ASCII punctuation alike.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from . import timing

# ；ends the reach of 预计/力争; 。ends the reach of a year marker (到2025年, 每年), which governs parallel ；-lists.
SENTENCE_END = "。;!?\n"
PERIOD_END = "。!?\n"
CLAUSE_END = SENTENCE_END + ",:"

_PLAN_PERIOD = re.compile(r"(20\d\d)\s*[—\-－~～至到]+\s*(20\d\d)\s*年")


@dataclass
class DocContext:
    text: str                 # the document as read: quotes are cut from it
    view: str                 # analysis view: same length, NFKC per char, furniture blanked
    doc_type: str             # plan | summary | district_plan
    year: int | None          # the year the document is about (plans: the plan year; summaries: the year summed up)
    horizon: int | None       # a multi-year plan's target year (到2025年), when it has one
    period_start: int | None  # first year of a multi-year plan (its own 2022—2025年, else its year)
    scope: str
    inferred_type: bool = False  # no type was given: the sentences' own cues decide more
    inferred_year: bool = False  # no year was given: read from the title, the date line or the sentences
    default_period: str | None = None  # a results document's title period (一季度经济运行情况 → Q1)
    sections: list[tuple[int, int, str, int | None]] = field(default_factory=list)  # 一、2023年工作回顾 / 二、目标
    year_leads: list[tuple[int, int, int]] = field(default_factory=list)  # 回顾2023年，… and the text it governs
    month: int | None = None  # the month the document is dated in (its date line, a news dateline)
    period_leads: list[tuple[int, int, str]] = field(default_factory=list)  # 前三季度,… and the sentences it governs
    report_month: int | None = None  # a monthly report's month (2020年10月…运行情况): 10月 in it is the year to date
    written: int | None = None  # the year it was written in, when its date says so (今年/去年 count from it)

    def section(self, pos: int) -> tuple[str | None, int | None]:
        """(kind, year) the heading of the section holding `pos` says, or (None, None)."""
        return next(((kind, year) for a, b, kind, year in self.sections if a <= pos < b), (None, None))

    def lead_period(self, pos: int) -> str | None:
        """The period a sentence-opening period phrase earlier in the paragraph sets for `pos` (timing.period_leads)."""
        i = bisect.bisect_right(self.period_leads, (pos, float("inf"), "")) - 1  # sorted and disjoint
        return self.period_leads[i][2] if i >= 0 and self.period_leads[i][1] > pos else None

    def lead_year(self, pos: int) -> int | None:
        """The year a sentence-opening year phrase before `pos` sets for it (timing.year_leads), or None."""
        i = bisect.bisect_right(self.year_leads, (pos, float("inf"), 0)) - 1  # leads are sorted and disjoint
        return self.year_leads[i][2] if i >= 0 and self.year_leads[i][1] > pos else None


def build_context(text: str, view: str, *, doc_type: str | None, year: int | None, scope: str | None) -> DocContext:
    # a title that names a plan and nothing else (2024年工作计划, 工作要点) types the document as surely as an editor
    # would: its result words (完成…25万平方米以上) are targets; a 政府工作报告 or 工作打算 also reviews the year before
    inferred_type = doc_type is None and not timing.PURE_PLAN_TITLE.search(view[:200])
    inferred_year = year is None
    doc_type = doc_type or timing.infer_doc_type(view)
    year = year or timing.infer_year(view, doc_type)
    horizon = period_start = None
    if doc_type == "district_plan" and year:
        later = Counter(y for y in timing.horizons(view) if y > year)
        horizon = later.most_common(1)[0][0] if later else None
        if horizon is None and (titled := timing.titled_plan_end(view)) is not None and titled > year:
            horizon = titled   # “十四五”发展规划 whose goals name no 到2025年
        period_start = year
        for a, b in _PLAN_PERIOD.findall(view):  # the plan's own period (2022—2025年) when it states one
            if horizon and int(b) == horizon and int(a) <= year:
                period_start = int(a)
    scope = scope or ("district" if doc_type == "district_plan" else "park")
    report_month = timing.title_month(view) if doc_type == "summary" else None
    default_period = timing.title_period(view) if doc_type == "summary" else None
    leads = timing.period_leads(view, report_month,
                                across_paragraphs=doc_type == "summary" and not default_period and not report_month)
    return DocContext(text, view, doc_type, year, horizon, period_start, scope, inferred_type, inferred_year,
                      default_period, timing.sections(view, year),
                      timing.year_leads(view, reviewed=_reviewed_year(doc_type, year, inferred_year)),
                      timing.document_month(view), leads, report_month, timing.written_in(view, year))


def _reviewed_year(doc_type: str, year: int | None, inferred: bool) -> int | None:
    """The year a review that names none (一年来, 过去一年) is about: a summary's own, the year before a plan's. Only
    from a year the editor gave: an inferred one is often the year the review names most, already the year before."""
    if year is None or inferred:
        return None
    return year if doc_type == "summary" else year - 1


_WRAP_END = "。:!?)）\"”】"
_HEADING = re.compile(r"[ \t]*(?:[一二三四五六七八九十]+[、是]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、](?!\d)|第[一二三四五六七八九十]+)")


def join_soft_wraps(view: str) -> str:
    """A text copied from a PDF keeps the PDF's line ends, mid-sentence (…地区生产总值 369 亿元,增长\n7.6%; 固定资产投资
    316 亿\n元 — 121_plan_review): where most prose lines run to one width and stop without a sentence's end, each such
    break is read as a space, so a sentence and its figures are whole again (a line ending in ；or ，too: its
    。-sentence goes on). A line that ends a sentence, a short line (a heading, a paragraph's last line), a line with
    no ，、； (a table row, a title) and a break before a heading (（二）, 一、) stay breaks."""
    lines = view.split("\n")
    lengths = sorted(len(line.strip()) for line in lines if len(line.strip()) >= 10)
    if len(lengths) < 4:
        return view
    width = lengths[int(len(lengths) * 0.75)]
    soft = {i for i, line in enumerate(lines[:-1])
            if (len(line.strip()) >= 0.8 * width or line.rstrip()[-1:] in ",;、") and line.rstrip()[-1:] not in _WRAP_END
            and re.search(r"[,、;]", line) and lines[i + 1].strip() and not _HEADING.match(lines[i + 1])}
    if len(soft) < 3 or len(soft) < 0.3 * len(lengths):
        return view   # paragraphs one per line: every break is a paragraph's end
    out = list(view)
    offset = 0
    for i, line in enumerate(lines[:-1]):
        offset += len(line)
        if i in soft:
            out[offset] = " "   # the line's break, at the same offset: the view keeps the text's length
        offset += 1
    return "".join(out)


def span_bounds(view: str, pos: int, ends: str) -> tuple[int, int]:
    """The span around `pos` between two characters of `ends` (exclusive)."""
    start = pos
    while start > 0 and view[start - 1] not in ends:
        start -= 1
    stop = pos
    while stop < len(view) and view[stop] not in ends:
        stop += 1
    return start, stop
