"""Indicator matching: which catalogue indicator a figure's words name.

1. Exact: the catalogue's name_zh and aliases (and their plain forms: no 数/人数 suffix, no （…）, no “”), longest
   match first, in the figure's own clause — words before the figure first, then the words after it.
2. Fuzzy (lower confidence, the editor confirms): how much of an indicator's name the sentence around the figure
   covers, in pieces of two or more characters and in any order — Chinese reorders freely (工业经济运行综合指数排位
   居渝东南首位 names 工业经济运行综合指数渝东南排位). difflib/rapidfuzz ratios score edit distance on whole strings
   and rank short generic names (开工项目) above long specific ones; piece coverage does not, and needs no package.

Only indicators that can hold the figure are considered: its unit's family, or for %, 倍, 位 a basis that has it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import BASIS_UNIT, Indicator
from ..units import same_family

NEW_VERBS = re.compile(r"^(新增|新培育|培育|新认定|认定|新建|新发展)")
_SUFFIX = re.compile(r"(总数|数量|个数|人数|次数|期数|套数|份数|户数|金额|比例|面积|数)$")
FIXED_UNITS = {u: b for b, u in BASIS_UNIT.items() if u}  # %→growth_pct… (first basis per unit is enough here)


def _basis_units(ind: Indicator) -> set[str]:
    return {BASIS_UNIT.get(b) or "" for b in ind.bases}


def can_hold(ind: Indicator, unit: str) -> bool:
    """Can a figure in `unit` be an observation of `ind` (with some basis it allows)? A table cell whose table names
    no unit ('') can be any indicator's: its row label decides."""
    if not unit:
        return True
    fixed = {u for u in _basis_units(ind) if u}
    if unit in fixed:
        return True
    if unit in FIXED_UNITS or unit == "%":
        return False
    return "" in _basis_units(ind) and same_family(unit, ind.unit)


def forms_of(name: str) -> list[str]:
    """The ways a document may write a catalogue name."""
    out = {name}
    plain = re.sub(r"（[^）]*）|\([^)]*\)", "", name)
    out.add(plain)
    out.add(re.sub(r"[（）()]", "", name))
    for f in list(out):
        out.add(f.replace("“", "").replace("”", ""))
    for f in list(out):
        short = _SUFFIX.sub("", f)
        if len(short) >= 2:
            out.add(short)
    return [f for f in out if len(f) >= 2]


@dataclass
class Form:
    text: str
    indicator: str
    core: bool  # a stripped new-count verb: 高新技术企业 names both the stock and the new units

    def __post_init__(self) -> None:
        self.pairs = {self.text[i:i + 2] for i in range(len(self.text) - 1)}  # for the fuzzy match's cheap filter


@dataclass
class Match:
    indicator_id: str
    text: str          # the words the figure was found with
    start: int         # their position in the view (-1 when synthetic)
    end: int
    confidence: float
    method: str        # exact | core | fuzzy


class IndicatorIndex:
    def __init__(self, indicators: dict[str, Indicator]):
        self.indicators = indicators
        self.forms: list[Form] = []
        seen: set[tuple[str, str]] = set()
        for ind in indicators.values():
            for name in [ind.name_zh, *ind.aliases]:
                for f in forms_of(name):
                    for text, core in ((f, False), (NEW_VERBS.sub("", f), True)):
                        if len(text) >= 2 and (text, ind.id) not in seen:
                            seen.add((text, ind.id))
                            self.forms.append(Form(text, ind.id, core and text != f))
        self.forms.sort(key=lambda f: -len(f.text))
        self._holding: dict[tuple[str, str | None], list[Form]] = {}

    def _eligible(self, unit: str, exclude: set[str], basis: str | None = None) -> list[Form]:
        """Forms of indicators that can hold the figure; a % figure also needs its basis (占比 vs 增长)."""
        strict = basis if unit == "%" and basis else None
        key = (unit, strict)
        if key not in self._holding:  # the same few (unit, basis) pairs recur in every document: computed once
            self._holding[key] = [f for f in self.forms if can_hold(self.indicators[f.indicator], unit)
                                  and (strict is None or strict in self.indicators[f.indicator].bases)]
        return [f for f in self._holding[key] if f.indicator not in exclude]

    def exact(self, view: str, start: int, end: int, pos: int, unit: str, basis: str | None,
              exclude: set[str], before: bool) -> Match | None:
        """Longest form inside view[start:end]; among equals the one nearest `pos`."""
        window = view[start:end]
        best: tuple | None = None
        for f in self._eligible(unit, exclude, basis):
            if best and len(f.text) < best[0]:
                break
            i = window.rfind(f.text) if before else window.find(f.text)
            if i < 0:
                continue
            a = start + i
            if _PER_HEAD.search(view, max(0, a - 8), a):
                continue  # 人均GDP45228元, 人均地区生产总值(元): per head, never the total the name alone means
            dist = pos - (a + len(f.text)) if before else a - pos
            prefer = self._basis_fit(f.indicator, basis)
            key = (len(f.text), prefer, -dist)
            if best is None or key > best[:3]:
                best = (*key, f, a)
        if best is None:
            return None
        f, a = best[3], best[4]
        conf = 0.9 if not f.core else 0.85
        return Match(f.indicator, view[a:a + len(f.text)], a, a + len(f.text), conf, "core" if f.core else "exact")

    def _basis_fit(self, ind_id: str, basis: str | None) -> int:
        return 1 if basis and basis in self.indicators[ind_id].bases else 0

    def fuzzy(self, before: str, after: str, unit: str, basis: str | None, exclude: set[str],
              anchor: str | None = None, min_ratio: float = 0.6, own: str = "") -> Match | None:
        """Best coverage of an indicator's name by pieces of the sentence around the figure (before + after).
        `own`: the content words of the figure's own clause; when it has some (利税 in 实现主营业务收入120亿元，利税
        9.8亿元), a name must be covered there too, not only by an earlier clause's words."""
        context = before + "\0" + after
        pairs = {context[i:i + 2] for i in range(len(context) - 1)}
        best: tuple | None = None
        for f in self._eligible(unit, exclude, basis):
            if anchor and anchor not in f.text:
                continue
            # a form covered to min_ratio in pieces of ≥ 2 characters shares that many of its pairs with the context
            if len(f.pairs & pairs) < max(1, min_ratio * len(f.text) / 2 - 1):
                continue
            covered, pieces = _coverage(f.text, context)
            ratio = covered / len(f.text)
            if ratio < min_ratio or covered < (2 if anchor else 3) or _other_kind(f.text, pieces, before):
                continue
            if own and not any(p in own for p in pieces) and not any(p in after for p in pieces):
                continue
            uncovered = len(f.text) - covered
            # Near pieces beat far ones: the sentence may name another indicator earlier on.
            dist = sum(min(len(before) - before.rfind(p) if p in before else 999,
                           after.find(p) + 1 if p in after else 999) for p in pieces) / len(pieces)
            # an indicator that cannot take the basis the words say (总数达到 → level) loses to one that can
            key = (covered - 1.5 * uncovered + 4 * self._basis_fit(f.indicator, basis), -dist)
            if best is None or key > best[:2]:
                best = (*key, f, ratio)
        if best is None:
            return None
        f, ratio = best[2], best[3]
        return Match(f.indicator, f.text, -1, -1, round(0.3 + 0.4 * ratio, 2), "fuzzy")

    def resolve_basis(self, ind_id: str, basis: str, unit: str) -> str:
        """The detected basis when the indicator allows it, else the allowed basis that fits the unit."""
        ind = self.indicators[ind_id]
        if basis in ind.bases or basis in ("pct_of_plan", "new_count", "change_abs") or \
                basis == "level" and "new_count" in ind.bases:
            # a share of the plan stays one, new units (新签约项目29个) or a change (较上年提高3.2万元, 净增120户) are
            # never read as a stock nor a stock (总数达到32家) as new units, allowed or not: the loader names the
            # missing basis and the editor decides
            return basis
        for b in ind.bases:
            u = BASIS_UNIT.get(b)
            if (u is None and unit not in FIXED_UNITS and unit != "%") or u == unit:
                return str(b)
        return basis


