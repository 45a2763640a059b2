"""Word documents styled as Chinese official documents (公文, roughly GB/T 9704-2012), by python-docx.

- A4; margins 天头 37 mm, 订口 (left) 28 mm, right 26 mm, bottom 35 mm (版心 156 × 225 mm).
- Body 仿宋 三号 (16 pt), fixed line spacing 28 pt; the title 小标宋 二号 (方正小标宋简体, 22 pt); first-level
  headings 黑体 三号; tables 仿宋 小四 (12 pt); page numbers "— 1 —" in 宋体 四号 in the footer (a PAGE field).
- Every run names its Chinese font in `w:eastAsia` (python-docx's `font.name` sets only the Latin
  slots, and Word then draws Chinese in its own default); Latin text and digits are Times New Roman.
- Fallback: the document's font table describes each Chinese font with its English name as `w:altName`,
  the GB2312 charset and its family, so Word, WPS and LibreOffice substitute a Chinese font of the same
  kind where one is missing (方正小标宋简体 is often absent: it falls back to a 宋体-like serif).

The agency edits these files (it does not edit PDFs); nothing here is a record of its own.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import docx as _docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

FANGSONG = "仿宋"
SONGTI = "宋体"
HEITI = "黑体"
KAITI = "楷体"
XIAOBIAOSONG = "方正小标宋简体"
LATIN = "Times New Roman"
FONT_TABLE: dict[str, tuple[str, str]] = {
    FANGSONG: ("FangSong", "modern"),
    SONGTI: ("SimSun", "auto"),
    HEITI: ("SimHei", "modern"),
    KAITI: ("KaiTi", "modern"),
    XIAOBIAOSONG: ("FZXiaoBiaoSong-B05S", "roman"),
}
"""Chinese font → (its English name, written as w:altName; the family Word substitutes within)."""

BODY_PT = 16
TITLE_PT = 22
TABLE_PT = 12
LINE_PT = 28
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def set_font(run: Run, east_asia: str = FANGSONG, *, size: float | None = None, bold: bool = False,
             latin: str = LATIN) -> Run:
    """The run's Latin and Chinese fonts (w:ascii/w:hAnsi and w:eastAsia) and size."""
    run.font.name = latin
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")
    if size is not None:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    return run


def new_document(*, title: str = "", author: str = "", landscape: bool = False) -> OfficialDocument:
    """An empty A4 document with the official margins, the Normal style in 仿宋 三号 and page numbers."""
    doc = _docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(15), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(BODY_PT)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), FANGSONG)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    _page_number_footer(section)
    _font_table(doc)
    props = doc.core_properties
    props.title, props.author, props.comments = title, author, "TIC Desktop"
    props.last_modified_by = author
    od = OfficialDocument(doc)
    od.table_style = doc.styles["Table Grid"].style_id
    return od


def _field(paragraph: Paragraph, instruction: str, size: float) -> None:
    """A complex field (w:fldChar begin / instrText / separate / "1" / end): Word and LibreOffice update it."""
    def run(*children: OxmlElement, text: str | None = None) -> None:
        r = paragraph.add_run(text)
        set_font(r, SONGTI, size=size)
        for child in children:
            r._element.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run(begin)
    run(instr)
    run(separate)
    run(text="1")
    run(end)


def _page_number_footer(section: object) -> None:
    footer = section.footer  # type: ignore[attr-defined]
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run("— "), SONGTI, size=14)
    _field(p, "PAGE", 14)
    set_font(p.add_run(" —"), SONGTI, size=14)


def _font_table(doc: Document) -> None:
    """w:font entries for the Chinese fonts: English alt name, GB2312 charset, family (substitution)."""
    part = doc.part
    table_part = None
    for rel in part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            table_part = rel.target_part
    if table_part is None:
        return
    root = etree.fromstring(table_part.blob)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, (alt, family) in FONT_TABLE.items():
        if name in present:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:charset", "86"), ("w:family", family), ("w:pitch", "variable")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    table_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@dataclass
class OfficialDocument:
    """A python-docx document (styles, section, footer, font table) and its body as WordprocessingML
    text: python-docx inserts each paragraph by searching the body for its last element, which makes
    a 600-opinion document take minutes; the body is written as text and parsed once (`to_bytes`)."""

    doc: Document
    chunks: list[str] = field(default_factory=list)
    table_style: str = "TableGrid"


_ALIGN = {"justify": "both", "center": "center", "left": "left", "right": "right"}


def _twips(pt: float) -> int:
    return round(pt * 20)


