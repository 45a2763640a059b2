"""Builders for valid batches (and the raw pieces to break them) used by the batch tests."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from tic_desktop.core.forms import Band, Conclusion, Criterion, FormTemplate, Section
from tic_desktop.core.proposal import BudgetLine, Document, Kpi, Proposal
from tic_desktop.core.types import Text
from tic_desktop.formats import container, sshsig, strictjson
from tic_desktop.formats.batch import MANIFEST, MANIFEST_SIG, BatchSpec
from tic_desktop.formats.keys import AgencyKeys
from tic_desktop.formats.manifest import BATCH_NAMESPACE, Expert

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def t(zh: str, en: str) -> Text:
    return Text(zh=zh, en=en)


def make_form(form_id: str = "feasibility_review", kind: str = "feasibility_review") -> FormTemplate:
    return FormTemplate(
        format="tic-form",
        format_version="1.0",
        id=form_id,
        version="1.0",
        kind=kind,  # type: ignore[arg-type]
        title=t("建设方案论证评分表", "Feasibility review form"),
        step=Decimal("0.5"),
        bands=(
            Band(code="A", min_ratio=Decimal("0.85"), label=t("优", "Excellent")),
            Band(code="B", min_ratio=Decimal("0.6"), label=t("良", "Good")),
            Band(code="C", min_ratio=Decimal("0"), label=t("差", "Poor")),
        ),
        sections=(
            Section(
                id="s1",
                label=t("建设基础", "Foundation"),
                criteria=(
                    Criterion(id="c1", label=t("必要性", "Necessity"), max=Decimal("40")),
                    Criterion(id="c2", label=t("依托单位基础", "Host base"), max=Decimal("60")),
                ),
            ),
        ),
        conclusions=(
            Conclusion(code="pass", label=t("通过", "Pass"), min_total=Decimal("60")),
            Conclusion(code="fail", label=t("不通过", "Fail"), min_total=Decimal("0")),
        ),
    )


def make_proposal(pid: str, forms: tuple[str, ...] = ("feasibility_review",), docs: int = 1) -> Proposal:
    return Proposal(
        id=pid,
        center_name=f"天津市{pid}技术创新中心",
        center_type="comprehensive",
        lead_unit="天津大学",
        member_units=("南开大学",),
        field="人工智能",
        period_start="2026-01-01",
        period_end="2028-12-31",
        forms=forms,
        budget=(BudgetLine(year=1, category="设备购置", total=Decimal("1000000.00"), city_subsidy=Decimal("300000.00")),),
        kpis=(Kpi(id="k1", name="专利", unit="件", target=Decimal("10")),),
        documents=tuple(
            Document(path=f"proposals/{pid}/plan{i}.pdf", title=f"建设方案{i}") for i in range(docs)
        ),
    )


def make_spec(**overrides: Any) -> BatchSpec:
    proposals = [make_proposal("P001"), make_proposal("P002")]
    documents = {d.path: PDF + p.id.encode() for p in proposals for d in p.documents}
    fields: dict[str, Any] = dict(
        batch_id="2026-01",
        title=t("2026年第1批 综合性技术创新中心建设方案论证", "2026 batch 1 feasibility review"),
        kind="feasibility_review",
        agency_name="天津市科学技术发展战略研究院",
        deadline="2026-03-31",
        forms=[make_form()],
        proposals=proposals,
        documents=documents,
        experts=[
            Expert(id="E01", name="张三", role="technical", chair=True, assigned=("P001", "P002")),
            Expert(id="E02", name="李四", role="finance", assigned=("P001", "P002"), known_conflicts=("P002",)),
        ],
        consolidation=None,
    )
    fields.update(overrides)
    return BatchSpec(**fields)


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def resign(
    members: Mapping[str, bytes],
    keys: AgencyKeys,
    edit: Callable[[dict[str, Any]], None] | None = None,
    *,
    relist: bool = True,
    namespace: str = BATCH_NAMESPACE,
) -> bytes:
    """Re-make a batch ZIP after changing members and/or the manifest, with a valid signature."""
    members = dict(members)
    manifest = strictjson.parse(members[MANIFEST])
    if relist:
        manifest["members"] = [
            {"path": p, "size": len(b), "sha256": sha(b)}
            for p, b in sorted(members.items())
            if p not in (MANIFEST, MANIFEST_SIG)
        ]
    if edit is not None:
        edit(manifest)
    body = strictjson.dumps(manifest)
    members[MANIFEST] = body
    members[MANIFEST_SIG] = sshsig.sign(body, keys.signing_key, namespace)
    return container.write_zip(members)


def raw_zip(entries: list[tuple[str, bytes, dict[str, Any]]]) -> bytes:
    """A ZIP with exactly these entries: names untouched, duplicates allowed, modes as given."""
    import stat
    import warnings

    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buf, "w") as zf:
            for name, data, opts in entries:
                info = zipfile.ZipInfo("placeholder", date_time=container.FIXED_DATE)
                info.filename = name
                info.orig_filename = name
                info.compress_type = opts.get("compress_type", zipfile.ZIP_DEFLATED)
                info.external_attr = opts.get("external_attr", (stat.S_IFREG | 0o644) << 16)
                zf.writestr(info, data)
    return buf.getvalue()


def with_extra(members: Mapping[str, bytes], *extra: tuple[str, bytes, dict[str, Any]]) -> bytes:
    return raw_zip([(n, b, {}) for n, b in sorted(members.items())] + list(extra))


def patch_central(data: bytes, offset: int, fmt: str, value: int, index: int = 0) -> bytes:
    """Overwrite a field of the index-th central directory entry (offsets from APPNOTE 4.3.12)."""
    import struct

    pos = -1
    for _ in range(index + 1):
        pos = data.index(b"PK\x01\x02", pos + 1)
    b = bytearray(data)
    struct.pack_into(fmt, b, pos + offset, value)
    return bytes(b)


def patch_local_of(data: bytes, name: str, offset: int, fmt: str, value: int) -> bytes:
    """Overwrite a field of the local header of member `name`."""
    import struct

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        at = zf.getinfo(name).header_offset
    b = bytearray(data)
    struct.pack_into(fmt, b, at + offset, value)
    return bytes(b)


def central_index(data: bytes, name: str) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [i.filename for i in zf.infolist()].index(name)


def age_scrypt_encrypt(plaintext: bytes, passphrase: bytes, log_n: int = 10) -> bytes:
    """An age v1 scrypt-recipient file with a cheap work factor (spec: C2SP age.md).

    pyrage always calibrates scrypt to about a second; tests need many cheap files.
    """
    import base64
    import hmac
    import os

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    def b64(b: bytes) -> bytes:
        return base64.b64encode(b).rstrip(b"=")

    def hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)

    file_key = os.urandom(16)
    salt = os.urandom(16)
    wrap = Scrypt(salt=b"age-encryption.org/v1/scrypt" + salt, length=32, n=2**log_n, r=8, p=1).derive(passphrase)
    body = ChaCha20Poly1305(wrap).encrypt(b"\0" * 12, file_key, None)
    header = b"age-encryption.org/v1\n-> scrypt " + b64(salt) + b" " + str(log_n).encode() + b"\n" + b64(body) + b"\n---"
    mac = hmac.new(hkdf(file_key, b"", b"header"), header, "sha256").digest()
    nonce = os.urandom(16)
    aead = ChaCha20Poly1305(hkdf(file_key, nonce, b"payload"))
    chunks = [plaintext[i : i + 65536] for i in range(0, len(plaintext), 65536)] or [b""]
    payload = b"".join(
        aead.encrypt(i.to_bytes(11, "big") + (b"\x01" if i == len(chunks) - 1 else b"\x00"), c, None)
        for i, c in enumerate(chunks)
    )
    return header + b" " + b64(mac) + b"\n" + nonce + payload


def sshsig_blob_armor(
    message: bytes, keys: AgencyKeys, *, version: int = 1, namespace: bytes = BATCH_NAMESPACE.encode(),
    hash_alg: bytes = b"sha512", key_type: bytes = b"ssh-ed25519",
) -> bytes:
    """An armored SSHSIG with chosen header fields and a real Ed25519 signature."""
    import base64
    import struct

    from cryptography.hazmat.primitives import serialization

    def s(b: bytes) -> bytes:
        return struct.pack(">I", len(b)) + b

    raw_pub = keys.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.new(hash_alg.decode() if hash_alg != b"md5" else "md5", message).digest()
    sig = keys.signing_key.sign(b"SSHSIG" + s(namespace) + s(b"") + s(hash_alg) + s(digest))
    blob = (
        b"SSHSIG" + struct.pack(">I", version) + s(s(key_type) + s(raw_pub)) + s(namespace) + s(b"")
        + s(hash_alg) + s(s(key_type) + s(sig))
    )
    b64 = base64.b64encode(blob).decode()
    lines = [b64[i : i + 70] for i in range(0, len(b64), 70)]
    return ("\n".join([sshsig.BEGIN, *lines, sshsig.END]) + "\n").encode()


def hand_zip(
    members: Mapping[str, bytes],
    *,
    local: Mapping[str, Mapping[str, Any]] | None = None,
    central: Mapping[str, Mapping[str, Any]] | None = None,
    after: Mapping[str, bytes] | None = None,
    before_cd: bytes = b"",
    stored: tuple[str, ...] = (),
) -> bytes:
    """A ZIP written field by field (APPNOTE 4.3.7/4.3.12), so a local header can disagree with
    its central entry. Each entry's fields — flags, method, crc, csize, usize, name (bytes),
    extra (bytes), data (the compressed bytes), offset (central only) — default to the truth;
    `local` / `central` override them per member name; `after` puts bytes right after a member's
    data (a gap, a data descriptor, a hidden member); `before_cd` bytes before the directory."""
    import struct
    import zlib

    local, central, after = local or {}, central or {}, after or {}
    body, directory = bytearray(), bytearray()
    for name in sorted(members):
        content = members[name]
        method = 0 if name.endswith(stored) and stored else 8
        if method == 8:
            comp = zlib.compressobj(6, zlib.DEFLATED, -15)
            data = comp.compress(content) + comp.flush()
        else:
            data = content
        truth = dict(flags=0, method=method, crc=zlib.crc32(content), csize=len(data), usize=len(content),
                     name=name.encode(), extra=b"", data=data, offset=len(body))
        lf = {**truth, **local.get(name, {})}
        cf = {**truth, **central.get(name, {})}
        body += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, lf["flags"], lf["method"], 0, 0x21, lf["crc"],
                            lf["csize"], lf["usize"], len(lf["name"]), len(lf["extra"]))
        body += lf["name"] + lf["extra"] + lf["data"] + after.get(name, b"")
        directory += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 0x0314, 20, cf["flags"], cf["method"], 0, 0x21,
                                 cf["crc"], cf["csize"], cf["usize"], len(cf["name"]), 0, 0, 0, 0,
                                 0o100644 << 16, cf["offset"])
        directory += cf["name"]
    body += before_cd
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(body), 0)
    return bytes(body + directory + eocd)


def descriptor(members: Mapping[str, bytes], name: str, *, signature: bool = True, crc_delta: int = 0) -> bytes:
    """The data descriptor of member `name` as `hand_zip` compresses it."""
    import struct
    import zlib

    content = members[name]
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    size = len(comp.compress(content) + comp.flush())
    raw = struct.pack("<III", (zlib.crc32(content) + crc_delta) & 0xFFFFFFFF, size, len(content))
    return (b"PK\x07\x08" if signature else b"") + raw


def with_descriptors(members: Mapping[str, bytes], *, signature: bool = True) -> bytes:
    """Every member with flag bit 3: zeros in the local header, the real values after the data."""
    zeros = {"flags": 8, "crc": 0, "csize": 0, "usize": 0}
    return hand_zip(members, local={n: zeros for n in members}, central={n: {"flags": 8} for n in members},
                    after={n: descriptor(members, n, signature=signature) for n in members})


def streamed_zip(members: Mapping[str, bytes], *, force_zip64: bool = False) -> bytes:
    """What Python's zipfile writes to an unseekable stream (data descriptors), or with ZIP64 local headers."""

    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.buf = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b: Any) -> int:
            self.buf += bytes(b)
            return len(b)

    out: Any = Unseekable() if not force_zip64 else io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=container.FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            with zf.open(info, "w", force_zip64=force_zip64) as fh:
                fh.write(members[name])
    return bytes(out.buf) if not force_zip64 else out.getvalue()