_UNIT_CHARS = set("亿万千百元以上及的%0123456789.")


def _meaningful(piece: str) -> bool:
    """A piece counts when it has two characters that are words, not digits or unit characters (30, 亿元), or is a
    whole size class (5000万元以上)."""
    if sum(ch not in _UNIT_CHARS for ch in piece) >= 2:
        return True
    return len(piece) >= 4 and any(ch.isdigit() for ch in piece) and any(not ch.isdigit() for ch in piece)


_PER_HEAD = re.compile(r"人均[^,，;；:：。、\s\d]{0,4}$")   # 人均 before the name, or before its 地区/工业… (330_plan)

# Words that may stand before an indicator's name without qualifying it (全区实现…增加值, 其中…).
_NOT_QUALIFIERS = re.compile(r"(?:实现|完成|全区|园区|全县|全市|全省|其中|累计|达到|共有|全年|当年|今年|同比|分别)$")


def _other_kind(form: str, pieces: list[str], before: str) -> bool:
    """The sentence names another kind of the thing the form names: the form's own qualifier (战新产业增加值,
    限上单位消费品零售额) is not in the sentence, and where the sentence has the rest of the name, another qualifier
    stands before it (第一产业实现增加值, 城镇消费品零售额). Such a form is not the indicator."""
    if not pieces:
        return False
    if _PER_HEAD.search(before[:max(before.rfind(pieces[0]), 0)]) and "人均" not in form:
        return True  # 人均GDP, 人均地区生产总值: per head, not the total
    spans = [(before.rfind(p), before.rfind(p) + len(p)) for p in pieces]
    for (start, end), (next_start, _) in zip(spans, spans[1:]):
        if start >= 0 and next_start >= 0 and start <= next_start < end:
            return True  # 零售业销售额 in 消费品零售额: its pieces overlap there, the name's 业销 is not in the sentence
    if form.find(pieces[0]) < 1:
        return False
    at = before.rfind(pieces[0])
    if at <= 0:
        return False
    lead = before[:at]
    while (m := _NOT_QUALIFIERS.search(lead)) is not None:  # 第一产业实现|增加值: look past 实现
        lead = lead[:m.start()]
    if form.find(pieces[0]) >= 2 and not re.search(r"[\u4e00-\u9fff]$", lead):
        return True  # ，制造业增长8.5% names all of manufacturing: 先进制造业增加值 is a part of it, not it
    return bool(re.search(r"[\u4e00-\u9fff]$", lead))


def _coverage(form: str, context: str) -> tuple[int, list[str]]:
    """Characters of `form` covered by its longest pieces (≥ 2 chars) found anywhere in `context`."""
    i, covered, pieces = 0, 0, []
    while i < len(form):
        j = len(form)
        while j - i >= 2 and form[i:j] not in context:
            j -= 1
        if j - i >= 2 and _meaningful(form[i:j]):
            covered += j - i
            pieces.append(form[i:j])
            i = j
        else:
            i += 1
    return covered, pieces
