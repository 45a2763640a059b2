"""Issue 17 finding 11 on the review page: form tabs told apart, the R&D form not kept across
proposals, a 已签名 · 只读 banner on a signed sheet; the wizard's forms by title."""

from __future__ import annotations

from pathlib import Path

from tic_desktop.ui.common.short_titles import short_titles


def test_short_titles_tell_the_forms_apart() -> None:
    got = short_titles({"feasibility_review": "天津市综合性技术创新中心建设方案论证专家评分表",
                        "rd_capacity_review": "综合性技术创新中心研发创新能力建设项目论证专家评分表"})
    assert got == {"feasibility_review": "天津市建设方案", "rd_capacity_review": "研发创新能力建设项目"}
    assert short_titles({"a": "Tianjin comprehensive TIC plan review form",
                         "b": "Comprehensive TIC R&D capacity project review form"}) == {
        "a": "Tianjin plan", "b": "R&D capacity project"}
    assert short_titles({"only": "天津市综合性技术创新中心建设方案论证专家评分表"}) == {
        "only": "天津市综合性技术创新中心建设方案论证专家评分表"}


def test_form_tabs_first_form_per_proposal_and_signed_banner(qtbot, tmp_path: Path) -> None:
    from tests.e2e.flow import wait_until, walk_to_review
    from tic_desktop.app import create_app

    app = create_app(["tic-desktop"], data_dir=tmp_path / "data")
    window = app.window
    qtbot.addWidget(window)
    app.open_demo()  # the demo workspace (the demo key opens only there)
    walk_to_review(app)
    tabs = window.ui.formTabs
    two = next(p.id for p in app.session.assigned()
               if not app.session.is_conflicted(p.id) and len(app.session.forms_for(p.id)) == 2)
    window.proposals.select(two)
    wait_until(lambda: window.current_id == two)
    texts = [tabs.tabText(i) for i in range(tabs.count())]
    assert texts == ["天津市建设方案 · 0.00", "研发创新能力建设项目 · 0.00"]
    assert tabs.tabToolTip(0).endswith("专家评分表")
    tabs.setCurrentIndex(1)  # the R&D form
    other = next(p.id for p in app.session.assigned()
                 if p.id != two and not app.session.is_conflicted(p.id) and len(app.session.forms_for(p.id)) == 2)
    window.proposals.select(other)
    wait_until(lambda: window.current_id == other)
    assert tabs.currentIndex() == 0  # another proposal starts on its first form
    form = window.current_form()
    assert not form._signed_banner.isVisible()  # noqa: SLF001
    window.show_proposal(two)
    form.set_form(window._shown_forms[0], form.answers(), "technical", read_only=True)  # noqa: SLF001
    assert form._signed_banner.isVisible() and "已签名 · 只读" in form._signed_banner.text()  # noqa: SLF001
    app.shutdown()
