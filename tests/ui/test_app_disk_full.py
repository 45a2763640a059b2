"""The real app with its data folder on a small tmpfs that fills up while the expert scores: the
window says so in Chinese, the edit stays in memory (not 已保存), and once space is freed the
autosave retry commits it; the workspace is whole. Skipped (with the reason) without root."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.flow import wait_until, walk_to_review
from tests.small_disk import fill, small_disk
from tic_desktop.app import create_app
from tic_desktop.storage.workspace import Workspace


def test_scoring_onto_a_full_disk_warns_keeps_the_edit_and_saves_it_later(qtbot, tmp_path: Path) -> None:
    from tests.batches import write_test_batch

    batch = write_test_batch(tmp_path / "demo")
    with small_disk(tmp_path / "disk", "8m") as disk:
        data = disk / "data"
        app = create_app(["tic-desktop", str(batch)], data_dir=data)
        qtbot.addWidget(app.window)
        walk_to_review(app)
        window = app.window
        pid = window.current_id
        form = window._shown_forms[0]  # noqa: SLF001 - the form on screen
        crits = [c.id for c in form.criteria]
        filler = fill(disk)
        # type long comments until a commit meets the full disk (the WAL may have room for a few)
        for n in range(40):
            text = f"第{n}条意见：" + "申报材料核对无误，评分理由如下。" * 1100
            for crit in crits:
                window.forms[0].answerChanged.emit("comment", crit, text)
            if not window.flush():
                break
        assert window.autosave.failing, "the full disk never refused a commit"
        banner = window.ui.bannerLabel.text()
        assert window.ui.banner.isVisible()
        assert "修改尚未保存，已保留在内存中" in banner and "磁盘空间不足" in banner
        assert window.ui.savedLabel.text() == "未保存"
        pending = window.autosave.pending
        assert pending and all(value == text for value in pending.values())

        # closing now would lose the edits: the expert is asked, and 不关闭 keeps window and edits
        window.confirm_close_unsaved = lambda: False
        assert not window.close()
        assert window.autosave.pending

        filler.unlink()  # space freed: the retry timer commits what was kept
        wait_until(lambda: not window.autosave.pending, timeout=15)
        assert not window.ui.banner.isVisible() and window.ui.savedLabel.text().startswith("已保存")
        app.shutdown()
        with Workspace.open(data / "workspace.db", check_location=False) as ws:
            assert ws.integrity_check() == ["ok"]
            ws.verify_audit_chain()
            batch_id = ws.batches()[0].batch_id
            stored = ws.answers_for(batch_id, "E01", pid, form.id)["comments"]
            assert all(stored[c] == text for c in crits)
