"""find_candidates: a document's text → candidate observation rows for an editor to confirm.

The pipeline: scan figures → drop what is not an indicator figure (figures.skip_reason) → cut each figure's clause
segment → name its indicator (matching) → read comparator, basis, flags, year, kind, period (patterns) → quote the
shortest span holding the figure and its words → expand lists (分别/均/各) and per-year targets (每年) → drop
restatements of a row already proposed (the loader refuses two rows with one key).
"""
from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field

import pandas as pd

from ..model import OBSERVATION_COLUMNS, Indicator
from ..units import convert, same_family
from . import patterns as P
from . import tables as table_reader
from . import timing
from .document import CLAUSE_END, PERIOD_END, SENTENCE_END, DocContext, build_context, join_soft_wraps
from .figures import Figure, range_low, scan, skip_reason, thousands_marked
from .matching import NEW_VERBS, IndicatorIndex, Match
from .numerals import analysis_view
from .reading import mask_furniture

EXTRA_COLUMNS = ["indicator_text", "confidence", "start", "end"]
COLUMNS = [*OBSERVATION_COLUMNS, *(["period"] if "period" not in OBSERVATION_COLUMNS else []), *EXTRA_COLUMNS]
KEY = ["park_id", "scope", "indicator_id", "year", "period", "kind", "target_level", "basis"]

_FUNCTION = re.compile(
    r"同 ?比|(?:比|较)(?:上年|去年)(?:同期)?|同期|比增|比降|增长|增速|增幅|增加|净增|提高|提升|下降|降低|减少|达到|实现|完成|力争|争取|确保|"
    r"预计|年度|全年|今年|预算|计划|奋斗目标|目标|任务|超过|突破|以上|左右|其中|分别|年均|平均|每年|上年|去年|共计|累计|合计|"
    r"总计|总数|总量|进一步|基础|名义|可比价?|增至|跃升|攀升|上升|(?:19|20)\d\d\s*年[末底]?|至|到(?!位|账)|(?:[省市州县区](?:政府|委)?|上级)?下达|"
    r"[的了近约超达为是并和且再将要在,，、；;:：\s—]")   # 上级资金 keeps its 上; 州政府下达任务数: the issuer of the task
_MARKER = re.compile(r"^\s*(?:——|—|-)*\s*(?:[一二三四五六七八九十]+[是要]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．](?![ ]?\d)"
                     r"|[一二三四五六七八九十]+、)?\s*")
_TRIM = " \t\u3000,，、;；:：。\n"
# list items that are what a figure is compared with (a place, a period), not what it measures
_COMPARED = re.compile(r"[比较高于低于]*(?:全国|全省|全市|全州|全县|全区|省|市|一季度|二季度|三季度|上半年|前三季度|"
                       r"\d{1,2}[-—至]\d{1,2}月(?:份)?|去年|上年|同期)")
# list items that name a sector, an industry or a kind of investment: a figure without a catalogue indicator yet
# a sector's or a measure's words (建安: 建筑安装投资; 开工率, 利润, 上交税金 — 284_news; 化学需氧量 — 346_plan_review;
# a class of goods: 饮料类、烟酒类消费 — 293_operation, …日用品和书报杂志类 — 227_operation)
_SECTOR = re.compile(r"产业|行业|制造|业$|业[增产投营销]|投资|建安|产值|增加值|收入|集群|居民|企业|项目|率$|利润|利税|税金|税收|"
                     r"[量额]$|类(?![别似型])|占比|比重")
_LIST_JOIN = re.compile(r"[、和及与](?:同比)?(?:增长|下降|减少|降低|提高|增加)?")   # 分别增长8.8%、下降5.6%
_EVERY = re.compile(r"(?<![人亩年平户])均(?![衡匀值])")
# the field and verb of a rank after a list of what is ranked (…增幅继续保持全市第1, …增速全市排名第3)
_RANK_FIELD = re.compile(r"(?:继续|均|都)?(?:保持|稳居|位居|位列|排名|排位|居|列)?全[国省市区县州]\s*(?:排名|排位|排)?\s*$")
_MEASURED = re.compile(r"(?:增速|增幅|增长|总量|总额|总值|产值|收入|投资|数量|额|率|规模)$")
_PART = re.compile(r"\s*其中")   # 其中亿元以上项目23个: a part of the figure before it


@dataclass
class Seg:
    fig: Figure
    clause_start: int
    clause_end: int
    seg_start: int
    seg_end: int
    sent_start: int    # ；-sentence
    period_start: int  # 。-sentence
    anchor: str | None = None       # 分别/均/各: the list item this copy of the figure is for
    list_start: int | None = None
    measure: str = ""               # 分别增长 12%、8.5%: the words that say what every value in the list measures
    list_last: str = ""             # the list's last item, whose words after the name say what every item is
    basis_words: str = ""           # …产值增幅分别为 6.67%、4.13%: the measure with the words 分别 follows (增幅)
    match: Match | None = None
    method: str = ""
    carrier: "Seg | None" = None
    q_start: int = 0
    q_end: int = 0
    notes: list[str] = field(default_factory=list)
    list_year: int | None = None    # 2020年、2021年…398.8亿元、579.33亿元: the year this value of the list is for


# How far a boundary is looked for: a run-on "sentence" of thousands of figures (a pasted list, a table turned into
# text) must cost the same per figure as a normal one, so the finder's time grows linearly with the text.
REACH = 400
MAX_CANDIDATES = 10_000  # rows one document may propose: more than a review table can show (and bounded memory)
SAME_SENTENCE = 40  # the figures before this one that its sentence may share an indicator with


def _last_of(view: str, chars: str, pos: int, floor: int = 0) -> int:
    """Just after the last of `chars` before `pos` (not before `floor`, nor REACH back), else that bound. One C-level
    rfind per mark: a character loop in Python cost 2.3 s of 8.9 s on 24,000 characters of 5亿元 with no mark."""
    floor = max(floor, pos - REACH)
    return max([view.rfind(c, floor, pos) for c in chars] + [floor - 1]) + 1


def _next_of(view: str, chars: str, pos: int) -> int:
    """The first of `chars` from `pos` on (at most REACH ahead), else that bound."""
    stop = min(len(view), pos + REACH)
    return min([i for i in (view.find(c, pos, stop) for c in chars) if i >= 0] + [max(stop, pos)])


def prepare(text: str) -> str:
    """The analysis view of a document: same length as `text`, NFKC per character, furniture blanked."""
    return thousands_marked(mask_furniture(analysis_view(text)), text)


