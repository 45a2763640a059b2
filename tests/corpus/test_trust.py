"""Tampering and trust (issue 6 part 5): what a forger, a thief of an old key or a replaying
middleman gets when the agency reads a sheet (or an expert reads a batch) — each with its outcome.

- any single byte flipped in the encrypted file: refused (age authenticates every byte);
- any single byte flipped in the plaintext ZIP, re-encrypted to the agency (what someone holding
  the agency's *public* key can do): refused, unless the byte is ZIP bookkeeping that carries no
  content (a version, a timestamp, an attribute bit), in which case what is read is byte for byte
  the signed sheet; every byte of the signed content (sheet.json, both signatures, key files, PDFs)
  flipped: refused; every byte of a local header that repeats the central directory (flags, method,
  CRC-32, sizes, name length, name) flipped: refused, so a streaming ZIP reader cannot be shown
  other members than ours;
- expert B signs a sheet claiming to be A: refused (`sheet.key_mismatch` against A's pin);
- a rotated key for a pinned expert: refused until the agency pins it; a revoked or expired key in
  allowed_signers: refused;
- an agency key swapped in a batch: refused against the expert's pinned agency fingerprint;
- replays and conflicting revisions: tests/corpus/test_sheet_replay.py.
"""

from __future__ import annotations

import io
import os
import zipfile
from typing import Any

import pytest
from batch_factory import raw_zip, resign
from conftest import Ctx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sheet_factory import SheetWorld, body_of, plain_members, relist, sheet_body, sign_members

from tic_desktop.core.errors import BatchRejected, SheetRejected
from tic_desktop.formats import agecrypt, container, sshsig
from tic_desktop.formats import sheet as sf
from tic_desktop.formats.batch import read_batch

EXAMPLES = int(os.environ.get("TIC_FUZZ_EXAMPLES", "200"))
FAST = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _flip(data: bytes, offset: int, mask: int) -> bytes:
    b = bytearray(data)
    b[offset] ^= mask
    return bytes(b)


def _read(w: SheetWorld, data: bytes, **kw: Any) -> sf.OpenedSheet:
    kwargs = {**w.read_kwargs(), **kw}
    return sf.read_sheet(data, w.batch, **kwargs)


# ── single-byte flips ───────────────────────────────────────────────────────────────────────

@FAST
@given(data=st.data())
def test_any_byte_flipped_in_the_encrypted_sheet_is_refused(sheets: SheetWorld, data: st.DataObject) -> None:
    offset = data.draw(st.integers(0, len(sheets.valid) - 1), label="offset")
    mask = data.draw(st.integers(1, 255), label="mask")
    with pytest.raises(SheetRejected):
        _read(sheets, _flip(sheets.valid, offset, mask))


def test_every_byte_of_the_age_header_and_ends_flipped_is_refused(sheets: SheetWorld) -> None:
    header_end = sheets.valid.index(b"\n--- ") + 48  # header, MAC line and the payload nonce
    offsets = [*range(header_end), *range(len(sheets.valid) - 64, len(sheets.valid))]
    for offset in offsets:
        with pytest.raises(SheetRejected):
            _read(sheets, _flip(sheets.valid, offset, 0x01))


@FAST
@given(data=st.data())
def test_any_byte_flipped_in_the_plaintext_zip_is_refused_or_changes_nothing_signed(
        sheets: SheetWorld, data: st.DataObject) -> None:
    offset = data.draw(st.integers(0, len(sheets.zip) - 1), label="offset")
    mask = data.draw(st.integers(1, 255), label="mask")
    forged = sheets.encrypt(_flip(sheets.zip, offset, mask), sheets.agency_recipient)
    try:
        got = _read(sheets, forged)
    except SheetRejected:
        return
    # accepted: the byte was ZIP bookkeeping (a version, a timestamp, an attribute); what was read
    # is exactly what was signed
    assert offset in _bookkeeping(sheets.zip), f"byte {offset} flipped and accepted"
    assert got.sheet_bytes == sheets.members[sf.SHEET]
    assert {k: v for k, v in got.members.items()} == {
        k: v for k, v in sheets.members.items() if k not in (sf.SHEET, sf.SHEET_SIG, sf.SHEET_RAW_SIG)}


def _headers(z: bytes) -> tuple[list[int], list[int]]:
    """Offsets of the local headers and of the central directory entries."""
    with zipfile.ZipFile(io.BytesIO(z)) as zf:
        infos = zf.infolist()
        start = zf.start_dir
    local = [i.header_offset for i in infos]
    central, at = [], start
    for i in infos:
        central.append(at)
        at += 46 + len(i.orig_filename.encode()) + len(i.extra) + len(i.comment)
    return local, central


