"""When a figure is about, and whether it states a result or a target — read from the sentence, not only the
document's type.

Each rule covers a kind of language, with sentences from real documents (docs/finder.md lists them):
- a time phrase that opens a clause governs the rest of its 。-sentence until another one takes over:
  1至9月，全区实现社会消费品零售总额71.06亿元，增长0.5%；限额以上批发业完成销售额37.5亿元 (both 1–9月);
  2023年全年，全市规上工业增加值同比增长6.6% (全年 takes over from an earlier 12月份);
- relative years: 今年/今年以来 (the document's year), 去年/上年/过去一年 (the year before; 比上年 is a comparison,
  not a year), 明年 (the year after), 较2023年末净增11152户 (so the figure is 2024's);
- tense and modality: 力争/确保/目标/预期目标/计划/任务为/要+verb/将+verb/下达 state targets; 实现/完成/累计/同比/
  已/位列 state results; 预计/预估/预测 are estimated results, while 预期目标 is a target;
- a figure's year against the document's: an earlier year is a result, a later one a target;
- the document's own sections: 一、2023年工作回顾 (results) vs 二、2024年工作思路/主要目标 (targets).
"""
from __future__ import annotations

import bisect
import re
from collections import Counter

WINDOW = 400  # characters of a sentence looked back over: a run-on list never makes the reading quadratic

