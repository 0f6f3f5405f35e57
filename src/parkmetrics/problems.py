"""Typed, located problems found while loading the data.

Every problem has a stable code (a slug that tests and editors can rely on), a severity, the file, the line
(and column where known), the field, the bad value, and a bilingual message with a hint on how to fix it.
Loading collects every problem before reporting; it never stops at the first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Code:
    severity: Severity
    zh: str
    en: str
    hint_zh: str
    hint_en: str


# The catalogue of problem codes. docs/problems.md documents each one; a test fails when one is undocumented.
CODES: dict[str, Code] = {
    "file-missing": Code("error", "缺少文件", "file is missing",
                         "请创建该文件，或用 --root 指向正确的数据目录", "create the file, or point --root at the data folder"),
    "encoding-unreadable": Code("error", "无法识别的文件编码", "cannot decode the file",
                                "请用 UTF-8 另存该文件（Excel：另存为 → CSV UTF-8）",
                                "save the file as UTF-8 (Excel: Save As → CSV UTF-8)"),
    "encoding-gbk": Code("warning", "文件是 GBK 编码，已按 GBK 读取", "file is GBK-encoded; read as GBK",
                         "请用 UTF-8 另存该文件（Excel：另存为 → CSV UTF-8）",
                         "save the file as UTF-8 (Excel: Save As → CSV UTF-8)"),
    "yaml-syntax": Code("error", "YAML 语法错误", "YAML syntax error",
                        "检查缩进（只用空格）、冒号后的空格和引号是否成对",
                        "check indentation (spaces only), the space after each colon, and paired quotes"),
    "duplicate-key": Code("error", "同一层级出现重复的键", "duplicate key in the same mapping",
                          "删除或合并重复的键；YAML 会悄悄只保留最后一个",
                          "remove or merge the repeated key; YAML would silently keep only the last one"),
    "missing-field": Code("error", "缺少必填字段", "required field is missing",
                          "补上该字段（见 docs/data-format.md 中的示例）",
                          "add the field (see the example in docs/data-format.md)"),
    "unknown-field": Code("error", "未知字段", "unknown field",
                          "检查字段名拼写（见 docs/data-format.md）", "check the field name's spelling (docs/data-format.md)"),
    "wrong-type": Code("error", "字段类型或取值不正确", "wrong type or value",
                       "按 docs/data-format.md 填写该字段", "fill the field as docs/data-format.md describes"),
    "duplicate-id": Code("error", "ID 重复", "duplicate id",
                         "每个 id 只能出现一次；改名或删除重复的记录", "each id must appear once; rename or remove the repeat"),
    "unknown-park": Code("error", "引用了不存在的园区", "unknown park",
                         "使用 parks.yaml 中已有的园区 id", "use a park id defined in parks.yaml"),
    "unknown-indicator": Code("error", "引用了不存在的指标", "unknown indicator",
                              "使用 data/indicators.yaml 中已有的指标 id，或先在其中新增该指标",
                              "use an indicator id from data/indicators.yaml, or add the indicator there first"),
    "unknown-source": Code("error", "引用了不存在的来源文件", "unknown source document",
                           "使用 parks.yaml 的 sources 中已有的来源 id", "use a source id listed under sources in parks.yaml"),
    "missing-csv-column": Code("error", "CSV 缺少必需的列", "CSV is missing a required column",
                               "在表头加上该列（列名见 docs/data-format.md）",
                               "add the column to the header row (names in docs/data-format.md)"),
    "unknown-csv-column": Code("warning", "CSV 有未知的列，已忽略", "CSV has an unknown column; ignored",
                               "检查列名拼写，或删除该列", "check the column name's spelling, or remove the column"),
    "ragged-row": Code("error", "该行的列数与表头不一致", "row has a different number of cells than the header",
                       "检查该行是否多了或少了逗号；含逗号的文字要加英文双引号",
                       "check for a missing or extra comma; quote text that contains commas"),
    "not-a-number": Code("error", "数值不是数字", "value is not a number",
                         "只填写阿拉伯数字，如 56.8；单位写在 unit 列", "write digits only, e.g. 56.8; put the unit in the unit column"),
    "fullwidth-normalised": Code("warning", "全角字符已转换为半角", "full-width characters were normalised",
                                 "请改用半角数字和符号（56.8、%）", "use half-width digits and signs (56.8, %)"),
    "thousands-separator": Code("warning", "千位分隔符已去除", "thousands separator removed",
                                "数值不要写千位分隔符：1500 而不是 1,500", "write numbers without separators: 1500, not 1,500"),
    "invalid-choice": Code("error", "取值不在允许范围内", "value is not one of the allowed choices",
                           "从允许的取值中选择一个", "use one of the allowed values"),
    "year-out-of-range": Code("error", "年份超出范围", "year out of range",
                              "年份应在 2000 到 2050 之间，基期年份应早于目标年份",
                              "years run from 2000 to 2050, and a baseline year comes before the target year"),
    "unit-not-allowed": Code("error", "该指标不允许此单位", "unit not allowed for this indicator",
                             "使用 data/indicators.yaml 中该指标列出的单位", "use a unit the indicator lists in data/indicators.yaml"),
    "basis-not-allowed": Code("error", "该指标不允许此口径类型（basis）", "basis not allowed for this indicator",
                              "使用该指标在 data/indicators.yaml 中列出的 bases", "use a basis the indicator lists in data/indicators.yaml"),
    "target-level-mismatch": Code("error", "target_level 与 kind 不一致", "target_level does not fit kind",
                                  "目标（target）填 base 或 stretch；实际值（actual）留空",
                                  "a target takes base or stretch; an actual leaves it empty"),
    "missing-source": Code("error", "缺少来源文件", "source is missing",
                           "填写 parks.yaml 中的来源 id", "fill in a source id from parks.yaml"),
    "missing-quote": Code("error", "缺少原文引用", "quote is missing",
                          "从来源文件中原样复制包含该数字的最短语句", "copy the shortest span of the document that holds the figure, verbatim"),
    "figure-not-in-quote": Code("warning", "引文中找不到该数字", "the figure does not appear in its quote",
                                "检查数值或引文是否抄错", "check the value and the quote for a copying slip"),
    "duplicate-observation": Code("error", "重复的观测值（同园区、范围、指标、年份、类型、目标档、口径）",
                                  "duplicate observation (same park, scope, indicator, year, kind, target level, basis)",
                                  "删除重复行，或修正其中一行的年份/口径", "delete the repeat, or correct its year or basis"),
    "scope-mismatch": Code("warning", "观测值的范围与来源文件的范围不一致", "row scope differs from its source's scope",
                           "区级文件的数字应填 scope=district", "figures from a district document take scope=district"),
}


@dataclass(frozen=True)
class Problem:
    code: str
    file: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    value: str | None = None
    detail: str = ""
    severity: Severity = "error"

    @classmethod
    def of(cls, code: str, file: str, line: int | None = None, *, column: int | None = None,
           field: str | None = None, value: object = None, detail: str = "") -> "Problem":
        if code not in CODES:
            raise KeyError(f"undocumented problem code {code!r}")
        return cls(code=code, file=file, line=line, column=column, field=field,
                   value=None if value is None else str(value), detail=detail, severity=CODES[code].severity)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def message(self, lang: str = "zh") -> str:
        """Chinese first with the English beside it (lang='zh'), or English only (lang='en')."""
        c = CODES[self.code]
        where = f"「{self.field}」" if self.field else ""
        got = f" = {self.value!r}" if self.value not in (None, "") else ""
        extra = f" ({self.detail})" if self.detail else ""
        if lang == "en":
            return f"{c.en}{' in ' + repr(self.field) if self.field else ''}{got}{extra}. Hint: {c.hint_en}"
        return f"{where}{c.zh}{got}{extra}。提示：{c.hint_zh} | {c.en}. Hint: {c.hint_en}"

    def location(self) -> str:
        loc = self.file
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc

    def format(self, lang: str = "zh") -> str:
        """`FILE:LINE: severity code: message` — one line, as editors and CI logs expect."""
        return f"{self.location()}: {self.severity} {self.code}: {self.message(lang)}"

    def as_dict(self) -> dict[str, object]:
        return {"severity": self.severity, "code": self.code, "file": self.file, "line": self.line,
                "column": self.column, "field": self.field, "value": self.value,
                "message_zh": self.message("zh"), "message_en": self.message("en")}