def scan_document(text: str) -> list[tuple[Figure, str | None]]:
    """Every figure-looking span and why it was skipped (None = kept): for tests and for explaining a miss."""
    view = prepare(text)
    out = []
    for fig in scan(view):
        out.append((fig, skip_reason(view, fig, _last_of(view, CLAUSE_END, fig.start))))
    return out


def _segments(view: str, figures: list[Figure]) -> list[Seg]:
    segs: list[Seg] = []
    for i, fig in enumerate(figures):
        cs = _last_of(view, CLAUSE_END, fig.start)
        ce = _next_of(view, CLAUSE_END, fig.end)
        prev = figures[i - 1] if i and figures[i - 1].end > cs else None
        nxt = figures[i + 1] if i + 1 < len(figures) and figures[i + 1].start < ce else None
        seg_start = cs
        if prev is not None:
            between = view[prev.end:fig.start]
            seg_start = prev.end + between.rfind("、") + 1 if "、" in between else prev.end
        seg_end = ce
        if nxt is not None:
            between = view[fig.end:nxt.start]
            seg_end = fig.end + between.find("、") if "、" in between else nxt.start
        segs.append(Seg(fig, cs, ce, seg_start, seg_end, _last_of(view, SENTENCE_END, fig.start),
                        _last_of(view, PERIOD_END, fig.start)))
    return segs


def _is_functional(words: str) -> bool:
    """Only verbs and particles (同比增长, 力争达到, 为年度预算的): the figure's indicator is the previous one's."""
    return len(_FUNCTION.sub("", words)) <= 1


def _split_items(body: str, wanted: int = 0) -> tuple[list[str], str]:
    """卷烟及配套、新材料…五大产业 → (items, head words). With `wanted` values to pair, a last item joined by 和/及/与
    (上半年和前三季度) is split when the 、 alone give too few."""
    body = re.sub(r"^[和及与,，其中\s]+", "", body)
    head = ""
    m = re.search(r"等?(?:\d+|[一二两三四五六七八九十]+)(?:个|大|项|类|家|种)([^、]*)$", body)
    if m:
        head, body = m.group(1), body[:m.start()]
    items = [x for x in re.split(r"、", body) if x]
    if len(items) == 1 or (wanted and len(items) == wanted - 1):
        last = [x for x in re.split(r"和|及|与", items[-1] if items else body) if x]
        if len(items) == 1 or len(last) == 2:
            items = items[:-1] + last
    items = [re.sub(r"等$", "", x.strip()) for x in items]
    tail = re.match(r"第?[一二三四五六七八九十]([^、]+)$", items[-1]) if items else None
    if tail:   # 二、三产业投资: a bare numeral takes the last item's words (二产业投资)
        items = [x + tail.group(1) if re.fullmatch(r"第?[一二三四五六七八九十]", x) else x for x in items]
    return items, head


def _share_suffix(figures: list[Figure]) -> None:
    """分别增长6%、8%以上 / 分别增长7%、8%左右: the list's last 以上 or 左右 says it of every value in it."""
    last = figures[-1]
    if last.suffix and all(not f.suffix and f.unit == last.unit and not f.yu for f in figures[:-1]):
        for f in figures[:-1]:
            f.suffix = last.suffix


def _list_start(segs: list[Seg], i: int) -> int:
    """Where the list before figure i begins: its clause's start, or the end of a figure earlier in that clause."""
    s = segs[i]
    return segs[i - 1].fig.end if i and segs[i - 1].fig.end > s.clause_start else s.clause_start


def _item_copy(s: Seg, item: str, list_start: int, head: str, measure: str, word: str) -> Seg:
    """A copy of figure `s` for one item of a list that shares it (均/各, a rank after a list of measures)."""
    c = Seg(s.fig, s.clause_start, s.clause_end, s.seg_start, s.seg_end, s.sent_start, s.period_start,
            anchor=item, list_start=list_start, measure=measure)
    c.notes.append(f"{word}: {item}")
    c.match = Match("", item + head + measure, -1, -1, 0.0, "list")
    return c


def _expand_lists(view: str, segs: list[Seg]) -> list[Seg]:
    """分别 (one value per item), 均/各 (one value for every item): a copy of the figure per list item."""
    out: list[Seg] = []
    last_list: tuple[int, list[str], str, int] | None = None   # (；-sentence, items, head, start) of the last 分别 list
    i = 0
    while i < len(segs):
        s = segs[i]
        before = view[s.seg_start:s.fig.start]
        if "分别" in before:
            j = i + 1  # the figures after 分别, joined by 、 (和/及/与 before the last; 、下降 in a list of changes)
            while j < len(segs) and _LIST_JOIN.fullmatch(view[segs[j - 1].fig.end:segs[j].fig.start].strip()):
                j += 1
            marker = s.seg_start + before.rindex("分别")
            list_start = _list_start(segs, i)
            items, head = _split_items(view[list_start:marker], j - i)
            lead = view[s.clause_start:marker].strip()
            if (not lead or len(lead) <= 8 and not re.search(r"[、和及与]", lead)) and last_list \
                    and last_list[0] == s.sent_start and len(last_list[1]) == j - i:
                # 工业建安和服务业建安分别25.41亿元、17.16亿元，分别同比增长8.8%、下降5.6%，分别完成目标任务的93.7%、90.9%:
                # a clause that opens with 分别 — or with a few words and no list (…分别实现550.7亿元和95.8亿元,按可比口径
                # 分别增长20.1%和12.1%: 134_news) — goes on with the list before it
                _, items, head, list_start = last_list
            elif len(items) < j - i and list_start == s.clause_start and s.clause_start > s.sent_start:
                # 汽车制造业、食品制造业…三个行业增加值增势较好，分别增长…: the items are in the clause before
                list_start = _last_of(view, CLAUSE_END, s.clause_start - 1, s.sent_start)
                items, head = _split_items(view[list_start:s.clause_start - 1] + view[s.clause_start:marker], j - i)
            measure = view[marker + 2:s.fig.start]
            _share_suffix([c.fig for c in segs[i:j]])
            if len(items) == j - i:
                last_list = (s.sent_start, items, head, list_start)
                for k, item in enumerate(items):
                    c = segs[i + k]
                    c.anchor, c.list_start, c.measure, c.list_last = item, list_start, measure, items[-1]
                    c.basis_words = view[max(list_start, marker - 4):marker + 2] + measure
                    c.notes.append(f"分别: {item}")
                    c.match = Match("", item + head + measure, -1, -1, 0.0, "list")
                    out.append(c)
                i = j
                continue
        if s.fig.part:   # a structure ratio's part: its name says what it is a share of
            s.anchor, s.notes = s.fig.part, [f"结构: {s.fig.part}"]
            s.match = Match("", s.fig.part + "占比", -1, -1, 0.0, "list")
            out.append(s)
            i += 1
            continue
        m = None
        for m in _EVERY.finditer(before):
            pass
        each = re.search(r"各$", before)
        if m or each:
            marker = s.seg_start + (len(before) - 1 if each else m.start())
            list_start = _list_start(segs, i)
            items, head = _split_items(view[list_start:marker])
            if len(items) > 1:
                measure = view[marker + 1:s.fig.start]
                out += [_item_copy(s, item, list_start, head, measure, "各" if each else "均") for item in items]
                i += 1
                continue
        field = _RANK_FIELD.search(before) if s.fig.kind == "rank" else None
        if field is not None:
            # 生产总值、固投增幅继续保持全市第1 / 建安投资、工业投资、高技术产业投资增速全市排名第3 (317_meeting): one rank for
            # every item of a list of measures (a list of places — 成都、重庆位列全国前三 — is left whole)
            marker = s.seg_start + field.start()
            list_start = _list_start(segs, i)
            items, head = _split_items(view[list_start:marker])
            if "、" in view[list_start:marker] and len(items) > 1 and _MEASURED.search(items[-1]):
                rate = re.search(r"增速|增幅", items[-1])
                for item in items:   # 生产总值、固投增幅: the last item's 增幅 is every item's
                    named = item + rate.group() if rate and not re.search(r"增速|增幅|增长", item) else item
                    out.append(_item_copy(s, named, list_start, head, "", "排名"))
                i += 1
                continue
        out.append(s)
        i += 1
    return out


