"""Issue 17 in English: the review page's English texts no longer widen or heighten it (the 1366×768
at 125% case of test_screen_fit.py runs the whole walk): the score-sheet title at most two lines, the
document bar's buttons short, the “R&D” form tab not read as a mnemonic."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from tic_desktop.ui.common.lines_label import LinesLabel

LONG = ("Expert score sheet: feasibility review of a Tianjin comprehensive technology innovation "
        "center construction plan")


def test_a_long_title_shows_two_lines_and_the_rest_in_its_tooltip(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    label = LinesLabel(host, max_lines=2)
    label.setToolTip("the form's description")
    label.setText(LONG)
    host.resize(2100, 300)
    host.show()
    label.resize(250, 200)
    line = label.fontMetrics().lineSpacing()
    assert label.heightForWidth(250) <= 2 * line
    assert label.text() == LONG and label.accessibleName() == LONG
    assert LONG in label.toolTip() and "the form's description" in label.toolTip()
    label.resize(2000, 200)  # room for the whole title: nothing elided, the tooltip the description
    assert label.toolTip() == "the form's description"
    assert label.heightForWidth(2000) <= line + 1


def test_english_review_page_bar_and_form_tabs(qtbot, tmp_path: Path, monkeypatch) -> None:
    import pytest

    from tests.e2e.flow import wait_until, walk_to_review
    from tic_desktop.app import create_app

    monkeypatch.setenv("TIC_LANG", "en")
    app = create_app(["tic-desktop"], data_dir=tmp_path / "data")
    window = app.window
    qtbot.addWidget(window)
    if app.settings.lang != "en":
        pytest.skip(f"TIC_LANG does not select the language here ({app.settings.lang})")
    app.open_demo()
    walk_to_review(app)
    tabs = window.ui.formTabs
    two = next(p.id for p in app.session.assigned()
               if not app.session.is_conflicted(p.id) and len(app.session.forms_for(p.id)) == 2)
    window.proposals.select(two)
    wait_until(lambda: window.current_id == two)
    # a tab shows “R&D” only with the & doubled (a single & underlines the next letter and is dropped)
    assert any(tabs.tabText(i).startswith("R&&D ") for i in range(tabs.count()))
    from tic_desktop.ui.expert.document_viewer import DocumentViewer

    viewer = window.ui.documentsTab.findChild(DocumentViewer)
    bar = viewer._toolbar  # noqa: SLF001
    texts = [bar.side_toggle.text(), bar.fit_width.text(), bar.fit_page.text()]
    assert texts == ["Panel", "Width", "Page"]
    assert bar.fit_page.toolTip() == "Fit page"  # the full wording stays in the tip
    # the title never takes more than two lines of the score sheet's header
    title = window.current_form()._title  # noqa: SLF001
    assert title.text().startswith("Expert score sheet")
    assert title.height() <= 2 * title.fontMetrics().lineSpacing() + 2
    # 审核并签名: a proposal's two forms by their short titles (the whole English title squeezed the
    # 尚缺内容 column to a word a line), the whole title in the cell's tooltip
    from tic_desktop.ui.expert.review_dialog import ReviewDialog

    dialog = ReviewDialog(app.session, lang="en")
    qtbot.addWidget(dialog)
    cells = [dialog.table.item(r, 1) for r in range(dialog.table.rowCount())]
    names = [c.text() for c in cells]
    assert any(n.endswith("｜R&D capacity project") for n in names)
    assert not any("Expert score sheet" in n for n in names)
    assert any(c.toolTip().startswith(c.text().split("｜")[0]) and "score sheet" in c.toolTip().lower()
               for c in cells)
    app.shutdown()
