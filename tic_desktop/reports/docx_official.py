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
from collections.abc import Sequence

import docx as _docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
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


def new_document(*, title: str = "", author: str = "", landscape: bool = False) -> Document:
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
    return doc


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


def paragraph(doc: Document | object, text: str = "", *, font: str = FANGSONG, size: float = BODY_PT,
              bold: bool = False, align: str = "justify", indent: bool = False, before: float = 0,
              after: float = 0, line: float | None = LINE_PT) -> Paragraph:
    """A paragraph of one run; `indent`: two characters first-line indent (首行缩进两字)."""
    p = doc.add_paragraph()  # type: ignore[attr-defined]
    p.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    fmt = p.paragraph_format
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(max(line, size * 1.2))
    if text:
        set_font(p.add_run(text), font, size=size, bold=bold)
    return p


def title(doc: Document, text: str, *, after: float = 14) -> Paragraph:
    """The document title: 小标宋 二号, centred."""
    return paragraph(doc, text, font=XIAOBIAOSONG, size=TITLE_PT, align="center", after=after, line=36)


def heading(doc: Document, text: str, *, before: float = 6) -> Paragraph:
    """A first-level heading (一、…): 黑体 三号."""
    p = paragraph(doc, text, font=HEITI, size=BODY_PT, align="left", before=before)
    p.paragraph_format.keep_with_next = True
    return p


def table(doc: Document, rows: Sequence[Sequence[str]], widths_mm: Sequence[float], *, header: bool = True,
          size: float = TABLE_PT, center_cols: Sequence[int] = ()) -> Table:
    """A bordered table (Table Grid) in 仿宋 小四; the first row bold and repeated on each page when `header`."""
    t = doc.add_table(rows=len(rows), cols=len(widths_mm))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for i, row in enumerate(rows):
        cells = t.rows[i].cells
        for j, value in enumerate(row):
            cell = cells[j]
            cell.width = Mm(widths_mm[j])
            p = cell.paragraphs[0]
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(2)
            if (header and i == 0) or j in center_cols:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            lines = str(value).split("\n")
            for k, line in enumerate(lines):
                run = set_font(p.add_run(line), HEITI if header and i == 0 else FANGSONG, size=size)
                if k < len(lines) - 1:
                    run.add_break()
    if header and rows:
        tr_pr = t.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
    for j, w in enumerate(widths_mm):
        t.columns[j].width = Mm(w)
    return t


def page_break(doc: Document) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def to_bytes(doc: Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def check_docx(path: object) -> None:
    """A whole-file check for atomic_write: python-docx opens it again."""
    _docx.Document(str(path))