_LISTED_YEARS = re.compile(r"((?:19|20)\d\d)\s*年?(?:\s*[、和及与]\s*((?:19|20)\d\d)\s*年?)+")
_YEAR_SPAN = re.compile(r"((?:19|20)\d\d)\s*年?\s*(?:至|到|—|-|－|～|~)\s*((?:19|20)\d\d)\s*年")



def _years_of_lists(view: str, segs: list[Seg]) -> list[Seg]:
    """A list of values after a list of years or a span of as many years gives each value its year, in order:
    2020年、2021年规上工业企业累计完成产值398.8亿元、579.33亿元 (331_plan); 2016年至2018年,分别完成国内生产总值236.3亿元、
    314.5亿元、365亿元 (243_news)."""
    i = 0
    while i < len(segs):
        j = i + 1
        while j < len(segs) and segs[j].fig.unit == segs[i].fig.unit and segs[j].sent_start == segs[i].sent_start \
                and _LIST_JOIN.fullmatch(view[segs[j - 1].fig.end:segs[j].fig.start].strip()):
            j += 1
        n = j - i
        if n >= 2 and segs[i].fig.kind == "number":
            before = view[max(segs[i].period_start, segs[i].fig.start - REACH):segs[i].fig.start]   # bounded
            years: list[int] = []
            for m in _LISTED_YEARS.finditer(before):
                years = [int(y) for y in re.findall(r"(?:19|20)\d\d", m.group())]
            for m in _YEAR_SPAN.finditer(before):
                a, b = int(m.group(1)), int(m.group(2))
                years = list(range(a, b + 1)) if 0 < b - a < 12 else years
            if len(years) == n and years == sorted(set(years)):
                for k in range(n):
                    segs[i + k].list_year = years[k]
        i = j
    return segs


def find_candidates(text: str, indicators: dict[str, Indicator], *, park: str | None = None,
                    source: str | None = None, year: int | None = None, doc_type: str | None = None,
                    scope: str | None = None, budget: float | None = None) -> pd.DataFrame:
    """Candidate observation rows, one per figure (and per list item / per year where the sentence says so).

    `budget` (seconds) bounds the work, and MAX_CANDIDATES the rows: past either, the figures after that point are
    left unread and `frame.attrs["stopped_at"]` says where the reading stopped (a character offset), so a caller can
    say so."""
    started = time.perf_counter()
    stopped_at = None
    view = prepare(text)
    tables = getattr(text, "tables", None) or table_reader.detect(text)
    view = join_soft_wraps(_blank_tables(view, tables))  # table rows are read cell by cell below, never as prose
    ctx = build_context(text, view, doc_type=doc_type, year=year, scope=scope)
    index = IndicatorIndex(indicators)
    kept = [f for f in scan(view) if skip_reason(view, f, _last_of(view, CLAUSE_END, f.start)) is None]
    segs = _years_of_lists(view, _expand_lists(view, _segments(view, kept)))
    rows: list[dict] = []
    resolved: list[tuple[Seg, dict]] = []
    deferred: list[Seg] = []
    for n, s in enumerate(segs):
        out_of_time = budget is not None and n % 32 == 0 and time.perf_counter() - started > budget
        if out_of_time or len(resolved) >= MAX_CANDIDATES:
            stopped_at = s.fig.start
            break
        row = _resolve(view, ctx, index, s, resolved, scope_given=scope is not None)
        if row is None:
            if view[s.fig.end:s.fig.end + 3].startswith("基础上"):
                deferred.append(s)
            continue
        if s.fig.kind == "structure":   # a share of the whole, at the time of the ratio's first part, quoted whole
            lead = max(view.rfind(c, 0, s.fig.whole[0]) for c in ",;。\n") + 1
            row |= {"basis": "share_pct", "quote": ctx.text[lead:s.fig.whole[1]], "start": lead,
                    "end": s.fig.whole[1]}
            first = next((r for o, r in reversed(resolved) if o.fig.whole == s.fig.whole), None)
            if first is not None:
                row |= {k: first[k] for k in ("year", "period", "kind", "estimate", "target_level", "baseline_year")}
        resolved.append((s, row))
    for s in deferred:  # 在去年7家基础上，确保今年…达26家: the indicator is named after the baseline figure
        later = [(o, r) for o, r in resolved if o.fig.start > s.fig.end and o.period_start == s.period_start
                 and r["indicator_id"] and same_family(r["unit"], s.fig.unit)]
        if later:
            o, r = later[0]
            s.match, s.method = Match(r["indicator_id"], r["indicator_text"], -1, -1, 0.75, "borrowed"), "borrowed"
            row = _resolve(view, ctx, index, s, resolved, scope_given=scope is not None, forced=True)
            if row is not None:
                resolved.append((s, row))
    resolved.sort(key=lambda t: t[0].fig.start)
    _lone_stretch_is_the_target(resolved)
    for s, row in resolved:
        rows.extend(_per_year(ctx, s, row, view))
    for table in tables:
        if stopped_at is not None and table.rows[0].start >= stopped_at:
            continue
        room = MAX_CANDIDATES - len(rows)
        got, out_of_time = _table_rows(text, view, ctx, index, table, limit=room + 1,
                                       deadline=None if budget is None else started + budget)
        if len(got) > room or out_of_time is not None:
            # no review table holds more: the rest of the document is left for another import
            stop = got[room]["start"] if len(got) > room else out_of_time
            stopped_at = min(stop, stopped_at if stopped_at is not None else len(text))
        rows.extend(got[:room])
    rows.sort(key=lambda r: r["start"])
    if stopped_at is not None:
        rows = [r for r in rows if r["start"] < stopped_at]
    rows = _dedupe(rows, _headline_end(view))
    for r in rows:
        r["park_id"] = park or ""
        r["source"] = source or ""
    frame = pd.DataFrame(rows, columns=COLUMNS).astype({"value": "float64", "confidence": "float64", "start": "int64",
                                                        "end": "int64", "baseline_year": "Int64", "year": "Int64"})
    frame.attrs["stopped_at"] = stopped_at
    return frame


