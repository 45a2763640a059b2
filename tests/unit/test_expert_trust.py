"""Issue 11, the expert's side: attacks on the agency pin, performed as an attacker would.

The attacker has a real batch (as every expert of the round has), the public DEMO private key (it
ships in resources/demo/agency/), a fresh key of their own, pyrage and the stock `age` binary. Each
test asserts the refusal code and that the expert's workspace is exactly as it was.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pyrage
import pytest

from tests.batches import write_test_batch
from tests.corpus.batch_factory import resign, zip_members
from tic_desktop.core.errors import BatchRejected, message
from tic_desktop.core.names import name_key, name_problem
from tic_desktop.demo import demo_agency_dir, write_demo_batch
from tic_desktop.expert.session import ExpertSession, PinState
from tic_desktop.formats.demo_key import DEMO_AGENCY_FINGERPRINT
from tic_desktop.formats.keys import AgencyKeys, create_agency_keys, load_agency_keys
from tic_desktop.paths import demo_source_dir
from tic_desktop.simulate import make_key

AGENCY = next(line.split(",", 1)[1].strip() for line in
              (demo_source_dir() / "batch.csv").read_text("utf-8-sig").splitlines()
              if line.startswith("agency_name,"))  # the demo batch's agency name: realistic on purpose
BATCH_PASS = b"batch pass 7788"


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The real agency's batch (its own key) and, from the same content, the demo batch."""
    root = tmp_path_factory.mktemp("trust")
    path = write_test_batch(root / "real")
    demo = write_demo_batch(root / "demo")
    return {"path": path, "zip": path.read_bytes(), "keys": load_agency_keys(root / "real" / "agency"),
            "demo": demo.read_bytes(), "root": root}


def forge(batch_zip: bytes, keys: AgencyKeys, *, name: str | None = None, batch_id: str | None = None) -> bytes:
    """The batch's content re-signed with `keys` (agency fingerprint and age recipient swapped)."""

    def edit(manifest: dict[str, Any]) -> None:
        manifest["agency"]["signing_key_fingerprint"] = keys.fingerprint
        manifest["agency"]["age_recipient"] = keys.age_recipient
        if name is not None:
            manifest["agency"]["name"] = name
        if batch_id is not None:
            manifest["batch_id"] = batch_id

    return resign(zip_members(batch_zip), keys, edit, relist=False)


def snapshot(s: ExpertSession) -> tuple[Any, ...]:
    ws = s.workspace
    files = sorted(p.name for p in (s.data_dir / "batches").glob("*")) if (s.data_dir / "batches").exists() else []
    return (ws.agency_pins(), [(b.batch_id, b.manifest_sha256, b.agency_fingerprint, b.raw_sha256) for b in ws.batches()],
            ws.audit_head().seq, files)


def working_session(data: Path, real: dict[str, Any]) -> ExpertSession:
    """The expert's real workspace: the real batch pinned and kept, an identity, a pledge, a score."""
    s = ExpertSession.open(data)
    s.accept(ExpertSession.read(real["zip"]), real["zip"], pin_new_agency=True)
    key = make_key("E01")
    s.choose_expert("E01", key)
    s.accept_pledge()
    return s


def refused(s: ExpertSession, raw: bytes, code: str, *, pin: bool = True, **read: Any) -> None:
    before = snapshot(s)
    opened = ExpertSession.read(raw, **read)
    with pytest.raises(BatchRejected) as err:
        s.accept(opened, raw, pin_new_agency=pin)
    opened.close()
    assert err.value.code == code, err.value
    assert message(code, "zh") and message(code, "en") != message(code, "zh")
    assert snapshot(s) == before


# ── 1. the demo key is never trusted in the real workspace ─────────────────────────────────────

