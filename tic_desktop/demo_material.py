"""The demo's own material for the periodic assessment and the term-end evaluation (every organisation
in it is fictional): a 自评报告 per professional or engineering center, and a 建设总结报告 and a
专项审计报告 per comprehensive center at the end of its term. Figures come from the proposal (KPI
targets and achieved values, the R&D capacity budget), so what the experts read is the batch's data.
"""

from __future__ import annotations

from decimal import Decimal

from tic_desktop.core.labels import CENTER_TYPE_LABELS
from tic_desktop.core.proposal import Proposal
from tic_desktop.reports.center_report_pdf import CenterReport, Chapter, render_center_report

AUDIT_FIRM = "天津津审会计师事务所有限公司"
"""The fictional audit firm of the term-end 专项审计报告 (no expert of the demo works there)."""
DOCUMENTS: dict[str, str] = {"自评报告": "self_assessment", "建设总结报告": "summary", "专项审计报告": "audit"}


def _met(p: Proposal) -> tuple[int, int]:
    done = [k for k in p.kpis if k.achieved is not None]
    met = sum(1 for k in done if (k.achieved >= k.target if k.higher_is_better else k.achieved <= k.target))
    return met, len(done)


def self_assessment(p: Proposal) -> CenterReport:
    kind = CENTER_TYPE_LABELS[p.center_type].zh
    met, n = _met(p)
    members = "、".join(p.member_units) or "无"
    restructure = (
        "本中心为市级工程技术研究中心。依托单位认为中心研发条件和服务能力符合专业性技术创新中心的要求，"
        "申请评估后转入专业性技术创新中心序列管理；如专家组认为条件不足，愿意按评估意见整改或与相近领域的中心整合。"
        if p.center_type == "engineering" else
        "本中心为专业性技术创新中心，本周期按《天津市技术创新中心建设实施方案》接受三年一次的考核评估。")
    return CenterReport(
        title=f"{p.center_name}自评报告", author=p.lead_unit, date="二〇二六年十月",
        chapters=(
            Chapter("中心基本情况", (
                f"{p.center_name}属于{kind}，依托{p.lead_unit}建设，共建单位：{members}；技术领域为{p.field}，"
                f"本考核周期为 {p.period_start or '—'} 至 {p.period_end or '—'}。", restructure)),
            Chapter("研发条件与能力", (
                "中心现有专职研发人员一百二十余人，其中具有高级职称的四十余人；科研仪器设备原值约八千万元，"
                "研发场地约一万平方米。本周期研发经费支出年均增长百分之十以上，占依托单位主营业务收入的比例保持在百分之五以上。",
                "中心在研国家级和市级项目十余项，与多家行业骨干企业建立了长期合作关系。")),
            Chapter("技术创新产出", (
                "本周期中心申请发明专利六十余件、获授权三十余件，主持或参与制定行业标准和团体标准八项，"
                "开发新产品、新工艺二十余项，获省部级科技奖励两项。",)),
            Chapter("成果转化与行业贡献", (
                "本周期完成技术转让和许可十余项，为行业企业提供技术服务三百余次，带动相关企业新增产值逾十亿元；"
                "大型仪器设备对外开放共享，年均服务机时超过三千小时。",)),
            Chapter("运行管理与发展规划", (
                "中心实行依托单位领导下的主任负责制，设技术委员会，制定了项目管理、经费管理、开放共享和人才激励等制度。"
                "下一周期将围绕行业关键共性技术，进一步加强中试验证和标准制定能力。",)),
            Chapter("目标任务完成情况", (
                f"对照上期考核确定的目标，本周期 {n} 项量化指标中 {met} 项达到目标值，各项完成情况见下表。"
                if n else "本中心为首次评估，没有上期考核确定的目标任务。",), "kpis_achieved" if n else None),
            Chapter("存在问题与下一步打算", (
                "高层次领军人才仍然不足，部分成果转化周期较长。下一步将加强与高校院所的联合培养，完善成果转化收益分配机制。",)),
        ),
    )


def summary_report(p: Proposal) -> CenterReport:
    met, n = _met(p)
    total = sum((b.total for b in p.budget), Decimal(0))
    subsidy = sum((b.city_subsidy for b in p.budget), Decimal(0))
    return CenterReport(
        title=f"{p.center_name}建设总结报告", author=p.lead_unit, date="二〇二六年十月",
        chapters=(
            Chapter("建设任务与目标完成情况", (
                f"中心建设期为 {p.period_start or '—'} 至 {p.period_end or '—'}。对照经批准的建设方案，"
                f"{n} 项量化考核指标中 {met} 项达到或超过目标值，各项完成情况见下表。",), "kpis_achieved"),
            Chapter("技术创新与攻关成效", (
                f"建设期内中心围绕{p.field}领域关键核心技术组织攻关，承担国家级和市级重大项目二十余项，形成了一批具有自主知识产权的成果。",)),
            Chapter("成果转化与产业带动", (
                "建设期内完成技术合同和成果转化项目百余项，孵化和引进科技型企业十余家，服务本市重点产业链企业数百家。",)),
            Chapter("人才队伍与开放协同", (
                f"中心由{p.lead_unit}依托建设，与{'、'.join(p.member_units) or '共建单位'}共建共享，"
                "研发人员占比超过百分之六十，大型仪器设备向社会开放共享。",)),
            Chapter("运行管理机制", (
                "中心已组建独立法人实体，实行理事会领导下的主任负责制，理事会、技术委员会按章程定期召开会议并形成纪要。",)),
            Chapter("资金落实与使用", (
                f"研发创新能力建设项目计划总投资 {_wan(total)} 万元，其中市财政补助 {_wan(subsidy)} 万元，"
                "自筹和配套资金已足额到位；财政补助资金单独核算、专款专用，使用情况见专项审计报告。",)),
            Chapter("存在问题与后续计划", (
                "部分指标完成进度滞后，个别中试平台投入运行时间晚于计划。后续将按专家组意见整改，提升成果转化效率。",)),
        ),
    )


def audit_report(p: Proposal) -> CenterReport:
    subsidy = sum((b.city_subsidy for b in p.budget), Decimal(0))
    return CenterReport(
        title=f"{p.center_name}研发创新能力建设项目专项审计报告", author=AUDIT_FIRM, date="二〇二六年十一月",
        chapters=(
            Chapter("审计范围与依据", (
                f"受{p.lead_unit}委托，本所对{p.center_name}研发创新能力建设项目建设期内的资金到位、"
                "使用和管理情况进行了专项审计。审计依据为经批准的建设方案、项目预算和有关财政资金管理规定。",)),
            Chapter("资金到位与支出情况", (
                "各年度计划投资与经审计的实际支出如下表。自筹和配套资金已全部到位。",), "budget_audit"),
            Chapter("财政补助资金使用情况", (
                f"项目获市财政补助 {_wan(subsidy)} 万元，已按预算用于仪器设备购置和关键共性技术研发，"
                "单独核算、专款专用，未发现挤占、挪用情况。",)),
            Chapter("审计意见", (
                "我们认为，项目资金到位及时，会计核算规范，财政补助资金使用符合有关规定；"
                "部分设备采购合同的验收资料归档不够及时，建议完善。",)),
        ),
    )


def _wan(value: Decimal) -> str:
    return format((value / 10000).quantize(Decimal("0.01")).normalize(), "f")


def render(document: str, proposal: Proposal) -> bytes:
    """The PDF of one of DOCUMENTS (by its Chinese title) for `proposal`."""
    build = {"自评报告": self_assessment, "建设总结报告": summary_report, "专项审计报告": audit_report}[document]
    return render_center_report(build(proposal), proposal)