def _resolve(view: str, ctx: DocContext, index: IndicatorIndex, s: Seg, resolved: list[tuple[Seg, dict]], *,
             scope_given: bool, forced: bool = False) -> dict | None:
    fig = s.fig
    before = view[s.seg_start:fig.start]
    after = view[fig.end:s.seg_end]
    clause_before = timing.window(view, s.clause_start, fig.start)
    sent_before = timing.window(view, s.sent_start, fig.start)
    in_sentence = [(o, r) for o, r in resolved[-SAME_SENTENCE:] if o.sent_start == s.sent_start]  # resolved before it
    same_sentence = [(o, r) for o, r in in_sentence if r["indicator_id"]]
    detected = P.basis(s.basis_words or s.measure or before, after, fig.unit, clause_before)
    declined = P.is_reduction(before) or P.is_reduction(s.basis_words or s.measure or before) or \
        (fig.unit == "个百分点" and P.is_shortfall(clause_before))  # 、下降5.6% · 低于全市增速8.7个百分点
    if declined and detected == "growth_pct" and ctx.doc_type != "summary" and timing.kind_cue(sent_before) != "actual":
        detected = "reduction_pct"  # 能耗强度降低13.5% in a plan: a reduction target (lower is better)
    # a % figure with no 占/比重/率 word is share_pct only by default: too weak to rule indicators out
    weak = fig.unit == "%" and detected == "share_pct" and not re.search(r"占|比重|比例|率|强度|覆盖", before)
    hint = None if weak else detected
    stretch = P.is_stretch(sent_before)
    row_scope = ctx.scope if scope_given or ctx.doc_type == "district_plan" else (P.scope_cue(sent_before) or ctx.scope)
    exclude = {r["indicator_id"] for o, r in same_sentence
               if r["basis"] == detected and (r["target_level"] == "stretch") == stretch and o.fig is not fig
               and r["scope"] == row_scope}
    match, carrier = None, None
    task = P.is_annual_task(view[max(0, fig.start - 12):fig.start], view[fig.end:fig.end + 12])
    if (task or detected == "pct_of_plan") and same_sentence and _is_functional(re.sub(r"[年任务计划目标()（）]", "", before)):
        # 完成年任务(40.2亿元)的32.5%: the task and the share done belong to the sentence's indicator
        r = same_sentence[-1][1]
        if detected in index.indicators[r["indicator_id"]].bases or task:
            match = Match(r["indicator_id"], r["indicator_text"], -1, -1, round(min(r["confidence"], 0.85) * 0.95, 2),
                          "carried")
    if match is not None:
        pass
    elif forced:
        match = s.match
    elif s.anchor is not None:   # 固定资产投资、工业投资均增长12%: an item never takes another item's indicator
        match = _match_item(index, s, fig.unit, hint, sent_before,
                            exclude | {r["indicator_id"] for o, r in same_sentence if o.fig is fig})
        if match is None and _COMPARED.fullmatch(s.anchor or "") and same_sentence:
            # 比全省、全市分别高2、1.4个百分点 / 较一季度、上半年分别提高…: the items are what the figure is compared
            # with; the indicator is the sentence's
            r = same_sentence[-1][1]
            match = Match(r["indicator_id"], r["indicator_text"], -1, -1, 0.6, "carried")
            s.notes.append(f"compared with {s.anchor}")
        elif match is None and "分别" in s.notes[0] and not _SECTOR.search(s.match.text.replace(s.measure, "")) \
                and not _SECTOR.search(s.list_last):
            # 衡生药用胶囊、双河丝绸…出口分别增长: items that are no indicator and no sector are companies; 医疗器械、…、
            # 电子信息等行业产值分别增长 / 特殊钢铁、生物医药、电子信息产业分别增长: the last item says all are sectors
            return None
    else:
        match = index.exact(view, s.seg_start, fig.start, fig.start, fig.unit, hint, exclude, before=True)
        if match is None and not _is_functional(after):
            match = index.exact(view, fig.end, s.seg_end, fig.end, fig.unit, hint, exclude, before=False)
        if match is not None and match.method == "core" and detected == "level":
            # 规模以上企业达32户: a new-units name stripped of its verb, but 达 counts the stock — the stock's name
            sibling = _sibling(index, match.indicator_id, match.text, fig.unit, detected)
            if sibling is not None:
                match = Match(sibling, match.text, match.start, match.end, 0.7, "core")
        if match is None and _is_functional(before) and _is_functional(after) and same_sentence:
            carrier = same_sentence[-1][0]
            r = same_sentence[-1][1]
            pp = fig.unit == "个百分点" and "share_pct" in index.indicators[r["indicator_id"]].bases
            if can_carry(index, r["indicator_id"], fig.unit) or pp:
                match = Match(r["indicator_id"], r["indicator_text"], -1, -1,
                              round(min(r["confidence"], 0.85) * 0.95, 2), "carried")
                carried = index.indicators[r["indicator_id"]]
                if detected in {"level", "new_count"}:
                    # 新增规上工业企业12家，总数达到156家: the stock beside the new units
                    words = NEW_VERBS.sub("", r["indicator_text"])
                    sibling = _sibling(index, carried.id, words, fig.unit, detected)
                    if sibling is not None:
                        match = Match(sibling, words, -1, -1, 0.7, "carried")
                if pp and not can_carry(index, r["indicator_id"], fig.unit):
                    s.notes.append(f"pp_change of {r['indicator_id']}: add pp_change to its bases in the catalogue")
            else:
                # 到位资金56亿元，同比增长12%: the words are the previous figure's, the catalogue lacks the basis
                s.notes.append(f"{r['indicator_id']} does not allow this basis in the catalogue")
        if match is None and _is_functional(before) and view[fig.end:fig.end + 3].startswith("基础上"):
            return None  # named by the next figure: resolved once that one is (deferred)
        if match is None:
            own = timing.clause_opening(sent_before)
            if _is_functional(re.sub(r"[\d.%“”\"（）()]", "", own)):
                own = ""     # 增长12%: a clause with no words of its own takes the sentence's
            match = index.fuzzy(sent_before, after, fig.unit, hint, exclude, own=own)
        if match is None and not own and _is_functional(after) and fig.unit in {"%", "个百分点", "倍"}:
            # 实现利润6.66亿元，同比下降3.26%: a growth with no words of its own is the previous figure's, named or not
            before_it = [o for o, _ in in_sentence if o.fig.kind != "rank"]
            # …96.12平方公里,全省第二,同比增长2.07%: the area's growth
            if before_it and before_it[-1] is not (same_sentence[-1][0] if same_sentence else None):
                carrier = before_it[-1]
    if fig.cn and match is None and not fig.unit.endswith("元"):
        # a Chinese numeral with no indicator near it is rhetoric (二至三家, 两个方面), not a figure — unless it is an
        # amount (保理融资余额、资产总额均突破千亿元 — 380_meeting; 跃上千亿元台阶 — 143_plan_review)
        return None
    ind = index.indicators.get(match.indicator_id) if match and match.indicator_id else None

    # basis and unit, consistent with the indicator
    b = detected
    if carrier is not None and fig.unit == "%" and b == "share_pct":
        carrier_row = next(r for o, r in resolved if o is carrier)
        if carrier_row["unit"] == "%":
            b = carrier_row["basis"]  # 增长12%，力争达到15%: the stretch of the same growth target
    if (task or _PART.match(clause_before)) and b == "level":
        # 新开工…项目1个，占目标任务1个的100%: the task counts what the result before it counts; so does a part of it
        # (新引进项目41个…,其中亿元以上项目23个: 103_summary, 116_summary, 122_summary, 146_summary)
        told = [r for o, r in resolved[-SAME_SENTENCE:] if o.period_start == s.period_start and r["unit"] == fig.unit]
        if told and told[-1]["basis"] == "new_count":
            b = "new_count"
    if ind is not None and b == "new_count" and "new_count" not in ind.bases and "level" in ind.bases and \
            P.brought_in(clause_before, after, fig.unit):
        b = "level"  # 签约项目30个 on an indicator that counts the year's signings: its level
    if ind is not None and b != "pp_change" and not (b == "share_pct" and P.said_share(clause_before, after)):
        b = index.resolve_basis(ind.id, b, fig.unit)
    unit, value = fig.unit, fig.value
    fixed = {"growth_pct": "%", "pct_of_plan": "%", "share_pct": "%", "reduction_pct": "%", "pp_change": "个百分点",
             "growth_multiple": "倍", "rank": "位"}
    if b in fixed:
        unit = fixed[b]
    elif ind is not None and unit not in ind.allowed_units() and same_family(unit, ind.unit):
        value, unit = convert(value, unit, ind.unit), ind.unit

    suffix = fig.suffix or ("以内" if fig.unit == "月" and view[fig.end:fig.end + 1] == "内" else "")  # 3个月内
    cmp_, approx = P.comparator(before, suffix, fig.yu, view[fig.end:s.clause_end])
    if fig.kind == "rank":
        cmp_, approx = "≤", False
    if fig.kind == "rank_move":
        b, unit = "change_abs", "位"  # 排名第54位、上升30位: the rank's change on last year
    low = range_low(view, fig)
    notes = list(s.notes)
    if fig.note:
        notes.append(fig.note)
    if low is not None and fig.kind == "number":
        notes.append(f"range {low:g}–{value:g}: read at its lower bound")
        value, cmp_ = low, "≥"
    if declined and b in {"growth_pct", "pp_change", "change_abs"}:
        value = -value  # 同比下降1.1%: a growth of −1.1; 较上年减少3家: a change of −3

    # year, kind, baseline, period: from the sentence first, the document second (timing.py)
    n_notes = len(notes)
    kind, year, baseline, period, estimated = _when(view, ctx, s, b, clause_before, sent_before, notes, task)
    if task and kind == "target" and in_sentence and in_sentence[-1][1]["kind"] == "actual" and \
            timing.figure_year(clause_before, None)[0] is None:
        # 初步预计,地区生产总值635亿元,完成年计划710亿元的89.4% in a 2023 plan's review of 2022 (342_plan_review): the
        # task is of the year whose result it is set beside, as the share done is
        year, baseline = in_sentence[-1][1]["year"], None
    if s.list_year is not None and s.list_year != year:
        year = s.list_year
        notes.append(f"the list's years: {year}")
    unsure = len(notes) > n_notes and any(n.endswith(("check", "enter it")) for n in notes[n_notes:])
    if declined and kind == "target" and b == "growth_pct" and (ind is None or "reduction_pct" in ind.bases):
        b, value = "reduction_pct", -value  # 降低13.5% as a target: lower is better
    level = ("stretch" if P.is_stretch(sent_before) else "base") if kind == "target" else ""
    if fig.kind == "rank":
        cmp_ = "≤" if kind == "target" else "="  # 进前三 is ≤ 3; 位列全市第二 is the rank reached

    # quote: the clause segment holding the figure and its words
    q_start = s.seg_start
    if s.list_start is not None:
        q_start = s.list_start
    elif carrier is not None:
        q_start = carrier.q_start
    elif task or detected == "pct_of_plan":
        q_start = s.clause_start  # 完成年任务(40.2亿元)的32.5%: the whole clause says what the share is of
    words_after = match is not None and match.start >= fig.end
    q_end = fig.end
    rest = view[fig.end:s.seg_end].strip(_TRIM)
    if words_after or match is None or (match.start < 0 and not carrier and not s.anchor) or len(rest) <= 4:
        q_end = s.seg_end
    q_start = min(q_start + len(_MARKER.match(view[q_start:q_end]).group()), fig.start)   # never into the figure (24. 3亿元)
    while q_start < fig.start and view[q_start] in _TRIM:
        q_start += 1
    while q_end > fig.end and view[q_end - 1] in _TRIM + "和及与":   # …550.7亿元和 (a list's joiner) ends no quote
        q_end -= 1
    s.q_start, s.q_end, s.match = q_start, q_end, match

    if match is not None and match.indicator_id:
        conf = match.confidence * (0.85 if unsure else 1)
        ind_text = match.text
    else:
        conf = 0.2
        ind_text = _found_words(before, after, fig.unit)
    if s.anchor is not None and (match is None or not match.indicator_id):
        ind_text = s.anchor + (s.match.text[len(s.anchor):].replace(s.measure, "") if s.match else "")
    if carrier is not None and (match is None or not match.indicator_id):
        ind_text = next(r for o, r in resolved if o is carrier)["indicator_text"]
    return {
        "park_id": "", "scope": row_scope, "indicator_id": ind.id if ind else "", "year": year,
        "period": period, "baseline_year": baseline, "kind": kind, "target_level": level, "value": value,
        "unit": unit, "comparator": cmp_, "basis": b, "estimate": kind == "actual" and estimated,
        "approximate": approx, "source": "", "quote": ctx.text[q_start:q_end], "note": "; ".join(notes),
        "indicator_text": ind_text, "confidence": round(conf, 2), "start": q_start, "end": q_end,
        "_every": P.every_year(timing.window(view, s.period_start, fig.start), sent_before, b) and
        timing.horizon_year(timing.window(view, s.period_start, fig.start)) is None,
    }