_YEAR = re.compile(r"(20\d\d)\s*年(?:度)?(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
_BASE_YEAR_END = re.compile(r"(?:较|比)\s*(20\d\d)\s*年\s*(?:末|底|同期)")
# What may stand before a year phrase that governs the clauses after it: 2023年， / 在2023年 / 全区2023年 / 今年以来
_YEAR_LEAD = re.compile(r"^\s*(?:在|于|截至|截止|自|从|其中|全年|全区|全县|全市|园区|高新区|开发区|经开区|我区|我县)?\s*$")
_TODAY = re.compile(r"今年|本年|当年|年内|目前")  # 目前 (截止到目前): the time of writing
_LAST = re.compile(r"(?<![比较同与])(?:去年|上年|上一年|过去一年|2\d{3}年以来)(?!同期|末|底)")
_NEXT = re.compile(r"明年|下一年|来年")
_HORIZON = re.compile(r"(?:到|至|截至|截止到?)\s*(20\d\d)\s*年(?!的)|(20\d\d)\s*年(?:底|末)?(?:前|以前)")

_MONTH = r"(\d{1,2}|十[一二]|[一二两三四五六七八九十])"   # 8 or 八: a month's number, as either script writes it
_FIRST_MONTH = _MONTH[:-1] + r"|(?<![\d万亿千百美港欧日韩])元)"   # and 元(月): January, opening a range


def _month(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 2:
        return 10 + "一二".find(text[1]) + 1
    return "一二三四五六七八九十".find(text.replace("两", "二").replace("元", "一")) + 1


def month_range(a: str, b: str) -> str | None:
    first, last = _month(a), _month(b)
    if (first, last) == (1, 12):
        return ""              # 1-12月份: the whole year (periods.py's full year), as a table's 1-12月 column reads
    return f"M{first}-M{last}" if 1 <= first <= last <= 12 else None


_PERIODS = [
    (re.compile(rf"{_FIRST_MONTH}\s*(?:月份?)?\s*[-—－～~至到]+\s*{_MONTH}\s*月(?:份)?(?![底初中末]|上旬|中旬|下旬|\d|日|号)"),
     lambda m: month_range(m.group(1), m.group(2))),     # 1-8月, 一至八月, 1月——12月 (126_summary), 元至九月 (283_news)
    (re.compile(rf"(?<![提之以])前\s*{_MONTH}\s*个月"), lambda m: month_range("1", m.group(1))),  # 前8个月 (not 提前3个月)
    (re.compile(r"(?:1|一)\s*[-—－～~至到]\s*([23二三])\s*季度"),                # 1-3季度: the months of three quarters
     lambda m: "H1" if m.group(1) in "2二" else "M1-M9"),
    (re.compile(r"前三季(?!度)"), lambda m: "M1-M9"),
    (re.compile(r"前三季度"), lambda m: "M1-M9"),
    (re.compile(r"前两季度|前二季度|上半年|(?<![上下])半年(?=累计)"), lambda m: "H1"),   # 半年累计: the first half
    (re.compile(r"下半年"), lambda m: "H2"),
    (re.compile(r"(?:第)?([一二三四1-4])季度"), lambda m: "Q" + (str("一二三四".find(m.group(1)) + 1)
                                                         if m.group(1) in "一二三四" else m.group(1))),
    # a date, not a span: 截至2010年上半年 / 上半年末 → the end of June (123_summary), 截至一季度末 → March (204_operation)
    (re.compile(r"上半年(末|底)?"), lambda m: "M6" if m.group(1) or _dated(m) else None),
    (re.compile(r"(?:第)?([一二三1-3])季度(?:末|底)"), lambda m: f"M{3 * (int(m.group(1)) if m.group(1).isdigit() else '一二三'.find(m.group(1)) + 1)}"),
    # 截至9月/9月末 → M9; 截至12月 is the year's end: the year (126_summary)
    (re.compile(r"(?:截至|截止到?)\s*(\d{1,2})\s*月(?:末|底)?|(?<![\d\-—至到])(\d{1,2})\s*月(?:末|底)(?!前)"),
     lambda m: f"M{int(m.group(1) or m.group(2))}" if int(m.group(1) or m.group(2)) != 12 else ""),
    (re.compile(r"(?<![\d\-—至到])(\d{1,2})\s*月份"), lambda m: f"M{int(m.group(1))}"),
    (re.compile(r"(?<![\d\-—至到])(\d{1,2})\s*月(?:份)?\s*(?:当月|单月)"), lambda m: f"M{int(m.group(1))}"),  # 5月当月
    (_BARE_MONTH := re.compile(r"(?<![\d\-—－~～至到])(\d{1,2})\s*月(?![份底初中末\d日号前起]|上旬|中旬|下旬|以来|当月|单月"
                               r"|\s*[-—－～~至到]+\s*\d)"),
     lambda m: None if _ends_range(m) or not 1 <= int(m.group(1)) <= 12 else f"M{int(m.group(1))}"),            # 其中9月实现总产值13.62亿元: the month
    (re.compile(r"全年|年度"), lambda m: ""),
]


def _dated(m: re.Match) -> bool:
    """截至/截止/至 (a year between) just before the period: the date it ends, not the span."""
    return bool(re.search(r"(?:截至|截止到?|(?<![\d年月])至)\s*(?:20\d\d\s*年)?\s*$", m.string[:m.start()]))


def _ends_range(m: re.Match) -> bool:
    """1 - 8月 written with spaces: the bare month is the range's end (the range rule reads it)."""
    return bool(re.search(r"[\-—－~～至到]\s*$", m.string[:m.start()]))
# What may stand before a period in its clause for it to govern the clause (1-9月，园区实现… / 今年1-9月 / 截至9月 /
# 回顾上半年, 313_meeting, as 回顾2023年 leads a year, 304_meeting); 力争二季度开工 has a verb before it: a date of
# work, not a reporting period.
_PERIOD_LEAD = re.compile(r"^\s*(?:预计|预测|预估|初步预计|其中|回顾|总结)?\s*(?:20\d\d\s*年|今年|本年|全年|截至|截止|年初至|至|在)?\s*"
                          r"(?:全区|两区|全县|全市|全州|全镇|园区|高新区|开发区|经开区|新区)?\s*$")

_TARGET = re.compile(r"力争|争取(?!上级|资金|债券|专项|中央|政策|支持|国家|省级|市级|项目资金|到位)|确保|奋斗目标|目标|预期(?!完成)|(?<!行动)计划(?!单列)|任务(?:为|是|数)?|下达|指标为|"
                     r"要(?=实现|完成|达到|确保|力争|突破|新增|培育|引进|推动|建成|争取|保持|力促)|"
                     r"将(?=实现|完成|达到|突破|新增|力争|确保)|拟|"
                     r"保障(?!性)(?=[^,;。]{0,20}?(?:完成|实现|达到))")   # 重点保障54个项目完成年度投资149亿元
_STRONG_RESULT = re.compile(r"同比|比上年|较上年|比去年|较去年|累计|已经?|预计|预估|预测|完成率|位列|位居|实际完成|"
                            r"(?<=[\u4e00-\u9fff])了(?![解])")  # 上报了, 完成了: a done action
_RESULT = re.compile(r"实现|完成|达到|增长|新增|引进|签约|落地|开工|竣工|共有|拥有|总数|总量|突破")
_ESTIMATE = re.compile(r"预计|预估|预测|有望")   # 高新技术企业总数有望达到170家 (207_news)

_HEADING = re.compile(r"^[ \t]*(?:[一二三四五六七八九十]+\s*[、.．]|第[一二三四五六七八九十]+[章节部分]\s*)\s*(.{0,40})$",
                      re.M)
_PAST_HEAD = re.compile(r"回顾|过去|成效|成绩|完成情况|执行情况|运行情况|总结|取得|主要工作|工作开展|发展基础|发展现状|基本情况|现状")
_FUTURE_HEAD = re.compile(r"打算|计划|安排|思路|目标|展望|要点|举措|任务|下步|下一步|重点工作")
# how a plan went, whatever else the heading names: 一、2022年国民经济和社会发展计划执行情况 (142_plan_review),
# “十三五”时期的工作回顾 (143_plan_review), 一、2019年工作回顾 (144_plan_review)
_DONE_HEAD = re.compile(r"执行情况|完成情况|工作回顾")
# a heading line with no number, as a web copy of a 政府工作报告 keeps it: short, no punctuation, after the title
# (一是招商思路进一步明确 is a list's item, and so is a bulleted line: ●…超额完成全年目标任务, 355_plan_review)
BULLETS = "●•·◆◇■□▲△★☆▶►"   # the marks that open a list's line (a heading never opens with one)
_BARE_HEADING = re.compile(rf"^[ \t]*(?![一二三四五六七八九十]+是|\d|[{BULLETS}\-*])([^\n。；;，,：:！？!?（()）]{{4,24}}?)[ \t]*$",
                           re.M)
# a heading inside a line, where a web page's copy runs the paragraphs together: 一、2010年工作回顾2010年是… after a
# sentence's end (346_plan_review; a plan's 。一、“十三五”工业发展现状“十三五”期间,…, 350_plan: a line heading's words), or between
# runs of spaces: (2022年2月10日)  2021年工作回顾  2021年是… (345_plan_review)
_HEAD_WORDS = (r"(?:20\d\d\s*年度?|[“\"]?十[一二三四五六七八九]五[”\"]?时期的?)?[^\s。；;，,：:！？!?（()）>]{0,12}?"
               r"(?:工作回顾|执行情况|完成情况|发展现状|发展基础|工作安排|工作打算|工作思路|主要目标|主要任务)")
# (a run of spaces is entered once, from its start, and never given back: a table blanked in the view is such runs)
_INLINE_HEADING = re.compile(rf"(?:[。！？!?][ \t]*+|(?<![ \t])[ \t]{{2,}}+)"
                             rf"(?:[一二三四五六七八九十]+[、.．][ \t]*({_HEAD_WORDS})|({_HEAD_WORDS})(?=[ \t]{{2}}))")


def window(view: str, start: int, pos: int) -> str:
    return view[max(start, pos - WINDOW):pos]


def clause_opening(before: str) -> str:
    """The words of the clause that holds the end of `before`, up to that end."""
    cut = max(before.rfind(c) for c in ",;:。!?\n")
    return before[cut + 1:]


# a clause's subject before its period: 煤炭行业1-4月累计完成增加值 (248_operation), 电子信息等四个支柱产业第一季度完成
# 工业产值 (232_news) — a sector's or a place's name, no verb and no comparison (增速较1-3月收窄 compares with the
# period: not its own; 奋战三季度 is a call to work)
_SUBJECT = re.compile(r"^(?=.{0,24}$)\s*(?:\d+[.、．]\s*)?(?!.*(?:[较比与于同和及至到从自截占为是有达要将拟]|完成|实现|计划|任务|目标|预期|力争|争取|确保|推动))"
                      r"[\u4e00-\u9fff“”、]{1,15}[业区县市园镇省]$")   # a sector's or a place's name


def _opens_clause(text: str, start: int) -> bool:
    """Does the phrase at `start` open its clause, with at most a lead word (预计, 今年, 全区…) or the clause's subject
    before it?"""
    clause_start = max(text.rfind(c, 0, start) for c in ",;:。\n") + 1
    return bool(_PERIOD_LEAD.match(text[clause_start:start]) or
                _SUBJECT.match(text[clause_start:start]) and not re.match(r"全年|年度|今年|本年", text[start:start + 2]))


def period(sentence_before: str, report_month: int | None = None) -> str | None:
    """The reporting period governing a figure: the last period phrase that opens a clause in the 。-sentence
    before it ('' = the full year: 全年), None when the sentence names none. In a monthly report (`report_month`,
    read from its title by `title_month`) its month written bare stands for the report's months to date."""
    if "月" not in sentence_before and "季" not in sentence_before and "年" not in sentence_before:
        return None   # every period phrase has one of them: a run of figures with none (5亿元 × 8,000) skips the scan
    found = ""
    for pattern, code in _PERIODS:
        for m in pattern.finditer(sentence_before):
            if _opens_clause(sentence_before, m.start()):
                value = code(m)
                if pattern is _BARE_MONTH and value and int(m.group(1)) == report_month:
                    value = month_range("1", m.group(1))
                if value is not None:
                    found = (m.start(), value) if not found or m.start() >= found[0] else found
    return found[1] if found else None


_YEAR_TO_DATE = re.compile(r"今年以来|年初以来|本年以来")
# the document's own date: a date line (2023年9月 / 2023年9月15日), a news dateline (中新网8月10日电, 12月27日，市政府…)
_NEWS_DATE = re.compile(r"(?:^|[\n】)\]])[^\n,，。]{0,12}?(\d{1,2})月\d{1,2}日(?:电|讯|,|，)")


def dated_years(view: str) -> list[int]:
    """The years the document's dates say: its date lines, a web page's date at its head, its publication line."""
    return [int(y) for y in _DATE_LINE.findall(view)] + [int(y) for y in _ISO_DATE.findall(view[:300])] + \
        [int(y) for y, _ in _PUBLISHED.findall(view[:600])]


def written_in(view: str, doc_year: int | None) -> int | None:
    """The year a document about `doc_year` was written in, where its date says so and it is that year or the next
    (a news item of 2021-02-20 on 2020's results: its 去年 is 2020); an archive's later date is not its writing."""
    years = dated_years(view)
    if doc_year is None or not years:
        return None
    return years[0] if years[0] in (doc_year, doc_year + 1) else None


def document_month(view: str) -> int | None:
    """The month the document is dated in, where it says so: its date line, its publication line (发布时间:…), or a
    news dateline at its head."""
    dates = [int(m.group(1)) for m in re.finditer(r"^[ \t]*20\d\d[ \t]*年[ \t]*(\d{1,2})[ \t]*月", view, re.M)
             if _DATE_LINE.match(view, m.start())]
    if dates:
        return dates[-1]
    m = _PUBLISHED.search(view[:600])
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(2))
    m = _NEWS_DATE.search(view[:300])
    return int(m.group(1)) if m and 1 <= int(m.group(1)) <= 12 else None


def year_to_date(sentence_before: str) -> bool:
    """今年以来/年初以来 governs the figure: it opens its 。-sentence or a clause of its own."""
    return any(_opens_clause(sentence_before, m.start()) for m in _YEAR_TO_DATE.finditer(sentence_before))


# a title run on into the text a web copy glued to it, ending in a document word before the first heading or a space:
# 工业园区上半年工作总结及下半年思路一、1-6月份工作总结… (124_summary), 新篁镇“十一五”工作总结及“十二五”工作规划一、2010年…
# (133_summary), …的调研报告 今年以来… (129_summary)
_RUN_ON_TITLE = re.compile(r"[ \t]*([^\n。；;，,：:！？]{4,60}?(?:总结|思路|打算|要点|计划|安排|规划|纲要|方案|报告|情况|分析|汇报))"
                           r"(?=[ \t\u3000]|[一二三四五六七八九十]、|[（(][一二三四五六七八九十][）)]|第[一二三四五六七八九十])")


def title_of(view: str) -> str:
    """The document's title line: its first line when short, else the head of a run-on first line up to its document
    word (…工作总结及下半年思路) — never a run-on sentence."""
    first = next((ln for ln in view[:400].split("\n") if ln.strip()), "")
    if len(first) > 60:
        return run_on_title(first)
    # 9月9日,…发来消息,8月该区经济继续传来回稳趋暖信号。 (242_news): a lede sentence, no title
    return "" if first.rstrip().endswith(("。", ";", "；", "!", "！")) else first


def run_on_title(line: str) -> str:
    """The head of a long first line up to its document word, when a heading or a space follows it; else ""."""
    m = _RUN_ON_TITLE.match(line)
    return m.group(1).strip() if m else ""



def title_month(view: str) -> int | None:
    """The month a monthly report's title names bare (2020年10月全区经济运行情况 → 10): its figures run from January
    to that month, as the 累计 of a monthly report does (10月份 or 10月当月 would name the month alone)."""
    m = _BARE_MONTH.search(title_of(view))
    return int(m.group(1)) if m and not _ends_range(m) and 1 <= int(m.group(1)) <= 12 else None


# a title that reports: 经济运行情况, 工作总结, 主要指标, 生产总值同比增长7.11%, 完成投资…
_RESULTS_TITLE = re.compile(r"情况|总结|分析|公报|快报|数据|指标|运行|完成|实现|增长|增速|下降|同比|突破|达到|报告|汇报|"
                            r"产值|收入|投资|生产|经济|[\d.]+\s*(?:亿元|万元|%)")


def title_period(view: str) -> str | None:
    """A results document's own period, from its title line (2022年一季度嵩明县经济运行情况 → Q1; a monthly report's
    2020年10月 → M1-M10): the default for sentences that name none."""
    title, month = title_of(view), title_month(view)
    if not _RESULTS_TITLE.search(title):
        return None   # 实干巧干奋战三季度 全力以赴决胜下半年 (313_meeting): a call to work, not the period reported
    if month is not None:
        return month_range("1", str(month))
    for pattern, code in _PERIODS:
        m = pattern.search(title)
        if m and code(m):
            return code(m)
    return None


FIVE_YEAR_START = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}
FIVE_YEAR_END = {name: start + 4 for name, start in FIVE_YEAR_START.items()}   # “十三五” → 2020
FIVE_YEAR = re.compile("|".join(FIVE_YEAR_START))
# a five-year plan named as a period now past: 十二五期间, “十二五”时期, 十二五末, “十二五”计划 (its figures)
_PLAN_PERIOD = re.compile(r"[“\"]?(?P<name>十一五|十二五|十三五|十四五)[”\"]?(?:期间|时期|以来|末|计划|规划)")


