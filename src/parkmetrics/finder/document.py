"""What the finder knows about a document as a whole: its type, year, horizon, and its sentences and clauses.

Boundaries work on the analysis view (NFKC per character), where ，；：become , ; : — so one character class
serves full-width and ASCII punctuation alike.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# ；ends the reach of 预计/力争; 。ends the reach of a year marker (到2025年, 每年), which governs parallel ；-lists.
SENTENCE_END = "。;!?\n"
PERIOD_END = "。!?\n"
CLAUSE_END = SENTENCE_END + ",:"

_TITLE_TYPES = [  # (pattern, type); the earliest hit in the opening lines wins
    (re.compile(r"工作总结|年度总结|总结报告"), "summary"),
    (re.compile(r"工作要点|工作计划|工作安排|工作打算"), "plan"),
    (re.compile(r"实施方案|行动方案|行动计划|发展规划|五年规划|规划纲要|“十[一-九]五”"), "district_plan"),
]
_DOC_YEAR = re.compile(r"(20\d\d)年(?:度)?(?:工作要点|工作计划|工作总结|工作安排|工作打算|总结|计划)")
_DATE = re.compile(r"(20\d\d)\s*年\s*\d{1,2}\s*月")
_HORIZON = re.compile(r"(?:到|至|截至)(20\d\d)年")
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
    future_sections: list[tuple[int, int]] = field(default_factory=list)  # a summary's 明年打算 sections

    def in_future_section(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.future_sections)


def infer_doc_type(view: str) -> str:
    head = view[:600]
    hits = [(m.start(), kind) for pattern, kind in _TITLE_TYPES for m in [pattern.search(head)] if m]
    return min(hits)[1] if hits else "plan"


def infer_year(view: str) -> int | None:
    """The title's year (2022年工作要点), else the latest issue date (2022年8月), else the most frequent year."""
    m = _DOC_YEAR.search(view[:800])
    if m:
        return int(m.group(1))
    dates = [int(y) for y in _DATE.findall(view)]
    if dates:
        return max(dates)
    years = Counter(int(y) for y in re.findall(r"(20\d\d)年", view))
    return years.most_common(1)[0][0] if years else None


def build_context(text: str, view: str, *, doc_type: str | None, year: int | None, scope: str | None) -> DocContext:
    doc_type = doc_type or infer_doc_type(view)
    year = year or infer_year(view)
    horizon = period_start = None
    if doc_type == "district_plan" and year:
        later = Counter(int(y) for y in _HORIZON.findall(view) if int(y) > year)
        horizon = later.most_common(1)[0][0] if later else None
        period_start = year
        for a, b in _PLAN_PERIOD.findall(view):  # the plan's own period (2022—2025年) when it states one
            if horizon and int(b) == horizon and int(a) <= year:
                period_start = int(a)
    scope = scope or ("district" if doc_type == "district_plan" else "park")
    ctx = DocContext(text, view, doc_type, year, horizon, period_start, scope)
    if doc_type == "summary":
        ctx.future_sections = _future_sections(view, year)
    return ctx


_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、(.*)$", re.M)


def _future_sections(view: str, year: int | None) -> list[tuple[int, int]]:
    """Sections of a summary headed like 四、2022年工作打算 / 明年工作计划: their figures are targets."""
    heads = list(_HEADING.finditer(view))
    out = []
    for i, h in enumerate(heads):
        title = h.group(1)
        years = [int(y) for y in re.findall(r"(20\d\d)年", title)]
        future = "明年" in title or (year is not None and any(y > year for y in years))
        if future and re.search(r"打算|计划|安排|思路|目标|展望", title):
            end = heads[i + 1].start() if i + 1 < len(heads) else len(view)
            out.append((h.start(), end))
    return out


def span_bounds(view: str, pos: int, ends: str) -> tuple[int, int]:
    """The span around `pos` between two characters of `ends` (exclusive)."""
    start = pos
    while start > 0 and view[start - 1] not in ends:
        start -= 1
    stop = pos
    while stop < len(view) and view[stop] not in ends:
        stop += 1
    return start, stop
