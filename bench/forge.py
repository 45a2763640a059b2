"""Signed sheets forged directly, for the import benchmarks (bench_agency, bench_round), and the
simulated answers they carry (bench_sheets renders them).

What `expert.signing` writes — canonical sheet.json, SSHSIG, raw Ed25519, the key files, a PDF per
scored proposal and the pledge PDF, age-encrypted to the agency and the expert — without rendering
real PDFs: each PDF is incompressible bytes (the importer hashes them, it never renders them).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

PDF_BYTES = 40_000


def small_pdf(rng: random.Random, _pid: str) -> bytes:
    """A 2 KB stand-in PDF for the batch's own documents (`batch_spec(make_pdf=…)`)."""
    return b"%PDF-1.7\n" + rng.randbytes(2000) + b"\n%%EOF\n"


def sheet_pdf(rng: random.Random) -> bytes:
    """A 40 KB stand-in PDF for a sheet's members."""
    return b"%PDF-1.7\n" + rng.randbytes(PDF_BYTES) + b"\n%%EOF\n"


def simulated_answers(form: Any, proposal: Any, role: str, rng: random.Random, quality: float) -> Any:
    """One complete form's `FormAnswers` as `simulate` scores it (at `quality`, 0–1)."""
    from tic_desktop.core.scoring import FormAnswers
    from tic_desktop.simulate import _answers_for

    rows = _answers_for(form, proposal, role, rng, quality, {})
    return FormAnswers(
        scores={i: v for k, i, v in rows if k == "score"},
        not_applicable=frozenset(i for k, i, _ in rows if k == "na"),
        comments={i: v for k, i, v in rows if k == "comment"},
        vetoes={i: v for k, i, v in rows if k == "veto"},
        conclusion=next((v for k, _, v in rows if k == "conclusion"), None),
        overall={i: v for k, i, v in rows if k == "overall"},
    )


def forge_sheet(opened: Any, form: Any, expert: Any, rng: random.Random,
                quality: Callable[[], float]) -> tuple[bytes, str]:
    """One expert's signed, encrypted sheet scoring every proposal assigned to `expert` in the open
    batch `opened` on `form` (answers as `simulate` gives them, at `quality()` drawn once per
    proposal), and the expert's allowed_signers line. A new Ed25519 and age key each call."""
    import pyrage
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from tic_desktop import __version__
    from tic_desktop.core.pledge import pledge_sha256
    from tic_desktop.core.scoring import evaluate
    from tic_desktop.expert.signing import form_entry
    from tic_desktop.formats import sheet as sf
    from tic_desktop.formats import sshsig, strictjson

    m = opened.manifest
    key = Ed25519PrivateKey.generate()
    age = pyrage.x25519.Identity.generate()
    members: dict[str, bytes] = dict(sf.key_members(key.public_key(), expert.id))
    members[sf.PLEDGE_PDF] = sheet_pdf(rng)
    entries = []
    for pid in expert.assigned:
        proposal = opened.proposals[pid]
        answers = simulated_answers(form, proposal, expert.role, rng, quality())
        fe = form_entry(form, answers, evaluate(form, answers, expert.role))
        entries.append({"proposal_id": pid, "conflict": {"declared": False, "reason": None, "note": ""},
                        "forms": [fe.model_dump(mode="json")], "documents_opened": []})
        members[sf.pdf_member(pid)] = sheet_pdf(rng)
    body = {
        "format": sf.SHEET_FORMAT, "format_version": sf.SHEET_FORMAT_VERSION, "app_version": __version__,
        "batch_id": m.batch_id, "batch_manifest_sha256": opened.manifest_sha256, "expert_id": expert.id,
        "signer_fingerprint": sshsig.fingerprint(key.public_key()),
        "recipient": {"name": m.agency.name, "fingerprint": m.agency.signing_key_fingerprint,
                      "age_recipient": m.agency.age_recipient},
        "forms": [{"id": form.id, "version": form.version, "sha256": form.content_hash}],
        "proposals": entries,
        "pledge": {"text_sha256": pledge_sha256(), "accepted_at": "2026-02-01T09:00:00Z"},
        "sheet_seq": 1, "supersedes": None, "audit_head": {"seq": 100, "hash": "ab" * 32},
        "created_at": "2026-02-01T10:00:00Z",
        "members": [e.model_dump(mode="json") for e in sf.member_entries(members)],
    }
    sheet = sf.Sheet.model_validate_json(strictjson.dumps(body))
    zip_bytes, _ = sf.seal_sheet(sheet, members, key)
    return (sf.encrypt_sheet(zip_bytes, [m.agency.age_recipient, str(age.to_public())]),
            sf.allowed_signers_line(expert.id, key.public_key()))
