"""The one-page 机构密钥指纹 sheet for the experts' invitation letter.

An expert's app pins the agency's key on the first batch it opens and shows its fingerprint;
the expert compares it with this printed page (DESIGN.md §3, "trust comes from paper"). The page
shows the agency name, the fingerprint (grouped for reading aloud, and as `ssh-keygen -l` prints
it), the age recipient the score sheets are encrypted to, the date, and a QR code of the
fingerprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from tic_desktop.formats.docsign import grouped_fingerprint
from tic_desktop.reports.qr import GRID, SHADE, build_pdf, footer_painter, para, qr_drawing, styles

QR_PREFIX = "tic-agency-v1"


@dataclass(frozen=True)
class AgencyKeySheet:
    agency_name: str
    fingerprint: str
    """"SHA256:…" as `ssh-keygen -l` prints it."""
    age_recipient: str
    date: str
    """YYYY-MM-DD."""
    certificate_fingerprint: str = ""
    """SHA-256 fingerprint of the agency's document-signing certificate ("" when it has none yet)."""


def agency_qr(data: AgencyKeySheet) -> str:
    return f"{QR_PREFIX};fp={data.fingerprint}"


def grouped(fp: str) -> str:
    """The fingerprint in groups of four characters, easy to compare by eye or read on the phone."""
    body = fp.removeprefix("SHA256:")
    return "SHA256: " + " ".join(body[i : i + 4] for i in range(0, len(body), 4))


def render_agency_key_sheet(data: AgencyKeySheet) -> bytes:
    s = styles()
    fp_style = ParagraphStyle("fp", parent=s.big, fontSize=13, leading=19)
    label = lambda t: para(t, s.cell_c)  # noqa: E731
    story: list[Any] = [
        para("评审组织机构密钥指纹", s.title),
        para("天津市技术创新中心专家评审 · 随专家邀请函寄送", s.subtitle),
        Spacer(1, 3 * mm),
    ]
    info = Table(
        [
            [label("评审组织机构"), para(data.agency_name, s.body)],
            [label("签名密钥指纹"), para(grouped(data.fingerprint), fp_style)],
            [label("（原样）"), para(data.fingerprint, s.body)],
            [label("评分表加密公钥"), para(data.age_recipient, s.small)],
            *([[label("PDF 签名证书"), para("SHA-256：" + grouped_fingerprint(data.certificate_fingerprint), s.body)]]
              if data.certificate_fingerprint else []),
            [label("日　　期"), para(data.date, s.body)],
        ],
        colWidths=[34 * mm, 144 * mm],
    )
    info.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), s.font),
                ("GRID", (0, 0), (-1, -1), 0.6, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
            ]
        )
    )
    story += [info, Spacer(1, 6 * mm)]
    notes = [
        para("核对方法", s.section),
        para(
            "一、评审软件第一次打开本机构发来的批次文件时，会显示机构密钥指纹。请与本页所印指纹逐组核对，"
            "完全一致后再勾选“我已核对，指纹与邀请函一致”并点击“核对无误，信任此机构”。",
            s.body,
        ),
        para("二、如指纹不一致，请勿打开该文件，并通过本邀请函上的电话与评审组织机构联系。", s.body),
        para(
            "三、此后每个批次文件都必须由同一密钥签名；软件发现密钥变化时会拒绝打开。"
            "专家签名的评分表加密给上列加密公钥，只有本机构能够解密。",
            s.body,
        ),
        para("四、右侧二维码内容为本机构的签名密钥指纹，可用手机扫码核对。", s.body),
    ]
    if data.certificate_fingerprint:
        notes.append(para("五、本机构的汇总报告等 PDF 文件带有电子签名（PAdES）。PDF 阅读器显示“文件签名后未被修改”，"
                          "但不认识签名证书的颁发者：请在签名属性中查看证书的 SHA-256 指纹，与上列“PDF 签名证书”一致即为本机构签署。",
                          s.body))
    box = Table([[notes, qr_drawing(agency_qr(data), 44 * mm)]], colWidths=[128 * mm, 50 * mm])
    box.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), s.font),
                ("BOX", (0, 0), (-1, -1), 0.6, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    story += [
        box,
        Spacer(1, 10 * mm),
        para("评审组织机构（盖章）：________________　　日期：______年____月____日", s.body),
    ]
    footer = footer_painter(f"评审组织机构密钥指纹 · {data.fingerprint}")
    return build_pdf(story, footer, title=f"评审组织机构密钥指纹 {data.agency_name}", author=data.agency_name)
