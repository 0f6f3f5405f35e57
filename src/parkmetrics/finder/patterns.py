"""The language patterns, each a small pure function of the words around a figure.

`before` is the text of the figure's clause up to the figure, `after` the rest of the clause; `scope` texts are the
sentence up to the figure (；/。 bounded). All work on the analysis view (NFKC: ，→ , ％→ %).
"""
from __future__ import annotations

import re

# --- comparators and flags ------------------------------------------------------------------------------------

_PREFIX_CMP = [  # tail of the words before the number → comparator
    (re.compile(r"(不低于|不少于|至少|不下于)(达到|达)?$"), "≥"),
    (re.compile(r"(不超过|不高于|不多于|控制在)$"), "≤"),
    (re.compile(r"(低于|少于)$"), "<"),
    (re.compile(r"(超过|超|逾|突破|高于|多于)(了)?$"), ">"),
    (re.compile(r"(约|近|大约|接近|将近)$"), "≈"),
]
_SUFFIX_CMP = [
    (re.compile(r"^(及以上|以上|或以上)"), "≥"),
    (re.compile(r"^(及以下|以下|以内|内)"), "≤"),
    (re.compile(r"^左右"), "≈"),
]
def comparator(before: str, suffix: str, yu: str = "", after: str = "") -> tuple[str, bool]:
    """(comparator, approximate) from the words around the number: 以上/不低于/不少于 ≥, 超过/突破/逾/余 >,
    约/近/左右 ≈ (approximate), 以内 ≤; 确保 ≥ when the figure is what is ensured (确保实现投资50亿元) — not when
    a verb follows it (确保…等18个项目顺利建成: the projects are counted, the completion is ensured)."""
    before = before.rstrip(" \u00a0\u2009")   # 约 9.8 万亿元: a space a web page puts before the number
    for pattern, sign in _PREFIX_CMP:
        if pattern.search(before):
            return sign, sign == "≈"
    if yu:  # 50余次, 十余家: more than, and only roughly stated
        return ">", True
    for pattern, sign in _SUFFIX_CMP:
        if pattern.search(suffix):
            return sign, sign == "≈"
    if "确保" in before and not after.strip(" ,;:。、"):
        return "≥", False
    return "=", False


_STRETCH = re.compile(r"力争|奋斗目标|争取(?!发行|资金|债券|专项|支持|政策|上级|中央|国家|国、|省级|市级|省、|项目资金)")
_RESET = re.compile(r"确保")


def is_stretch(scope_before: str) -> bool:
    """力争/争取 makes the rest of its ；-sentence a stretch target, until a 确保 takes it back to the base."""
    last = None
    for m in _STRETCH.finditer(scope_before):
        last = m
    if last is None:
        return False
    return not _RESET.search(scope_before[last.end():])


# --- basis ----------------------------------------------------------------------------------------------------

_PLAN_PCT = re.compile(r"(为|占|是|达|完成)?(年度|全年|年初|年)?(预算|计划|目标任务|目标|任务)(数)?的(约|近)?$|"
                       r"占(年度|全年|年)[^,;。的]{0,6}?(计划|目标任务|目标|任务)(数)?(约|近)?$|"   # 占年度投资计划50% (131_summary)
                       r"(完成率|完成进度|时序进度|进度)(为|达到|达|是)?(约|近)?$|"
                       # 完成目标任务27.4% (264_operation), 完成年度投资计划123.4% (345_plan_review): no 的
                       r"完成(年度|全年|年)?[^,;。的]{0,4}?(计划|目标任务|目标|任务)(数)?(约|近)?$")
# 完成年任务75亿元的23.7% / 完成年度任务（111.3亿元）的38.7%: the share follows the task's own figure
_PLAN_PCT_AFTER_TASK = re.compile(r"(任务|计划|目标)(数)?[（(]?[^,;。（()）]{0,16}[)）]?的(约|近)?$")
_ANNUAL_TASK = re.compile(r"(?:(年|年度|全年|下达)(的)?(目标)?(任务|目标|计划)(数)?(为|是|达)?|占(年度|全年)?目标任务)[（(]?$")
# 比增/比降: 比上年增长/下降 abbreviated (地方一般公共预算收入7.9亿元,比增5.5%: 144_plan_review, a 广东 county; 实现生产
# 总值33.74亿元,比增9.2%: a 福建 district's half-year review)
# 递增/递减: a rate kept year after year (年平均递增22%: 343_plan; 年均递增22.4%: 350_plan; 年均递增 8%: 344_plan)
_GROWTH_BEFORE = re.compile(r"(增长|递增|增速|增幅|提升|提高|增加|上升|上涨|扩大|比增|同增)(分别)?(达到|达|为|了)?(超过|超|约|近|突破)?$")
_GROWTH_AFTER = re.compile(r"^(以上|左右)?(的)?(高速|快速|较快|稳定|持续)?增长")
_REDUCTION = re.compile(r"(降低|下降|下跌|减少|递减|压减|压降|降|负增长|回落)(了|达到|达)?(超过|约|近)?$")
_LEVEL_TO = re.compile(r"(提升|提高|增加|上升|增长)(至|到)$")
_NET = re.compile(r"净(增|增加)(了)?$")
_CHANGE = re.compile(r"(同比|(?:比|较)(?:上年|去年)(?:同期|末|底)?|(?:比|较)年初)(增加|增长|多|提高|提升|减少|下降|少)(了)?$")
_NEW = re.compile(r"新增|新培育|培育|新认定|认定|新发展|新建|新入|入库|升规|入规|入统|新引进|新签约?|新开工|新落户|新注册|"
                  r"新登记|新设|新招引|新上|新批")
