"""`tic-desktop simulate`: signed score sheets as if every expert of a batch had scored in the app.

For rehearsals, training and load tests. Each expert gets a fresh key (Ed25519 + age), a private
workspace in a temporary folder and an `ExpertSession` that walks the app's steps: accept the
batch (pin the agency), choose the expert, accept the pledge, declare conflicts (the manifest's
known conflicts plus `conflict` rows of the --scores CSV), open every document, enter seeded,
realistic scores that satisfy the form (required comments, screening answers, overall fields,
the conclusion of the band the total falls in), then `expert.sheet_export.export_sheet` — the same
three steps as the review dialog's Sign button (`prepare_export`, `write_export`, `record_export`;
the dialog runs the middle one in a worker thread, here all three run in a row). Writes DIR/<expert_id>.ticsheet, the public keys
(DIR/keys/<expert_id>.pub and .pem) and DIR/allowed_signers.
"""

from __future__ import annotations

import csv
import random
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.errors import Rejected, message, register
from tic_desktop.core.scoring import evaluate
from tic_desktop.expert.keys import ExpertKey
from tic_desktop.expert.session import ConflictDeclaration, ExpertSession
from tic_desktop.expert.sheet_export import ExportResult, export_sheet
from tic_desktop.formats import sheet as sheetfmt
from tic_desktop.formats.batch import read_batch
from tic_desktop.formats.demo_key import is_demo_agency_fingerprint

BAD_SCORES = register(
    "simulate.bad_scores", "评分 CSV 文件有误，请按提示修改。", "The scores CSV has a mistake; correct it as shown.",
)

COMMENTS_LOW = (
    "论证不够充分，{label}方面的数据支撑不足，建议补充近三年的具体材料。",
    "{label}的描述较笼统，缺少可考核的量化指标。",
    "{label}与建设目标的衔接不够紧密，需进一步细化实施路径。",
)
COMMENTS_HIGH = (
    "{label}方面基础扎实，材料翔实，论证充分。",
    "{label}目标明确、措施具体，具有示范带动作用。",
)
COMMENTS_NA = ("本项目不涉及{label}，按不适用处理。",)
PROBLEMS = (
    "部分建设目标量化不足，年度分解不够清晰；产学研协同机制的具体安排有待细化。",
    "研发投入结构中设备购置占比偏高，人才引进计划的落实措施不够具体。",
    "成果转化路径论述较为笼统，与天津市重点产业链的衔接需进一步加强。",
)
SUGGESTIONS = (
    "建议进一步明确 3 年考核指标的年度分解，完善共建单位之间的利益分配和知识产权管理机制。",
    "建议压缩一般性设备购置，加大关键共性技术攻关和中试平台建设投入。",
    "建议细化成果转化和企业孵化的具体路径，明确责任主体和时间节点。",
)


@dataclass
class ScoresPlan:
    """From the --scores CSV: fixed scores per (expert, proposal) as {(form_id, criterion_id): score}, and conflicts."""

    scores: dict[tuple[str, str], dict[tuple[str, str], str]] = field(default_factory=dict)
    conflicts: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class ScoresProblem(Rejected):
    """A mistake in the --scores CSV; the detail names file, row and column, in both languages."""

    detail_en: str = ""

    def text(self, lang: str = "zh") -> str:
        if lang.startswith("zh") or not self.detail_en:
            return super().text(lang)
        return f"{message(self.code, lang)} ({self.detail_en})"


SCORE_COLUMNS = ("expert_id", "proposal_id", "criterion_id", "score")
OPTIONAL_COLUMNS = ("form_id",)
NA_VALUES = ("na", "n/a", "不适用")


