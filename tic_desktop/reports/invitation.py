"""The invitation letter (专家评审邀请函) of one drawn expert: its sentences, and the letter as .docx.

The PDF (reports.draw_pdf.render_invitation, with the QR code of the agency fingerprint) and the
.docx (`render_invitation_docx`, for the agency to edit and print on its letterhead) say the same.
The .docx is written with python-docx in the official-document style of `reports.docx_official`;
Word, WPS and LibreOffice open it. It has no QR code: print the PDF for that. Both print the SHA-256
fingerprint of the agency's document-signing certificate (`formats.docsign`) when it is given: PDF
readers show the agency's signed reports as signed by a certificate they do not know, and the
expert compares it with this one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tic_desktop.core.labels import ROLE_LABELS, label
from tic_desktop.formats.docsign import grouped_fingerprint as grouped_certificate
from tic_desktop.reports.agency_key_pdf import grouped


@dataclass(frozen=True)
class InvitationText:
    title: str
    subtitle: str
    greeting: str
    invitation: str
    date: str
    check_heading: str
    check: str
    fingerprint: str
    enrol_heading: str
    enrol: str
    enrolled: str
    closing: str
    certificate_note: str = ""
    certificate: str = ""
    """The document-signing certificate's SHA-256 fingerprint, grouped ("" when not given)."""


def invitation_text(record: Mapping[str, Any], panel: Mapping[str, Any], member: Mapping[str, Any],
                    meeting: str, *, qr_where: str = "PDF 邀请函上的二维码",
                    certificate_fingerprint: str = "") -> InvitationText:
    role = label(ROLE_LABELS, member["role"]) + ("（组长）" if member["chair"] else "")
    agency = record["agency"]["name"]
    return InvitationText(
        title="专家评审邀请函",
        subtitle=f"{agency} · 抽取记录 {record['draw_id']}",
        greeting=f"尊敬的{member['name']}{member['title'] or '专家'}：",
        invitation=f"经从专家库随机抽取（随机种子 {record['seed']}，抽取记录可复核），特邀请您作为{role}参加天津市技术创新中心"
                   f"专家评审第 {panel['panel']} 专家组，评审以下 {len(panel['proposals'])} 个中心："
                   f"{'、'.join(panel['proposals'])}。",
        date=f"评审日期：{meeting or '另行通知'}。如不能参加，请尽快告知，我们将按抽取记录由候补专家依次递补。",
        check_heading="一、核对机构密钥指纹",
        check=f"您第一次打开评审批次文件时，软件会显示评审组织机构的密钥指纹。请与下列指纹（及{qr_where}）逐组核对，"
              "完全一致后再确认信任；不一致请勿打开，并电话联系我们。",
        fingerprint=grouped(record["agency"]["fingerprint"]),
        enrol_heading="二、登记您的签名密钥",
        enrol="在评审软件中设置口令后，软件为您生成签名密钥；请在“工具 → 打印密钥登记表”打印登记表，签字后寄回或在评审会上交给"
              "工作人员。此后机构只接受由该密钥签名的评分表。",
        enrolled=f"您已登记的密钥指纹：{grouped(member['key_fingerprint'])}" if member.get("key_fingerprint") else "",
        closing=f"{agency}（盖章）　　　　日期：______年____月____日",
        certificate_note="本机构发出的汇总报告等 PDF 文件带有机构的电子签名。PDF 阅读器（Adobe Acrobat、福昕等）会显示"
                         "“签名后文件未被修改”，但不认识签名证书的颁发者；请在阅读器的签名属性中查看证书的 SHA-256 指纹，"
                         "与下列指纹一致即为本机构签署：" if certificate_fingerprint else "",
        certificate=f"PDF 签名证书 SHA-256：{grouped_certificate(certificate_fingerprint)}"
        if certificate_fingerprint else "",
    )


def render_invitation_docx(record: Mapping[str, Any], panel: Mapping[str, Any], member: Mapping[str, Any],
                           meeting: str, *, certificate_fingerprint: str = "") -> bytes:
    """The letter as .docx (python-docx, styled by reports.docx_official: 仿宋/黑体/小标宋, A4, page numbers)."""
    from tic_desktop.reports import docx_official as dx  # noqa: PLC0415

    t = invitation_text(record, panel, member, meeting, certificate_fingerprint=certificate_fingerprint)
    doc = dx.new_document(title=t.title, author=record["agency"]["name"])
    dx.title(doc, t.title, after=4)
    dx.paragraph(doc, t.subtitle, font=dx.KAITI, size=14, align="center", after=12)
    dx.paragraph(doc, t.greeting, align="left")
    dx.paragraph(doc, t.invitation, indent=True)
    dx.paragraph(doc, t.date, indent=True)
    dx.heading(doc, t.check_heading)
    dx.paragraph(doc, t.check, indent=True)
    dx.paragraph(doc, t.fingerprint, size=15, align="center", before=6, after=6, latin="Consolas")
    if t.certificate:
        dx.paragraph(doc, t.certificate_note, indent=True)
        dx.paragraph(doc, t.certificate, size=12, align="center", after=6, latin="Consolas")
    dx.heading(doc, t.enrol_heading)
    dx.paragraph(doc, t.enrol, indent=True)
    if t.enrolled:
        dx.paragraph(doc, t.enrolled, indent=True)
    dx.paragraph(doc, t.closing, align="right", before=40)
    return dx.to_bytes(doc)