def _bookkeeping(z: bytes) -> set[int]:
    """Bytes no reader takes content from: versions and timestamps (local and central), internal and
    external attributes (a flip there that matters — a symlink or directory bit — is refused anyway)."""
    local, central = _headers(z)
    spots = {o + k for o in local for k in (*range(4, 6), *range(10, 14))}
    return spots | {o + k for o in central for k in (*range(4, 8), *range(12, 16), *range(36, 42))}


def test_every_local_header_byte_that_repeats_the_directory_flipped_is_refused(sheets: SheetWorld) -> None:
    """Flags, method, CRC-32, both sizes, name length and name of every local header: a flip makes
    the local header disagree with the central directory (or the layout), and that is refused."""
    z = sheets.zip
    local, _central = _headers(z)
    codes: set[str] = set()
    for at in local:
        name_len = int.from_bytes(z[at + 26 : at + 28], "little")
        for offset in (*range(at + 6, at + 10), *range(at + 14, at + 28), *range(at + 30, at + 30 + name_len)):
            with pytest.raises(SheetRejected) as err:
                _read(sheets, sheets.encrypt(_flip(z, offset, 0x01), sheets.agency_recipient))
            codes.add(err.value.code)
    assert "zip.header_mismatch" in codes
    assert codes <= {"zip.header_mismatch", "zip.gap", "zip.overlap"}, codes


def test_every_byte_of_the_signed_content_flipped_is_refused(sheets: SheetWorld) -> None:
    """Stored (uncompressed) members, so each content byte sits at a known offset of the ZIP."""
    z = raw_zip([(n, b, {"compress_type": zipfile.ZIP_STORED}) for n, b in sorted(sheets.members.items())])
    assert _read(sheets, sheets.encrypt(z)).sheet_bytes == sheets.members[sf.SHEET]
    with zipfile.ZipFile(io.BytesIO(z)) as zf:
        spans = {i.filename: (i.header_offset + 30 + len(i.filename.encode()), i.file_size) for i in zf.infolist()}
    codes: set[str] = set()
    for name in (sf.SHEET, sf.SHEET_SIG, sf.SHEET_RAW_SIG, sf.EXPERT_PUB, sf.EXPERT_PEM, "pdf/P001.pdf"):
        start, size = spans[name]
        step = 1 if name != sf.SHEET else 3  # sheet.json: every third byte keeps the test quick
        for offset in range(start, start + size, step):
            with pytest.raises(SheetRejected) as err:
                _read(sheets, sheets.encrypt(_flip(z, offset, 0x01), sheets.agency_recipient))
            codes.add(err.value.code)
    assert codes <= {"zip.crc_mismatch"} | {c for c in codes if c.startswith(("sig.", "sheet.", "json."))}


def test_content_changed_with_a_matching_crc_is_refused_by_the_signature(sheets: SheetWorld) -> None:
    """A forger recomputes the ZIP's CRCs (they are not a seal): the signature still refuses."""
    m = dict(sheets.members)
    m[sf.SHEET] = m[sf.SHEET].replace(b'"score":"30"', b'"score":"40"')
    with pytest.raises(SheetRejected) as err:
        _read(sheets, sheets.encrypt(container.write_zip(m)))
    assert err.value.code == "sig.bad_signature"


# ── who signed ──────────────────────────────────────────────────────────────────────────────

def _signed_by(w: SheetWorld, signer: Any, claims: str) -> bytes:
    """A complete, self-consistent sheet for expert `claims`, signed with `signer`'s key."""
    claimed = w.keys(claims)
    body = sheet_body(w.batch, claimed)
    body["signer_fingerprint"] = signer.fingerprint
    plain = plain_members(body, claimed)
    plain.update(sf.key_members(signer.signing_key.public_key(), claims))
    z = container.write_zip(sign_members(plain, relist(body, plain), signer.signing_key))
    return w.encrypt(z, w.agency_recipient, signer.age_recipient)


def test_expert_b_signing_as_a_is_refused(sheets: SheetWorld) -> None:
    forged = _signed_by(sheets, sheets.e2, "E01")
    with pytest.raises(SheetRejected) as err:
        _read(sheets, forged)
    assert err.value.code == "sheet.key_mismatch"
    # B's key listed for B only in allowed_signers: still refused for A
    signers = sf.allowed_signers_line("E02", sheets.e2.signing_key.public_key()) + "\n"
    with pytest.raises(SheetRejected) as err:
        sf.read_sheet(forged, sheets.batch, identity=sheets.agency_identity, allowed_signers=signers)
    assert err.value.code == "sheet.key_not_pinned"


def test_b_claiming_a_but_keeping_as_fingerprint_is_refused(sheets: SheetWorld) -> None:
    body = body_of(sheets.members)  # names E01's fingerprint, signed by E02
    with pytest.raises(SheetRejected) as err:
        _read(sheets, sheets.resealed(sheets.members, body, key=sheets.e2.signing_key))
    assert err.value.code == "sheet.signer_mismatch"