def _sibling(index: IndicatorIndex, indicator_id: str, words: str, unit: str, basis: str) -> str | None:
    """The stock (or new-units) indicator beside one that cannot take `basis` (规上工业企业数 beside 新增规上工业企业),
    found by its name's likeness to `words`; None when the indicator takes the basis or has no such sibling."""
    if basis in index.indicators[indicator_id].bases:
        return None
    sibling = index.fuzzy(words, "", unit, basis, {indicator_id}, min_ratio=0.7)
    return sibling.indicator_id if sibling is not None and basis in index.indicators[sibling.indicator_id].bases \
        else None


def _review_year(ctx: DocContext, section_year: int | None) -> int | None:
    """The year of a review section's figures: the year its heading names (一、2023年工作回顾), else — a review
    that names none (发展基础, “十三五”成效) — the year before the plan's period."""
    if section_year is not None:
        return section_year
    return (ctx.period_start or ctx.year) - 1 if ctx.year else None


def _when(view: str, ctx: DocContext, s: Seg, basis: str, clause_before: str, sent_before: str,
          notes: list[str], annual_task: bool) -> tuple[str, int | None, int | None, str, bool]:
    """(kind, year, baseline year, period, estimated) of a figure. The sentence decides first — a year before or after the
    document's, a target or result word, 年任务 — then the document's section, then its type."""
    fig = s.fig
    doc_year = ctx.year
    period_before = timing.window(view, s.period_start, fig.start)
    horizon = timing.horizon_year(period_before)
    fy, how = timing.figure_year(period_before, doc_year, ctx.written)
    estimated = timing.is_estimate(sent_before, period_before)
    if fy is None and ctx.lead_year(s.period_start) is not None:
        fy, how = ctx.lead_year(s.period_start), "lead"  # 回顾2023年，… in an earlier sentence or paragraph
    period = timing.period(period_before, ctx.report_month)
    cue = "target" if annual_task else ("actual" if basis == "pct_of_plan" else
                                        timing.kind_cue(sent_before, lead=timing.target_lead(period_before)))
    result_doc = ctx.doc_type == "summary"
    if horizon and doc_year and horizon > doc_year:
        kind, year = "target", horizon
    elif fy is not None and doc_year is not None and fy != doc_year and how != "this":
        kind, year = ("actual" if fy < doc_year else "target"), fy
        if kind == "target" and cue == "actual" and estimated:
            kind = "actual"
    elif not result_doc and fy is None and doc_year and cue != "target" and \
            (past := timing.past_year_named(period_before, ctx.period_start or doc_year)) is not None:
        kind, year = "actual", past   # a plan's review: …跃升至2020年的469.5亿元,年均增长9.3% — that year's results
    else:
        section, section_year = ctx.section(fig.start)
        prev_clause = view[_last_of(view, CLAUSE_END, s.clause_start - 1, s.sent_start):max(s.clause_start - 1, 0)] \
            if s.clause_start > s.sent_start else ""
        if result_doc:
            kind = cue if cue == "target" else (section or "actual") if cue is None else "actual"
        elif cue == "actual" and (estimated or ctx.inferred_type):
            kind = "actual"
            if section == "actual" and fy is None and not estimated:
                fy = _review_year(ctx, section_year)  # 一、2023年工作回顾 in a document whose type was not given
        elif timing.reports_result(semi := view[s.sent_start:_next_of(view, SENTENCE_END, fig.end)]) and \
                cue == "actual" or cue is None and \
                timing.continues_results(view[max(s.period_start, s.sent_start - REACH):s.sent_start], semi):
            # a plan's 全区地区生产总值达到1767.3亿元，同比增长7.3%: last year's result, no target word; and the ；-items
            # after it that name no target (…同 比增长5%;工业增加值11.8亿元,比增7.5%: 144_plan_review)
            kind = "actual"
            fy = fy if fy is not None else (doc_year - 1 if doc_year else None)
        elif section == "actual" and cue != "target":
            kind = "actual"  # 一、2023年工作回顾 in a plan: its figures are last year's results
            if fy is None:
                fy = _review_year(ctx, section_year)
        elif not result_doc and cue != "target" and P.existing_stock(clause_before, prev_clause):
            kind = "actual"
            notes.append("a stock the plan names as existing: recorded at the end of the previous year")
            fy = (doc_year - 1) if doc_year else None
        else:
            kind = "target"
        year = fy if fy is not None else doc_year
        if kind == "actual" and not result_doc and fy is None and doc_year and estimated:
            year = doc_year - 1  # a plan's 预计全年…: last year's estimated result
        if kind == "target" and ctx.doc_type == "district_plan" and ctx.horizon and fy is None:
            year = ctx.horizon
        # never a silent guess: what only the document (not the sentence) decided is said in the note
        if cue is None and section is None and ctx.inferred_type:
            notes.append(f"kind from the document's type ({ctx.doc_type}), no cue in the sentence: check")
        if fy is None and ctx.inferred_year:
            notes.append(f"year {year} read from the document, not the sentence: check" if year else
                         "no year in the sentence or the document: enter it")
    if period is None and kind == "actual" and how in (None, "lead"):
        # 前三季度,… opening an earlier sentence of the paragraph, when this one names no year of its own
        period = ctx.lead_period(s.period_start)
    if period is None:
        period = ctx.default_period if kind == "actual" and ctx.default_period and year == doc_year else ""
        if not period and kind == "actual" and ctx.month and ctx.month < 12 and timing.year_to_date(period_before):
            # 今年以来 in a note dated in August: the months so far, not the year — which months, the editor knows
            notes.append(f"今年以来 in a document dated in month {ctx.month}: the year to date, not the whole year "
                         "— enter its period: check")
    if annual_task or kind == "target" and period and timing.period(sent_before, ctx.report_month) is None:
        period = ""  # 完成年任务75亿元的23.7%, a target after 1-6月预计完成…; : the year's
    elif kind == "actual" and re.fullmatch(r"M1-M\d+|H[12]|Q[1-4]", period) and \
            (P.counted_stock(clause_before, fig.unit, basis, view[fig.end:s.clause_end]) or
             P.project_total(clause_before)):
        period = ""  # 1-8月,园区规上企业71户 / 项目总投资64亿元: a stock has no months (截至9月末 would date it: M9)
    elif basis == "new_count" and (dated := re.fullmatch(r"M(\d+)", period)) and \
            re.search(rf"(?:截至|截止)[^,;。:]{{0,12}}?(?<!\d){dated.group(1)}\s*月", sent_before):
        period = timing.month_range("1", dated.group(1)) or ""   # 截止2月底…新增工业企业6家: the months to that date
        # (127_summary; 截止11月底,…等4个产业项目开工建设: 126_summary) — a stock stays at the date (M2)
    baseline = None
    if kind == "target" and year and doc_year and year > doc_year:
        baseline = (ctx.period_start or doc_year) - 1
        if basis == "reduction_pct" and year % 5 == 0:
            baseline = year - 5  # 五年规划 reductions are measured from the previous plan's last year
    return kind, year, baseline, period, estimated


