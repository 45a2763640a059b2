"""A batch encrypted to the expert's own age key: the app unlocks the key on this computer to read it,
and the same unlocked key becomes the identity (no second passphrase)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.e2e.flow import PASSPHRASE, accept_pledge, pin_agency, wait_dialog, wait_until
from tic_desktop.app import create_app
from tic_desktop.expert import keys
from tic_desktop.ui.expert.identity_dialog import IdentityDialog
from tic_desktop.ui.expert.key_dialog import KeyDialog
from tic_desktop.ui.expert.pledge_dialog import PledgeDialog


def _batch_for(recipient: str, out: Path) -> Path:
    from tic_desktop.demo import build_demo_source
    from tic_desktop.formats import keys as agency_keys
    from tic_desktop.formats.batch import write_batch
    from tic_desktop.formats.source import read_source

    with tempfile.TemporaryDirectory() as tmp:
        spec = read_source(build_demo_source(Path(tmp) / "src"))
    path = out / "for-E01.ticbatch"
    # a real agency key: the demo key opens only in the demo workspace
    write_batch(path, spec, agency_keys.create_agency_keys(out / "agency"), recipients=[recipient])
    return path


def test_batch_encrypted_to_the_expert_key(qtbot, tmp_path: Path) -> None:
    data = tmp_path / "d"
    key = keys.create_key(data, "E01", PASSPHRASE)
    batch = _batch_for(key.age_recipient, tmp_path)
    app = create_app(["tic-desktop", str(batch)], data_dir=data)
    qtbot.addWidget(app.window)
    dialog = wait_dialog(app, KeyDialog)
    dialog.ui.passphraseEdit.setText(PASSPHRASE)
    dialog.ui.buttonBox.accepted.emit()
    pin_agency(app)
    identity = wait_dialog(app, IdentityDialog)
    identity.select("E01")
    identity.ui.buttonBox.accepted.emit()
    accept_pledge(app)
    assert isinstance(app.dialog, PledgeDialog) or wait_until(lambda: app.session.pledged())
    assert app.session.fingerprint == key.fingerprint
    app.shutdown()
