"""Control characters: text that the reports cannot carry (a form feed, a bell) is a problem where it is read."""
from __future__ import annotations

import re

from ..problems import Problem
from ..yamlfile import LineDict, line_of


# --- control characters: text that the reports cannot carry --------------------------------------------------
# The C0 controls other than tab, line feed and carriage return: XML 1.0 has no place for them, so the Word
# briefing, the slides and the chart images refuse a text holding one ("All strings must be XML compatible",
# plotly.js error 525). pdftotext writes \f between pages; Word ends a table cell with \x07. The import page
# cleans them (importing.clean_text); anywhere else they are a located error and the row or record is set aside.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_BYTES = bytes(c for c in range(32) if c not in (9, 10, 13))


def shown_controls(text: str) -> str:
    """`text` with each control character drawn as its Unicode control picture (\f → ␌), safe to show anywhere."""
    return CONTROL_CHARS.sub(lambda m: chr(0x2400 + ord(m.group())), text)


def control_problem(rel: str, line: int | None, fld: str | None, text: str) -> Problem | None:
    """A control-character problem for `text` (the first control character named by its code point), or None."""
    m = CONTROL_CHARS.search(text)
    if m is None:
        return None
    return Problem.of("control-character", rel, line, field=fld, value=shown_controls(text),
                      detail=f"U+{ord(m.group()):04X} at character {m.start() + 1}")


def _control_row(header: list[str], cells: list[str], rel: str, line: int) -> list[Problem]:
    """One control-character problem per cell of a CSV row that holds one."""
    out = []
    for i, cell in enumerate(cells):
        p = control_problem(rel, line, header[i] if i < len(header) else None, cell)
        if p is not None:
            out.append(p)
    return out


def _control_record(item: object, section: str, i: int, data: LineDict, rel: str) -> list[Problem]:
    """One control-character problem per text of a YAML record (a field, or an item of a list field) that holds one."""
    if not isinstance(item, dict):
        return []
    out = []
    for key, value in item.items():
        texts = [((key,), value)] if not isinstance(value, list) else [((key, j), v) for j, v in enumerate(value)]
        for loc, text in texts:
            if isinstance(text, str) and CONTROL_CHARS.search(text):   # the line is looked up for a problem only
                out.append(control_problem(rel, line_of(data, (section, i, *loc)), ".".join(map(str, loc)), text))
    return out
