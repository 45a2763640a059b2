"""Shared builders for the agency tests: a demo batch, simulated sheets, re-signed revisions."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tic_desktop.expert.keys import ExpertKey
from tic_desktop.formats import agecrypt, container, sheet_model
from tic_desktop.formats import sheet as sheetfmt
from tic_desktop.formats.batch import OpenedBatch, read_batch


@dataclass
class World:
    root: Path
    batch_path: Path
    identity: str
    opened: OpenedBatch
    sheets: dict[str, Path] = field(default_factory=dict)
    keys: dict[str, ExpertKey] = field(default_factory=dict)

    def read(self, path: Path | bytes) -> sheetfmt.OpenedSheet:
        return sheetfmt.read_sheet(path, self.opened, identity=self.identity)


def make_world(root: Path, experts: tuple[str, ...], *, conflicts: set[tuple[str, str]] | None = None,
               seed: int = 1) -> World:
    """The demo feasibility batch and signed sheets of `experts` (simulated in the app's steps)."""
    from tic_desktop.demo import write_demo_batch
    from tic_desktop.simulate import ScoresPlan, simulate_expert

    batch_path = write_demo_batch(root / "demo")
    identity = (root / "demo" / "agency" / "agency.agekey").read_text("utf-8")
    raw = batch_path.read_bytes()
    opened = read_batch(raw)
    world = World(root, batch_path, identity, opened)
    out = root / "sheets"
    out.mkdir(parents=True, exist_ok=True)
    plan = ScoresPlan(conflicts=set(conflicts or ()))
    with tempfile.TemporaryDirectory(prefix="tic-agency-test-") as tmp:
        for eid in experts:
            expert = opened.manifest.expert(eid)
            done = simulate_expert(opened, raw, expert, out, Path(tmp), seed=seed, plan=plan)
            world.sheets[eid] = done.result.path
            world.keys[eid] = done.key
    return world


def resign(world: World, base: Path, out: Path, *, key: ExpertKey | None = None, **changes: Any) -> Path:
    """`base` with some sheet.json fields changed (sheet_seq, supersedes, audit_head, created_at…),
    signed again with the expert's key (or `key`) and encrypted to the agency and the expert: a
    sheet the app could have written."""
    got = world.read(base)
    key = key or world.keys[got.sheet.expert_id]
    update = dict(changes)
    if "audit_head" in update and isinstance(update["audit_head"], tuple):
        seq, digest = update["audit_head"]
        update["audit_head"] = sheet_model.AuditHeadEntry(seq=seq, hash=digest)
    members = dict(got.members)
    if key is not world.keys.get(got.sheet.expert_id):
        members.update(sheetfmt.key_members(key.signing_key.public_key(), got.sheet.expert_id))
        update["signer_fingerprint"] = key.fingerprint
        update["members"] = sheetfmt.member_entries(members)
    sheet = got.sheet.model_copy(update=update)
    zip_bytes, _ = sheetfmt.seal_sheet(sheet, members, key.signing_key)
    recipient = world.opened.manifest.agency.age_recipient
    out.write_bytes(sheetfmt.encrypt_sheet(zip_bytes, [recipient, key.age_recipient]))
    return out


def tamper(world: World, base: Path, out: Path) -> Path:
    """`base` with one byte of sheet.json changed and NOT signed again."""
    import io
    import zipfile

    plain = agecrypt.decrypt(base.read_bytes(), identities=agecrypt.identities_from_text(world.identity),
                             max_output=1 << 30)
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    body = members["sheet.json"]
    i = body.index(b'"created_at":"') + len(b'"created_at":"')
    members["sheet.json"] = body[:i] + (b"1" if body[i:i + 1] != b"1" else b"2") + body[i + 1:]
    recipient = world.opened.manifest.agency.age_recipient
    out.write_bytes(agecrypt.encrypt_to_recipients(container.write_zip(members), [recipient]))
    return out


def reencrypt(world: World, base: Path, out: Path) -> Path:
    """The same signed ZIP encrypted again: other bytes, the same sheet.json."""
    plain = agecrypt.decrypt(base.read_bytes(), identities=agecrypt.identities_from_text(world.identity),
                             max_output=1 << 30)
    out.write_bytes(agecrypt.encrypt_to_recipients(plain, [world.opened.manifest.agency.age_recipient]))
    return out
