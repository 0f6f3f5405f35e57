"""YAML stubs for indicator texts the catalogue lacks (`find --suggest-catalogue`)."""
from __future__ import annotations

import re

import pandas as pd
import yaml

_CATEGORY_WORDS = [  # first hit wins: a guess the editor corrects
    ("ranking", r"排名|排位|位次"), ("fiscal", r"税|财政|预算"), ("investment", r"投资"),
    ("attraction", r"招商|引资|客商|签约"), ("projects", r"项目"), ("innovation", r"研发|创新|科技|孵化|专利"),
    ("green", r"能耗|绿色|节能|节水|排放|碳"), ("digital", r"数字|智能|上云|5G|互联网"),
    ("land", r"用地|土地|厂房|面积|亩"), ("safety", r"安全|事故|隐患|信访"), ("party", r"党|干部|廉政"),
    ("funding", r"资金|债券|补助"), ("enterprises", r"企业"), ("output", r"产值|收入|增加值|产量"),
]


def _guess_category(text: str) -> str:
    for category, pattern in _CATEGORY_WORDS:
        if re.search(pattern, text):
            return category
    return "services"


def _slug(n: int) -> str:
    return f"new_indicator_{n}"


def suggest_catalogue(candidates: pd.DataFrame) -> str:
    """A YAML list of indicator stubs, one per distinct indicator text with no catalogue match."""
    missing = candidates[(candidates["indicator_id"] == "") & (candidates["indicator_text"] != "")]
    stubs = []
    for n, (text, group) in enumerate(missing.groupby("indicator_text", sort=False), start=1):
        bases = sorted(set(group["basis"]))
        unit = group["unit"].mode().iat[0]
        stubs.append({
            "id": _slug(n), "name_zh": text, "name_en": "TODO", "unit": unit, "bases": bases,
            "category": _guess_category(text),
            "description_zh": f"TODO 口径。文中：{group['quote'].iat[0]}",
        })
    return yaml.safe_dump({"indicators": stubs}, allow_unicode=True, sort_keys=False, width=120)
