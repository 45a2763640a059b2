"""The batch source folder's experts table (专家): the panel, its chair(s), panels (专家组), who
scores what and the enrolled keys (formats.source reads the folder; layout in docs/contracts.md)."""

from __future__ import annotations

import re

from tic_desktop.formats import table as tb
from tic_desktop.formats.manifest import Expert
from tic_desktop.formats.source_proposals import INCONSISTENT, UNKNOWN_REF, ProposalRow
from tic_desktop.formats.table import BAD_VALUE, DUPLICATE

EXPERT_COLS = (tb.Col("expert_id", ("专家编号", "编号")), tb.Col("name", ("姓名",)), tb.Col("unit", ("单位",), required=False),
               tb.Col("title", ("职称",), required=False), tb.Col("role", ("角色",)), tb.Col("chair", ("组长",), required=False),
               tb.Col("assigned", ("评审项目",)), tb.Col("known_conflicts", ("回避项目",), required=False),
               tb.Col("panel", ("专家组",), required=False), tb.Col("key_fingerprint", ("密钥指纹",), required=False))


def read_experts(t: tb.Table, proposals: dict[str, ProposalRow]) -> tuple[list[Expert], dict[str, str]]:
    """The experts, and expert id → panel (专家组) when the column is filled (all rows or none)."""
    tb.bind(t, EXPERT_COLS)
    experts: list[Expert] = []
    rows: dict[str, int] = {}
    chairs: list[int] = []
    panels: dict[str, str] = {}
    panel_rows: dict[str, int] = {}
    keys: dict[str, int] = {}
    for n, row in t.rows:
        eid = tb.ident(t, n, "expert_id", t.cell(row, "expert_id"))
        if eid in rows:
            raise t.error(DUPLICATE, n, "expert_id", f"专家编号“{eid}”与第 {rows[eid]} 行重复", f"expert id “{eid}” repeats row {rows[eid]}")
        rows[eid] = n
        role = tb.choice(t, n, "role", t.cell(row, "role"), tb.ROLES, "技术/财务/管理", "technical/finance/management")
        chair = tb.boolean(t, n, "chair", t.cell(row, "chair"), False)
        if chair:
            chairs.append(n)
        panel = tb.text(t, n, "panel", t.cell(row, "panel"), required=False, limit=40)
        if panel:
            panels[eid] = panel
            panel_rows[eid] = n
        assigned_text = t.cell(row, "assigned")
        assigned = list(proposals) if assigned_text == "*" else tb.ids(t, n, "assigned", assigned_text)
        if not assigned:
            raise t.error(BAD_VALUE, n, "assigned", "不能为空；填 * 表示评审全部项目", "must not be empty; use * for every proposal")
        conflicts = tb.ids(t, n, "known_conflicts", t.cell(row, "known_conflicts"))
        for key, ids in (("assigned", assigned), ("known_conflicts", conflicts)):
            for pid in ids:
                if pid not in proposals:
                    raise t.error(UNKNOWN_REF, n, key, f"编号“{pid}”不在申报项目表中", f"“{pid}” is not in the proposals table")
        fingerprint = _key_fingerprint(t, n, t.cell(row, "key_fingerprint"), keys)
        experts.append(Expert(id=eid, name=tb.text(t, n, "name", t.cell(row, "name"), limit=100),
                              unit=tb.text(t, n, "unit", t.cell(row, "unit"), required=False),
                              title=tb.text(t, n, "title", t.cell(row, "title"), required=False, limit=100),
                              role=role, chair=chair, assigned=tuple(assigned), known_conflicts=tuple(conflicts),  # type: ignore[arg-type]
                              key_fingerprint=fingerprint))
    if not experts:
        raise tb.fail(BAD_VALUE, f"{t.label_zh}：没有任何专家", f"{t.label_en}: no experts")
    if panels:
        _check_panels(t, experts, panels, rows, proposals)
        return experts, panels
    if len(chairs) != 1:
        where = "、".join(str(c) for c in chairs) or "无"
        raise tb.fail(INCONSISTENT, f"{t.label_zh}「组长」列：应恰好有一位组长（现为第 {where} 行）",
                    f"{t.label_en}, column “chair”: exactly one expert must be the chair (rows: {where})")
    _check_coverage(t, experts, proposals)
    return experts, panels


def _key_fingerprint(t: tb.Table, n: int, v: str, seen: dict[str, int]) -> str | None:
    """The optional 密钥指纹 column: the expert's enrolled key as `ssh-keygen -l` prints it (spaces
    allowed, as on the enrolment sheet); one key belongs to one expert."""
    compact = re.sub(r"\s+", "", v or "")
    if not compact:
        return None
    if compact[:7].upper() == "SHA256:":
        compact = "SHA256:" + compact[7:]
    if not re.fullmatch(r"SHA256:[A-Za-z0-9+/]{43}", compact):
        raise t.error(BAD_VALUE, n, "key_fingerprint", "应为 SHA256: 加 43 个字符（照密钥登记表填写）",
                      "must be SHA256: and 43 characters (as on the enrolment sheet)")
    if compact in seen:
        raise t.error(DUPLICATE, n, "key_fingerprint", f"与第 {seen[compact]} 行是同一把密钥：一把密钥只属于一位专家",
                      f"the same key as row {seen[compact]}: a key belongs to one expert")
    seen[compact] = n
    return compact


def _check_coverage(t: tb.Table, experts: list[Expert], proposals: dict[str, ProposalRow]) -> None:
    for pid, p in proposals.items():
        if not any(pid in e.assigned and pid not in e.known_conflicts for e in experts):
            raise tb.fail(INCONSISTENT, f"{t.label_zh}：申报项目“{pid}”（proposals 第 {p.row} 行）没有分配任何可评审的专家",
                        f"{t.label_en}: proposal “{pid}” (proposals row {p.row}) has no expert who can score it")


def _check_panels(t: tb.Table, experts: list[Expert], panels: dict[str, str], rows: dict[str, int],
                  proposals: dict[str, ProposalRow]) -> None:
    """With a 专家组 column: every expert in a panel, one chair per panel, each proposal in one panel."""
    for e in experts:
        if e.id not in panels:
            raise t.error(BAD_VALUE, rows[e.id], "panel", "填写了专家组时，每位专家都要填写所属专家组",
                          "when panels are given, every expert needs one")
    for panel in dict.fromkeys(panels.values()):
        members = [e for e in experts if panels[e.id] == panel]
        chairs = [rows[e.id] for e in members if e.chair]
        if len(chairs) != 1:
            where = "、".join(str(c) for c in chairs) or "无"
            raise tb.fail(INCONSISTENT, f"{t.label_zh}：专家组“{panel}”应恰好有一位组长（现为第 {where} 行）",
                        f"{t.label_en}: panel “{panel}” needs exactly one chair (rows: {where})")
    for pid, p in proposals.items():
        owners = sorted({panels[e.id] for e in experts if pid in e.assigned})
        if len(owners) > 1:
            raise tb.fail(INCONSISTENT, f"{t.label_zh}：申报项目“{pid}”（proposals 第 {p.row} 行）分给了多个专家组（{'、'.join(owners)}）",
                        f"{t.label_en}: proposal “{pid}” (proposals row {p.row}) is assigned to several panels "
                        f"({', '.join(owners)})")
    _check_coverage(t, experts, proposals)