_NEW_AFTER = re.compile(r"^[^,;。]{0,8}?(认定为|升规|入规|入统|入库)")
# units brought in are new ones: 签约项目76个 (303_meeting), 累计引进重点产业化项目86个 (306_meeting), 招大引强项目9个
# (100_summary) — counts only (引进外资3亿元 is an amount)
_BROUGHT_IN = re.compile(r"引进|引入|招引|招大引强|签约")


def brought_in(clause_before: str, after: str, unit: str) -> bool:
    """New units only by a word of bringing in (签约项目76个), not by 新增/新签…: an indicator that counts the year's
    signings (signed_projects) takes it as its level."""
    return unit in _COUNT_UNITS and bool(_BROUGHT_IN.search(clause_before)) and \
        not (_NEW.search(clause_before) or _NEW_AFTER.search(after))


_MULTIPLE = re.compile(r"(增长|增加|提高|扩大)(了)?(近|约|超过?)?$")


_SHARE_SAID = re.compile(r"占|比重|占比|份额")


def said_share(clause_before: str, after: str) -> bool:
    """The words say a share, whatever the indicator allows: 产出了约34.5%的GDP, 70%的规模工业增加值 (322_plan), 全省开发区
    50%左右的规上工业总产值 (240_news), 占…的X%, 比重X%: the loader then names the basis the catalogue lacks."""
    return bool(_SHARE_SAID.search(clause_before[-40:]) or re.match(r"\s*(?:左右|以上|多)?\s*的", after))


def is_reduction(before: str) -> bool:
    """下降/降低/减少 X: the figure is a fall (a negative growth, or a reduction target)."""
    return bool(_REDUCTION.search(before))


_TASK_AFTER = re.compile(r"^(?:的)?(?:年度|全年)?(?:目标任务|目标|任务|计划)(?:数)?的")


def is_annual_task(before: str, after: str = "") -> bool:
    """年任务75亿元 / 完成年度任务（111.3亿元） / 完成全年43亿元目标任务的34.82%: the figure is the year's task, a
    target."""
    return bool(_ANNUAL_TASK.search(before) or _TASK_AFTER.match(after))


_SHORTFALL = re.compile(r"(?:低于|慢于|落后于?)[^,;。]{0,12}$|(?:比|较)[^,;。]{0,8}?(?:低|慢|少)$|降幅[^,;。]{0,10}扩大$|^(?![^,;。]*(?:降幅|跌幅))[^,;。]*缩小$|(?:增速|增幅|涨幅)[^,;。]{0,8}收窄$")


def is_shortfall(clause_before: str) -> bool:
    """低于全市增速8.7个百分点 / 比上年同期低0.6个百分点 (246_operation, the mirror of 比全省高2个百分点) / 降幅较上月
    扩大3.4个百分点 / 亏损面…同比缩小1.8个百分点 / 增速较1-3月收窄2.9个百分点 (248_operation): a difference in points below
    the other side, or a share or growth that fell (negative); 降幅缩小 is a decline that eased (positive), and so is
    a bare 收窄 after a decline (同比下降29.8%,比上月收窄5.9个百分点: 216_operation, 223_operation)."""
    return bool(_SHORTFALL.search(clause_before))


_LEVEL_BEFORE = re.compile(r"(达到|达|总数|总量|存量|共有|拥有|累计达到?|增至|增加到|达到了)(了)?(约|近|超过|超)?$")


