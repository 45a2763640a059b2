"""The invitation letter (专家评审邀请函) of one drawn expert: its sentences, and the letter as .docx.

The PDF (reports.draw_pdf.render_invitation, with the QR code of the agency fingerprint) and the
.docx (`render_invitation_docx`, for the agency to edit and print on its letterhead) say the same.
The .docx is written here as plain WordprocessingML (a ZIP of three XML parts, reproducible), so it
needs no extra library; Word, WPS and LibreOffice open it. It has no QR code: print the PDF for that.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from tic_desktop.core.labels import ROLE_LABELS, label
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


def invitation_text(record: Mapping[str, Any], panel: Mapping[str, Any], member: Mapping[str, Any],
                    meeting: str, *, qr_where: str = "PDF 邀请函上的二维码") -> InvitationText:
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
    )


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>')


def _p(text: str, *, size: int = 24, bold: bool = False, center: bool = False, indent: bool = False,
       mono: bool = False, after: int = 120) -> str:
    font = "Consolas" if mono else "SimSun"
    ppr = f'<w:spacing w:after="{after}" w:line="360" w:lineRule="auto"/>'
    ppr += '<w:jc w:val="center"/>' if center else ""
    ppr += '<w:ind w:firstLineChars="200" w:firstLine="480"/>' if indent else ""
    rpr = (f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="SimSun" w:cs="{font}"/>'
           + ("<w:b/>" if bold else "") + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    return (f'<w:p><w:pPr>{ppr}</w:pPr><w:r><w:rPr>{rpr}</w:rPr>'
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>')


def render_invitation_docx(record: Mapping[str, Any], panel: Mapping[str, Any], member: Mapping[str, Any],
                           meeting: str) -> bytes:
    t = invitation_text(record, panel, member, meeting)
    body = [_p(t.title, size=36, bold=True, center=True), _p(t.subtitle, size=20, center=True, after=360),
            _p(t.greeting), _p(t.invitation, indent=True), _p(t.date, indent=True),
            _p(t.check_heading, size=26, bold=True), _p(t.check), _p(t.fingerprint, size=28, bold=True, center=True,
                                                                      mono=True, after=240),
            _p(t.enrol_heading, size=26, bold=True), _p(t.enrol)]
    if t.enrolled:
        body.append(_p(t.enrolled))
    body += [_p("", after=600), _p(t.closing)]
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{_W}"><w:body>' + "".join(body)
        + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
          '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" '
          'w:gutter="0"/></w:sectPr></w:body></w:document>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                           ("word/document.xml", document)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    return buf.getvalue()
