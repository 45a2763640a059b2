"""How an expert is named on screen: 张三（技术专家，专家组组长）. No dialog, so the main window can
use it without importing the identity dialog and its generated form at start."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def role_text(role: str, chair: bool = False) -> str:
    names = {
        "technical": QCoreApplication.translate("roles", "技术专家"),
        "finance": QCoreApplication.translate("roles", "财务专家"),
        "management": QCoreApplication.translate("roles", "管理专家"),
    }
    text = names.get(role, role)
    return text + (QCoreApplication.translate("roles", "，专家组组长") if chair else "")


def person_text(name: str, role: str, chair: bool = False) -> str:
    """张三（技术专家） / 张三 (technical expert)."""
    pattern = QCoreApplication.translate("roles", "%1（%2）")
    return pattern.replace("%1", name).replace("%2", role_text(role, chair))
