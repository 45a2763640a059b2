"""Consolidated-report fixtures: `ReportData` of N proposals scored by M experts, no batch needed.

Expert entries are generated (seeded) on the built-in forms, with the cases a report must show:
a conflicted and a missing expert, a confirmed and a pending veto, an outlier expert, a tie, totals
rescaled over role-restricted criteria (rd_capacity_project), comments and overall fields, panel
opinions, rejected files. They go through the real `core.consolidation.consolidate()`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from tic_desktop.core.consolidation import (
    ExpertEntry,
    ProposalInput,
    VetoDecision,
    consolidate,
)
from tic_desktop.core.form_library import builtin_forms
from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.panel_opinion import PanelOpinion
from tic_desktop.core.proposal import BudgetLine, Kpi, Proposal
from tic_desktop.core.scoring import round_half_up
from tic_desktop.core.types import Text
from tic_desktop.reports.report_data import ExpertInfo, RejectedFile, ReportData

NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周婷", "吴刚", "徐丽")
ROLES = ("technical", "technical", "technical", "technical", "finance", "management", "technical")
FIELDS = ("人工智能", "合成生物", "智能制造", "生物医药", "新能源汽车", "新材料", "信息技术应用创新",
          "海洋装备", "绿色石化", "航空航天", "高端装备", "集成电路")
FORMS_OF_KIND = {
    "feasibility_review": ("feasibility_review", "rd_capacity_project"),
    "term_end_evaluation": ("term_end_evaluation",),
    "periodic_assessment": ("periodic_assessment",),
}
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Built:
    report: ReportData
    inputs: tuple[ProposalInput, ...]
    decisions: dict[tuple[str, str, str], VetoDecision]


def center_name(i: int) -> str:
    field = FIELDS[i % len(FIELDS)]
    return f"天津市{field}技术创新中心" + (f"（{i // len(FIELDS) + 1}）" if i >= len(FIELDS) else "")


def proposal_of(kind: str, i: int, pid: str, name: str) -> Proposal:
    """Periodic: every third center an engineering research center, the rest professional. Feasibility:
    proposal 0 asks 5.2 M CNY in year 1 (over the 5 M limit), the others keep to 30% / 5 M / 3 years.
    Term-end: KPIs with planned and achieved values."""
    if kind == "periodic_assessment":
        center_type = "engineering" if i % 3 == 2 else "professional"
        name = name.replace("技术创新中心", "工程技术研究中心") if center_type == "engineering" else name
        return Proposal(id=pid, center_name=name, center_type=center_type, lead_unit="示例依托单位", field="制造",
                        forms=("periodic_assessment",))
    budget: tuple[BudgetLine, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    if kind == "feasibility_review":
        first = Decimal("5200000") if i == 0 else Decimal("3000000")
        budget = tuple(BudgetLine(year=y, category="仪器设备购置", total=Decimal("17000000"),
                                  city_subsidy=first if y == 1 else Decimal("3000000")) for y in (1, 2, 3))
    else:
        kpis = (Kpi(id="K1", name="申请发明专利", unit="件", target=Decimal(60), achieved=Decimal(48 + i)),
                Kpi(id="K2", name="技术合同成交额", unit="万元", target=Decimal(12000), achieved=Decimal(13000)),
                Kpi(id="K3", name="重大安全事故", unit="起", target=Decimal(1), achieved=Decimal(2),
                    higher_is_better=False))
    return Proposal(id=pid, center_name=name, center_type="comprehensive", lead_unit="示例依托单位", field="人工智能",
                    forms=FORMS_OF_KIND[kind], budget=budget, kpis=kpis)


def _fmt(d: Decimal) -> str:
    return format(d, "f")


def _entry(form: FormTemplate, expert: ExpertInfo, quality: float, rng: random.Random) -> ExpertEntry:
    scores: dict[str, Decimal] = {}
    comments: dict[str, str] = {}
    na: set[str] = set()
    for c in form.criteria:
        if c.roles and expert.role not in c.roles:
            continue
        ratio = min(1.0, max(0.15, quality + rng.gauss(0, 0.07)))
        steps = int(c.max / form.step)
        scores[c.id] = form.step * round(ratio * steps)
        if scores[c.id] <= c.max * Decimal("0.4"):
            comments[c.id] = f"{c.label.zh}论证不足，需补充依据。"
    raw = sum(scores.values(), Decimal(0))
    app_max = sum((form.criterion(cid).max for cid in scores), Decimal(0))
    total = round_half_up(raw / app_max * HUNDRED)
    na = {c.id for c in form.criteria if c.id not in scores}
    overall = {f.id: (f"{expert.name}：{f.label.zh}意见，第{rng.randint(1, 9)}条。" if f.type == "text" else
                      rng.choice(f.options).code if f.type == "choice" else str(rng.choice((250, 300, 450, 600))))
               for f in form.overall_fields}
    if "restructure" in overall and overall["restructure"] != "merge":
        overall.pop("restructure_target", None)
    return ExpertEntry(
        expert_id=expert.id, expert_name=expert.name, role=expert.role, total=total, raw_total=raw,
        scores=scores, not_applicable=frozenset(na), comments=comments, overall=overall,
    )


def build(
    proposals: int = 5,
    experts: int = 7,
    *,
    kind: str = "feasibility_review",
    seed: int = 7,
    tie: bool = True,
    extras: bool = True,
) -> Built:
    """A report of `proposals` proposals scored by `experts` experts on the kind's forms.

    With `extras`: proposal 1 has a conflicted and a missing expert, proposal 0 a confirmed veto,
    proposal 2 a pending one and an outlier expert; with `tie` proposal 4 gets proposal 3's scores
    (every form) so they tie. Panel opinions for every other proposal; two rejected files."""
    forms_all = builtin_forms()
    forms = {fid: forms_all[fid] for fid in FORMS_OF_KIND[kind]}
    infos = tuple(
        ExpertInfo(id=f"E{i + 1:02d}", name=NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else str(i)),
                   unit=f"天津大学第{i + 1}研究所", title="教授" if i % 2 else "研究员", role=ROLES[i % len(ROLES)],
                   chair=i == 0)
        for i in range(experts)
    )
    inputs: list[ProposalInput] = []
    decisions: dict[tuple[str, str, str], VetoDecision] = {}
    opinions: dict[tuple[str, str], PanelOpinion] = {}
    for fid, form in forms.items():
        frng = random.Random(f"{seed}-{fid}")
        tie_entries: list[ExpertEntry] = []
        for i in range(proposals):
            pid = f"TJ-{i + 1:03d}"
            name = center_name(i)
            quality = 0.55 + 0.4 * frng.random()
            conflicted: tuple[str, ...] = ()
            missing: tuple[str, ...] = ()
            if extras and i == 1 and experts >= 5:
                conflicted, missing = (infos[3].id,), (infos[4].id,)
            entries = [_entry(form, e, quality, frng) for e in infos if e.id not in conflicted + missing]
            if extras and i == 2 and len(entries) > 1:
                entries[1] = _entry(form, infos[1], 0.2, frng)  # far below the others: an outlier
            if tie and i == 4:
                entries = list(tie_entries)  # the same scores as proposal 3: a tie
            if i == 3:
                tie_entries = list(entries)
            if extras and form.vetoes and i in (0, 2):
                v = form.vetoes[0]
                entries[-1] = ExpertEntry(**{**entries[-1].__dict__, "vetoes_triggered": (v.id,)})
                if i == 0:
                    decisions[(pid, fid, v.id)] = VetoDecision(
                        True, "经核实，申报材料中合作协议未盖章，属实。", infos[0].name, "2026-03-05T10:00:00")
            plan = proposal_of(kind, i, pid, name)
            inputs.append(ProposalInput(pid, plan.center_name, form, form.consolidation, tuple(entries), conflicted, missing,
                                        center_type=plan.center_type, proposal=plan))
            if extras and i % 2 == 0:
                opinions[(pid, fid)] = PanelOpinion(
                    overall=f"{name}建设方案总体思路清晰，定位明确。", achievements="",
                    problems="1. 部分绩效指标不够量化；\n2. 预算测算依据不足。", suggestions="细化年度目标，补充设备清单论证。",
                    conclusion="建议修改后通过。", chair_name=infos[0].name, written_at="2026-03-05T16:00:00",
                )
    report = ReportData(
        batch_id="2026-FR-01", title=Text(zh="2026年度综合性技术创新中心建设方案论证", en="2026 feasibility review"),
        kind=kind, agency_name="天津市科学技术发展战略研究院", generated_at="2026-03-06T09:30:00",
        experts=infos, forms=forms, consolidation=consolidate(inputs, decisions), opinions=opinions,
        rejected=(RejectedFile("E09-张三.ticsheet", "sig.bad_signature", "签名无效：文件在签名后被改动。", "bad signature"),
                  RejectedFile("旧版本.ticsheet", "sheet.older", "较早的版本，已有更新的评分表。", "an older revision"))
        if extras else (),
        accepted_files=experts,
        inputs=tuple(inputs),
    )
    return Built(report, tuple(inputs), decisions)
