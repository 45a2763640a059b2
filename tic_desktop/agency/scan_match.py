"""Matching scanned paper to signed sheet revisions (issue 15; no Qt, no I/O).

Input: the decoded pages (`agency.scan_decode.DecodedPage`, or pages matched by hand) and the batch's
signed revisions (`Revision`: per expert and `sheet_seq` the content digest, the proposals with a
printed score sheet, and whether it is the revision that counts). Output: one `MatchRow` per scanned
page and one per signed proposal sheet (or missing page of one) without paper, and a `SheetCheck`
per expert and proposal (the checklist).

Statuses of a page:
- `matched` — its code names a proposal of the expert's current revision, with that revision's
  `sheet_seq` and digest;
- `older_revision` — the code is of an earlier revision (the digest or `sheet_seq` differs from the
  revision that counts): the expert must sign the current printout;
- `no_record` — the code reads but there is no such signed sheet (another batch, an expert or
  proposal without a sheet, a revision not imported, a digest no signed revision has);
- `unreadable` — no code of ours could be read (a person matches it by hand, with a reason).

A proposal's sheet is matched when every page 1…n of its current revision is on paper (n from the
codes read); every missing page, or the whole sheet when no page of it was read, is a `no_paper` row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tic_desktop.agency.scan_decode import reason_text
from tic_desktop.formats.page_code import DIGEST_CHARS, PageCode

MATCHED = "matched"
OLDER_REVISION = "older_revision"
NO_RECORD = "no_record"
UNREADABLE = "unreadable"
NO_PAPER = "no_paper"
STATUSES = (MATCHED, OLDER_REVISION, NO_RECORD, UNREADABLE, NO_PAPER)

STATUS_LABELS = {
    MATCHED: ("已匹配", "matched"),
    OLDER_REVISION: ("旧版本纸件", "older revision"),
    NO_RECORD: ("无对应记录", "no record"),
    UNREADABLE: ("无法识别", "unreadable"),
    NO_PAPER: ("缺纸件", "no paper"),
}


@dataclass(frozen=True)
class Revision:
    """One signed sheet revision of the batch."""

    expert_id: str
    sheet_seq: int
    digest: str
    """The full content digest (64 hex)."""
    proposals: tuple[str, ...]
    """The proposals with a printed score sheet (`pdf/<proposal_id>.pdf` in the sheet)."""
    current: bool
    """The revision that counts for this expert."""


@dataclass(frozen=True)
class ScannedPage:
    """A page to match: what was read from it, or what a person said it is."""

    source: str
    """The scan file's name (or path as given)."""
    index: int
    """1-based within its file."""
    code: PageCode | None
    reason: str = ""
    """Why there is no code (scan_decode.REASONS), "" when there is one."""
    scan_sha256: str = ""
    manual: str = ""
    """The reason a person gave when matching this page by hand ("" when read from its code)."""


@dataclass(frozen=True)
class MatchRow:
    page: int | None
    expert_id: str
    proposal_id: str
    sheet_seq: int | None
    status: str
    source_file: str = ""
    page_of: str = ""
    reason: str = ""
    batch_id: str = ""
    digest: str = ""
    scan_sha256: str = ""
    manual: bool = False
    reason_en: str = ""

    def reason_in(self, lang: str) -> str:
        return self.reason if lang.startswith("zh") or not self.reason_en else self.reason_en


@dataclass(frozen=True)
class SheetCheck:
    """The checklist line of one expert and proposal."""

    expert_id: str
    proposal_id: str
    sheet_seq: int | None
    status: str
    """matched, no_paper (none or some pages missing), older_revision (only older paper)."""
    pages_found: tuple[int, ...] = ()
    pages_total: int | None = None
    missing: tuple[int, ...] = ()


@dataclass(frozen=True)
class MatchResult:
    rows: tuple[MatchRow, ...]
    checks: tuple[SheetCheck, ...]

    @property
    def complete(self) -> bool:
        """Every signed record has its paper (the command's exit 0)."""
        return not any(r.status == NO_PAPER for r in self.rows)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for r in self.rows:
            out[r.status] += 1
        return out


def _page_status(code: PageCode, batch_id: str, revisions: Sequence[Revision]) -> tuple[str, str, str]:
    """(status, reason in Chinese, reason in English) of one page's code."""
    if code.batch_id != batch_id:
        return NO_RECORD, f"另一批次 {code.batch_id} 的评分表", f"a sheet of another batch, {code.batch_id}"
    mine = [r for r in revisions if r.expert_id == code.expert_id]
    if not mine:
        return (NO_RECORD, f"专家 {code.expert_id} 没有已签名的评分表",
                f"expert {code.expert_id} has no signed sheet")
    exact = next((r for r in mine if r.sheet_seq == code.sheet_seq and r.digest[:DIGEST_CHARS] == code.digest), None)
    current = next((r for r in mine if r.current), None)
    if exact is not None and exact.current:
        if code.proposal_id is not None and code.proposal_id not in exact.proposals:
            return (NO_RECORD, f"第 {exact.sheet_seq} 版评分表中没有项目 {code.proposal_id} 的评分",
                    f"revision {exact.sheet_seq} has no score sheet of {code.proposal_id}")
        return MATCHED, "", ""
    if current is None:
        return (NO_RECORD, f"专家 {code.expert_id} 的评分表版本存在冲突，尚无有效版本",
                f"expert {code.expert_id}'s revisions are in conflict: none counts yet")
    if exact is not None or code.sheet_seq < current.sheet_seq:
        return (OLDER_REVISION,
                f"纸件为第 {code.sheet_seq} 版，有效版本为第 {current.sheet_seq} 版：请专家在当前打印件上重新签字",
                f"the paper is revision {code.sheet_seq}, the valid one is revision {current.sheet_seq}: the expert "
                "must sign the current printout")
    if code.sheet_seq == current.sheet_seq:
        return (NO_RECORD, f"第 {code.sheet_seq} 版的内容摘要与已签名记录不符",
                f"the digest of revision {code.sheet_seq} differs from the signed record")
    return (NO_RECORD, f"第 {code.sheet_seq} 版尚未导入（已导入的有效版本为第 {current.sheet_seq} 版）",
            f"revision {code.sheet_seq} was not imported (the valid one imported is revision {current.sheet_seq})")


