"""更换密钥… / 吊销密钥… on the 导入评分表 page (issue 11): E01 enrolled with key A, rotated to key B from the
new enrolment sheet with a reason — a sheet signed with A is refused (`sheet.key_revoked`), one signed with
B accepted; then revoked (after a confirmation) — B's sheets are refused too. Audited with the reasons."""

from __future__ import annotations

from pathlib import Path

from tests.ui.agency_setup import agency_world, ctx, demo_round, sheets_dir  # noqa: F401 - fixtures
from tests.unit.agency_world import resign
from tic_desktop.formats.sheet import parse_allowed_signers
from tic_desktop.simulate import make_key
from tic_desktop.ui.agency.key_change_dialog import KeyChangeDialog
from tic_desktop.ui.agency.sheet_import_page import SheetImportPage


def _import(qtbot, page: SheetImportPage, path: Path) -> tuple[str, str | None]:  # noqa: ANN001
    page.add_paths([path])
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=20000)
    [out] = page.last_outcomes
    return out.status, out.code


def test_rotate_then_revoke_an_experts_key_in_the_app(qtbot, ctx, demo_round: Path, sheets_dir: Path,  # noqa: F811
                                                      tmp_path: Path) -> None:
    key_a = parse_allowed_signers((sheets_dir / "allowed_signers").read_text())["E01"][0]
    key_b = make_key("E01")
    signed_b = resign(agency_world(demo_round), sheets_dir / "E01.ticsheet", tmp_path / "E01-new.ticsheet",
                      key=key_b)  # type: ignore[arg-type]
    page = SheetImportPage()
    qtbot.addWidget(page)
    page.set_context(ctx)
    page.show_message = lambda *a: page.__dict__.setdefault("messages", []).append(a)
    page.ask_enrolment = lambda experts, pins: ("E01", key_a)
    page.enrolButton.click()
    assert ctx.ws.pins(ctx.batch_id)["E01"].fingerprint == key_a

    def fill(mode: str, fingerprint: str, reason: str):  # noqa: ANN202 - the real dialog, filled as a user would
        def ask(m, experts, pins):  # noqa: ANN001, ANN202
            assert m == mode
            dialog = KeyChangeDialog(m, experts, pins)
            qtbot.addWidget(dialog)
            assert [dialog.expertCombo.itemData(i) for i in range(dialog.expertCombo.count())] == ["E01"]
            assert dialog.currentLabel.text() == pins["E01"].fingerprint
            if fingerprint:
                body = fingerprint.removeprefix("SHA256:")
                qtbot.keyClicks(dialog.fingerprintEdit, "SHA256: " + " ".join(body[i:i + 4] for i in range(0, len(body), 4)))
            assert not dialog.okButton.isEnabled()  # a reason is required
            dialog.reasonEdit.setText(reason)  # (QTest cannot type CJK)
            assert dialog.okButton.isEnabled()
            dialog.okButton.click()
            assert dialog.result() == KeyChangeDialog.DialogCode.Accepted
            return dialog.choice()
        return ask

    page.ask_key_change = fill("rotate", key_b.fingerprint, "新电脑")
    page.rotateKeyButton.click()
    assert page.messages[-1][0] == "密钥已更换"
    assert ctx.ws.pins(ctx.batch_id)["E01"].fingerprint == key_b.fingerprint
    assert _import(qtbot, page, sheets_dir / "E01.ticsheet") == ("rejected", "sheet.key_revoked")  # signed with A
    assert _import(qtbot, page, signed_b) == ("accepted", None)

    page.ask_key_change = fill("revoke", "", "电脑丢失")
    asked: list[str] = []
    page.confirm_revoke = lambda eid, reason: asked.append(eid) or False  # 否: nothing changes
    page.revokeKeyButton.click()
    assert asked == ["E01"] and ctx.ws.pins(ctx.batch_id)["E01"].fingerprint == key_b.fingerprint
    page.confirm_revoke = lambda eid, reason: True
    page.revokeKeyButton.click()
    assert page.messages[-1][0] == "密钥已吊销"
    assert "E01" not in ctx.ws.pins(ctx.batch_id)
    again = resign(agency_world(demo_round), sheets_dir / "E01.ticsheet", tmp_path / "E01-3.ticsheet",
                   key=key_b, created_at="2026-03-20T10:00:00+08:00")  # type: ignore[arg-type]
    assert _import(qtbot, page, again) == ("rejected", "sheet.key_revoked")
    assert [(k.end_reason, k.note) for k in ctx.ws.expert_keys("E01")] == [("rotated", "新电脑"), ("revoked", "电脑丢失")]
    actions = [e.action for e in ctx.ws.audit_events()]
    assert "expert.key_rotate" in actions and "expert.key_revoke" in actions
    key_c = make_key("E01")  # a revoked expert is enrolled again with 登记专家密钥…
    page.ask_enrolment = lambda experts, pins: ("E01", key_c.fingerprint)
    page.enrolButton.click()
    assert page.messages[-1][0] == "密钥已登记" and ctx.ws.pins(ctx.batch_id)["E01"].fingerprint == key_c.fingerprint