def figure_year(sentence_before: str, doc_year: int | None, today: int | None = None) -> tuple[int | None, str | None]:
    """(year, how it was said) for a figure: the last year phrase before it in its 。-sentence (explicit 2023年,
    较2023年末 → 2024, a past five-year plan's period → its last year, 今年, 去年, 明年 — counted from `today`, the
    year the document was written in when it says so, else its own year), or (None, None)."""
    hits: list[tuple[int, int, str]] = []
    own = max(sentence_before.rfind(c) for c in ",;:。\n") + 1  # the figure's own clause starts here

    def governs(start: int) -> bool:
        """A year phrase governs the figure when it is in the figure's clause or opens a clause of its own
        (2023年，… / 去年，…); 抓紧对接2021年已立项的项目，争取发行…3亿元 — a year inside a noun phrase — does not."""
        clause_start = max(sentence_before.rfind(c, 0, start) for c in ",;:。\n") + 1
        if start >= own or _YEAR_LEAD.match(sentence_before[clause_start:start]):
            return True
        # a list's lead-in: 部署2014年主要预期发展指标是:营业总收入实现4900亿元,… (134_news) — its year is every item's
        ends = [sentence_before.find(c, start) for c in ",;。\n:"]
        clause_end = min((e for e in ends if e >= 0), default=-1)
        return clause_end > 0 and sentence_before[clause_end] == ":" and not sentence_before[clause_end - 1].isdigit()

    def superseded(end: int) -> bool:
        """由上年的6.9∶24.2∶68.9调整为6.7∶24.9∶68.4 (422_table): after 调整为/变为 the figure is the new one, not the year's."""
        return bool(_CHANGED_TO.search(sentence_before, end))

    for m in _YEAR.finditer(sentence_before):
        lead = sentence_before[:m.start()]
        # 2016年至2018年,…年均增长24.5%: the span's end, not a horizon (243_news); the span governs from its start
        span_end = re.search(r"(?:19|20)\d\d\s*年?\s*[到至]\s*$", lead)
        if not governs(span_end.start() if span_end else m.start()) or superseded(m.end()):
            continue
        if re.search(r"(?:较|比|与|同)\s*$", lead) or \
                re.search(r"[是为]\s*$", lead) and sentence_before[m.end():].startswith("的") or \
                re.match(r"\s*(?:的)?基础上", sentence_before[m.end():]) or \
                m.start() < own and re.match(r"\s*同期", sentence_before[m.end():]):
            continue  # a comparison's base (较2015年年均增长, 是2010年的5倍, 在2018年基础上翻两番; 实现工业总产值13.2亿元,
            # 2015年同期9.8亿元,同比34.7%: the base's own figure is 2015's, the change after it not, 332_plan; 较2023年末
            # is read below)
        past_date = re.search(r"(?:截至|截止到?)\s*$", lead) and doc_year is not None and int(m.group(1)) < doc_year
        if re.search(r"[到至止]\s*$", lead) and not sentence_before[m.end():].startswith("的") and not past_date \
                and not span_end:
            continue  # a horizon (到2025年): horizon_year reads it; 增加到2020年的1734.1亿元 is 2020's figure;
            # 截至2024年底 in a 2026 plan is a date already past: the figure's year
        hits.append((m.start(), int(m.group(1)), "explicit"))
    for m in _BASE_YEAR_END.finditer(sentence_before):
        hits.append((m.start(), int(m.group(1)) + 1, "explicit"))
    for m in _PLAN_PERIOD.finditer(sentence_before):   # “十二五”期间/时期累计…: that plan's last year
        end = FIVE_YEAR_END[m.group("name")]
        if re.search(r"(?:是|为|较|比)\s*[“\"]?$", sentence_before[:m.start()]) and \
                sentence_before[m.end():m.end() + 1] == "的":
            continue  # 是“十一五”末的1.7倍 (310_meeting): a comparison's base, as 是2010年的5倍 is
        if doc_year is not None and end < doc_year and governs(m.start()):
            hits.append((m.start(), end, "explicit"))
    if doc_year is not None:
        for pattern, delta, how in ((_TODAY, 0, "this"), (_LAST, -1, "last"), (_NEXT, 1, "next")):
            for m in pattern.finditer(sentence_before):
                if not governs(m.start()) or superseded(m.end()):
                    continue
                named = [y for at, y, kind in hits if kind == "explicit" and at < m.start()]
                if m.group() == "当年" and named:
                    hits.append((m.start(), named[-1], "explicit"))  # 2023年…,当年新注册企业: that year
                else:
                    hits.append((m.start(), (today or doc_year) + delta, how))
    if not hits:
        return None, None
    _, year, how = max(hits)
    return year, how