# what a column header says besides its indicator: its unit and its period (生产总值(亿元), 2019年 GDP)
_HEADER_NOISE = re.compile(r"[（(][^（()）]*[)）]|20\d\d\s*年(?:\d{1,2}\s*[-—~至]\s*)?(?:\d{1,2}\s*月)?|[%％]")


def _blank_tables(view: str, tables: list) -> str:
    chars = list(view)
    for table in tables:
        for row in table.rows:
            chars[row.start:row.end] = " " * (row.end - row.start)
    return "".join(chars)


def _table_rows(text: str, view: str, ctx: DocContext, index: IndicatorIndex, table, limit: int,
                deadline: float | None = None) -> tuple[list[dict], int | None]:
    """A candidate per number cell (tables.py), `limit` at most: the indicator from the row label, what the figure
    measures from its column header, the quote the row's line. Past `deadline` (perf_counter) the rows from the
    one being read on are left: (rows, where the reading stopped, or None)."""
    first = table.rows[0].start
    context = text[max(0, first - 200):first]
    out = []
    for n, f in enumerate(itertools.islice(table_reader.figures(text, table, doc_year=ctx.year, context=context,
                                                                default_period=ctx.default_period), limit)):
        if deadline is not None and n % 32 == 0 and time.perf_counter() > deadline:
            return [r for r in out if r["start"] < f.row.start], f.row.start
        words = analysis_view(f.label)
        basis = f.basis
        # a row label names its indicator outright: taken even when the catalogue lacks the column's basis (the
        # import page then says so and offers to allow it)
        match = index.exact(words, 0, len(words), len(words), f.unit, basis, set(), before=True) or \
            index.exact(words, 0, len(words), len(words), f.unit, None, set(), before=True) or \
            index.fuzzy(words, "", f.unit, basis, set())
        named = f.label
        if match is None and f.header:
            # places or zones as rows (渝北区 | 1848.24 under 生产总值(亿元), 431_table): the column names the indicator
            head = analysis_view(_HEADER_NOISE.sub("", f.header)).strip()
            match = index.exact(head, 0, len(head), len(head), f.unit, basis, set(), before=True) if head else None
            if match is not None:
                named = f"{head} ({f.label})"
        ind = index.indicators.get(match.indicator_id) if match else None
        value, unit = f.value, f.unit
        if ind is not None:
            if basis == "level":   # a column that says what it holds (比重, 同比%, 位次, 进度) keeps its word
                basis = index.resolve_basis(ind.id, basis, unit)
            if unit not in ind.allowed_units() and same_family(unit, ind.unit):
                value, unit = convert(value, unit, ind.unit), ind.unit
        note = f"表格: {f.label} × {f.header}" if f.header else f"表格: {f.label}"
        if not unit:   # the table names no unit for it: the indicator's, else the editor's to enter
            unit = ind.unit if ind is not None and basis == "level" else ""
            note += f"; no unit in the table: {'the indicator’s' if unit else 'enter it'}, check"
        out.append({
            "park_id": "", "scope": ctx.scope, "indicator_id": ind.id if ind else "", "year": f.year, "period": f.period,
            "baseline_year": None, "kind": f.kind, "target_level": "base" if f.kind == "target" else "",
            "value": value, "unit": unit, "comparator": "=", "basis": basis, "estimate": f.estimate,
            "approximate": False, "source": "", "quote": text[f.row.start:f.row.end], "note": note,
            "indicator_text": named, "confidence": round(match.confidence if ind else 0.2, 2),
            "start": f.row.start, "end": f.row.end,
        })
    return out, None