def _zip64_local(members: Mapping[str, bytes], name: str, usize_delta: int) -> bytes:
    """`name`'s local header with its sizes in a ZIP64 extra field (usize off by `usize_delta`)."""
    import struct

    plain = zipfile.ZipFile(io.BytesIO(hand_zip(members))).getinfo(name)
    extra = struct.pack("<HHQQ", 1, 16, plain.file_size + usize_delta, plain.compress_size)
    return hand_zip(members, local={name: {"usize": 0xFFFFFFFF, "csize": 0xFFFFFFFF, "extra": extra}})


def _hidden_member(members: Mapping[str, bytes], name: str) -> bytes:
    """A whole extra local entry (header and data) between two members, absent from the directory:
    a streaming reader would see it, we would not."""
    import struct
    import zlib

    evil = b"MZ evil"
    hidden = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 0, 0, 0x21, zlib.crc32(evil), len(evil), len(evil),
                         len(name), 0) + name.encode() + evil
    return hand_zip(members, after={name: hidden})


def _ends_early(members: Mapping[str, bytes], name: str) -> bytes:
    """`name`'s deflate stream ends before its recorded compressed size; hidden bytes fill the rest."""
    import zlib

    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = comp.compress(members[name]) + comp.flush() + b"hidden"
    return hand_zip(members, local={name: {"data": data, "csize": len(data)}}, central={name: {"csize": len(data)}})