def _old_version_pinned_the_demo(s: ExpertSession, demo_raw: bytes) -> None:
    """What `tic-desktop --demo` did before the demo had its own workspace: the demo batch kept in the
    real workspace and the demo key pinned under the demo's realistic agency name."""
    opened = ExpertSession.read(demo_raw)
    s.workspace.add_batch(raw=demo_raw, batch_id=opened.manifest.batch_id, manifest_sha256=opened.manifest_sha256,
                          title_zh=opened.manifest.title.zh, title_en=opened.manifest.title.en,
                          kind=opened.manifest.kind, agency_name=opened.manifest.agency.name,
                          agency_fingerprint=opened.agency_fingerprint)
    opened.close()
    assert s.workspace.get_pinned_agency(AGENCY) == DEMO_AGENCY_FINGERPRINT


def test_a_demo_pin_left_in_the_real_workspace_is_void(tmp_path: Path, real: dict[str, Any]) -> None:
    s = ExpertSession.open(tmp_path / "data")
    try:
        _old_version_pinned_the_demo(s, real["demo"])
        # the attack: a batch signed with the public demo private key under the pinned name, another id
        demo_keys = load_agency_keys(demo_agency_dir())
        evil = forge(real["zip"], demo_keys, name=AGENCY, batch_id="TJ-EVIL-01")
        opened = ExpertSession.read(evil)
        assert opened.agency_fingerprint == DEMO_AGENCY_FINGERPRINT
        assert s.refusal(opened) is not None and s.refusal(opened).code == "agency.demo_key"
        opened.close()
        refused(s, evil, "agency.demo_key", pin=False)
        refused(s, evil, "agency.demo_key", pin=True)  # and it cannot be pinned either
        refused(s, real["demo"], "agency.demo_key")  # nor the demo batch itself, here
        assert "演示" in message("agency.demo_key", "zh") and "DEMO" in message("agency.demo_key", "en")
        assert s.recent_batches() == [] and s.last_batch_path() is None  # the old demo copy is not offered

        # the real batch from that agency, with its real key: a new key to confirm, not "key changed"
        opened = ExpertSession.read(real["zip"])
        assert s.refusal(opened) is None and s.pin_state(opened) is PinState.NEW
        s.accept(opened, real["zip"], pin_new_agency=True)
        assert s.workspace.get_pinned_agency(AGENCY) == real["keys"].fingerprint
        assert [p for p in s.workspace.agency_pins() if p[1] == DEMO_AGENCY_FINGERPRINT] == []
        again = ExpertSession.read(real["zip"])
        assert s.pin_state(again) is PinState.PINNED
        again.close()
    finally:
        s.close()


def test_the_demo_workspace_opens_only_the_demo(tmp_path: Path, real: dict[str, Any]) -> None:
    s = ExpertSession.open(tmp_path / "demo-ws", demo=True)
    try:
        opened = ExpertSession.read(real["demo"])
        assert s.refusal(opened) is None and s.pin_state(opened) is PinState.NEW
        s.accept(opened, real["demo"], pin_new_agency=True)
        refused(s, real["zip"], "agency.not_demo")
    finally:
        s.close()


# ── 3. look-alike agency names and a second key for a kept batch ──────────────────────────────

LOOK_ALIKES = {
    "zero-width space": AGENCY + "\u200b",
    "zero-width inside": AGENCY[:3] + "\u200b" + AGENCY[3:],
    "trailing space": AGENCY + " ",
    "leading ideographic space": "\u3000" + AGENCY,
    "bidi override": "\u202e" + AGENCY,
    "word joiner": AGENCY + "\u2060",
    "byte order mark": "\ufeff" + AGENCY,
    "hangul filler": AGENCY + "\u3164",
}


@pytest.mark.parametrize("case", sorted(LOOK_ALIKES))
def test_a_look_alike_name_is_refused_and_nothing_changes(tmp_path: Path, real: dict[str, Any], case: str) -> None:
    s = working_session(tmp_path / "data", real)
    try:
        attacker = create_agency_keys(tmp_path / "attacker")
        evil = forge(real["zip"], attacker, name=LOOK_ALIKES[case])
        encrypted = pyrage.passphrase.encrypt(evil, BATCH_PASS.decode())  # as sent: encrypted, with pyrage
        refused(s, encrypted, "agency.bad_name", passphrase=BATCH_PASS.decode())
        assert "不可见字符" in message("agency.bad_name", "zh")
    finally:
        s.close()