def _problem(path: Path, row: int | None, column: str | None, zh: str, en: str) -> ScoresProblem:
    if row is None:
        return ScoresProblem(BAD_SCORES, f"{path}：{zh}", f"{path}: {en}")
    if column is None:
        return ScoresProblem(BAD_SCORES, f"{path} 第 {row} 行：{zh}", f"{path}, row {row}: {en}")
    return ScoresProblem(BAD_SCORES, f"{path} 第 {row} 行「{column}」列：{zh}",
                         f"{path}, row {row}, column {column}: {en}")


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def read_scores_csv(path: Path, opened: Any) -> ScoresPlan:
    """Columns expert_id,proposal_id,criterion_id,score[,form_id]; `criterion_id=*` with `score=conflict`
    declares a conflict.

    Every row is checked against the batch: a known expert, a proposal assigned to that expert, a
    criterion of one of the proposal's forms (form_id is required when the id is in more than one of
    them, as 1.1–4.2 are in a feasibility batch), scored by the expert's role, and a score that is a
    finite number from 0 to the criterion's max in the form's step (or NA where the form allows it; in a
    batch of format 1.1 only for the items the agency set not applicable, which cannot be scored).
    The first mistake raises a one-line ScoresProblem naming file, row and column."""
    path = Path(path)
    plan = ScoresPlan()
    first_score_row: dict[tuple[str, str], int] = {}
    seen: dict[tuple[str, str, str, str], int] = {}
    experts = {e.id: e for e in opened.manifest.experts}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in SCORE_COLUMNS if c not in header]
        if missing:
            raise _problem(path, 1, None, f"缺少列 {', '.join(missing)}（列应为 {','.join(SCORE_COLUMNS)}[,form_id]）",
                           f"missing column {', '.join(missing)} (columns: {','.join(SCORE_COLUMNS)}[,form_id])")
        for h in header:
            if h not in SCORE_COLUMNS + OPTIONAL_COLUMNS or header.count(h) > 1:
                why_zh, why_en = ("列名重复", "repeated column") if h in SCORE_COLUMNS + OPTIONAL_COLUMNS else (
                    f"未知列名，应为 {','.join(SCORE_COLUMNS + OPTIONAL_COLUMNS)} 之一",
                    f"unknown column, expected one of {','.join(SCORE_COLUMNS + OPTIONAL_COLUMNS)}")
                raise _problem(path, 1, h or "?", why_zh, why_en)
        for cells in reader:
            n = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                raise _problem(path, n, None, f"有 {len(cells)} 个值，但只有 {len(header)} 列",
                               f"{len(cells)} values but only {len(header)} columns")
            row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
            eid, pid, cid, score = row["expert_id"], row["proposal_id"], row["criterion_id"], row["score"]
            fid = row.get("form_id", "")
            expert = experts.get(eid)
            if expert is None:
                raise _problem(path, n, "expert_id", f"批次中没有专家 “{eid}”", f"unknown expert {eid!r}")
            if pid not in opened.proposals:
                raise _problem(path, n, "proposal_id", f"批次中没有项目 “{pid}”", f"unknown proposal {pid!r}")
            if expert.assigned and pid not in expert.assigned:
                raise _problem(path, n, "proposal_id", f"项目 {pid} 未分配给专家 {eid}",
                               f"proposal {pid} is not assigned to expert {eid}")
            if cid == "*":
                if score.lower() != "conflict":
                    raise _problem(path, n, "score", "criterion_id 为 * 时 score 须为 conflict（回避）",
                                   "criterion * needs score=conflict")
                if fid:
                    raise _problem(path, n, "form_id", "回避行不填 form_id", "a conflict row has no form_id")
                plan.conflicts.add((eid, pid))
                continue
            forms = [opened.forms[f] for f in opened.proposals[pid].forms if f in opened.forms]
            if fid:
                form = next((f for f in forms if f.id == fid), None)
                if form is None:
                    names = ", ".join(f.id for f in forms)
                    raise _problem(path, n, "form_id", f"项目 {pid} 没有评分表 “{fid}”（可选：{names}）",
                                   f"proposal {pid} has no form {fid!r} (its forms: {names})")
                if cid not in {c.id for c in form.criteria}:
                    raise _problem(path, n, "criterion_id", f"评分表 {fid} 没有指标 “{cid}”",
                                   f"form {fid} has no criterion {cid!r}")
            else:
                having = [f for f in forms if cid in {c.id for c in f.criteria}]
                if not having:
                    raise _problem(path, n, "criterion_id", f"项目 {pid} 没有指标 “{cid}”",
                                   f"proposal {pid} has no criterion {cid!r}")
                if len(having) > 1:
                    names = ", ".join(f.id for f in having)
                    raise _problem(path, n, "criterion_id",
                                   f"指标 {cid} 同时出现在评分表 {names} 中，请在 form_id 列注明是哪一个",
                                   f"criterion {cid} is in forms {names}; say which one in a form_id column")
                form = having[0]
            crit = form.criterion(cid)
            if crit.roles and expert.role not in crit.roles:
                raise _problem(path, n, "criterion_id", f"专家 {eid}（{expert.role}）不评评分表 {form.id} 的指标 {cid}",
                               f"expert {eid} ({expert.role}) does not score criterion {cid} of form {form.id}")
            fixed_na = None if opened.manifest.experts_mark_na else opened.proposals[pid].not_applicable_for(form.id)
            if score.lower() in NA_VALUES:
                if fixed_na is not None and cid not in fixed_na:
                    raise _problem(path, n, "score", f"项目 {pid} 评分表 {form.id} 的指标 {cid} 不是机构确定的不适用项"
                                   "（不适用只能由机构在批次源文件中确定）",
                                   f"criterion {cid} of form {form.id} is not one the agency set not applicable for "
                                   f"{pid} (only the agency decides, in the batch source)")
                if not crit.na_allowed:
                    raise _problem(path, n, "score", f"评分表 {form.id} 的指标 {cid} 不允许“不适用”",
                                   f"criterion {cid} of form {form.id} cannot be not applicable")
            else:
                if fixed_na is not None and cid in fixed_na:
                    raise _problem(path, n, "score", f"机构已确定项目 {pid} 评分表 {form.id} 的指标 {cid} 不适用，不能给分",
                                   f"the agency set criterion {cid} of form {form.id} not applicable for {pid}; "
                                   "it cannot be scored")
                try:
                    value = Decimal(score)
                except InvalidOperation:
                    value = None
                if value is None or not value.is_finite():
                    raise _problem(path, n, "score", f"得分 “{score}” 不是有效数字", f"score {score!r} is not a number")
                if value < 0 or value > crit.max:
                    raise _problem(path, n, "score", f"得分 {score} 超出评分表 {form.id} 指标 {cid} 的范围 0–{_num(crit.max)}",
                                   f"score {score} is outside 0–{_num(crit.max)} for criterion {cid} of form {form.id}")
                if value % form.step != 0:
                    raise _problem(path, n, "score", f"得分 {score} 不是 {_num(form.step)} 分的整数倍（评分表 {form.id}）",
                                   f"score {score} is not a multiple of {_num(form.step)} (form {form.id})")
            key = (eid, pid, form.id, cid)
            if key in seen:
                raise _problem(path, n, "criterion_id", f"与第 {seen[key]} 行重复（{eid} {pid} {form.id} {cid}）",
                               f"repeats row {seen[key]} ({eid} {pid} {form.id} {cid})")
            seen[key] = n
            first_score_row.setdefault((eid, pid), n)
            plan.scores.setdefault((eid, pid), {})[(form.id, cid)] = score
    for (eid, pid), n in first_score_row.items():
        if (eid, pid) in plan.conflicts or pid in experts[eid].known_conflicts:
            raise _problem(path, n, "proposal_id", f"专家 {eid} 对项目 {pid} 回避，不能给分",
                           f"expert {eid} has a conflict with proposal {pid} and cannot score it")
    return plan