def _quoted(members: Mapping[str, bytes], name: str) -> bytes:
    """Both headers claim compressed data reaching 40 bytes into the next entry (a "quoted overlap")."""
    csize = zipfile.ZipFile(io.BytesIO(hand_zip(members))).getinfo(name).compress_size + 40
    return hand_zip(members, local={name: {"csize": csize}}, central={name: {"csize": csize}})


def _first_after(members: Mapping[str, bytes], name: str) -> str:
    names = sorted(members)
    return names[names.index(name) + 1]


HeaderCase = tuple[str, Callable[[Mapping[str, bytes], str], bytes], str]
HEADER_CASES: list[HeaderCase] = [
    # each local header field the central directory also records, changed in the local header only
    ("zip-local-crc-differs", lambda m, n: hand_zip(m, local={n: {"crc": 0x12345678}}), "zip.header_mismatch"),
    ("zip-local-size-differs",
     lambda m, n: hand_zip(m, local={n: {"usize": len(m[n]) + 1}}), "zip.header_mismatch"),
    ("zip-local-compressed-size-differs",
     lambda m, n: hand_zip(m, local={n: {"csize": 3}}), "zip.header_mismatch"),
    ("zip-local-method-stored", lambda m, n: hand_zip(m, local={n: {"method": 0}}), "zip.header_mismatch"),
    ("zip-local-flags-utf8", lambda m, n: hand_zip(m, local={n: {"flags": 0x800}}), "zip.header_mismatch"),
    ("zip-local-flags-descriptor-only-here",
     lambda m, n: hand_zip(m, local={n: {"flags": 8}}), "zip.header_mismatch"),
    ("zip-local-name-differs",
     lambda m, n: hand_zip(m, local={n: {"name": n.encode()[:-5] + b"X.pdf" if n.endswith(".pdf") else b"X" + n.encode()[1:]}}),
     "zip.header_mismatch"),
    ("zip-local-name-longer", lambda m, n: hand_zip(m, local={n: {"name": n.encode() + b"x"}}), "zip.header_mismatch"),
    ("zip-local-zip64-size-differs", lambda m, n: _zip64_local(m, n, 1), "zip.header_mismatch"),
    ("zip-local-zip64-marker-without-field",
     lambda m, n: hand_zip(m, local={n: {"usize": 0xFFFFFFFF}}), "zip.header_mismatch"),
    ("zip-central-crc-differs", lambda m, n: hand_zip(m, central={n: {"crc": 0x12345678}}), "zip.header_mismatch"),
    # data descriptors that disagree with the directory or are not there
    ("zip-descriptor-crc-differs",
     lambda m, n: hand_zip(m, local={n: {"flags": 8, "crc": 0, "csize": 0, "usize": 0}}, central={n: {"flags": 8}},
                           after={n: descriptor(m, n, crc_delta=1)}), "zip.header_mismatch"),
    ("zip-descriptor-missing",
     lambda m, n: hand_zip(m, local={n: {"flags": 8, "crc": 0, "csize": 0, "usize": 0}}, central={n: {"flags": 8}}),
     "zip.header_mismatch"),
    ("zip-descriptor-bad-signature",
     lambda m, n: hand_zip(m, local={n: {"flags": 8, "crc": 0, "csize": 0, "usize": 0}}, central={n: {"flags": 8}},
                           after={n: b"PK\x07\x09" + descriptor(m, n)[4:]}), "zip.header_mismatch"),
    # layout: gaps, hidden entries, overlaps, deflate streams shorter than their record
    ("zip-gap-between-members", lambda m, n: hand_zip(m, after={n: b"\0" * 16}), "zip.gap"),
    ("zip-hidden-local-entry-in-gap", _hidden_member, "zip.gap"),
    ("zip-gap-before-central-directory", lambda m, n: hand_zip(m, before_cd=b"junk"), "zip.gap"),
    ("zip-overlap-two-entries-one-header",
     lambda m, n: hand_zip(m, central={_first_after(m, n): {"offset": 0}}), "zip.overlap"),
    ("zip-overlap-quoted-entry", lambda m, n: _quoted(m, n), "zip.overlap"),
    ("zip-deflate-ends-before-recorded-size", _ends_early, "zip.size_mismatch"),
    # both headers agree, and lie together
    ("zip-both-crc-wrong", lambda m, n: hand_zip(m, local={n: {"crc": 0x12345678}}, central={n: {"crc": 0x12345678}}),
     "zip.crc_mismatch"),
    ("zip-both-sizes-small",
     lambda m, n: hand_zip(m, local={n: {"usize": 3}}, central={n: {"usize": 3}}), "zip.size_mismatch"),
    ("zip-both-sizes-huge",
     lambda m, n: hand_zip(m, local={n: {"usize": 0x7FFFFFFF}}, central={n: {"usize": 0x7FFFFFFF}}),
     "zip.size_mismatch"),
]
"""Cases shared by the batch and sheet corpora: (id, build(members, target member), code)."""