def test_a_rotated_key_is_refused_until_the_agency_pins_it(sheets: SheetWorld) -> None:
    from sheet_factory import ExpertKeys

    rotated = ExpertKeys.generate("E01")
    sheet = sheets.make(rotated)
    with pytest.raises(SheetRejected) as err:
        _read(sheets, sheet)
    assert err.value.code == "sheet.key_mismatch"
    # after the paper re-enrolment the agency pins the new key: the same file is accepted, and the old key's
    # sheets still verify when both keys are listed (history is kept, not rewritten)
    both = {"E01": rotated.fingerprint}
    assert _read(sheets, sheet, pinned=both).signer_fingerprint == rotated.fingerprint
    signers = "".join(sf.allowed_signers_line("E01", k.signing_key.public_key()) + "\n" for k in (sheets.e1, rotated))
    for data in (sheet, sheets.valid):
        assert sf.read_sheet(data, sheets.batch, identity=sheets.agency_identity, allowed_signers=signers)


@pytest.mark.parametrize("options", [
    'valid-before="20200101Z"',                                  # expired
    'valid-after="20200101Z",valid-before="20250101Z"',          # revoked at the end of 2024
    'valid-after="20990101Z"',                                   # not yet valid
    'namespaces="tic-batch-v1"',                                 # enrolled for another purpose
    "cert-authority",                                            # a CA line does not enrol a key
])
def test_a_revoked_expired_or_misdeclared_key_is_refused(sheets: SheetWorld, options: str) -> None:
    line = f"E01 {options} {sshsig.public_key_line(sheets.e1.signing_key.public_key())}\n"
    with pytest.raises(SheetRejected) as err:
        sf.read_sheet(sheets.valid, sheets.batch, identity=sheets.agency_identity, allowed_signers=line)
    assert err.value.code == "sheet.key_not_pinned"


def test_a_revoked_key_next_to_a_valid_one_for_another_expert(sheets: SheetWorld) -> None:
    revoked = f'E01 valid-before="20200101Z" {sshsig.public_key_line(sheets.e1.signing_key.public_key())}\n'
    other = sf.allowed_signers_line("E02", sheets.e2.signing_key.public_key()) + "\n"
    with pytest.raises(SheetRejected) as err:
        sf.read_sheet(sheets.valid, sheets.batch, identity=sheets.agency_identity, allowed_signers=revoked + other)
    assert err.value.code == "sheet.key_not_pinned"
    assert sf.read_sheet(sheets.make(sheets.e2), sheets.batch, identity=sheets.agency_identity,
                         allowed_signers=revoked + other).sheet.expert_id == "E02"


# ── the agency key in a batch ───────────────────────────────────────────────────────────────

def _swapped_agency(ctx: Ctx) -> bytes:
    def edit(d: dict[str, Any]) -> None:
        d["agency"]["signing_key_fingerprint"] = ctx.other_keys.fingerprint
        d["agency"]["age_recipient"] = ctx.other_keys.age_recipient

    return resign(ctx.members, ctx.other_keys, edit, relist=False)


def test_an_agency_key_swapped_in_a_batch_is_refused_against_the_pin(ctx: Ctx) -> None:
    swapped = _swapped_agency(ctx)
    with pytest.raises(BatchRejected) as err:
        read_batch(swapped, pinned_fingerprint=ctx.keys.fingerprint)
    assert err.value.code == "sig.agency_key_changed"


def test_only_the_signature_swapped_in_a_batch_is_refused(ctx: Ctx) -> None:
    from batch_factory import MANIFEST, MANIFEST_SIG

    m = dict(ctx.members)
    m[MANIFEST_SIG] = sshsig.sign(m[MANIFEST], ctx.other_keys.signing_key, "tic-batch-v1")
    for kw, code in (({}, "sig.signer_mismatch"), ({"pinned_fingerprint": ctx.keys.fingerprint},
                                                      "sig.agency_key_changed")):
        with pytest.raises(BatchRejected) as err:
            read_batch(container.write_zip(m), **kw)
        assert err.value.code == code


def test_a_sheet_addressed_to_the_swapped_agency_is_refused_by_the_real_one(sheets: SheetWorld, ctx: Ctx) -> None:
    """An expert fooled by a swapped batch encrypts to the impostor: the real agency cannot even
    decrypt it; re-encrypted by the impostor to the agency it names the wrong recipient."""
    def edit(b: dict[str, Any]) -> None:
        b["recipient"]["fingerprint"] = ctx.other_keys.fingerprint
        b["recipient"]["age_recipient"] = ctx.other_keys.age_recipient

    to_impostor = sheets.make(edit=edit, encrypt=False)
    with pytest.raises(SheetRejected) as err:
        _read(sheets, agecrypt.encrypt_to_recipients(to_impostor, [ctx.other_keys.age_recipient]))
    assert err.value.code == "age.wrong_identity"
    with pytest.raises(SheetRejected) as err:
        _read(sheets, sheets.encrypt(to_impostor))
    assert err.value.code == "sheet.wrong_recipient"