_CHANGED_TO = re.compile(r"调整为|调整到|变为|转变为|优化为")
_NAMED_YEAR = re.compile(r"(?<![比较])(20\d\d)\s*年(?:末|底)?(?!基础上|以来|前|以前|同期)")


def past_year_named(sentence_before: str, plan_start: int) -> int | None:
    """A plan's review: the last year its 。-sentence names before the figure (跃升至2020年的469.5亿元,年均增长9.3%,…;
    财政收入达42.6亿元) when it is before the plan's first year — not a comparison's base (比2020年, 在2020年基础上)
    nor a horizon (到2025年)."""
    years = [int(m.group(1)) for m in _NAMED_YEAR.finditer(sentence_before)
             if not re.search(r"(?:比|较)\s*$", sentence_before[:m.start()])   # 同比 2015 年增长 67.86% (336_plan)
             and (not re.search(r"(?:到|至|截至|截止到?)\s*$", sentence_before[:m.start()]) or
                  sentence_before[m.end():m.end() + 1] == "的")]
    return years[-1] if years and years[-1] < plan_start else None


# A year that opens a sentence, as a paragraph's time frame: 2023年，济南高新区认真落实…。全力稳定经济运行，…全区地区生产总值
# 达到1767.3亿元 (2023's) / 回顾2023年，广安经开区坚持…。(next paragraph) 地区生产总值增长8% (2023's).
# (Only [ \t] around the opening: a blanked table is a long run of white space, and \s there would backtrack.)
_LEAD_YEAR = re.compile(r"(?:^|(?<=[。!?\n]))[ \t]*(?:(?P<review>回顾|总结|刚刚过去的|过去的)[ \t]*)?(?P<year>20\d\d)[ \t]*年"
                        r"(?P<rest>以来|全年|度)?[ \t]*(?P<comma>[,:])?")