def match(batch_id: str, pages: Iterable[ScannedPage], revisions: Sequence[Revision]) -> MatchResult:
    """Match every page and list every signed proposal sheet without (complete) paper (see the module)."""
    rows: list[MatchRow] = []
    found: dict[tuple[str, str], set[int]] = {}
    totals: dict[tuple[str, str], int] = {}
    whole: set[tuple[str, str]] = set()
    older: set[tuple[str, str]] = set()
    seen: set[tuple[str, str, int | None]] = set()
    for p in pages:
        code = p.code
        if code is None:
            rows.append(MatchRow(p.index, "", "", None, UNREADABLE, p.source, "", reason_text(p.reason), "", "",
                                 p.scan_sha256, reason_en=reason_text(p.reason, "en")))
            continue
        status, reason, reason_en = _page_status(code, batch_id, revisions)
        if p.manual:
            reason = f"人工匹配：{p.manual}" + (f"；{reason}" if reason else "")
            reason_en = f"matched by hand: {p.manual}" + (f"; {reason_en}" if reason_en else "")
        proposal = code.proposal_id or ""
        if status == MATCHED and code.proposal_id is None:
            reason = reason or "承诺书或签名页（无项目）"
            reason_en = reason_en or "the pledge or a signature page (no proposal)"
        if status == MATCHED and code.proposal_id is not None:
            key = (code.expert_id, code.proposal_id)
            if code.page is None:
                whole.add(key)
            else:
                if (key[0], key[1], code.page) in seen:
                    reason = reason or "重复扫描的页"
                    reason_en = reason_en or "a page scanned twice"
                seen.add((key[0], key[1], code.page))
                found.setdefault(key, set()).add(code.page)
                totals[key] = max(totals.get(key, 0), code.pages or 0)
        elif status == OLDER_REVISION and code.proposal_id is not None:
            older.add((code.expert_id, code.proposal_id))
        rows.append(MatchRow(p.index, code.expert_id, proposal, code.sheet_seq, status, p.source, code.page_of,
                             reason, code.batch_id, code.digest, p.scan_sha256, bool(p.manual), reason_en))
    checks: list[SheetCheck] = []
    for rev in sorted((r for r in revisions if r.current), key=lambda r: r.expert_id):
        for pid in sorted(rev.proposals):
            key = (rev.expert_id, pid)
            got = found.get(key, set())
            n = totals.get(key)
            if not got and key not in whole:
                status = OLDER_REVISION if key in older else NO_PAPER
                why, why_en = (("只有旧版本纸件", "only paper of an older revision") if key in older
                               else ("没有纸件", "no paper"))
                rows.append(MatchRow(None, rev.expert_id, pid, rev.sheet_seq, NO_PAPER, "", "", why, batch_id,
                                     rev.digest[:DIGEST_CHARS], reason_en=why_en))
                checks.append(SheetCheck(rev.expert_id, pid, rev.sheet_seq, status))
                continue
            missing = tuple(sorted(set(range(1, (n or 0) + 1)) - got))
            for i in missing:
                rows.append(MatchRow(None, rev.expert_id, pid, rev.sheet_seq, NO_PAPER, "", f"{i}/{n}",
                                     f"缺第 {i} 页（共 {n} 页）", batch_id, rev.digest[:DIGEST_CHARS],
                                     reason_en=f"page {i} of {n} is missing"))
            checks.append(SheetCheck(rev.expert_id, pid, rev.sheet_seq, NO_PAPER if missing else MATCHED,
                                     tuple(sorted(got)), n, missing))
    return MatchResult(tuple(rows), tuple(checks))


def revisions_of(sheets: Iterable[tuple[object, bool]]) -> list[Revision]:
    """`Revision`s of `formats.sheet.Sheet`s, each with whether it is the one that counts."""
    from tic_desktop.formats.sheet import content_digest  # noqa: PLC0415

    out = []
    for sheet, current in sheets:
        proposals = tuple(sorted(m.path[4:-4] for m in sheet.members  # type: ignore[attr-defined]
                                 if m.path.startswith("pdf/") and m.path.endswith(".pdf")))
        out.append(Revision(sheet.expert_id, sheet.sheet_seq, content_digest(sheet),  # type: ignore[attr-defined]
                            proposals, current))
    return out


def source_name(path: Path | str) -> str:
    return Path(path).name
