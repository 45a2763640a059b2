"""The words for a consolidated result (core.consolidation.ProposalResult) in the UI language: the
conclusion (grade), the outcome (后续支持 / 整改 / 撤销; for a periodic assessment the award and the
撤并转 path), the award in 万元, the 优秀 cap. Shared by the ranking and the proposal detail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication


def center_type_text(center_type: str) -> str:
    """综合性 / 专业性 / 工程中心 (short, for the ranking table)."""
    names = {"comprehensive": QCoreApplication.translate("ResultTexts", "综合性"),
             "professional": QCoreApplication.translate("ResultTexts", "专业性"),
             "engineering": QCoreApplication.translate("ResultTexts", "工程中心")}
    return names.get(center_type, center_type)





def fmt(value: Decimal | None) -> str:
    return "—" if value is None else format(value, "f")


def t(text: Any, lang: str) -> str:
    """A core.types.Text in `lang`."""
    return str(text.zh if lang.startswith("zh") else text.en)


def veto_pending(r: Any) -> bool:
    return any(f.code == "veto.pending" for f in r.flags)


def conclusion_text(r: Any, lang: str, *, outcome: bool = False) -> str:
    """The conclusion's label (the grade); with `outcome`, its outcome after a semicolon."""
    if r.conclusion_label is not None:
        text = t(r.conclusion_label, lang)
        if outcome and r.outcome is not None and t(r.outcome, lang) != text:
            text += QCoreApplication.translate("ResultTexts", "；%1").replace("%1", t(r.outcome, lang))
        return text
    if veto_pending(r):
        return QCoreApplication.translate("ResultTexts", "待定（否决项待确认）")
    return "—"


def grade_text(r: Any, lang: str) -> str:
    """The conclusion label, marked when the 优秀 cap moved it down."""
    text = conclusion_text(r, lang)
    return QCoreApplication.translate("ResultTexts", "%1（限额调整）").replace("%1", text) if r.capped else text


def capped_note(r: Any, lang: str) -> str:
    """Why the cap moved this proposal (the rank.capped flag), or ''."""
    return next((f.text(lang) for f in r.flags if f.code == "rank.capped"), "")


def outcome_text(r: Any, lang: str) -> str:
    """后续支持 / 整改 / 撤销, or the periodic outcome (award, 撤并转 path); 待定 while a veto waits."""
    if r.outcome is not None:
        return t(r.outcome, lang)
    if veto_pending(r):
        return QCoreApplication.translate("ResultTexts", "待定")
    return "—"


def award_text(award: Decimal | None, lang: str) -> str:
    """奖励 30 万元 (whole 万元, Chinese) / Award 300,000 CNY; '' when there is no award."""
    if award is None or award == 0:
        return ""
    if lang.startswith("zh") and award % 10000 == 0:
        wan = format((award / Decimal(10000)).quantize(Decimal(1)), "f")
        return QCoreApplication.translate("ResultTexts", "奖励 %1 万元").replace("%1", wan)
    return QCoreApplication.translate("ResultTexts", "奖励 %1 元").replace("%1", format(award, ",f"))