# A review that names no year, as a 政府工作报告 or a year-end meeting opens one: 一年来,… (120, 345, 357_plan_review;
# 391_meeting), 过去一年,… (144, 357_plan_review; 305, 316, 389_meeting); and 这一年,我们… after a sentence that named
# the year (2022年,是泽州发展历程中极不平凡的一年。这一年,我们迎难而上…: 356_plan_review; 144_plan_review)
_YEARLESS_REVIEW = re.compile(r"(?:^|(?<=[。!?\n]))[ \t]*(?:——)?[ \t]*(?:(?P<this>这一年)|过去的?一年|一年来|刚刚过去的一年)"
                              r"[ \t]*[,:]")


def year_leads(view: str, reviewed: int | None = None) -> list[tuple[int, int, int]]:
    """(start, end, year) for each year that opens a sentence and the text it governs: a plain lead (2023年，…)
    governs its paragraph; a review (回顾2023年，/ 刚刚过去的2023年… / 一年来, — the year the document reviews,
    `reviewed` — / 这一年, — the year named last) governs the paragraphs after it too, until the next sentence opens
    with a year. A lead without its comma (2024年是关键之年) governs nothing but ends a review."""
    leads = [(m.start(), int(m.group("year")), bool(m.group("review")), bool(m.group("comma") or m.group("rest")))
             for m in _LEAD_YEAR.finditer(view)
             if not re.match(r"\s*\d{1,2}\s*月", view[m.end("year") + 1:m.end("year") + 5])]  # 2024年2月18日: a date
    for m in _YEARLESS_REVIEW.finditer(view):
        before = bisect.bisect_left(leads, (m.start(),))   # (the leads are in the text's order)
        year = (leads[before - 1][1] if before else None) if m.group("this") else reviewed
        if year is not None:
            bisect.insort(leads, (m.start(), year, True, True))
    headings = [h.start() for h in _HEADING.finditer(view)]   # a review ends at the next section too (二、2023年工作目标)
    out = []
    for i, (start, year, review, governs) in enumerate(leads):
        if not governs and not review:
            continue
        paragraph_end = view.find("\n", start + 1)
        paragraph_end = len(view) if paragraph_end < 0 else paragraph_end
        next_lead = leads[i + 1][0] if i + 1 < len(leads) else len(view)
        if review:
            heading = bisect.bisect_right(headings, start)
            end = min(next_lead, headings[heading] if heading < len(headings) else len(view))
        else:
            end = min(paragraph_end, next_lead)
        out.append((start, end, year))
    return out


_SENTENCE_START = re.compile(r"(?:^|(?<=[。!?\n]))[ \t]*(?=\S)", re.M)


# A lead-in that announces a list (1至5月份各主体指标完成情况如下:): its period governs the items below it (not a
# report's own 上半年工作情况和下半年工作打算汇报如下:, whose title says its period)
_LIST_LEAD = re.compile(r"([^,;。\n]{1,60})如下[:]?[ \t]*(?=\n)")


_NUMBERING = r"(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])"   # 一、 / （一）
_SECTION_NUMBER = re.compile(rf"[ \t]*{_NUMBERING}?[ \t]*")
_HEADED_OPENING = re.compile(rf"[ \t]*(?:{_NUMBERING}[^。\n]{{2,24}}。[ \t]*)?")   # 二、工业生产保持平稳。