def _found_words(before: str, after: str, unit: str) -> str:
    """What an unmatched figure was found with, for the editor: the noun after a count (10余个现场参观点), else the
    words just before the figure (after the last 、/等 of a list of names)."""
    from .figures import COUNT_UNITS
    tail = re.split(r"[、等]", before)[-1]
    head = re.sub(r"^[的了\s]+", "", after).strip(_TRIM)
    pick = head[:8] if unit in COUNT_UNITS and head else re.sub(r"^(?:" + _FUNCTION.pattern + r")+", "", tail)
    return pick.strip(_TRIM)[-16:] or head[:8]


def can_carry(index: IndicatorIndex, ind_id: str, unit: str) -> bool:
    from .matching import can_hold
    return can_hold(index.indicators[ind_id], unit)


def _match_item(index: IndicatorIndex, s: Seg, unit: str, basis: str, sent_before: str,
                exclude: set[str]) -> Match | None:
    """A list item (分别/均/各): an indicator whose name holds the item, scored on the item's words and sentence."""
    words = s.match.text if s.match else s.anchor or ""
    anchor = re.sub(r"(产业|行业)$", "", s.anchor or "")
    m = index.fuzzy(words, sent_before, unit, basis, exclude, anchor=anchor, min_ratio=0.5)
    if m is not None:
        m.text, m.confidence = s.anchor or m.text, max(m.confidence, 0.75)
    return m


