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