def period_leads(view: str, report_month: int | None = None,
                 across_paragraphs: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, period) for each period that opens a sentence (前三季度,全区实现…) and the later sentences of its
    paragraph it governs (其中,第一产业实现增加值…。一般公共预算支出…), until a sentence opens with another period, a year
    or 全年 (其中9月… is a part: it governs its own sentence only). A 运行情况 writes its period once per paragraph.
    `across_paragraphs`: in a results document whose title names no period, a period that opens a paragraph (a news
    item's 前三季度,… over headed sections that name none), or a list's lead-in (…1至5月份各主体指标完成情况如下:), holds on
    past its paragraph until another is said; one that opens a later sentence (预计上半年完成…) governs the rest of
    its paragraph only, and the paragraph's period resumes after it."""
    opens: list[tuple[int, str | None, bool]] = []  # (start, period or None = a reset, opens a paragraph)
    for m in _SENTENCE_START.finditer(view):
        # a paragraph's first sentence, or the first after its numbered heading (二、工业生产保持平稳。前三季度,全县…
        # — 183_operation, 296_operation, 222_operation)
        opening = _HEADED_OPENING.fullmatch(view, view.rfind("\n", 0, m.end()) + 1, m.end()) is not None
        # a section's heading that names its period (一、1-3月份主要经济指标完成情况 — 182_operation; 一、2021年1-11月
        # 工业经济指标完成情况 — 378_summary) leads its paragraphs as a paragraph's opening period does
        start = _SECTION_NUMBER.match(view, m.end()).end() if opening else m.end()
        found, clause = None, start
        # the first clause, or a later one after clauses with no figure (根据…核算结果,前三季度,…; a news lead's
        # 昨日,记者从市统计局了解到,今年上半年,…)
        for _ in range(3):
            cut = min((i for i in (view.find(c, clause, clause + 80) for c in ",;:。\n") if i >= 0),
                      default=clause + 80)
            found = period(view[clause:cut], report_month)
            if found is not None or view[cut:cut + 1] not in (",", ";", ":") or \
                    any(ch.isdigit() for ch in view[clause:cut]):
                break
            clause = cut + 1
        if found is not None and view.startswith("其中", clause):
            continue  # 其中9月实现总产值13.62亿元: a part of the period, in its own sentence; the next returns to the whole
        if found is not None:
            opens.append((start, found, opening))
        elif _LEAD_YEAR.match(view, start) or view.startswith("全年", start):
            opens.append((start, None, opening))  # a year or the whole year takes over: the period's reach ends
    if across_paragraphs:
        for m in _LIST_LEAD.finditer(view):
            found = period(m.group(1), report_month)
            if found is not None and not re.search(r"打算|计划|安排|思路|要点", m.group(1)):
                opens.append((m.end(), found, True))
        opens.sort(key=lambda o: o[0])
    out = []
    held = None  # the period said at a paragraph's opening, while it holds
    for i, (start, code, opening) in enumerate(opens):
        end = opens[i + 1][0] if i + 1 < len(opens) else len(view)
        if across_paragraphs and (opening or code is None):
            held = code
        if not code:
            continue
        if across_paragraphs and opening:
            out.append((start, end, code))
            continue
        paragraph_end = view.find("\n", start)
        paragraph_end = len(view) if paragraph_end < 0 else paragraph_end
        out.append((start, min(end, paragraph_end), code))
        if held and paragraph_end < end:
            out.append((paragraph_end, end, held))
    return out


def horizons(text: str) -> list[int]:
    """Every horizon a text names (到2025年 / 2025年前; not 增加到2020年的, a figure's own year), in order."""
    return [int(a or b) for a, b in _HORIZON.findall(text)]


def horizon_year(sentence_before: str) -> int | None:
    """到2025年 / 2025年前 earlier in the 。-sentence: a multi-year target's year."""
    years = horizons(sentence_before)
    return years[-1] if years else None


# 预计 opening a 。-sentence governs its every clause: 预计全年实现地区生产总值685亿元,增长8.5%左右;实现规模以上工业产值
# 2220亿元 (302_meeting); 预计2023年全区生产总值同比增长7%,…;…,完成一般公共预算收入14.17亿元 (106_plan_review);
# after the year and the place it is about: 2019 年,全区预计实现地区生产总值 369 亿元,增长 7.6%;… (121_plan_review);
# 2008年,园区预计:完成工业总产值35亿元,…;实现税金6000万元,… (132_summary); after a run-on heading:
# (一)全镇主要经济指标完成情况 预计1-6月份,完成地区生产总值10.3亿元,…;公共财政预算收入1606.5万元,… (129_summary)
_ESTIMATE_LEAD = re.compile(r"^[ \t]*(?:[一二三四五六七八九十]+是[^。,;]{0,20}?[。:])?[ \t]*"
                            r"(?:[（(][一二三四五六七八九十\d]{1,2}[)）][^,;。\s]{0,20}[ \t]+)?"   # (一)…完成情况 预计…
                            # 全区, 主园区 (155_summary); 相关指标预计完成情况如下:… (372_plan_review)
                            r"(?:20\d\d[ \t]*年[ \t]*,?[ \t]*)?(?:[\u4e00-\u9fff“”]{0,8}?(?:[区县市园镇]|指标))?"
                            r"(?:初步)?(?:预计|预估|预测)")


def is_estimate(sentence_before: str, period_before: str = "") -> bool:
    """Whether a result is an estimate: 预计/预估/预测/有望 in its own clause-run (；-sentence) before it, or 预计 opening
    its 。-sentence."""
    return bool(_ESTIMATE.search(sentence_before) or _ESTIMATE_LEAD.match(period_before))


# 年度计划投资6.5亿元，1~4月完成投资15万元: a 计划/目标/任务 that names its own figure says nothing of the next clause's
_NAMES_ITS_OWN = re.compile(r"[^,;，；。]{0,12}?\d[^,;，；。]*[,;，；]")
_NOUN_TARGETS = ("目标", "计划", "任务", "预期", "指标为", "下达")   # not 力争/确保/要/将: those reach the clauses after
# …but one that opens a list with a colon governs every item of it: 2024年经济社会发展主要预期目标为:地区生产总值增长7%,
# 规模以上工业增加值增长12%,… (300_meeting); 兰州新区2023年预期发展目标:…,固定资产投资增长18%以上 (308_meeting)
_LIST_COLON = re.compile(r"[^,;，；。:：\d]{0,8}[:：]")


# A 。-sentence that opens with the year's targets (全年技工贸总收入目标任务162亿元,增长12%以上,…;规模工业增加值30.8亿元,
# 增长10%以上 — 127_summary; 全年主要预期目标是:… — 302_meeting): its ；-items are targets too, unless they report
# (1-6月预计完成74.5亿元,同比增长8%)
_TARGET_LEAD = re.compile(r"^[ \t]*(?:[(（]?[一二三四五六七八九十\d]{1,2}[)）、.]?)?[ \t]*(?:全年|年度|今年|明年|20\d\d\s*年)"
                          r"[^,;。:\d]{0,16}?(?:目标任务|预期目标|主要目标|目标)")


def target_lead(sentence_before: str) -> bool:
    return bool(_TARGET_LEAD.match(sentence_before))


def kind_cue(semi_before: str, lead: bool = False) -> str | None:
    """target | actual | None from the words of the ；-sentence before the figure: a target word stands unless a
    strong result word (同比, 累计, 已, 预计, 位列) comes after it; under a 。-sentence's target lead (`lead`), so does
    a figure with no strong result word before it."""
    # 实现“三无园区”目标, 完成年度目标, 超目标任务1.5个百分点: a goal reached (or passed) is a result's words; so is a
    # goal missed (…(主要是二产、三产未达预期目标),增长2.0%; 未达到预期目标; 未达预期: 342_plan_review) and a share of
    # the expected done (完成全年预期目标的47.8%)
    target = [m.end() for m in _TARGET.finditer(semi_before)
              if not (m.group().startswith(("目标", "任务", "预期")) and
                      re.search(r"(?:实现|完成|达成|超额完成|达到|达|超过?|高于|低于)[^,;。]{0,12}$", semi_before[:m.start()]))
              and not (m.group().startswith(_NOUN_TARGETS) and _NAMES_ITS_OWN.match(semi_before[m.end():])
                       and not _LIST_COLON.match(semi_before[m.end():]))]
    strong = [m.end() for m in _STRONG_RESULT.finditer(semi_before)]
    if target and (not strong or max(target) > max(strong)):
        return "target"
    if lead and not strong:
        return "target"
    if strong or _RESULT.search(clause_opening(semi_before)):
        return "actual"
    return None


# (同 比: a copied PDF's space, 144_plan_review; 比增: 比上年增长)
_REPORTED = re.compile(r"(?:达到|实现|完成|累计)[^,;。]{0,16}\d[^;。]*(?:同 ?比|比上年|较上年|比去年|较去年|比增|比降)|"
                       r"(?:同 ?比|比上年|较上年)[^;。]*(?:达到|实现|完成|累计)[^,;。]{0,16}\d|累计[^,;。]{0,12}\d")


def continues_results(earlier: str, semi: str) -> bool:
    """A ；-item with no target word after earlier ；-items of its 。-sentence that report results (全年完成地区生产总值
    106.6亿元,同 比增长5%;工业增加值11.8亿元,比增7.5%;…: 144_plan_review; 实现…达到1767.3亿元,同比增长7.3%;规上工业
    增加值增长8%: a review's run of results) reports one too."""
    return bool(earlier) and not _TARGET.search(semi) and reports_result(earlier)


def reports_result(semi: str) -> bool:
    """A whole ；-sentence that reports a result — a level reached and its change on last year (达到1767.3亿元，同比增长
    7.3%), or a running total (累计引进…86个) — with no target word anywhere in it (…同比增长12%，力争15% is a
    target)."""
    return bool(_REPORTED.search(semi)) and not _TARGET.search(semi)


def sections(view: str, doc_year: int | None) -> list[tuple[int, int, str, int | None]]:
    """(start, end, 'actual'|'target', year) for the top-level sections whose heading says results or plans
    (一、2023年工作回顾 → actual, 2023)."""
    title_end = view.find("\n", len(view) - len(view.lstrip()))
    bare = [h for h in _BARE_HEADING.finditer(view) if h.start() > title_end >= 0
            and bool(_PAST_HEAD.search(h.group(1))) != bool(_FUTURE_HEAD.search(h.group(1)))]
    heads = sorted([(h.start(), h.group(1)) for h in [*_HEADING.finditer(view), *bare]] +
                   [(h.start(h.lastindex), h.group(h.lastindex)) for h in _INLINE_HEADING.finditer(view)])
    out = []
    for i, (start, title) in enumerate(heads):
        years = [int(y) for y in re.findall(r"(20\d\d)年", title)]
        if five := FIVE_YEAR.search(title):
            years.append(FIVE_YEAR_END[five.group()])   # “十三五”时期的工作回顾: its last year
        verdict = None
        if _FUTURE_HEAD.search(title) or "明年" in title or (doc_year and any(y > doc_year for y in years)):
            verdict = "target"
        if _PAST_HEAD.search(title) or (doc_year and years and all(y < doc_year for y in years)):
            verdict = "actual" if verdict is None or _PAST_HEAD.search(title) and not _FUTURE_HEAD.search(title) \
                else verdict
        if _DONE_HEAD.search(title):
            verdict = "actual"
        if verdict:
            end = heads[i + 1][0] if i + 1 < len(heads) else len(view)
            out.append((start, end, verdict, years[-1] if years else None))
    return out


_TITLE_YEAR = re.compile(r"(20\d\d)\s*年(?:度)?[^。\n,，]{0,12}?(?:工作要点|工作计划|工作总结|总结|计划|要点|报告|运行|情况|会议|"
                         r"大会|方案|规划|公报)")
_DATE_LINE = re.compile(r"^[ \t]*(20\d\d)[ \t]*年[ \t]*\d{1,2}[ \t]*月[^\n]{0,6}$", re.M)


_ISO_DATE = re.compile(r"(?<!\d)(20\d\d)-\d{1,2}-\d{1,2}(?!\d)")  # a web page's publication date: 2024-2-18
# a page's publication line: 发布时间:2017年08月28日 (222_operation), 发布日期:2021-07-20 (414_table)
_PUBLISHED = re.compile(r"(?:发布|发表|更新|成文)(?:时间|日期)\s*[:：]?\s*(20\d\d)\s*[年\-/.]\s*(\d{1,2})")
_PLAN_SPAN = re.compile(r"(20\d\d)\s*[—\-－~～至到]+\s*(20\d\d)\s*年")


def titled_plan_end(view: str) -> int | None:
    """The last year of the five-year plan a title names (XX高新区“十四五”发展规划 → 2025): the horizon of its goals
    when no sentence says 到2025年."""
    m = FIVE_YEAR.search(title_of(view))
    return FIVE_YEAR_END[m.group()] if m else None
_FIVE_YEAR_REVIEW = re.compile(r"[”\"]?(?:期间|以来|时期)")
_FIVE_YEAR_OWN = re.compile(r"[”\"]?(?:期间|时期)(?:的)?(?:经济社会)?(?:发展)?(?:主要)?(?:目标|规划|任务)")
_FULL_DATE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*\d{1,2}\s*日")
_BARE_TITLE_YEAR = re.compile(r"(20\d\d)(?=上半年|下半年|前三季度|一季度|年)")


def infer_year(view: str, doc_type: str | None = None) -> int | None:
    """The year a document is about:
    - a multi-year plan: its own span's first year (2023—2027年), else its five-year plan's (十四五 → 2021);
    - its title's year (a short line among the first ones: 2023年工作总结, 2008上半年…总结);
    - a speech or plan dated at its head (——2024年1月22日在…大会上; a plan dated in November or December is next
      year's);
    - else the year its sentences name most (较2023年末 counts for 2024; 到2025年 horizons and 比上年 do not), with
      the date line deciding (2022年8月; a summary dated early next year is about the year before)."""
    head = view[:1500]
    if doc_type == "district_plan":
        m = _PLAN_SPAN.search(head)
        if m and int(m.group(2)) > int(m.group(1)):
            return int(m.group(1))
        # a five-year plan it names: its own, or — one it reviews (十三五期间/以来) — the one after it; a period
        # followed by its goals (“十五五”时期发展目标) is the plan's own
        five = [y + (5 if _FIVE_YEAR_REVIEW.match(head, m.end()) and not _FIVE_YEAR_OWN.match(head, m.end()) else 0)
                for name, y in FIVE_YEAR_START.items() for m in re.finditer(name, head)]
        if five:
            return max(five)
    lines = [ln.strip() for ln in head.split("\n") if ln.strip()][:10]
    for line in lines:
        m = _TITLE_YEAR.search(line)
        if m and len(line) <= 60:
            return int(m.group(1))
        m = _BARE_TITLE_YEAR.match(line)
        if m and len(line) <= 60:
            return int(m.group(1))
    if doc_type == "plan":
        m = _FULL_DATE.search(view[:400])
        if m:
            return int(m.group(1)) + (1 if int(m.group(2)) >= 11 else 0)
    dates = dated_years(view)
    votes: Counter[int] = Counter()
    for m in _YEAR.finditer(view):
        if re.search(r"[到至止较比]\s*$", view[max(0, m.start() - 2):m.start()]) or \
                _DATE_LINE.match(view, view.rfind("\n", 0, m.start()) + 1):
            continue
        votes[int(m.group(1))] += 1
    for m in _BASE_YEAR_END.finditer(view):
        votes[int(m.group(1)) + 1] += 2
    top = None
    if votes:
        most = max(votes.values())
        top = max(y for y, n in votes.items() if n == most)
    if dates:  # dated early in the next year (January to April), a summary is about the year before; a plan's
        # horizons are not its year; dated later, its 今年 and 上半年 are the date's year, whatever year it names
        month = document_month(view)
        return top if top == max(dates) - 1 and (month is None or month <= 4) else max(dates)
    return top


PURE_PLAN_TITLE = re.compile(r"^[^\n]{0,40}(?:工作要点|工作计划|工作安排)[ \t]*$", re.M)
_TITLE_GENRES = [  # (pattern, doc_type): the earliest hit in the opening lines wins
    (re.compile(r"工作总结|年度总结|总结报告|运行情况|运行分析|经济运行|统计公报|公报|快报|新闻发布|发布会|情况通报|"
                r"完成情况|工作汇报|述职|总体情况|发展情况|情况汇报|主要经济指标|统计月报|统计数据"), "summary"),
    (re.compile(r"工作要点|工作计划|工作安排|工作打算|政府工作报告"), "plan"),
    # a five-year plan's name, but not where a results document names the year it opened or closed (2021年,是“十四五”
    # 开局之年 — 422_table; 实现了“十四五”良好开局 — 345_plan_review)
    (re.compile(r"实施方案|行动方案|行动计划|发展规划|五年规划|规划纲要|"
                r"十[一二三四五六七八九]五(?![”\"]?(?:的)?(?:良好|顺利|精彩)?(?:开局|收官|起步|开篇|决胜))"),
     "district_plan"),
]


def infer_doc_type(view: str) -> str:
    """summary (results: 总结, 运行情况, 公报, news), plan (a year's 工作要点), district_plan (规划/方案 to a horizon)
    — from the title words, else from which the sentences say more: results or targets."""
    head = view[:200]
    hits = [(m.start(), kind) for pattern, kind in _TITLE_GENRES for m in [pattern.search(head)] if m]
    if hits:
        return min(hits)[1]
    sample = view[:20000]
    targets = len(_TARGET.findall(sample))
    results = len(_STRONG_RESULT.findall(sample)) + len(re.findall(r"实现|完成", sample))
    return "plan" if targets > results else "summary"
