"""The two tables of 导入评分表: the import log (every attempt, newest last: file, expert, revision,
status with colour and icon, the reason in plain words) and the history of every expert's sheets
(every revision: which one counts, which were superseded, which are in conflict, who is missing).

The reason is the sentence registered for the outcome's code (`core.errors.message`) in the UI
language; technical detail the pipeline added (a decryption error, a fingerprint, `#1 < #2`) is
kept out of the sentence and shown in the tooltip."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QStyle

from tic_desktop.core.errors import message
from tic_desktop.ui.common.table_model import CENTER, LEFT, TableModel

D = Qt.ItemDataRole
STATUS_COLOURS = {
    "accepted": "#2e7d32", "duplicate": "#757575", "older": "#5c6bc0",
    "conflict": "#ef6c00", "unpinned": "#b26a00", "rejected": "#c62828",
}
STATUS_ICONS = {
    "accepted": QStyle.StandardPixmap.SP_DialogApplyButton,
    "duplicate": QStyle.StandardPixmap.SP_FileDialogInfoView,
    "older": QStyle.StandardPixmap.SP_FileDialogDetailedView,
    "conflict": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "unpinned": QStyle.StandardPixmap.SP_MessageBoxQuestion,
    "rejected": QStyle.StandardPixmap.SP_MessageBoxCritical,
}
STATE_COLOURS = {"current": "#2e7d32", "superseded": "#757575", "conflict": "#ef6c00"}


def local_time(iso: str) -> str:
    """An ISO time stamp from the workspace (UTC) as local 'YYYY-MM-DD HH:MM:SS'."""
    try:
        moment = _dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def split_reason(outcome: Any, lang: str) -> tuple[str, str]:
    """(the registered sentence for the outcome's code, the technical detail appended to it)."""
    full = outcome.message(lang)
    if not outcome.code:
        return full, ""
    sentence = message(outcome.code, lang)
    if not full.startswith(sentence):
        return full, ""
    detail = full[len(sentence):].strip()
    if detail[:1] in "（(" and detail[-1:] in "）)":
        detail = detail[1:-1].strip()
    return sentence, detail


class ImportLogTexts(QObject):
    """The tables' words (one translation context for both models)."""

    def status(self, outcome: Any) -> str:
        if outcome.status == "accepted" and outcome.superseded_seq is not None:
            return self.tr("已接受（取代第 %1 版）").replace("%1", str(outcome.superseded_seq))
        return {
            "accepted": self.tr("已接受"), "duplicate": self.tr("重复（已忽略）"),
            "older": self.tr("旧版本（已存档）"), "conflict": self.tr("冲突（待处理）"),
            "unpinned": self.tr("待确认密钥"), "rejected": self.tr("已拒绝"),
        }.get(outcome.status, outcome.status)

    def revision(self, seq: int | None) -> str:
        return self.tr("第 %1 版").replace("%1", str(seq)) if seq is not None else ""

    def conflict_hint(self) -> str:
        return self.tr("请点击“处理冲突…”选择计入汇总的一份。")

    def detail(self, text: str) -> str:
        return self.tr("技术细节：%1").replace("%1", text)

    def state(self, state: str) -> str:
        return {"current": self.tr("计入汇总"), "superseded": self.tr("已被取代（存档）"),
                "conflict": self.tr("冲突（待处理）")}.get(state, state)

    def not_received(self) -> str:
        return self.tr("尚未收到")

    def log_headers(self) -> list[str]:
        return [self.tr("文件"), self.tr("专家"), self.tr("版本"), self.tr("状态"), self.tr("说明")]

    def history_headers(self) -> list[str]:
        return [self.tr("专家"), self.tr("版本"), self.tr("状态"), self.tr("文件"), self.tr("密钥指纹"),
                self.tr("导入时间")]


class ImportLogModel(TableModel):
    """Every import attempt of the batch, newest last."""

    def __init__(self, parent: Any = None) -> None:
        self.texts = ImportLogTexts()
        super().__init__(self.texts.log_headers(), [LEFT, LEFT, CENTER, LEFT, LEFT], parent)

    def explanation(self, outcome: Any, lang: str) -> tuple[str, str]:
        """(the reason shown in the table, its tooltip with the technical detail)."""
        sentence, detail = split_reason(outcome, lang)
        if outcome.status == "conflict":
            sentence += self.texts.conflict_hint()
        return sentence, sentence + ("\n" + self.texts.detail(detail) if detail else "")

    def fill(self, ctx: Any, outcomes: Sequence[Any], style: Any) -> None:
        rows = []
        for o in outcomes:
            colour = QColor(STATUS_COLOURS.get(o.status, "#000000"))
            status = {
                D.DisplayRole: self.texts.status(o), D.ForegroundRole: colour,
                D.DecorationRole: style.standardIcon(STATUS_ICONS.get(o.status,
                                                                      QStyle.StandardPixmap.SP_MessageBoxInformation)),
                D.UserRole: o.status,
            }
            why, tip = self.explanation(o, ctx.lang)
            expert = f"{ctx.expert_name(o.expert_id)}（{o.expert_id}）" if o.expert_id else ""
            rows.append(({D.DisplayRole: o.file_name, D.ToolTipRole: o.path}, expert, self.texts.revision(o.sheet_seq),
                         status, {D.DisplayRole: why, D.ToolTipRole: tip, D.UserRole: o.code,
                                  D.ForegroundRole: colour if o.status == "rejected" else QColor("#333333")}))
        self.set_rows(rows)


class SheetHistoryModel(TableModel):
    """Every stored revision of every expert's sheet (newest first per expert), then who is missing."""

    def __init__(self, parent: Any = None) -> None:
        self.texts = ImportLogTexts()
        super().__init__(self.texts.history_headers(), [LEFT, CENTER, LEFT, LEFT, LEFT, LEFT], parent)

    def fill(self, ctx: Any, records: Sequence[Any], wanted: str = "") -> None:
        rows = []
        received = set()
        for r in sorted(records, key=lambda r: (r.expert_id, -r.sheet_seq, r.imported_at)):
            received.add(r.expert_id)
            if wanted and r.expert_id != wanted:
                continue
            rows.append((f"{ctx.expert_name(r.expert_id)}（{r.expert_id}）", self.texts.revision(r.sheet_seq),
                         {D.DisplayRole: self.texts.state(r.state), D.UserRole: r.state,
                          D.ForegroundRole: QColor(STATE_COLOURS.get(r.state, "#000000"))},
                         r.file_name, r.fingerprint, local_time(r.imported_at)))
        for e in ctx.manifest.experts:
            if e.id not in received and (not wanted or e.id == wanted):
                rows.append((f"{e.name}（{e.id}）", "",
                             {D.DisplayRole: self.texts.not_received(), D.ForegroundRole: QColor("#c62828")},
                             "", "", ""))
        self.set_rows(rows)