def basis(before: str, after: str, unit: str, clause_before: str) -> str:
    """What the figure measures, from the words around it (model.Basis values, plus pp_change)."""
    before = before.rstrip(" \u00a0\u2009")   # 比上年分别增长 36. 8: a space a copied PDF puts before the number
    if unit == "个百分点":
        return "pp_change"
    if unit == "位":
        return "rank"
    if unit == "倍":
        return "growth_multiple"
    if unit == "%":
        if _PLAN_PCT.search(before) or _PLAN_PCT_AFTER_TASK.search(clause_before):
            return "pct_of_plan"
        if _LEVEL_TO.search(before):
            return "share_pct"  # 提升至20%: the level a ratio reaches
        if _REDUCTION.search(before):
            return "growth_pct"  # 同比下降1.1%: a growth of −1.1 (the caller negates; a target becomes reduction_pct)
        if _GROWTH_BEFORE.search(before) or _GROWTH_AFTER.search(after):
            return "growth_pct"
        return "share_pct"  # 占比/比重/率/强度 X%, 100%接入
    if _NET.search(before) or "净增" in clause_before:
        return "change_abs"  # 净增11152户 / 净增市场主体120户: a net change, wherever 净增 stands in the clause
    if _CHANGE.search(before):
        return "change_abs"
    if _LEVEL_BEFORE.search(before):
        return "level"  # 新增市场主体…，总数达32户: the stock beside the new units
    if _NEW.search(clause_before) or _NEW_AFTER.search(after) or brought_in(clause_before, after, unit):
        return "new_count"
    return "level"


# --- years, kinds ---------------------------------------------------------------------------------------------

_EVERY_YEAR = re.compile(r"每年|逐年|每一年")


def every_year(period_before: str, semi_before: str = "", basis: str = "") -> bool:
    """每年 governs the rest of its 。-sentence (确保每年新开工…；确保全年新竣工…); 年均 only its own ；-sentence's
    rates and counts (年均增长9%以上；规上工业企业达到220家 is one 2025 level; 地区生产总值年均增长14.8%,…,社会消费品零售
    总额突破920亿元 is one level at the horizon, 333_plan; …年均增长12.8%, 长沙经开区等14家园区技工贸收入突破1000亿元,
    322_plan)."""
    return bool(_EVERY_YEAR.search(period_before) or
                ("年均" in semi_before and basis not in {"level", "share_pct"}))


_STOCK = re.compile(r"利用好|利用(?!率)|用好|依托|现有|已有|目前已?|已经|已建成")   # 综合利用率: a rate's name (331_plan)
_TARGET_VERB = re.compile(r"力争|争取|确保|达到|实现|完成|新增|培育|引进|建成|建设|打造|提升|提高|增长|突破|超过|不少于|"
                          r"不低于|开工|签约|推动|推荐|组织|开展|形成|释放")


_COUNT_UNITS = frozenset("户家个所座")
_FLOW = re.compile(r"新增|新建|引进|签约|开工|竣工|落地|落户|招引|培育|认定|申报|入库|升规|入规|完成|实现|累计|获批|获评|"
                   r"注册|登记|设立|投放|发放|举办|组织|开展|帮助|服务(?!业)|走访|解决|兑现")   # 服务业企业51家 is a stock


_TOTAL_REACHED = re.compile(r"累计(?=[^,;。]{0,12}?(?:达到?|拥有|已有|共有))")   # 累计达892家, 累计已拥有40家


# a count whose verb follows it: 亨利食品等31个重点项目开工建设, 深马产业园等36个项目开工, 等14个项目建成投产
_FLOW_AFTER = re.compile(r"^[^,;。]{0,8}?(开工|竣工|建成|投产|签约|落户|落地|入驻)")


def counted_stock(clause_before: str, unit: str, basis: str, after: str = "") -> bool:
    """A count of what there is (规模以上企业达32户, 园区规上企业71户, 纺织鞋服13户实现产值, 累计达892家), not of what
    happened in a period (新签约项目29个, 开工项目32个, 等31个重点项目开工建设): it takes no 1-8月 of a results note,
    only a date (截至9月末)."""
    return basis == "level" and unit in _COUNT_UNITS and not _FLOW.search(_TOTAL_REACHED.sub("", clause_before)) \
        and not _FLOW_AFTER.search(after)


def project_total(clause_before: str) -> bool:
    """The total investment of the projects a note counts (在库2个…，总投资64.6亿元): their size, not money spent in
    the note's months (1~4月完成投资15万元 is)."""
    return bool(re.search(r"总投资(?:额)?(?:约|近|超过?|达到?)?$", clause_before))


def existing_stock(clause_before: str, previous_clause: str) -> bool:
    """A plan naming what the park already has (利用好…预留1000亩工业用地; 园区21万平方标准化厂房…): an actual."""
    def verdict(text: str) -> bool | None:
        stock = [m.end() for m in _STOCK.finditer(text)]
        target = [m.end() for m in _TARGET_VERB.finditer(text)]
        if not stock and not target:
            return None
        return bool(stock) and (not target or max(stock) > max(target))
    own = verdict(clause_before)
    if own is not None:
        return own
    return bool(verdict(previous_clause))


# --- scope cues -----------------------------------------------------------------------------------------------

def scope_cue(scope_before: str) -> str | None:
    """全区/全县/全市 → district, 园区 → park (only when the caller gave no scope)."""
    district = max((m.end() for m in re.finditer(r"全区|全县|全市|区级|县级", scope_before)), default=-1)
    park = max((m.end() for m in re.finditer(r"园区|高新区|开发区", scope_before)), default=-1)
    if district < 0 and park < 0:
        return None
    return "district" if district > park else "park"
