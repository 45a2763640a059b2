"""What the score-sheet import says about each file (`agency.importer`): its outcome, the codes of the
refusals the import itself makes (the sheet's own checks are `formats.sheet_checks`' codes) and the
sentences of an acceptance."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tic_desktop.agency.records import Chain, ImportStatus
from tic_desktop.core.errors import Rejected, register

DUPLICATE = register(
    "import.duplicate", "该评分表已导入过（内容完全相同），本次未做任何改动。",
    "This score sheet was imported before (identical content); nothing changed.",
)
IS_BATCH = register(
    "import.is_batch",
    "这是评审批次文件（.ticbatch），不是专家评分表。请导入专家返回的评分表文件（.ticsheet）。",
    "This is a batch file (.ticbatch), not an expert's score sheet. Import the score sheets (.ticsheet) the "
    "experts returned.",
)
KEY_OF_OTHER_EXPERT = register(
    "sheet.key_of_other_expert",
    "评分表的签名密钥已登记给另一位专家。一把密钥只属于一位专家，这份评分表可能是冒名签署的。已拒收；请电话联系两位专家核实。",
    "The sheet is signed with a key enrolled for another expert. A key belongs to exactly one expert, so the sheet "
    "may have been signed in someone else's name. It was refused; call both experts to check.",
)
KEY_REVOKED = register(
    "sheet.key_revoked",
    "评分表的签名密钥已被吊销或轮换，不再有效。已拒收；请让该专家用新登记的密钥重新签名导出。",
    "The sheet is signed with a key that was revoked or rotated and is no longer valid. It was refused; ask the "
    "expert to sign and export again with the newly enrolled key.",
)
UNREADABLE = register(
    "import.unreadable", "无法读取该文件。请检查文件是否存在、是否有读取权限。",
    "The file cannot be read. Check that it exists and that you may read it.",
)


@dataclass(frozen=True)
class ImportOutcome:
    path: str
    file_name: str
    status: ImportStatus
    code: str | None
    message_zh: str
    message_en: str
    expert_id: str | None
    sheet_seq: int | None
    fingerprint: str | None
    sheet_sha256: str | None
    superseded_seq: int | None = None

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang.startswith("zh") else self.message_en

    @property
    def counted(self) -> bool:
        """Stored and not an error for the user: accepted, duplicate or older."""
        return self.status in ("accepted", "duplicate", "older")


def accepted_text(expert_id: str, seq: int, superseded: int | None, chain: Chain) -> tuple[str, str]:
    zh, en = f"已接收：专家 {expert_id} 第 {seq} 版", f"Accepted: expert {expert_id}, revision {seq}"
    if superseded is not None:
        zh += f"，替代第 {superseded} 版（旧版保留在历史记录中）"
        en += f", replacing revision {superseded} (kept in the history)"
    if chain == "gap":
        zh += "；其间的版本未收到"
        en += "; the revisions in between were not received"
    return zh + "。", en + "."


def rejection(code: str, detail: str = "") -> tuple[str, str]:
    err = Rejected(code, detail)
    return err.text("zh"), err.text("en")


def looks_like_batch(path: Path, raw: bytes) -> bool:
    """A refused file that is a batch: named .ticbatch, or a plain ZIP whose central directory (at
    the end) names the batch manifest. Only used to explain a refusal, never to accept anything."""
    if path.suffix.lower() == ".ticbatch":
        return True
    return raw.startswith(b"PK\x03\x04") and b"manifest.json.sig" in raw[-65536:]
