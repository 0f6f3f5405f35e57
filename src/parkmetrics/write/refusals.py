"""Why a write is refused: one exception class per reason, each with a message in Chinese and English, and
the editor-mode switch every writer asks first."""
from __future__ import annotations

import errno
import os

from ..loader import OBSERVATIONS_DIR


EDITOR_ENV = "PARKMETRICS_EDITOR"


# --- refusals: one exception class per reason, each with a message in Chinese and English -------------------


class WriteRefused(Exception):
    """A write that was not done. `message_zh` / `message_en` are for the page; str() carries both."""

    def __init__(self, message_zh: str, message_en: str):
        self.message_zh, self.message_en = message_zh, message_en
        super().__init__(f"{message_zh} / {message_en}")


class EditorModeOff(WriteRefused):
    def __init__(self) -> None:
        super().__init__(f"未开启编辑模式：设置环境变量 {EDITOR_ENV}=1 后才能写入数据文件",
                         f"editor mode is off: set {EDITOR_ENV}=1 to write data files")


class SourceExists(WriteRefused):
    def __init__(self, source_id: str) -> None:
        super().__init__(f"parks.yaml 中已有来源 {source_id}；如需替换，请明确选择替换",
                         f"parks.yaml already has a source {source_id}; replace it explicitly to overwrite it")


class ObservationsExist(WriteRefused):
    def __init__(self, rel: str) -> None:
        super().__init__(f"{rel} 已存在；如需覆盖，请明确选择覆盖",
                         f"{rel} already exists; choose to overwrite it explicitly")


class UnsafePath(WriteRefused):
    def __init__(self, rel: str, why_zh: str, why_en: str) -> None:
        super().__init__(f"拒绝写入 {rel}：{why_zh}", f"refusing to write {rel}: {why_en}")


class InvalidInput(WriteRefused):
    pass


class SourceRowsElsewhere(WriteRefused):
    """Saving a source with its rows would leave other rows citing it in other files, which would then count as
    the new document's figures (its title, issuer, date): refused, naming the files, to be moved by hand."""

    def __init__(self, source_id: str, files: list[str]) -> None:
        self.files = files
        names = "、".join(files)
        super().__init__(
            f"{names} 中还有引用来源 {source_id} 的行：保存只会写入 {OBSERVATIONS_DIR}/{source_id}.csv，那些行会被算作"
            f"这份文件的数字。请先把它们移入 {source_id}.csv 或删除，再保存",
            f"{', '.join(files)} also hold rows citing the source {source_id}: saving writes only "
            f"{OBSERVATIONS_DIR}/{source_id}.csv, and those rows would count as this document's figures. Move them "
            f"into {source_id}.csv or delete them first, then save")


class StaleDiff(WriteRefused):
    """The files changed after the diff the editor confirmed was made (another editor saved meanwhile). `changed`
    names them; importing.save adds the new diff (`diff`) and version (`version`) to show instead."""

    def __init__(self, changed: list[str]) -> None:
        self.changed = changed
        self.diff: str | None = None
        self.version: str | None = None
        names = "、".join(changed)
        super().__init__(f"生成差异之后，{names} 已被修改（可能是另一位编辑刚刚保存）：未保存。请查看新的差异后再保存",
                         f"{', '.join(changed)} changed after the diff was made (another editor may just have "
                         "saved): nothing was saved. Review the new diff and save again")


class WriteFailed(WriteRefused, OSError):
    """The operating system refused a write (still an OSError): nothing was written, unless `pending`, in which
    case the save is recorded in the journal and completes at the next recovery."""

    def __init__(self, exc: OSError, files: list[str], *, pending: bool = False) -> None:
        self.pending = pending
        reason = exc.strerror or str(exc) or type(exc).__name__
        names = "、".join(files)
        if pending:
            super().__init__(f"写入 {names} 时出错（{reason}）：保存已记入日志，将在下次保存或载入时完成",
                             f"writing {', '.join(files)} failed ({reason}): the save is recorded in the journal and "
                             "completes at the next save or load")
        else:
            super().__init__(f"写入失败（{reason}）：未写入任何文件，{names} 保持原样",
                             f"the write failed ({reason}): nothing was written; {', '.join(files)} unchanged")


class DiskFull(WriteFailed):
    def __init__(self, exc: OSError, files: list[str]) -> None:
        self.pending = False
        names = "、".join(files)
        WriteRefused.__init__(self, f"磁盘已满：未写入任何文件，{names} 保持原样。请腾出空间后再保存",
                              f"the disk is full: nothing was written; {', '.join(files)} unchanged. Free some "
                              "space and save again")


def _failed(exc: OSError, files: list[str]) -> WriteFailed:
    return DiskFull(exc, files) if exc.errno in (errno.ENOSPC, errno.EDQUOT) else WriteFailed(exc, files)


def editor_mode() -> bool:
    """Writing is allowed only when PARKMETRICS_EDITOR=1 (read at call time, so a test can set it)."""
    return os.environ.get(EDITOR_ENV) == "1"


def _require_editor() -> None:
    if not editor_mode():
        raise EditorModeOff()


class ParkExists(WriteRefused):
    def __init__(self, park_id: str) -> None:
        super().__init__(f"parks.yaml 中已有园区 {park_id}", f"parks.yaml already has a park {park_id}")
