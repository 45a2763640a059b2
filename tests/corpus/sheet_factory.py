"""Builders for valid score sheets (and the raw pieces to break them) for the corpus, fuzz and trust tests.

Fast: no PDF rendering, no workspace, no scrypt. A sheet here is what `expert.signing` writes —
canonical `sheet.json`, SSHSIG, raw Ed25519, key files, one PDF per scored proposal and the
pledge — for the small batch of `batch_factory.make_spec` (form c1 ≤ 40, c2 ≤ 60, step 0.5):
E01 (technical, chair) scores P001 and P002; E02 (finance) scores P001 and declares its known
conflict P002.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyrage
from batch_factory import PDF
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tic_desktop.core.pledge import pledge_sha256
from tic_desktop.core.scoring import FormAnswers, evaluate
from tic_desktop.formats import agecrypt, container, sshsig, strictjson
from tic_desktop.formats import sheet as sf

SHEET_FILES = (sf.SHEET, sf.SHEET_SIG, sf.SHEET_RAW_SIG)
AUDIT_HASH = hashlib.sha256(b"audit head").hexdigest()


@dataclass(frozen=True)
class ExpertKeys:
    expert_id: str
    signing_key: Ed25519PrivateKey
    age_identity: pyrage.x25519.Identity

    @property
    def fingerprint(self) -> str:
        return sshsig.fingerprint(self.signing_key.public_key())

    @property
    def age_recipient(self) -> str:
        return str(self.age_identity.to_public())

    @classmethod
    def generate(cls, expert_id: str) -> ExpertKeys:
        return cls(expert_id, Ed25519PrivateKey.generate(), pyrage.x25519.Identity.generate())


DEFAULT_SCORES = {"c1": "30", "c2": "50.5"}


def sheet_body(batch: Any, keys: ExpertKeys, *, seq: int = 1, supersedes: str | None = None,
               scores: Mapping[str, str] = DEFAULT_SCORES, audit_seq: int = 7, audit_hash: str = AUDIT_HASH,
               created_at: str = "2026-02-01T10:00:00Z", comment: str | None = "论证充分。") -> dict[str, Any]:
    """The JSON-mode body of a valid sheet (without `members`) for `keys.expert_id`."""
    m = batch.manifest
    expert = m.expert(keys.expert_id)
    form_hashes: dict[str, dict[str, Any]] = {}
    entries = []
    for p in m.proposals:
        if expert.assigned and p.id not in expert.assigned:
            continue
        if p.id in expert.known_conflicts:
            entries.append({"proposal_id": p.id, "conflict": {"declared": True, "reason": "known_in_advance",
                                                               "note": ""},
                            "forms": [], "documents_opened": []})
            continue
        forms = []
        for fid in batch.proposals[p.id].forms:
            form = batch.forms[fid]
            form_hashes[fid] = {"id": fid, "version": form.version, "sha256": form.content_hash}
            answers = FormAnswers(scores={k: Decimal(v) for k, v in scores.items()}, conclusion="pass",
                                  comments={"c1": comment} if comment else {})
            ev = evaluate(form, answers, expert.role)
            forms.append({
                "form_id": fid,
                "criteria": [{"id": c.id, "score": scores.get(c.id), "not_applicable": False,
                              "comment": comment if c.id == "c1" else None} for c in form.criteria],
                "vetoes": {}, "vetoes_triggered": list(ev.vetoes_triggered), "conclusion": "pass", "overall": {},
                "raw_total": format(ev.raw_total, "f"), "applicable_max": format(ev.applicable_max, "f"),
                "total": format(ev.total, "f"),
            })
        docs = [{"path": x.path, "sha256": x.sha256} for x in m.members
                if x.path in batch.documents and x.path.startswith(f"proposals/{p.id}/")]
        entries.append({"proposal_id": p.id, "conflict": {"declared": False, "reason": None, "note": ""},
                        "forms": forms, "documents_opened": docs})
    return {
        "format": sf.SHEET_FORMAT, "format_version": sf.SHEET_FORMAT_VERSION, "app_version": "0.1.0",
        "batch_id": m.batch_id, "batch_manifest_sha256": batch.manifest_sha256, "expert_id": keys.expert_id,
        "signer_fingerprint": keys.fingerprint,
        "recipient": {"name": m.agency.name, "fingerprint": m.agency.signing_key_fingerprint,
                      "age_recipient": m.agency.age_recipient},
        "forms": [form_hashes[k] for k in sorted(form_hashes)],
        "proposals": entries,
        "pledge": {"text_sha256": pledge_sha256(), "accepted_at": "2026-01-20T09:00:00Z"},
        "sheet_seq": seq, "supersedes": supersedes,
        "audit_head": {"seq": audit_seq, "hash": audit_hash},
        "created_at": created_at,
    }


def plain_members(body: Mapping[str, Any], keys: ExpertKeys) -> dict[str, bytes]:
    """expert.pub, expert.pem, pledge.pdf and one PDF per scored proposal (content tagged, not rendered)."""
    out = sf.key_members(keys.signing_key.public_key(), keys.expert_id)
    out[sf.PLEDGE_PDF] = PDF + b"% pledge " + keys.expert_id.encode()
    for p in body["proposals"]:
        if not p["conflict"]["declared"]:
            out[sf.pdf_member(p["proposal_id"])] = PDF + f"% sheet {keys.expert_id} {p['proposal_id']}".encode()
    return out


def relist(body: dict[str, Any], members: Mapping[str, bytes]) -> dict[str, Any]:
    """`body` with `members` listing exactly the non-signature members given."""
    others = {k: v for k, v in members.items() if k not in SHEET_FILES}
    body = dict(body)
    body["members"] = [e.model_dump(mode="json") for e in sf.member_entries(others)]
    return body


def sign_members(members: Mapping[str, bytes], body: dict[str, Any] | bytes, key: Ed25519PrivateKey, *,
                 namespace: str = sf.SHEET_NAMESPACE) -> dict[str, bytes]:
    """`members` with sheet.json = `body` (canonical JSON of a dict, or the exact bytes) and both signatures."""
    raw = body if isinstance(body, bytes) else strictjson.dumps(body)
    out = dict(members)
    out[sf.SHEET] = raw
    out[sf.SHEET_SIG] = sshsig.sign(raw, key, namespace)
    out[sf.SHEET_RAW_SIG] = key.sign(raw)
    return out


def members_of(plain_zip: bytes) -> dict[str, bytes]:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(plain_zip)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def body_of(members: Mapping[str, bytes]) -> dict[str, Any]:
    return copy.deepcopy(dict(strictjson.parse(members[sf.SHEET])))


@dataclass(frozen=True)
class SheetWorld:
    """One small batch, its agency identity, three experts' keys and one valid sheet to break."""

    batch: Any  # formats.batch.OpenedBatch
    agency_identity: str
    """The text of the agency's age identity file."""
    agency_recipient: str
    e1: ExpertKeys
    e2: ExpertKeys
    stranger: ExpertKeys
    """A key nobody enrolled (for E01's id)."""
    body: dict[str, Any]
    """E01's valid sheet body, with members."""
    members: dict[str, bytes]
    """Every member of E01's valid sheet ZIP (sheet.json and signatures included)."""
    zip: bytes
    """E01's valid sheet as the plaintext ZIP."""
    valid: bytes
    """E01's valid sheet, encrypted to the agency and E01."""

    @property
    def pins(self) -> dict[str, str]:
        return {self.e1.expert_id: self.e1.fingerprint, self.e2.expert_id: self.e2.fingerprint}

    def read_kwargs(self) -> dict[str, Any]:
        """What the agency passes to read_sheet: its identity and the pinned expert keys."""
        return {"identity": self.agency_identity, "pinned": self.pins}

    def encrypt(self, plain_zip: bytes, *recipients: str) -> bytes:
        return agecrypt.encrypt_to_recipients(plain_zip, list(recipients) or [self.agency_recipient,
                                                                             self.e1.age_recipient])

    def keys(self, expert_id: str) -> ExpertKeys:
        return {"E01": self.e1, "E02": self.e2}[expert_id]

    def make(self, keys: ExpertKeys | None = None, *, edit: Callable[[dict[str, Any]], None] | None = None,
             signer: ExpertKeys | None = None, encrypt: bool = True, **body_kw: Any) -> bytes:
        """A complete sheet for `keys` (default E01), optionally edited before listing and signing."""
        keys = keys or self.e1
        body = sheet_body(self.batch, keys, **body_kw)
        plain = plain_members(body, keys)
        if edit is not None:
            edit(body)
        z = container.write_zip(sign_members(plain, relist(body, plain), (signer or keys).signing_key),
                                stored_suffixes=(".pdf",))
        return self.encrypt(z, self.agency_recipient, keys.age_recipient) if encrypt else z

    def resealed(self, members: Mapping[str, bytes], body: dict[str, Any] | bytes | None = None, *,
                 key: Ed25519PrivateKey | None = None, do_relist: bool = False, encrypt: bool = True) -> bytes:
        """E01's sheet with these members; sheet.json replaced by `body` and signed again when given."""
        m = dict(members)
        if body is not None:
            if do_relist and isinstance(body, dict):
                body = relist(body, m)
            m = sign_members(m, body, key or self.e1.signing_key)
        z = container.write_zip(m, stored_suffixes=(".pdf",))
        return self.encrypt(z) if encrypt else z


def make_world(batch: Any, agency_identity: str, agency_recipient: str) -> SheetWorld:
    e1, e2 = ExpertKeys.generate("E01"), ExpertKeys.generate("E02")
    body = sheet_body(batch, e1)
    plain = plain_members(body, e1)
    body = relist(body, plain)
    members = sign_members(plain, body, e1.signing_key)
    z = container.write_zip(members, stored_suffixes=(".pdf",))
    return SheetWorld(
        batch=batch, agency_identity=agency_identity, agency_recipient=agency_recipient, e1=e1, e2=e2,
        stranger=ExpertKeys.generate("E01"), body=body, members=members, zip=z,
        valid=agecrypt.encrypt_to_recipients(z, [agency_recipient, e1.age_recipient]),
    )
