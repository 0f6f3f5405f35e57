"""The reports' labels live in i18n.TEXT (one home for display text), under "report_<key>"; this module only
looks them up for briefing.py and slides.py."""
from __future__ import annotations

from .. import i18n


def t(key: str, lang: str, **fmt: object) -> str:
    """A report label ("report_<key>" in i18n.TEXT), else the page label of the same key."""
    return i18n.t(f"report_{key}" if f"report_{key}" in i18n.TEXT else key, lang, **fmt)


def check_name(code: str, lang: str) -> str:
    return i18n.label(i18n.CHECK, code, lang)


def task_status(code: str, lang: str) -> str:
    return i18n.label(i18n.TASK_STATUS, code, lang)
