"""The printable 评审专家密钥登记表 (key enrolment sheet) the expert signs by hand and hands to the agency.

The agency compares the fingerprint printed here (as `ssh-keygen -l` prints it) with the key
that signs the expert's score sheets and pins expert → key (reliability.md §3.1). The QR code
holds the expert id, the fingerprint, the OpenSSH public key line and the age recipient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from tic_desktop.reports.qr import GRID, SHADE, build_pdf, footer_painter, para, qr_drawing, styles

ENROL_PREFIX = "tic-enrol-v1"


@dataclass(frozen=True)
class EnrolmentInput:
    expert_id: str
    name: str
    unit: str
    title: str
    fingerprint: str
    openssh: str
    """The OpenSSH public key line (ssh-ed25519 AAAA… [comment])."""
    age_recipient: str
    date: str
    """YYYY-MM-DD."""
    agency_name: str = ""
    batch_title: str = ""


def enrolment_qr(data: EnrolmentInput) -> str:
    key = " ".join(data.openssh.split()[:2])
    return ";".join([ENROL_PREFIX, f"expert={data.expert_id}", f"fp={data.fingerprint}", f"ssh={key}",
                     f"age={data.age_recipient}"])


def _grouped(fp: str) -> str:
    body = fp.removeprefix("SHA256:")
    return "SHA256: " + " ".join(body[i:i + 4] for i in range(0, len(body), 4))


def render_enrolment(data: EnrolmentInput) -> bytes:
    s = styles()
    story: list[Any] = [para("评审专家密钥登记表", s.title)]
    sub = "　·　".join(x for x in (data.agency_name, data.batch_title) if x)
    story.append(para(sub or "天津市技术创新中心专家评审", s.subtitle))
    label = lambda t: para(t, s.cell_c)  # noqa: E731
    info = Table([
        [label("姓　　名"), para(data.name, s.body), label("专家编号"), para(data.expert_id, s.body)],
        [label("工作单位"), para(data.unit or "—", s.body), label("职　　称"), para(data.title or "—", s.body)],
        [label("登记日期"), para(data.date, s.body), label("密钥算法"), para("Ed25519（签名）/ X25519（加密）", s.small)],
    ], colWidths=[24 * mm, 66 * mm, 24 * mm, 64 * mm])
    info.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles().font), ("GRID", (0, 0), (-1, -1), 0.6, GRID), ("BACKGROUND", (0, 0), (0, -1), SHADE),
                              ("BACKGROUND", (2, 0), (2, -1), SHADE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story += [info, Spacer(1, 4 * mm)]
    keys = Table([
        [label("签名密钥指纹"), para(_grouped(data.fingerprint), ParagraphStyle("fp", parent=s.big, fontSize=12.5, leading=17))],
        [label("（原样）"), para(data.fingerprint, s.body)],
        [label("签名公钥"), para(data.openssh, s.small)],
        [label("加密公钥"), para(data.age_recipient, s.small)],
    ], colWidths=[30 * mm, 148 * mm])
    keys.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles().font), ("GRID", (0, 0), (-1, -1), 0.6, GRID), ("BACKGROUND", (0, 0), (0, -1), SHADE),
                              ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 4),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    story += [keys, Spacer(1, 4 * mm)]
    note = [
        para("说明", s.section),
        para("一、本表所列密钥由评审软件在本人电脑上生成，私钥以本人设定的口令加密保存，不离开本人电脑。", s.body),
        para("二、本人提交的每份电子评分表均以该密钥签名。评审组织机构据本表登记本人的签名密钥指纹，"
             "并以此核验评分表的真实性；指纹不一致的评分表不予采用。", s.body),
        para("三、如密钥遗失、口令遗忘或怀疑泄露，本人将立即书面告知评审组织机构，并重新登记。", s.body),
        para("四、核验方法：ssh-keygen -l 显示的指纹应与上表一致；评分表可用 ssh-keygen -Y verify（命名空间 tic-sheet-v1）核验。",
             s.body),
    ]
    story += note + [Spacer(1, 6 * mm)]
    sign = [
        para("本人确认上述密钥为本人所有，并对以该密钥签名的评分表负责。", s.body),
        Spacer(1, 8 * mm),
        para("专家签名：________________________　　日期：______年____月____日", s.body),
        Spacer(1, 8 * mm),
        para("机构核对人：______________________　　日期：______年____月____日", s.body),
    ]
    box = Table([[sign, qr_drawing(enrolment_qr(data), 40 * mm)]], colWidths=[132 * mm, 46 * mm])
    box.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles().font), ("BOX", (0, 0), (-1, -1), 0.6, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                             ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    story.append(box)
    footer = footer_painter(f"评审专家密钥登记表 · {data.expert_id} · {data.fingerprint}")
    # the QR text in the Subject too: the agency can read the key off the PDF file itself (登记表文件)
    return build_pdf(story, footer, title=f"评审专家密钥登记表 {data.name}", author=data.name,
                     subject=enrolment_qr(data))


def enrolment_for(key: Any, expert: Any, *, date: str, agency_name: str = "", batch_title: str = "") -> EnrolmentInput:
    """From an `expert.keys.ExpertKey` (or PublicKeyInfo) and a manifest `Expert`."""
    return EnrolmentInput(expert_id=expert.id, name=expert.name, unit=expert.unit, title=expert.title,
                          fingerprint=key.fingerprint, openssh=key.openssh, age_recipient=key.age_recipient, date=date,
                          agency_name=agency_name, batch_title=batch_title)