def _quantize(value: Decimal, step: Decimal, high: Decimal) -> Decimal:
    q = (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return min(max(q, Decimal(0)), high)


def _answers_for(form: Any, proposal: Any, role: str, rng: random.Random, quality: float,
                 fixed: Mapping[str, str], legacy_na: bool = False) -> list[tuple[str, str, Any]]:
    """(kind, item, value) rows of one complete form, realistic and within the rules. The items the
    agency set not applicable for the proposal are the only N/A ones; with `legacy_na` (a 1.0 batch)
    an N/A allowed item is sometimes marked N/A instead, as an expert of such a batch could."""
    fixed_na = None if legacy_na else proposal.not_applicable_for(form.id)
    rows: list[tuple[str, str, Any]] = []
    scores: dict[str, Decimal] = {}
    na: set[str] = set()
    for c in form.criteria:
        if c.roles and role not in c.roles:  # left blank, as the expert of another role does
            continue
        if fixed_na is not None:
            if c.id in fixed_na:
                continue
            if c.id in fixed:
                scores[c.id] = Decimal(fixed[c.id])
                continue
        elif c.id in fixed:
            value = fixed[c.id]
            if value.lower() in NA_VALUES:
                na.add(c.id)
            else:
                scores[c.id] = Decimal(value)
            continue
        if fixed_na is None and c.na_allowed and rng.random() < 0.08:
            na.add(c.id)
            continue
        ratio = min(max(rng.gauss(quality, 0.08), 0.3), 1.0)
        scores[c.id] = _quantize(c.max * Decimal(str(round(ratio, 3))), form.step, c.max)
    for cid in sorted(na):
        rows.append(("na", cid, True))
    for cid, v in scores.items():
        rows.append(("score", cid, v))
    for v in form.vetoes:
        rows.append(("veto", v.id, False))
    for f in form.overall_fields:  # e.g. 撤并转建议 for an engineering research center
        if f.type == "choice" and proposal.center_type in f.center_types:
            rows.append(("overall", f.id, _choice(f, quality, rng)))
    answers_rows = {(k, i): v for k, i, v in rows}
    # fill whatever the rules still ask for: comments, overall fields, then the conclusion
    for _ in range(3):
        from tic_desktop.core.scoring import FormAnswers  # noqa: PLC0415

        answers = FormAnswers(
            scores={i: v for (k, i), v in answers_rows.items() if k == "score"},
            not_applicable=frozenset(i for (k, i) in answers_rows if k == "na"),
            comments={i: v for (k, i), v in answers_rows.items() if k == "comment"},
            vetoes={i: v for (k, i), v in answers_rows.items() if k == "veto"},
            conclusion=answers_rows.get(("conclusion", "")),
            overall={i: v for (k, i), v in answers_rows.items() if k == "overall"},
        )
        ev = evaluate(form, answers, role, fixed_na=fixed_na)
        if ev.complete:
            break
        for p in ev.problems:
            if p.code == "comment.required" and p.target:
                c = form.criterion(p.target)
                label = c.label.zh
                if p.target in answers.not_applicable:
                    pool = COMMENTS_NA
                elif answers.scores.get(p.target, Decimal(0)) >= c.max:
                    pool = COMMENTS_HIGH
                else:
                    pool = COMMENTS_LOW
                answers_rows[("comment", p.target)] = rng.choice(pool).format(label=label)
            elif p.code == "field.missing" and p.target:
                f = next(o for o in form.overall_fields if o.id == p.target)
                answers_rows[("overall", f.id)] = _overall_text(f, proposal, rng)
            elif p.code == "veto.unanswered" and p.target:
                answers_rows[("veto", p.target)] = False
        if ev.suggested_conclusion:
            answers_rows[("conclusion", "")] = ev.suggested_conclusion
    return [(k, i, v) for (k, i), v in answers_rows.items()]


def _choice(f: Any, quality: float, rng: random.Random) -> str:
    """A choice the quality suggests (better → the later-listed positive options first: 转入 before
    保留), sometimes the neighbouring one; never an option that needs another field (合并)."""
    plain = [o.code for o in f.options if o.requires is None]
    ranked = sorted(plain, key=lambda c: {"convert": 0, "keep": 1, "revoke": 2}.get(c, 1))
    index = 0 if quality >= 0.85 else 1 if quality >= 0.65 else len(ranked) - 1
    if rng.random() < 0.25:
        index = min(len(ranked) - 1, index + 1)
    return ranked[min(index, len(ranked) - 1)]


def _overall_text(f: Any, proposal: Any, rng: random.Random) -> str:
    if f.type == "amount":
        subsidy = sum((b.city_subsidy for b in proposal.budget), Decimal(0))
        years = max(len({b.year for b in proposal.budget}), 1)
        return format((subsidy / years / 10000).quantize(Decimal("0.01")), "f")
    if f.id == "suggestions" or "建议" in f.label.zh:
        return rng.choice(SUGGESTIONS)
    return rng.choice(PROBLEMS)


def make_key(expert_id: str) -> ExpertKey:
    return ExpertKey(expert_id, Ed25519PrivateKey.generate(), pyrage.x25519.Identity.generate())


@dataclass(frozen=True)
class Simulated:
    expert_id: str
    key: ExpertKey
    result: ExportResult
    demo: bool = False
    """Signed against a demo batch (the DEMO-ONLY agency key): a rehearsal, nothing real."""


def simulate_expert(opened: Any, raw: bytes, expert: Any, out_dir: Path, work_dir: Path, *, seed: int,
                    plan: ScoresPlan, key: ExpertKey | None = None) -> Simulated:
    key = key or make_key(expert.id)
    rng = random.Random(f"{seed}:{expert.id}")
    demo = is_demo_agency_fingerprint(opened.agency_fingerprint)  # a demo batch opens in a demo session only
    session = ExpertSession.open(work_dir / expert.id, demo=demo)
    try:
        session.accept(opened, raw, pin_new_agency=True)
        session.choose_expert(expert.id, key)
        session.accept_pledge()
        current = session.conflicts()
        declarations = {}
        for pid, decl in current.items():
            if decl.locked:
                declarations[pid] = decl
            elif (expert.id, pid) in plan.conflicts:
                declarations[pid] = ConflictDeclaration(True, "other", "模拟：按评分 CSV 指定回避")
            else:
                declarations[pid] = ConflictDeclaration(False)
        session.declare_conflicts(declarations)
        for p in session.assigned():
            if session.is_conflicted(p.id):
                continue
            for d in p.documents:
                session.document_opened(p.id, d.path)
            quality = min(max(proposal_quality(seed, p.id) + rng.gauss(0, 0.04), 0.35), 0.98)
            fixed = plan.scores.get((expert.id, p.id), {})
            changes = []
            for form in session.forms_for(p.id):
                own = {cid: v for (fid, cid), v in fixed.items() if fid == form.id}
                for kind, item, value in _answers_for(form, p, expert.role, rng, quality, own,
                                                      session.fixed_na(p.id, form.id) is None):
                    changes.append((p.id, form.id, kind, item, value))
            session.save_answers(changes)
        result = export_sheet(session, key, out_dir, filename=f"{expert.id}.ticsheet")
    finally:
        session.close()
    return Simulated(expert.id, key, result, demo)


def proposal_quality(seed: int, proposal_id: str) -> float:
    """A proposal's underlying quality (shared by the panel, so experts roughly agree)."""
    return random.Random(f"{seed}:quality:{proposal_id}").uniform(0.62, 0.94)


def simulate(batch_path: Path, out_dir: Path, *, seed: int = 1, scores_csv: Path | None = None,
             passphrase: bytes | None = None, identity: str | None = None) -> list[Simulated]:
    """Sheets for every expert of the batch, their public keys and DIR/allowed_signers."""
    raw = Path(batch_path).read_bytes()
    opened = read_batch(raw, passphrase=passphrase, identity=identity)
    plan = read_scores_csv(scores_csv, opened) if scores_csv else ScoresPlan()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    done = []
    with tempfile.TemporaryDirectory(prefix="tic-simulate-") as tmp:
        for expert in opened.manifest.experts:
            done.append(simulate_expert(opened, raw, expert, out_dir, Path(tmp), seed=seed, plan=plan))
    keys_dir = out_dir / "keys"
    keys_dir.mkdir(exist_ok=True)
    lines = []
    for s in done:
        pub = s.key.signing_key.public_key()
        members = sheetfmt.key_members(pub, s.expert_id)
        atomic_write(keys_dir / f"{s.expert_id}.pub", members[sheetfmt.EXPERT_PUB])
        atomic_write(keys_dir / f"{s.expert_id}.pem", members[sheetfmt.EXPERT_PEM])
        lines.append(sheetfmt.allowed_signers_line(s.expert_id, pub))
    atomic_write(out_dir / "allowed_signers", ("\n".join(lines) + "\n").encode("ascii"))
    return done
