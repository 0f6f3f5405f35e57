"""Typed, located problems found while loading the data.

Every problem has a stable code (a slug that tests and editors can rely on), a severity, the file, the line
(and column where known), the field, the bad value, and a bilingual message with a hint on how to fix it.
Loading collects every problem before reporting; it never stops at the first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Blocks = Literal["file", "entry", "nothing"]

# Values and details are cut to this many characters in messages: a 5 MB cell or an expanded structure must not
# become a 5 MB problem line.
MAX_VALUE_CHARS = 120


@dataclass(frozen=True)
class Code:
    severity: Severity
    zh: str
    en: str
    hint_zh: str
    hint_en: str
    blocks: Blocks = "entry"  # what an error keeps out: a whole file's content, or the entry (YAML record, CSV row) it is on


def _cut(text: str | None) -> str | None:
    if text is None or len(text) <= MAX_VALUE_CHARS:
        return text
    return text[:MAX_VALUE_CHARS] + f"…(+{len(text) - MAX_VALUE_CHARS:,})"


# The catalogue of problem codes. docs/problems.md documents each one; a test fails when one is undocumented.
CODES: dict[str, Code] = {
    "file-missing": Code("error", "缺少文件", "file is missing",
                         "请创建该文件，或用 --root 指向正确的数据目录", "create the file, or point --root at the data folder", blocks="file"),
    "encoding-unreadable": Code("error", "无法识别的文件编码", "cannot decode the file",
                                "请用 UTF-8 另存该文件（Excel：另存为 → CSV UTF-8）",
                                "save the file as UTF-8 (Excel: Save As → CSV UTF-8)", blocks="file"),
    "encoding-gbk": Code("warning", "文件是 GBK 编码，已按 GBK 读取", "file is GBK-encoded; read as GBK",
                         "请用 UTF-8 另存该文件（Excel：另存为 → CSV UTF-8）",
                         "save the file as UTF-8 (Excel: Save As → CSV UTF-8)", blocks="nothing"),
    "yaml-syntax": Code("error", "YAML 语法错误", "YAML syntax error",
                        "检查缩进（只用空格）、冒号后的空格和引号是否成对",
                        "check indentation (spaces only), the space after each colon, and paired quotes", blocks="file"),
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
                               "add the column to the header row (names in docs/data-format.md)", blocks="file"),
    "unknown-csv-column": Code("warning", "CSV 有未知的列，已忽略", "CSV has an unknown column; ignored",
                               "检查列名拼写，或删除该列", "check the column name's spelling, or remove the column", blocks="nothing"),
    "ragged-row": Code("error", "该行的列数与表头不一致", "row has a different number of cells than the header",
                       "检查该行是否多了或少了逗号；含逗号的文字要加英文双引号",
                       "check for a missing or extra comma; quote text that contains commas", blocks="entry"),
    "not-a-number": Code("error", "数值不是数字", "value is not a number",
                         "只填写阿拉伯数字，如 56.8；单位写在 unit 列", "write digits only, e.g. 56.8; put the unit in the unit column", blocks="entry"),
    "fullwidth-normalised": Code("warning", "全角字符已转换为半角", "full-width characters were normalised",
                                 "请改用半角数字和符号（56.8、%）", "use half-width digits and signs (56.8, %)", blocks="nothing"),
    "thousands-separator": Code("warning", "千位分隔符已去除", "thousands separator removed",
                                "数值不要写千位分隔符：1500 而不是 1,500", "write numbers without separators: 1500, not 1,500", blocks="nothing"),
    "invalid-choice": Code("error", "取值不在允许范围内", "value is not one of the allowed choices",
                           "从允许的取值中选择一个", "use one of the allowed values", blocks="entry"),
    "invalid-period": Code("error", "期间（period）写法不正确", "period is not a known period code",
                           "全年留空；上半年 H1，一季度 Q1，1-9月 M1-M9，3月 M3",
                           "leave it empty for the full year; H1 for 上半年, Q1 for 一季度, M1-M9 for 1-9月, M3 for March"),
    "year-out-of-range": Code("error", "年份超出范围", "year out of range",
                              "年份应在 2000 到 2050 之间，基期年份应早于目标年份",
                              "years run from 2000 to 2050, and a baseline year comes before the target year", blocks="entry"),
    "unit-not-allowed": Code("error", "该指标不允许此单位", "unit not allowed for this indicator",
                             "使用 data/indicators.yaml 中该指标列出的单位", "use a unit the indicator lists in data/indicators.yaml", blocks="entry"),
    "basis-not-allowed": Code("error", "该指标不允许此口径类型（basis）", "basis not allowed for this indicator",
                              "使用该指标在 data/indicators.yaml 中列出的 bases", "use a basis the indicator lists in data/indicators.yaml", blocks="entry"),
    "target-level-mismatch": Code("error", "target_level 与 kind 不一致", "target_level does not fit kind",
                                  "目标（target）填 base 或 stretch；实际值（actual）留空",
                                  "a target takes base or stretch; an actual leaves it empty", blocks="entry"),
    "missing-source": Code("error", "缺少来源文件", "source is missing",
                           "填写 parks.yaml 中的来源 id", "fill in a source id from parks.yaml", blocks="entry"),
    "missing-quote": Code("error", "缺少原文引用", "quote is missing",
                          "从来源文件中原样复制包含该数字的最短语句", "copy the shortest span of the document that holds the figure, verbatim", blocks="entry"),
    "figure-not-in-quote": Code("warning", "引文中找不到该数字", "the figure does not appear in its quote",
                                "检查数值或引文是否抄错", "check the value and the quote for a copying slip", blocks="nothing"),
    "duplicate-observation": Code("error", "重复的观测值（同园区、范围、指标、年份、类型、目标档、口径）",
                                  "duplicate observation (same park, scope, indicator, year, kind, target level, basis)",
                                  "删除重复行，或修正其中一行的年份/口径", "delete the repeat, or correct its year or basis", blocks="entry"),
    "scope-mismatch": Code("warning", "观测值的范围与来源文件的范围不一致", "row scope differs from its source's scope",
                           "区级文件的数字应填 scope=district", "figures from a district document take scope=district", blocks="nothing"),
    "file-unreadable": Code("error", "文件无法读取", "the file cannot be read",
                            "检查文件权限，或它是否被其他程序锁定", "check the file's permissions, or whether another program locks it",
                            blocks="file"),
    "not-a-file": Code("error", "这里应是文件，却是文件夹", "a folder stands where a file should be",
                       "把文件夹改名或移走，放回该文件", "rename or move the folder and put the file back", blocks="file"),
    "not-a-folder": Code("error", "这里应是文件夹，却是文件", "a file stands where a folder should be",
                         "把该文件移走，建立同名文件夹", "move the file away and create the folder", blocks="file"),
    "link-outside-root": Code("error", "链接指向数据目录之外，未读取", "link points outside the data folder; not read",
                              "把文件本身复制到数据目录中，不要用链接", "copy the file itself into the data folder instead of linking to it",
                              blocks="file"),
    "file-too-large": Code("error", "文件过大（上限 64 MiB），未读取", "file too large (limit 64 MiB); not read",
                           "拆分为多个文件（每份来源文件一个 CSV）", "split it into several files (one CSV per source document)",
                           blocks="file"),
    "empty-file": Code("error", "文件为空（或只有注释）", "file is empty (or holds only comments)",
                       "恢复文件内容（见 docs/data-format.md 的示例），或从版本记录中找回",
                       "restore the content (see the example in docs/data-format.md), or recover it from version history",
                       blocks="file"),
    "wrong-shape": Code("error", "文件结构不对：顶层应为映射，各部分应为列表", "wrong structure: the top level must be a mapping of lists",
                        "顶层写 parks:/sources:（或 indicators:），其下每条记录以“- ”开头",
                        "start the file with parks:/sources: (or indicators:), each record below beginning with '- '",
                        blocks="file"),
    "duplicate-section": Code("error", "顶层的键重复，其中一段内容会被整段丢弃", "a top-level key is repeated; one whole section would be lost",
                              "把两段合并到同一个键下", "merge the two sections under one key", blocks="file"),
    "yaml-too-deep": Code("error", "YAML 嵌套过深（上限 32 层），未读取", "YAML nested too deeply (limit 32 levels); not read",
                          "检查是否误粘贴了大段括号或缩进", "look for pasted runs of brackets or indentation", blocks="file"),
    "yaml-alias-limit": Code("error", "YAML 别名（*引用）展开过大（上限 10,000 个节点），未读取",
                             "YAML aliases expand too far (limit 10,000 nodes); not read",
                             "数据文件不需要 & 锚点和 * 别名：直接写出内容", "the data files need no &anchors or *aliases: write the content out",
                             blocks="file"),
    "unbalanced-quote": Code("error", "引号未闭合：该行的英文双引号没有成对", "unbalanced quote: a double quote opened on this line is never closed",
                             "在该单元格末尾补上英文双引号\"，或删除多余的引号；其后的行已照常读取",
                             "close the cell with a double quote \" or remove the stray one; the rows after it were read as usual",
                             blocks="entry"),
    "csv-syntax": Code("error", "CSV 格式错误", "malformed CSV record",
                       "检查该行的引号和逗号", "check the quotes and commas on this line", blocks="entry"),
    "cell-too-large": Code("error", "单元格过长（上限 5,000 字符）", "cell too long (limit 5,000 characters)",
                           "引文只摘包含该数字的最短语句", "quote only the shortest span that holds the figure", blocks="entry"),
    "unit-family-mixed": Code("error", "units 中混有不同类别的单位", "units mix families (e.g. money and counts)",
                              "units 只列与 unit 同类的单位（如 亿元 与 万元）", "list only units of the same family as unit (e.g. 亿元 and 万元)"),
    "negative-value": Code("error", "该口径的数值不能为负（也不能写 -0）", "value cannot be negative for this basis (nor -0)",
                           "数量、新增数、排名、占比填正数；下降请用 reduction_pct 或负的增长率",
                           "counts, new units, ranks and shares are positive; a fall is a reduction_pct or a negative growth",
                           blocks="entry"),
    "unit-disagrees-with-quote": Code("error", "单位与引文中写的单位不一致", "unit disagrees with the unit written in the quote",
                                      "按引文填写单位（引文写 390亿元，unit 就填 亿元）",
                                      "use the unit the quote writes (390亿元 → unit 亿元)", blocks="entry"),
    "blocked-by-file": Code("error", "所依赖的文件无法使用，本文件的行已全部隔离", "rows set aside: a file they depend on cannot be used",
                            "先修复所指的文件（见同一列表中的文件级问题），这些行会自动恢复",
                            "fix the file it names first (see the file-level problem in this list); these rows return by themselves",
                            blocks="entry"),
    "unsafe-id": Code("error", "编号不能用作文件名：过长，或是 Windows 的保留名", "the id cannot name a file: too long, or a "
                      "name Windows reserves", "编号不超过 64 个字符，且不用 con、prn、aux、nul、com1–com9、lpt1–lpt9",
                      "keep ids to 64 characters, and do not use con, prn, aux, nul, com1–com9 or lpt1–lpt9"),
    "control-character": Code("error", "文字中含有控制字符（如 PDF 的分页符、Word 表格的单元格标记）",
                              "text holds a control character (a PDF page break, a Word cell mark…)",
                              "删除该字符（问题值中显示为 ␌、␇ 等符号）；导入页面会自动清除它们。报告、幻灯片和图片无法容纳控制字符",
                              "delete the character (shown as ␌, ␇… in the value); the import page cleans them itself. "
                              "Reports, slides and chart images cannot hold a control character",
                              blocks="entry"),
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
        return cls(code=code, file=file, line=line, column=column, field=_cut(field),
                   value=None if value is None else _cut(str(value)), detail=_cut(detail) or "",
                   severity=CODES[code].severity)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def blocks_file(self) -> bool:
        """An error that keeps a whole file's content out: the root cause of every row that depends on it."""
        return self.is_error and CODES[self.code].blocks == "file"

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


BLOCKS_TEXT = {"file": "the whole file 整个文件", "entry": "its record or row 该记录/行", "nothing": "nothing 不阻断"}


def blocks_text(code: str) -> str:
    """What a problem of this code keeps out: its file, its record or row, or nothing (a warning)."""
    c = CODES[code]
    return BLOCKS_TEXT[c.blocks if c.severity == "error" else "nothing"]


def docs_table() -> str:
    """The code table of docs/problems.md, generated from CODES so the two never disagree."""
    rows = ["| code | severity | blocks | meaning | how to fix |", "| --- | --- | --- | --- | --- |"]
    for code, c in CODES.items():
        rows.append(f"| `{code}` | {c.severity} | {blocks_text(code)} | {c.zh} — {c.en} | {c.hint_zh}；{c.hint_en} |")
    return "\n".join(rows) + "\n"