@pytest.mark.skipif(shutil.which("age") is None, reason="the stock age binary is not installed")
def test_the_same_name_with_a_fresh_key_is_a_changed_key(tmp_path: Path, real: dict[str, Any]) -> None:
    """Same name, or the same name in full-width / other case (NFKC, case folded): refused as changed."""
    s = working_session(tmp_path / "data", real)
    expert_age = pyrage.x25519.Identity.generate()
    try:
        attacker = create_agency_keys(tmp_path / "attacker")
        # the name itself, and the name with a Kangxi radical for 心 (NFKC makes it the same name)
        for name in (AGENCY, AGENCY.replace("心", "\u2f3c")):
            evil = forge(real["zip"], attacker, name=name)
            plain = tmp_path / "evil.zip"
            plain.write_bytes(evil)
            out = tmp_path / "evil.ticbatch"  # re-encrypted to the expert's key with the stock age binary
            subprocess.run(["age", "-r", str(expert_age.to_public()), "-o", str(out), str(plain)], check=True)
            opened = ExpertSession.read(out.read_bytes(), identity=str(expert_age))
            assert s.pin_state(opened) is PinState.CHANGED
            assert s.pinned_key_for(opened) == real["keys"].fingerprint
            opened.close()
            refused(s, out.read_bytes(), "agency.key_changed", identity=str(expert_age))
    finally:
        s.close()


def test_a_kept_batch_is_never_replaced_by_another_key(tmp_path: Path, real: dict[str, Any]) -> None:
    """A plausible new name passes the name check and is a new agency key; even when the expert
    confirms it, the batch they hold (same id) is not replaced, so their sheets stay encrypted to the
    real agency's age key."""
    s = working_session(tmp_path / "data", real)
    try:
        attacker = create_agency_keys(tmp_path / "attacker")
        for name in (AGENCY + "（新）", AGENCY.replace("评", "評")):
            assert name_problem(name) is None and name_key(name) != name_key(AGENCY)
            evil = forge(real["zip"], attacker, name=name)
            opened = ExpertSession.read(evil)
            assert s.refusal(opened) is None and s.pin_state(opened) is PinState.NEW
            opened.close()
            refused(s, evil, "batch.other_key", pin=True)
        record = s.workspace.batch(s.batch_id)
        assert record is not None and record.agency_fingerprint == real["keys"].fingerprint
        assert s.opened.manifest.agency.age_recipient == real["keys"].age_recipient
        assert "另一把机构密钥" in message("batch.other_key", "zh")
    finally:
        s.close()


def test_a_key_already_trusted_opens_whatever_else_is_pinned(tmp_path: Path, real: dict[str, Any]) -> None:
    """Trust goes by key: a second agency with its own key and name is a new key, then pinned; both open."""
    s = working_session(tmp_path / "data", real)
    try:
        other = create_agency_keys(tmp_path / "other")
        theirs = forge(real["zip"], other, name="天津市科学技术发展战略研究院", batch_id="TJ-OTHER-01")
        opened = ExpertSession.read(theirs)
        assert s.pin_state(opened) is PinState.NEW
        s.accept(opened, theirs, pin_new_agency=True)
        assert sorted(fp for _n, fp in s.trusted_agencies()) == sorted([real["keys"].fingerprint, other.fingerprint])
        mine = ExpertSession.read(real["zip"])
        assert s.pin_state(mine) is PinState.PINNED
        s.accept(mine, real["zip"])
    finally:
        s.close()


def test_names_are_normalised_and_hidden_characters_named() -> None:
    assert name_problem("天津市科技评估中心（第三方）") is None  # full-width brackets are ordinary
    assert name_key("ＡＢＣ　Centre") == name_key("abc centre")
    for bad, what in (("A\u200bB", "invisible U+200B"), ("A\u0007", "control U+0007"), (" A", "whitespace"),
                      ("A  B", "whitespace"), ("", "empty"), ("A\u2028B", "line_separator U+2028"),
                      ("A\ufe0f", "invisible U+FE0F")):
        assert name_problem(bad) == what, bad
