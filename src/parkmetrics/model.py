"""The data model: park profiles, source documents, the indicator catalogue and the observation vocabulary.

The YAML files are validated against these pydantic models, and the JSON Schemas in schemas/ are generated from
them (`python -m parkmetrics schema`), so the editor's completion and the loader can never disagree.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError


def _as_text(value: object) -> object:
    """YAML reads 2022-01-28 as a date and 2022 as a number; editors should not have to quote them."""
    if isinstance(value, (dt.date, int)) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


# --- ids: one rule for the model (the loader, the import form) and the writer (write/) ---------------------------
# An id names a file (data/observations/<source id>.csv), so it must be a safe file name everywhere: lower-case
# letters, digits and _, starting with a letter (no white space, no control character, no path separator), at most
# ID_MAX_CHARS characters (a 300-character name fails with "file name too long"), and not a name Windows reserves
# for a device (con.csv cannot be checked out on Windows), in any case.
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
ID_MAX_CHARS = 64
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                              *(f"lpt{i}" for i in range(1, 10))})
_ID_CHARS = re.compile(r"[a-z][a-z0-9_]*")


def id_problem(value: object) -> tuple[str, str] | None:
    """Why `value` is not a valid id, as (Chinese, English), or None when it is one."""
    if not isinstance(value, str):
        return "编号应为文字", f"an id must be text, not {type(value).__name__}"
    if len(value) > ID_MAX_CHARS:
        return (f"编号过长（{len(value)} 个字符，上限 {ID_MAX_CHARS}）",
                f"the id is too long ({len(value)} characters; the limit is {ID_MAX_CHARS})")
    if any(c.isspace() or unicodedata.category(c) == "Cc" for c in value):
        return "编号含有空白或控制字符", "the id contains white space or a control character"
    if not _ID_CHARS.fullmatch(value):
        return ("编号只能用小写字母、数字和下划线，且以字母开头",
                "an id is lower-case letters, digits and _, starting with a letter")
    if value.lower() in WINDOWS_RESERVED:
        return (f"{value} 是 Windows 的保留名（con、prn、aux、nul、com1–com9、lpt1–lpt9），{value}.csv 在 Windows 上无法检出",
                f"{value} is a name Windows reserves (con, prn, aux, nul, com1-com9, lpt1-lpt9): {value}.csv "
                "cannot be checked out on Windows")
    return None


def _valid_id(value: str) -> str:
    """The model's check beyond the pattern and the length: a Windows device name is refused (error type
    unsafe_id, which the import form reports as the problem code unsafe-id)."""
    reason = id_problem(value)
    if reason is not None:
        raise PydanticCustomError("unsafe_id", "{reason}", {"reason": reason[1]})
    return value


SnakeId = Annotated[str, Field(pattern=ID_PATTERN, max_length=ID_MAX_CHARS,
                               json_schema_extra={"not": {"enum": sorted(WINDOWS_RESERVED)}},
                               description="stable snake_case id, e.g. jiangyou (at most 64 characters; not a "
                                           "Windows device name such as con or com1)"),
                    AfterValidator(_valid_id)]
DateText = Annotated[str, BeforeValidator(_as_text), Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD")]


class Scope(StrEnum):
    park = "park"          # 园区: the park's own figures
    district = "district"  # 区/县: the host district's figures, linked to the park but never the park's own


class Kind(StrEnum):
    actual = "actual"
    target = "target"


class TargetLevel(StrEnum):
    base = "base"        # the plain target
    stretch = "stretch"  # 力争: the stretch target beside (or instead of) the base one


class Comparator(StrEnum):
    eq = "="
    ge = "≥"   # 以上, 不少于, 不低于, 及以上
    gt = ">"   # 超过, 余
    le = "≤"
    lt = "<"
    approx = "≈"  # 左右, 约, 近


# Editors type these; the loader accepts them and stores the canonical sign.
COMPARATOR_ALIASES = {">=": "≥", "<=": "≤", "~": "≈", "==": "="}


class Basis(StrEnum):
    """What a figure measures, relative to its indicator."""

    level = "level"                    # the indicator's value in the year: a stock, or an annual total
    new_count = "new_count"            # 新增/培育/认定: units added during the year — never compared to a stock
    growth_pct = "growth_pct"          # 增长 X%: change on the previous year, in %
    change_abs = "change_abs"          # 净增 X: absolute change on the previous year
    growth_multiple = "growth_multiple"  # 增长 X 倍
    pct_of_plan = "pct_of_plan"        # 为年度预算的 X%
    share_pct = "share_pct"            # 占比/强度 X%: a ratio, compared in percentage points
    reduction_pct = "reduction_pct"    # 降低 X%: reduction from the baseline year (lower is better)
    pp_change = "pp_change"            # 提高 X 个百分点: change of a ratio on the previous year, in percentage points
    rank = "rank"                      # 进前三: a rank, achieved when rank ≤ N


# The unit a basis implies; None means "one of the indicator's own units".
BASIS_UNIT: dict[Basis, str | None] = {
    Basis.level: None, Basis.new_count: None, Basis.change_abs: None,
    Basis.growth_pct: "%", Basis.pct_of_plan: "%", Basis.share_pct: "%", Basis.reduction_pct: "%",
    Basis.growth_multiple: "倍", Basis.rank: "位", Basis.pp_change: "个百分点",
}


class Direction(StrEnum):
    higher = "higher"  # higher is better
    lower = "lower"    # lower is better (energy intensity, accidents, lead time)


class SourceType(StrEnum):
    plan = "plan"                    # 年度工作要点/工作计划
    summary = "summary"              # 工作总结
    district_plan = "district_plan"  # 区级实施方案/规划
    form = "form"                    # 指标填报表: a form the park filled in (parkmetrics.forms)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Source(_Strict):
    id: SnakeId
    file: str = Field(description="file name of the document in the seeds folder, e.g. 000_ff51679d9d985c33.txt")
    title: str = Field(description="the document's title as printed, e.g. 《2022年工作要点》")
    issuer: str
    date: DateText
    type: SourceType
    park: SnakeId = Field(description="the park the document is about (or, for a district plan, is linked to)")
    scope: Scope
    draft: bool = Field(False, description="true for a 征求意见稿 (draft for comment)")
    note: str | None = None


class Park(_Strict):
    id: SnakeId
    name_zh: str
    name_en: str
    short_name_zh: str | None = Field(None, description="short name for chart axes, e.g. 江油高新区")
    short_name_en: str | None = None
    aliases: list[str] = Field(default_factory=list, description="other names in the documents, e.g. 黔江高新区")
    province: str
    city: str
    county: str
    level: Literal["国家级", "省级", "市级"]
    kind: Literal["高新区", "开发区", "工业园区"]
    established: Annotated[str | None, BeforeValidator(_as_text)] = Field(None, description="year or event of establishment, as the documents state it")
    area_km2: float | None = Field(None, gt=0, description="planned or managed area in km², where a document states it")
    leading_industries: list[str] = Field(default_factory=list)
    industry_system: str | None = Field(None, description="the park's own name for its industry system, e.g. 3+2, 两主两特")
    positioning: str | None = None
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$", description="the park's fixed colour on every chart")
    district_label_zh: str | None = Field(None, description="name of the host district, for district-scope figures")
    district_label_en: str | None = None


class ParksFile(_Strict):
    """parks.yaml: the park profiles and the source documents."""

    parks: list[Park]
    sources: list[Source]


class Indicator(_Strict):
    id: SnakeId
    name_zh: str
    name_en: str
    aliases: list[str] = Field(default_factory=list, description="names the documents use for this indicator")
    unit: str = Field(description="canonical unit for level / new_count / change_abs figures")
    units: list[str] = Field(default_factory=list, description="other accepted units of the same family, e.g. 万元")
    bases: list[Basis] = Field(description="the bases a figure of this indicator may have")
    direction: Direction = Direction.higher
    category: Literal["output", "investment", "fiscal", "enterprises", "projects", "attraction", "innovation",
                      "land", "green", "digital", "ranking", "funding", "party", "safety", "services"]
    description_zh: str = Field(description="口径: what is counted, and how it differs from similar indicators")
    description_en: str | None = None
    parent: SnakeId | None = Field(None, description="indicator this one is a part of; parts sum to the parent")
    subset_of: SnakeId | None = Field(None, description="indicator this one is a subset of; it never exceeds it")

    def allowed_units(self) -> list[str]:
        return [self.unit, *self.units]


class IndicatorsFile(_Strict):
    """data/indicators.yaml: the indicator catalogue."""

    indicators: list[Indicator]


# The observation CSV columns (data/observations/*.csv). Required ones must be in the header.
OBSERVATION_COLUMNS = ["park_id", "scope", "indicator_id", "year", "period", "baseline_year", "kind", "target_level", "value",
                       "unit", "comparator", "basis", "estimate", "approximate", "source", "quote", "note"]
REQUIRED_COLUMNS = ["park_id", "scope", "indicator_id", "year", "kind", "value", "unit", "comparator", "basis",
                    "source", "quote"]
TASK_COLUMNS = ["park_id", "scope", "task_zh", "deadline", "lead", "status", "source", "quote"]
