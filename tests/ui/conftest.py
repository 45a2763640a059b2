"""Fixtures for the widget tests: a small Chinese PDF, the bundled form templates, a proposal.

The PDF is written with reportlab and the bundled WenQuanYi font, so that QtPdf's text search
finds the Chinese words exactly as they were written.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.proposal import BudgetLine, Document, Kpi, Proposal
from tic_desktop.paths import resources_dir

FONT_NAME = "WenQuanYi"

PDF_PAGES = (
    ("第一章 建设基础和重要意义", "人工智能技术创新中心面向天津市产业链的关键需求。"),
    ("第二章 总体思路", "中心定位清晰，三年目标均已量化，人工智能平台开放共享。"),
    ("第三章 建设布局", "研发、中试、转化三个环节在滨海新区布局。"),
    ("第四章 建设任务", "关键核心技术攻关：大模型推理芯片与人工智能安全。"),
)


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        font = resources_dir() / "fonts" / "wqy-microhei.ttc"
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(font), subfontIndex=0))


def build_pdf(pages: tuple[tuple[str, str], ...] = PDF_PAGES) -> bytes:
    """An A4 PDF with one chapter per page and an outline entry for each chapter."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setTitle("建设方案")
    width, height = A4
    for number, (heading, body) in enumerate(pages, start=1):
        key = f"ch{number}"
        c.bookmarkPage(key, fit="XYZ", left=0, top=A4[1], zoom=0)
        c.addOutlineEntry(heading, key, level=0)
        c.setFont(FONT_NAME, 20)
        c.drawString(72, height - 100, heading)
        c.setFont(FONT_NAME, 12)
        for line in range(12):
            c.drawString(72, height - 150 - line * 22, body if line % 3 == 0 else "（此处为方案正文，供评审专家阅读。）")
        c.setFont(FONT_NAME, 9)
        c.drawCentredString(width / 2, 40, f"第 {number} 页")
        c.showPage()
    c.save()
    return out.getvalue()


@pytest.fixture(autouse=True)
def _chinese_locale(qapp):
    """The UI in Chinese, as i18n.install_translators(app, "zh") leaves it; a test that switched the app
    to English (create_app with TIC_LANG=en) does not leave its translator to the next test."""
    from PySide6.QtCore import QLocale, QThreadPool

    from tic_desktop.ui.common.i18n import install_translators

    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    yield
    # no background job of this test outlives it: a late result or progress event delivered while a
    # later test processes events reached objects this test left behind (a crash at 84% of one CI run)
    QThreadPool.globalInstance().waitForDone(30_000)
    qapp.processEvents()
    install_translators(qapp, "zh")
    QLocale.setDefault(previous)


@pytest.fixture(scope="session")
def pdf_bytes() -> bytes:
    return build_pdf()


def _builtin_forms() -> dict[str, FormTemplate]:
    try:
        from tic_desktop.core.form_library import builtin_forms
    except ImportError:
        forms_dir: Path = resources_dir() / "forms"
        return {
            p.stem: FormTemplate.model_validate_json(p.read_text("utf-8"), strict=False)
            for p in sorted(forms_dir.glob("*.json"))
            if p.name != "form.schema.json"
        }
    return builtin_forms()


@pytest.fixture(scope="session")
def forms() -> dict[str, FormTemplate]:
    found = _builtin_forms()
    if not found:
        pytest.skip("no form templates in resources/forms yet")
    return found


@pytest.fixture()
def proposal() -> Proposal:
    """A feasibility proposal whose city subsidy breaks the 30% rule in year 2."""
    return Proposal(
        id="P001",
        center_name="天津市人工智能技术创新中心",
        center_type="comprehensive",
        lead_unit="天津大学",
        member_units=("南开大学", "中国电子科技集团第十八研究所"),
        field="人工智能",
        forms=("feasibility_review",),
        budget=(
            BudgetLine(year=1, category="设备购置", total=Decimal("8000000.00"), city_subsidy=Decimal("2000000.00")),
            BudgetLine(year=1, category="研发投入", total=Decimal("6000000.00"), city_subsidy=Decimal("1500000.00")),
            BudgetLine(year=2, category="人才引进", total=Decimal("3000000.00"), city_subsidy=Decimal("2500000.00")),
            BudgetLine(year=2, category="中试平台", total=Decimal("4000000.00"), city_subsidy=Decimal("2000000.00")),
            BudgetLine(year=3, category="研发投入", total=Decimal("5000000.00"), city_subsidy=Decimal("1000000.00")),
        ),
        kpis=(
            Kpi(id="K1", name="发明专利授权", unit="件", target=Decimal("30"), achieved=Decimal("36")),
            Kpi(id="K2", name="孵化企业", unit="家", target=Decimal("10"), achieved=Decimal("7")),
            Kpi(id="K3", name="技术合同成交额", unit="万元", target=Decimal("5000"), achieved=Decimal("5200")),
            Kpi(id="K4", name="单位能耗", unit="吨标煤", target=Decimal("100"), achieved=Decimal("90"),
                higher_is_better=False),
        ),
        documents=(Document(path="proposals/P001/plan.pdf", title="建设方案"),),
    )