def _rpr(font: str, size: float, bold: bool = False, latin: str = LATIN) -> str:
    half = round(size * 2)
    return (f'<w:rPr><w:rFonts w:ascii="{escape(latin)}" w:hAnsi="{escape(latin)}" w:eastAsia="{escape(font)}" '
            f'w:hint="eastAsia"/>{"<w:b/>" if bold else ""}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>')


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _runs(text: str, rpr: str) -> str:
    """Runs of `text`, a line break (w:br) at each newline (CR LF, CR or LF); characters XML cannot
    hold (control characters) are left out."""
    parts = []
    text = _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    for k, line in enumerate(text.split("\n")):
        br = "<w:br/>" if k else ""
        parts.append(f'<w:r>{rpr}{br}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>')
    return "".join(parts)


def _ppr(align: str, *, indent_pt: float = 0, before: float = 0, after: float = 0, line: float | None = None,
         keep_next: bool = False) -> str:
    spacing = (f'<w:spacing w:before="{_twips(before)}" w:after="{_twips(after)}" w:line="{_twips(line)}" '
               'w:lineRule="exact"/>' if line is not None else
               f'<w:spacing w:before="{_twips(before)}" w:after="{_twips(after)}" w:line="240" w:lineRule="auto"/>')
    ind = f'<w:ind w:firstLine="{_twips(indent_pt)}"/>' if indent_pt else ""
    return f'<w:pPr>{"<w:keepNext/>" if keep_next else ""}{spacing}{ind}<w:jc w:val="{_ALIGN[align]}"/></w:pPr>'


def paragraph(od: OfficialDocument, text: str = "", *, font: str = FANGSONG, size: float = BODY_PT,
              bold: bool = False, align: str = "justify", indent: bool = False, before: float = 0,
              after: float = 0, line: float | None = LINE_PT, latin: str = LATIN, keep_next: bool = False) -> None:
    """A paragraph of one run (a line break at each newline); `indent`: two characters first-line
    indent (首行缩进两字); `line`: exact line spacing in pt (None: single)."""
    ppr = _ppr(align, indent_pt=size * 2 if indent else 0, before=before, after=after,
               line=None if line is None else max(line, size * 1.2), keep_next=keep_next)
    od.chunks.append(f"<w:p>{ppr}{_runs(text, _rpr(font, size, bold, latin)) if text else ''}</w:p>")


def title(od: OfficialDocument, text: str, *, after: float = 14) -> None:
    """The document title: 小标宋 二号, centred."""
    paragraph(od, text, font=XIAOBIAOSONG, size=TITLE_PT, align="center", after=after, line=36)


def heading(od: OfficialDocument, text: str, *, before: float = 6) -> None:
    """A first-level heading (一、…): 黑体 三号, kept with the next paragraph."""
    paragraph(od, text, font=HEITI, size=BODY_PT, align="left", before=before, keep_next=True)


def table(od: OfficialDocument, rows: Sequence[Sequence[str]], widths_mm: Sequence[float], *, header: bool = True,
          size: float = TABLE_PT, center_cols: Sequence[int] = ()) -> None:
    """A bordered table (Table Grid) in 仿宋 小四, centred, fixed column widths; the first row in 黑体
    and repeated on each page when `header`."""
    widths = [round(w / 25.4 * 1440) for w in widths_mm]
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{od.table_style}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
           '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" '
           'w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
           + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"]
    for i, row in enumerate(rows):
        head = header and i == 0
        out.append("<w:tr>" + ('<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if head else ""))
        rpr = _rpr(HEITI if head else FANGSONG, size)
        for j, value in enumerate(row):
            ppr = _ppr("center" if head or j in center_cols else "left", before=2, after=2)
            text = str(value)
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[j]}" w:type="dxa"/></w:tcPr><w:p>{ppr}'
                       f'{_runs(text, rpr) if text else ""}</w:p></w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    od.chunks.append("".join(out))


def page_break(od: OfficialDocument) -> None:
    od.chunks.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')


def to_bytes(od: OfficialDocument) -> bytes:
    """The .docx: the body text parsed once and put before the section properties, then saved."""
    body = od.doc.element.body
    parsed = parse_xml(f'<w:body xmlns:w="{_W}">{"".join(od.chunks)}</w:body>'.encode())
    sect = body.find(qn("w:sectPr"))
    for child in list(parsed):
        if sect is not None:
            sect.addprevious(child)
        else:
            body.append(child)
    od.chunks.clear()
    buf = io.BytesIO()
    od.doc.save(buf)
    return buf.getvalue()


def check_docx(path: object) -> None:
    """A whole-file check for atomic_write: python-docx opens it again."""
    _docx.Document(str(path))
