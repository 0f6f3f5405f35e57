"""Finding the figures in a document: a number with a unit, a rank, a fraction, a zero target — and skipping what
only looks like one (dates, list numbers, slogans, tiers, a single company's or project's figure)."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .numerals import CN_CHARS, cn_to_int
from ..units import UNITS as KNOWN_UNITS
from .patterns import is_annual_task

UNITS = ["个百分点", "吨标准煤/万元", "微克/立方米", "平方公里", "平方千米", "平方米", "平方", "㎡", "个月", "人次", "家次", "件次", "批次", "场次",
         "千瓦时", "千瓦", "千升",
         "千伏安", "千米", "美元", "公里", "%", "成", "倍", "亩", "元", "个", "家", "户", "项", "次", "份", "起", "套", "期", "栋", "名", "人", "吨",
         "件", "场", "座", "条", "辆", "台", "只", "天", "米", "棵", "盏", "头"]
COUNT_UNITS = {"个", "家", "户", "项", "次", "份", "起", "套", "期", "栋", "名", "人", "人次", "家次", "件次", "批次", "场次",
               "件", "场",
               "座", "条", "辆", "台", "只", "棵", "盏", "头"}
# ' marks an ASCII thousands comma (see thousands_marked); 24. 3 is a decimal a PDF's copy split with a space
# (opening a line, a single digit and its point number a list: 1. 5万亩)
_AR = r"\d{1,3}(?:'\d{3})+(?:\.\d+)?|(?:(?<=[^\n])\d+|\d{2,})\.[ ]\d+(?=[ ]?(?:[万亿]|%|、|[和及]))|\d+(?:\.\d+)?"
_CN = f"[{CN_CHARS}]{{1,8}}"  # bounded: a run of 150,000 一 must not be rescanned from every position
_UNIT_ALT = "|".join(re.escape(u) for u in UNITS)
FIGURE = re.compile(
    # a minus sign after a comma, a bracket or 为/增长 (增幅为-33.82%, 、-15.75%, (-0.6%)); after a figure it joins a
    # range (8%-10%, 1-8月)
    rf"(?:(?<![0-9a-z.'+\-/_])(?P<sign>(?<![^\s(（,，、:：;；=为是长速幅])[\-−](?=\d))?(?P<ar>{_AR})"
    rf"|(?<![{CN_CHARS}第])(?P<cn>{_CN}))"
    # a space a PDF's text layer or a typist puts between the number and its unit (163.06 亿元, 12.5 %)
    rf"(?:[ \u00a0\u2009](?=(?:余|多)?(?:(?:万亿|亿|万)[ ](?:元|美元)|(?:万亿|亿|万|千)?(?:余|多)?(?:{_UNIT_ALT}))))?"
    r"(?:个(?=亿))?"   # 突破30个亿: the spoken 亿 (319_meeting)
    r"(?P<yu>余|多)?(?P<mag>万亿|亿|万|千(?!米|伏安|瓦|升))?(?P<yu2>余|多)?"   # 42748千米: the 千 is the unit's
    r"(?:(?<=[万亿])[ ](?=元|美元))?"   # 316 亿 元: a copied PDF's line break inside the unit (join_soft_wraps)
    rf"(?P<unit>{_UNIT_ALT})?"
    r"(?P<post>及以上|以上|或以上|及以下|以下|以内|左右)?")

RANK = re.compile(
    r"(?P<a>(?:第|前)(?P<n1>\d+|[一二两三四五六七八九十]{1,4})(?:位|名))"
    r"|(?P<b>(?<=[进入挺跻稳位列持名排居])(?:[^,;。:]{0,8}?)前(?P<n2>\d+|[一二两三四五六七八九十]{1,4})(?![\d季个年月天日期批]))"
    r"|(?P<c>首位)")
RANK_MOVE = re.compile(r"(?P<v>上升|提升|前移|跃升|进位|提高|前进|下降|后移|下滑|回落)(?:了)?"
                       r"(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十]{1,3})(?:个)?(?:位次|位|名)")
RANK_TOP = re.compile(r"(?:进入|跻身|挺进|跨进|迈进|晋级|入围)[^,;。:、]{0,14}?(?:前)?"
                      r"(?P<n>\d{1,3}|[一二三四五六七八九十百]{1,3})强(?!企业)")
# 居全市第一 / 位列全省第2: a rank with no 位/名, only after a ranking verb and a 全X field (checked in scan)
RANK_BARE = re.compile(r"第(?P<n>\d+|[一二两三四五六七八九十]{1,4})(?![\d次届批季个年期轮项条号家位名方梯阵档])")
_NEXT_RANK_ITEM = re.compile(r"、[\u4e00-\u9fff“”]{0,12}$")   # …第七、长三角 before 第四: the list goes on
_RANK_LEAD = re.compile(r"(进入?|挺进|跻身|稳居|位居|位列|位于|保持|排名|排位|居|跃居)")
FRACTION = re.compile(r"(?<![\d.])(?P<a>\d+)\s*/\s*(?P<b>\d+)(?![\d%])|(?P<cb>[一二三四五六七八九十]{1,3})分之(?P<ca>[一二三四五六七八九十]{1,3})")
ZERO = re.compile(r"零(?P<what>事故|伤亡|死亡)")
DOUBLING = re.compile(r"翻(?P<n>[一二两三四1-4])番")   # 翻一番 ×2, 翻两番 ×4: a growth of 2ⁿ − 1 times
# 三次产业结构为7.9:22.3:69.8 / 由上年的9.4:66.8:23.8调整为8.3:71.1:20.6: each part a share of the whole (%)
STRUCTURE = re.compile(r"(?<![\d.:])\d{1,3}(?:\.\d+)?(?:\s*[:∶]\s*\d{1,3}(?:\.\d+)?){1,3}(?![\d.:])")
# 三次产业结构比为 / 三次产业比重为 (346_plan_review) / 三次产业增加值比例调整为 (470_table): the industries' parts of the
# whole (a 配套比例为1:1 is no such ratio)
_STRUCTURE_LEAD = re.compile(r"(?:结构|产业[^,;。]{0,8}?(?:比例|比重|构成))[^,;。]{0,40}$")
_PARTS = {3: ("第一产业", "第二产业", "第三产业")}

_QUALIFIER_FOLLOW = re.compile(r"^(?:以上|及以上|以下)?(?:的)?[\u4e00-\u9fff“]")
_TOTAL_OF = re.compile(r"^的?\d+(?:\.\d+)?(?:余|多)?[个项家]")
# …分别实现550.7亿元和95.8亿元 (134_news), 分别达到 39159 元和 20598 元 (121_plan_review): 和 before the list's last
# value joins values, it does not make the amount a size (…1亿美元及10亿元以上项目: both are sizes, 113_summary)
# 从2015年末的300.41亿元跃升至2020年的469.5亿元 (330_plan), 由2015年的1054.8亿元增加到2020年的1734.1亿元 (322_plan):
# an amount a change starts from is the level of its year, not a size
# 突破千亿元大关 (263_operation), 跃上千亿元台阶 (143_plan_review): the level passed, not a size
_QUALIFIER_OK = re.compile(r"^人民币|^(?:以上|及以上|左右)?(?:目标|任务|的目标|的任务|规模)|^(?:大关|关口|台阶)|"
                           r"^\s*[和及与]\s*[\d.]+\s*(?:万亿|亿|万)?(?:元|美元)?\s*(?:[,;。，；、)）]|$)|"
                           r"^(?:跃升|增加|增长|提高|提升|上升|扩大|攀升|减少|下降|降低)(?:到|至)")
_STRUCTURE = re.compile(r"^(?:[类种批大条]|[^,;。:、]{0,6}?(?:方面|环节|领域|方向|作用|体系|机制|原则|条件|步骤|阶段|层次|"
                        r"工作|产业|行动|工程|措施|举措|要求|清单|理念|任务|路径))")


_FIELD = re.compile(r"^[^,;。:]{0,14}?(?:开发区|高新区|经开区|国开区|园区|新区|工业区|集中区|城市|县市|县\(市|区县|地市)"
                    r"[^,;。:]{0,10}?"
                    r"(?:(?:中|里|之中)[^,;。:]{0,4}?(?:位列|位居|排名|排位|名列|居|列|排)|排名|排位|考核|考评|评价|评比)")


_THRESHOLD = re.compile(r"(?:起点|限额|统计|认定|入统|纳统|入库)标准")
_AMONG = re.compile(r"^[^,;。:\d]{0,10}?(?:开发区|高新区|经开区|园区|新区|工业区|集中区|产业园|行业大类|行业|类商品|"
                    r"种工业产品|种产品)(?:之中|中)(?!心)")   # 27个行业大类中有… (140_summary, 222_operation)
# 全省/我市/对: every zone of the region; 浙江省5家国家级经开区跻身… may count the zones that did something
_REGION_BEFORE = re.compile(r"(?:全[国省市区县州]|我[省市区县]|^对|[,;:]对)$")
_ZONE_AFTER = re.compile(r"^(?:省级及以上|省级以上|国家级|省级|市级|重点)?(?:经济技术开发区|经开区|高新技术产业开发区|高新区|"
                         r"开发区|工业园区|园区|产业园区)")


@dataclass
class Figure:
    start: int          # the number (or rank word) in the view
    end: int            # after unit and suffix (以上, 左右)
    num_end: int        # after the number itself
    value: float
    unit: str
    cn: bool            # written in Chinese numerals
    yu: str             # 余/多 between number and unit
    suffix: str         # 以上 / 左右 / 以内 …
    kind: str           # number | rank | fraction | zero | structure | doubling
    note: str = ""
    part: str = ""      # a structure ratio's part this figure is (第一产业)
    whole: tuple[int, int] | None = None   # that structure ratio's span: its parts share its time and quote


def thousands_marked(view: str, text: str) -> str:
    """Mark ASCII thousands commas (1,500) with ' so the full-width clause comma (，→ , in the view) never joins
    two numbers."""
    chars = list(view)
    for m in re.finditer(r"(?<=\d),(?=\d{3}(?!\d))", text):
        chars[m.start()] = "'"
    return "".join(chars)


def scan(view: str) -> list[Figure]:
    figures: list[Figure] = []
    taken: list[tuple[int, int]] = []
    for m in RANK.finditer(view):
        if m.group("c"):
            if not _RANK_LEAD.search(view[max(0, m.start() - 10):m.start()]):
                continue  # 摆在首位 is emphasis, not a rank
            n, start = 1, m.start("c")
        else:
            raw = m.group("n1") or m.group("n2")
            n = int(raw) if raw.isdigit() else cn_to_int(raw)
            start = m.start("a") if m.group("a") else m.start("b") + m.group("b").rindex("前")
            if m.group("b") and not _RANK_LEAD.search(view[max(0, m.start() - 6):m.start() + 1]):
                continue
        if not n:
            continue
        figures.append(Figure(start, m.end(), m.end(), float(n), "位", False, "", "", "rank"))
        taken.append((start, m.end()))
    rank_ends = {b for _, b in taken}
    for m in RANK_BARE.finditer(view):
        lead = view[max(0, m.start() - 30):m.start()]
        lead = lead[max(lead.rfind(c) for c in ",;。:") + 1:]
        # …GDP同比增长6.9%,全市第2; (313_meeting), 累计开发面积96.12平方公里,全省第二, (228_news): a clause that is the
        # rank alone ranks the figure before it — after a few words naming what is ranked, too (…265.9亿元,总量全市第一、
        # 全省县市区第三 — 262_news; 净增户数全省第三; — 228_news)
        alone = re.fullmatch(r"\s*(?:[\u4e00-\u9fff]{1,6}?)?全[国省市区县州](?:县市区|县区|市区)?", lead[lead.rfind("、") + 1:]) \
            and re.match(r"\s*[,;。，；、]", view[m.end():m.end() + 2])
        # the next item of a list of ranks (位列全国国家级经开区第七、长三角第四 — 316_meeting; 位居全国百强县投资潜力第3、
        # 新型城镇化质量第4、县域经济基本竞争力第5 — 388_meeting)
        item = _NEXT_RANK_ITEM.search(view, max(0, m.start() - 14), m.start())
        listed = item is not None and item.start() in rank_ends
        if any(a <= m.start() < b for a, b in taken) or not (alone or listed or (
                re.search(r"(?:位列|位居|居|排名|排位|列|排|保持)[^,;。:]{0,12}$", lead)
                and re.search(r"全[国省市区县州]|[省市区县州]内|同类|[省市]级|[国省市州]第?$|"
                              r"(?:\d+|[一二三四五六七八九十]+)个?(?:县市区|县市|县区|区县|市县|市州)", lead))):
            continue
        n = int(m.group("n")) if m.group("n").isdigit() else cn_to_int(m.group("n"))
        if n:
            figures.append(Figure(m.start(), m.end(), m.end(), float(n), "位", False, "", "", "rank"))
            taken.append((m.start(), m.end()))
            rank_ends.add(m.end())
    for m in RANK_MOVE.finditer(view):  # 上升30位 / 前移46.3位 / 下降2位: a change of rank, in places
        if any(a <= m.start("n") < b for a, b in taken):
            continue
        raw = m.group("n")
        n = float(raw) if raw[0].isdigit() else cn_to_int(raw)
        if n:
            sign = -1 if m.group("v") in {"下降", "后移", "下滑", "回落"} else 1
            start = m.start("n")
            figures.append(Figure(start, m.end(), m.end("n"), sign * float(n), "位", not raw[0].isdigit(), "", "",
                                  "rank_move"))
            taken.append((start, m.end()))
    for m in RANK_TOP.finditer(view):  # 跻身全国百强 / 跨进省级以上开发区三十强: a target of rank ≤ N
        if any(a <= m.start("n") < b for a, b in taken):
            continue
        raw = m.group("n")
        n = int(raw) if raw.isdigit() else cn_to_int(raw)
        if n:
            figures.append(Figure(m.start("n"), m.end(), m.end("n"), float(n), "位", not raw.isdigit(), "", "", "rank"))
            taken.append((m.start("n"), m.end()))
    for m in FRACTION.finditer(view):
        lead = view[max(0, m.start() - 12):m.start()]
        if "占" not in lead:
            continue  # 1/8 only as a share (占全市1/8); elsewhere it may be a date or a ratio of something else
        a, b = (int(m.group("a")), int(m.group("b"))) if m.group("a") else \
            (cn_to_int(m.group("ca")), cn_to_int(m.group("cb")))
        if not b:
            continue
        figures.append(Figure(m.start(), m.end(), m.end(), round(a / b * 100, 2), "%", bool(m.group("ca")), "", "",
                              "fraction", note=f"{m.group()} read as {round(a / b * 100, 2)}%"))
        taken.append((m.start(), m.end()))
    for m in STRUCTURE.finditer(view):
        numbers = list(re.finditer(r"\d+(?:\.\d+)?", m.group()))
        if not _STRUCTURE_LEAD.search(view[max(0, m.start() - 48):m.start()]):
            continue  # 8:30 or a score: a ratio of parts only where the words say 结构
        names = _PARTS.get(len(numbers), ())
        for k, n in enumerate(numbers):
            a, b = m.start() + n.start(), m.start() + n.end()
            figures.append(Figure(a, b, b, float(n.group()), "%", False, "", "", "structure",
                                  note=f"part {k + 1} of the structure ratio {m.group()}",
                                  part=names[k] if names else f"第{k + 1}部分", whole=m.span()))
        taken.append((m.start(), m.end()))
    for m in DOUBLING.finditer(view):
        n = int(m.group("n")) if m.group("n").isdigit() else cn_to_int(m.group("n"))
        figures.append(Figure(m.start(), m.end(), m.end(), float(2 ** n - 1), "倍", False, "",
                              "", "doubling", note=f"{m.group()} = ×{2 ** n}: a growth of {2 ** n - 1} times"))
        taken.append((m.start(), m.end()))
    for m in ZERO.finditer(view):
        unit = "起" if m.group("what") == "事故" else "人"
        # the figure is 零 alone: 事故 stays in the words after it, where the matcher looks
        figures.append(Figure(m.start(), m.start() + 1, m.start() + 1, 0.0, unit, True, "", "", "zero"))
        taken.append((m.start(), m.end()))
    merged: list[list[int]] = []  # the spans taken, sorted and merged: one bisect per number, never a scan
    for a, b in sorted(taken):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [a for a, _ in merged]
    for m in FIGURE.finditer(view):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < merged[i][1]:
            continue
        fig = _number(m) or _percent_unwritten(view, m)
        if fig is not None and not _after_a_code(view, m.start()):
            figures.append(fig)
    figures.sort(key=lambda f: f.start)
    return _elided_units(view, figures)


_BARE_CHAIN = re.compile(r"(?:(?<![\d.])(\d+(?:\.[ ]?\d+)?)\s*[、和及与])+$")   # 36. 8、25%: a PDF's spaced decimal


def _elided_units(view: str, figures: list[Figure]) -> list[Figure]:
    """分别增长14.5、19.6和22.5% / 分别高2、1.4个百分点 / 分别提高7.9个、3.4个和1.7个百分点: a list of values writes
    the unit once, after the last; the earlier values take it."""
    out: list[Figure] = []
    for f in figures:
        if f.kind == "number" and f.unit:
            head = view[max(0, f.start - 60):f.start]
            m = _BARE_CHAIN.search(head)
            if m:
                base = f.start - len(head) + m.start()
                for n in re.finditer(r"\d+(?:\.[ ]?\d+)?", m.group()):
                    a = base + n.start()
                    if not any(o.start <= a < o.end for o in out):
                        out.append(Figure(a, a + len(n.group()), a + len(n.group()), float(n.group().replace(" ", "")), f.unit,
                                          False, "", "", "number", note=f"unit {f.unit} from the list's last value"))
            later = f
            for o in reversed(out):  # 7.9个、3.4个和1.7个百分点: 个 was the start of 个百分点
                if o.kind == "number" and o.unit != f.unit and f.unit.startswith(o.unit) and \
                        view[o.num_end:o.end] == o.unit and view[o.end:later.start].strip() in {"、", "和", "及", "与"}:
                    o.unit, later = f.unit, o
                else:
                    break
        out.append(f)
    out.sort(key=lambda f: f.start)
    return out


def _after_a_code(view: str, start: int) -> bool:
    """G318, A3: a number written on to one capital letter is a name's; after an abbreviation of two or more
    (实现GDP307.3亿元, 人均GDP45228元) it is a figure."""
    letters = re.search(r"[A-Z]+$", view[max(0, start - 8):start])
    return letters is not None and len(letters.group()) < 2


def _number(m: re.Match) -> Figure | None:
    unit, mag = m.group("unit"), m.group("mag")
    if not unit and mag not in {"亿", "万亿"}:
        return None  # a bare number: a list number, a year, 3+2, 500强, a phone number (突破3600亿 / 1.8万亿: 亿元)
    if m.group("cn") == "万" and not mag:
        return None  # 单位:万元 (430_table's title line), 每万元: a unit word, not ten thousand yuan (万亿元 is a figure)
    if unit == "人" and m.string.startswith("民币", m.end()):
        return None  # 为1780.42人民币 (432_table, 亿元 lost on the page): money of unknown size, never people
    raw = m.group("ar") or m.group("cn")
    value = float(raw.replace("'", "").replace(" ", "")) if m.group("ar") else cn_to_int(raw)
    if value is None:
        return None
    if m.group("sign"):
        value = -value
    if unit in {"元", None} and mag in {"亿", "万", "万亿"}:
        unit = mag + "元"  # 400亿 in a money context is 亿元
    elif unit in {"平方", "平方米", "㎡"} and mag == "万":
        unit = "万平方米"  # 21万平方 (the documents drop the 米)
    elif mag and unit and (mag + unit) in KNOWN_UNITS:
        unit = mag + unit  # 1.31亿美元, 18.74万吨, 3.5万人: the value stays as written
    elif mag:
        value *= {"千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12}[mag]
    if unit in {"平方", "㎡"}:
        unit = "平方米"   # ㎡: the symbol (约 51 万㎡, 145_summary)
    if unit == "个月":
        unit = "月"
    if unit == "平方千米":
        unit = "平方公里"
    if unit == "成":
        value, unit = value * 10, "%"   # 近3成, 超4成: tenths, as a per cent
    num_end = m.end("ar") if m.group("ar") else m.end("cn")
    return Figure(m.start(), m.end(), num_end, float(value), unit, bool(m.group("cn")),
                  m.group("yu") or m.group("yu2") or "", m.group("post") or "", "number")


# a rate whose % a typist or a copied PDF dropped, where the words before it can only mean a per cent and nothing
# follows it but a clause's end: …产值0.13亿元,同比增长8.2。 (206_operation), 利用率保持在95以上。 (331_plan),
# 占总规划面积的40.55 。 (332_plan)
_PERCENT_CUE = re.compile(r"(?:(?:同比|比上年|比去年|较上年)(?:分别)?(?:增长|下降|提高|减少)|增幅(?:为|达)?|"
                          r"占[^,;。:\n]{1,16}?的(?:比重)?(?:为)?|比重(?:为|达到?)|"
                          r"率[^,;。:\n]{0,6}?(?:为|达到?|保持在|稳定在|提高到|提升至|提高至))(?:了)?(?:约|近)?[ ]?$")
_CLAUSE_END = re.compile(r"[ ]?(?P<post>以上|左右)?[ ]?(?:[,;。，；)）\n]|$)")


def _percent_unwritten(view: str, m: re.Match) -> Figure | None:
    if not m.group("ar") or m.group("unit") or m.group("mag") or m.group("yu") or m.group("sign") or \
            "'" in m.group("ar") or not _PERCENT_CUE.search(view[max(0, m.start() - 24):m.start()]):
        return None
    end = _CLAUSE_END.match(view, m.end("ar"))
    if end is None:
        return None
    value = float(m.group("ar").replace(" ", ""))
    post = end.group("post") or ""
    return Figure(m.start(), m.end("ar") + (view.find(post, m.end("ar")) - m.end("ar") + len(post) if post else 0),
                  m.end("ar"), value, "%", False, "", post, "number", note="% not written: read as a per cent")


def _quoted(view: str, pos: int) -> tuple[int, int] | None:
    """The “…” span around pos, when pos is inside one (quotes never span a sentence)."""
    open_ = view.rfind("“", 0, pos)
    if open_ < 0 or view.rfind("”", 0, pos) > open_:
        return None
    close = view.find("”", pos)
    if close < 0 or any(c in view[pos:close] for c in "。\n"):
        return None
    return open_, close


def skip_reason(view: str, fig: Figure, clause_start: int) -> str | None:
    """Why a figure is not an indicator figure, or None. Each rule is a general category, not a sentence."""
    before = view[clause_start:fig.start]
    after = view[fig.end:fig.end + 20]
    if fig.kind == "rank" and re.search(r"公司|集团|有限|股份", before) and "等" not in before:
        return "company"  # 楚江集团铜板带产销规模位居全国第一: one company's rank
    if fig.kind in {"rank", "rank_move", "fraction", "zero", "structure", "doubling"}:
        return None
    if view[fig.start - 1:fig.start] == "第":
        return "ordinal"  # 第十三次党代会
    if fig.unit in {"个月", "月"} and re.search(r"(?<![提之以])前$", view[max(0, fig.start - 2):fig.start]):
        return "period"  # 前8个月: the months a figure covers, not a figure
    if fig.unit in {"个月", "月"} and re.search(r"(?:连续|累计)$", view[max(0, fig.start - 2):fig.start]) and \
            re.match(r"(?:实现|达到|高于|低于|超过|保持|位居|居)", after):
        return "duration"  # 连续11个月达到市平均增速2倍以上, 全年累计9个月高于… (140_summary), 连续四个月实现同比正增长
        # (210_news): how long a comparison held, not a figure
    if fig.cn and fig.value == 1 and view[fig.start] == "一":
        return "article"  # 一名处级领导, 一个园区: 一 + measure word is an article
    if fig.cn and view[fig.start:fig.num_end] == "万" and \
            re.match(r"元(?:GDP|地区生产总值|生产总值|工业增加值|增加值|产值)", view[fig.num_end:fig.num_end + 8]):
        return "per_unit"  # 万元GDP能耗, 万元工业增加值用水量: the denominator of an intensity, not a figure
    if fig.cn and fig.unit == "期":
        return "phase"  # 一期二线, 碧桂园五期: a project phase
    if fig.cn and fig.unit == "台" and re.match(r"[县区市镇乡村山路街]", view[fig.end:fig.end + 1]):
        return "place"  # 三台县, 五台山: a name, not three machines
    q = _quoted(view, fig.start)
    if q and ("+" in view[q[0]:q[1]] or fig.cn):
        return "slogan"  # “1家链主+7家上中下游企业”, “两个覆盖”, “五个一”
    if fig.cn and re.search(r"[（(][^）)]*$", view[max(0, fig.start - 6):fig.start]):
        return "parenthesis"
    if re.match(r"^级", view[fig.end:]) or re.match(r"^级", view[fig.num_end + (len(fig.yu)):]):
        return "tier"  # 百亿级企业, 50亿级园区, 10亿元级以上企业
    lookback = max(0, fig.start - 120)   # bounded: a text with no 。 must not be rescanned from every figure
    if fig.unit in {"亿元", "万元", "元"} and _THRESHOLD.search(
            view, max(view.rfind("。", lookback, fig.start), view.rfind("\n", lookback, fig.start), lookback - 1) + 1,
            fig.start):
        return "threshold"  # 统计限额标准:①批发业:年主营业务收入2000万元及以上 (441_table), 起点标准由…500万元提高到…2000万元
        # (461_table): the size a unit must reach to be counted, not a figure
    if fig.unit in {"亿元", "万元", "元"}:
        rest = view[fig.end:]
        total_of = _TOTAL_OF.match(rest)   # 总投资794亿元的159个重点项目: the total of the units counted after it
        if _QUALIFIER_FOLLOW.match(rest) and not _QUALIFIER_OK.match(rest) and not is_annual_task(before) \
                and not total_of:
            return "qualifier"  # 5000万元以上的项目, 拟投资30亿元的华录…, 30亿元企业: a size, not a figure
        several = total_of or re.search(r"\d+(?:余|多)?个[^,;。]{0,10}项目|项目[^,;。]{0,14}?\d+(?:余|多)?个",
                                        view[max(0, clause_start - 60):fig.start])
        if re.search(r"(拟|计划|总)投资(约|近)?$", before) and "等" not in before and not several:
            return "project"  # 项目拟投资30亿元: one project (新引进项目41个，总投资279亿元 is their total)
    if fig.unit not in COUNT_UNITS and fig.unit != "%" and re.match(r"^(?:的)?[\u4e00-\u9fff]{1,10}?(?:项目|生产线|工程)",
                                                                 view[fig.end:fig.end + 14]):
        return "project"  # 3万吨模具钢项目, 100亩产业园项目: the size that names one project
    if re.search(r"年产(能)?(约|近)?$|产能(约|近)?$|设计产能", before):
        return "capacity"
    if re.search(r"公司|集团|有限|股份", before) and "等" not in before:
        return "company"  # XX公司出口增长…: one company's figure
    if view[fig.start - 1:fig.start] == "等":
        items = len(re.split(r"[、，,]", view[clause_start:fig.start - 1]))
        if fig.value <= items + 1:
            return "enumeration"  # 生物医药、新能源等2个战略性新兴产业: counts the list itself
    if fig.unit in {"个", "家"} and _ZONE_AFTER.match(after) and _REGION_BEFORE.search(before[-4:]):
        return "field"  # 全省89个开发区规模以上工业增加值同比增长… (240_news), 我市3个国家级经开区… (209_news),
        # 对217家国家级经开区…考核评价 (244_news): all the zones of a region, the subject
    if fig.unit in COUNT_UNITS and (_FIELD.match(after) or _AMONG.match(after)):
        return "field"  # 在全国217家国家级开发区综合考评中位列第30: the number of zones ranked, not a figure; 13个重点
        # 园区中12个园区营收实现增长 (229_news), 在全省21个国家级经开区中 (209_news): the set the next count is out of
    if fig.unit in COUNT_UNITS and _STRUCTURE.match(after):
        return "structure"  # 八项工作, 7个方面, 九个主攻方向
    if fig.unit == "项" and after.startswith("指标"):
        return "structure"  # 5大类53项指标进行量化评价: the assessment's own structure
    if fig.unit == "名" and re.search(r"(?:倒数|最后|蕞后|末)$", before):
        return "rule"  # 连续两年排名最后5名的予以退出: a rule's threshold, not people
    if fig.unit == "%" and re.search(r"\d+(?:余|多)?(?:家|户|个)[^,;。]*?(?:企业|项目)[^,;。]*(?:增长|增速)[^,;。]*$", before):
        return "criterion"  # 9户规上企业产值同比增长超50%: the % describes the enterprises counted
    return None  # ranges (二至三家) are kept: the caller reads them at their lower bound (range_low)


def range_low(view: str, fig: Figure) -> float | None:
    """二至三家 / 8%-10%: the lower bound of a range ending at this figure, or None."""
    if view[fig.start - 1:fig.start] not in {"至", "到", "-", "—", "～", "~"}:
        return None
    m = re.search(rf"(\d+(?:\.\d+)?|[{CN_CHARS}]+)%?$", view[max(0, fig.start - 12):fig.start - 1])
    if not m:
        return None
    raw = m.group(1)
    try:
        return float(raw) if raw[0].isdigit() else float(cn_to_int(raw) or 0) or None
    except ValueError:
        return None