def _per_year(ctx: DocContext, s: Seg, row: dict, view: str) -> list[dict]:
    """每年/年均, or a growth rate with no year in a multi-year plan: one target row per year of the plan."""
    every = row.pop("_every")
    if not (ctx.doc_type == "district_plan" and ctx.horizon and ctx.period_start and row["kind"] == "target"):
        return [row]
    explicit = timing.horizon_year(timing.window(view, s.period_start, s.fig.start)) is not None
    if not (every or (row["basis"] == "growth_pct" and not explicit)):
        return [row]
    out = []
    for y in range(ctx.period_start, ctx.horizon + 1):
        r = dict(row, year=y, baseline_year=None)
        r["note"] = "; ".join(x for x in [row["note"], f"每年 (every year of the plan period to {ctx.horizon}): the {y} target"] if x)
        out.append(r)
    return out


def _headline_end(view: str) -> int:
    """Where a headline ends: the first line when it is short and no sentence (中国工信部:前三季度国家高新区生产总值同比
    增长7.11%), and the bullet lines under it that sum the story up (●营业收入13977.46亿元), else 0."""
    first = len(view) - len(view.lstrip())
    end = view.find("\n", first)
    end = len(view) if end < 0 else end
    if end - first > 60 or "。" in view[first:end]:
        return 0
    while end < len(view):
        nxt = view.find("\n", end + 1)
        nxt = len(view) if nxt < 0 else nxt
        line = view[end + 1:nxt].strip()
        if not line.startswith(tuple(timing.BULLETS)) or len(line) > 80:
            break
        end = nxt
    return end


def _lone_stretch_is_the_target(resolved: list[tuple[Seg, dict]]) -> None:
    """力争 is a stretch beside a base (增长12%，力争达到15%). With no base for the same indicator and basis in its
    。-sentence (力争新增高新技术企业8户以上, 力争实现经济总量2600亿元), it is the plan's target: the base."""
    def key(seg: Seg, row: dict) -> tuple:
        return seg.period_start, row["indicator_id"] or row["indicator_text"], row["basis"], row["year"]
    bases = {key(seg, row) for seg, row in resolved if row["kind"] == "target" and row["target_level"] == "base"}
    for seg, row in resolved:
        if row["kind"] == "target" and row["target_level"] == "stretch" and key(seg, row) not in bases:
            row["target_level"] = "base"
            row["note"] = "; ".join(x for x in [row["note"], "力争 with no base target beside it: the target"] if x)


# the zones a news item's figures are about, counted where they are named (全国229家国家级经开区地区生产总值…; 229家国家级
# 经开区财政收入…: 136_news) — one figure, however often the count is repeated
_ZONES = r"((?:国家级|省级|省级以上)?(?:经济技术开发区|经开区|高新技术产业开发区|高新区|开发区|工业园区|园区|新区))"
# a count written just before the zones it counts: one compiled pattern (a pattern built per row, with the row's own
# number in it, recompiled 10,000 times for a 2,000-row table)
_COUNTED_ZONES = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*([^\d\s]{1,4}?)" + _ZONES)


def _headline_gives_way(rows: list[dict], headline_end: int) -> list[dict]:
    """A headline's figure (a news item's title, the bullets under it) gives way to the body's sentence that says it
    again with its context, whatever period or kind the headline's words gave it; the body's row notes it."""
    def said(r: dict) -> tuple:
        return r["value"], r["unit"], r["indicator_id"] or r["indicator_text"]
    body: dict[tuple, dict] = {}
    for r in rows:
        if r["start"] >= headline_end:
            body.setdefault(said(r), r)
    for r in rows:
        if r["start"] < headline_end and said(r) in body:
            told = body[said(r)]
            told["note"] = "; ".join(x for x in [told["note"], f"headline: {r['quote']}"] if x)
    return [r for r in rows if r["start"] >= headline_end or said(r) not in body]


def _dedupe(rows: list[dict], headline_end: int = 0) -> list[dict]:
    """A restated figure (the plan's goals repeated in its tasks) keeps its first row; the loader refuses two rows
    with one key, so the later one is only noted."""
    kept: dict[tuple, dict] = {}
    out = []
    for r in _headline_gives_way(rows, headline_end):
        # a figure with no indicator is one per place and column (北 京 … 23 5.6 25 19995.3 5 7.1 29: two ranks of 5)
        key = tuple(r[k] for k in KEY) if r["indicator_id"] else ("?", r["indicator_text"], r["value"], r["unit"],
                                                                  r["year"], r["start"], r["note"])
        zones = None if r["indicator_id"] else next(
            (m for m in _COUNTED_ZONES.finditer(r["quote"]) if float(m.group(1)) == r["value"] and m.group(2) == r["unit"]),
            None)
        if zones:
            key = ("zones", r["value"], r["unit"], zones.group(3))  # 229家国家级经开区 said again at each sentence's head
        if key in kept and kept[key]["value"] != r["value"]:
            # 第一产业增加值37.11亿元 … 第二产业增加值339.85亿元 on one indicator: two figures, not a restatement;
            # both stay for the editor, the later one flagged (the loader accepts one row per key)
            r["note"] = "; ".join(x for x in [r["note"], f"same indicator as «{kept[key]['quote']}»: check"] if x)
            r["confidence"] = min(r["confidence"], 0.5)
            out.append(r)
            continue
        if key in kept:
            first = kept[key]
            if r["quote"] != first["quote"]:
                extra = f"restated: {r['quote']}"
                first["note"] = "; ".join(x for x in [first["note"], extra] if x)
            continue
        kept[key] = r
        out.append(r)
    return out
