"""The record of a draw (抽取记录): signed canonical JSON, its replay, and the files a draw writes.

`draw.json` is RFC 8785 canonical JSON (format "tic-draw", version 1): the draw id and revision,
the SHA-256 of the previous revision, when and by whom (agency name and key fingerprint, the people
present — 监督人), the pool and centers files (name, SHA-256, count), the unit alias table, the
rules, the seed and where it came from, per panel the centers, fields, members (chair marked) and
reserves, every exclusion with its reason, and the replacements so far. `draw.json.sig` is its
SSHSIG signature by the agency key, namespace `tic-draw-v1`:

    echo "agency $(cat agency/agency_ed25519.pub)" > allowed_signers
    ssh-keygen -Y verify -f allowed_signers -I agency -n tic-draw-v1 -s draw.json.sig < draw.json

`replay()` checks the signature, the files' hashes, runs the draw again from the recorded seed and
rules, applies the recorded replacements in order, and lists every difference.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tic_desktop import __version__
from tic_desktop.agency.avoidance import Exclusion
from tic_desktop.agency.draw import Draw, DrawRules, draw, replace
from tic_desktop.agency.pool import Center, PoolExpert, read_centers, read_pool
from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.errors import Rejected, register
from tic_desktop.formats import sshsig, strictjson
from tic_desktop.formats.keys import AgencyKeys

NAMESPACE = "tic-draw-v1"
FORMAT = "tic-draw"
LIMITS = strictjson.JsonLimits(max_bytes=64 * 1024 * 1024, max_array=500_000, max_values=8_000_000)
BAD_RECORD = register(
    "draw.bad_record", "抽取记录文件不是本软件生成的有效记录。请使用原始的 draw.json。",
    "The draw record is not a valid record made by this app. Use the original draw.json.")
EXPERTS_HEADER = ("expert_id", "name", "unit", "title", "role", "chair", "assigned", "known_conflicts", "panel")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _seat(s: Any, by_id: Mapping[str, PoolExpert]) -> dict[str, Any]:
    e = by_id[s.expert_id]
    return {"expert_id": s.expert_id, "name": e.name, "unit": e.unit, "title": e.title, "role": s.role,
            "fields": list(e.fields), "chair": s.chair, "key_fingerprint": e.key_fingerprint}


def outcome(result: Draw, experts: Sequence[PoolExpert]) -> dict[str, Any]:
    """The part of the record a replay must reproduce exactly."""
    by_id = {e.expert_id: e for e in experts}
    return {
        "panels": [{"panel": p.panel, "proposals": list(p.proposals), "fields": list(p.fields),
                    "members": [_seat(s, by_id) for s in p.members],
                    "reserves": [_seat(s, by_id) for s in p.reserves]} for p in result.panels],
        "exclusions": [x.as_dict() for x in result.exclusions],
        "replacements": [{"revision": r.revision, "panel": r.panel, "expert_id": r.expert_id,
                          "replaced_by": r.replaced_by, "reason": r.reason} for r in result.replacements],
    }


@dataclass(frozen=True)
class DrawContext:
    """Who and what, beside the draw itself."""

    agency_name: str
    fingerprint: str
    supervisors: tuple[str, ...]
    pool_name: str
    pool_sha256: str
    centers_name: str
    centers_sha256: str
    aliases: Mapping[str, str] = field(default_factory=dict)
    seed_source: str = "os"
    """"os" (drawn from the operating system at draw time) or "given"."""


def build_record(result: Draw, experts: Sequence[PoolExpert], centers: Sequence[Center], ctx: DrawContext, *,
                 created_at: str, draw_id: str, revision: int = 1, previous_sha256: str | None = None,
                 revised_at: str | None = None) -> dict[str, Any]:
    return {
        "format": FORMAT, "format_version": 1, "app_version": __version__,
        "draw_id": draw_id, "revision": revision, "previous_sha256": previous_sha256,
        "created_at": created_at, "revised_at": revised_at,
        "agency": {"name": ctx.agency_name, "fingerprint": ctx.fingerprint},
        "supervisors": list(ctx.supervisors),
        "pool": {"file": ctx.pool_name, "sha256": ctx.pool_sha256, "experts": len(experts)},
        "centers": {"file": ctx.centers_name, "sha256": ctx.centers_sha256, "count": len(centers)},
        "aliases": dict(sorted(ctx.aliases.items())),
        "rules": result.rules.as_dict(), "seed": result.seed, "seed_source": ctx.seed_source,
        **outcome(result, experts),
    }


def sign_record(record: Mapping[str, Any], keys: AgencyKeys) -> tuple[bytes, bytes]:
    data = strictjson.dumps(record)
    return data, sshsig.sign(data, keys.signing_key, NAMESPACE)


def verify_record(data: bytes, signature: bytes) -> tuple[dict[str, Any], str]:
    """The record and the signer's fingerprint; `Rejected` when the signature or the JSON is bad or
    the record's own fingerprint is not the signer's."""
    signer = sshsig.fingerprint(sshsig.verify(data, signature, NAMESPACE))
    record = strictjson.parse(data, LIMITS)
    if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("format_version") != 1:
        raise Rejected(BAD_RECORD, "format")
    if record.get("agency", {}).get("fingerprint") != signer:
        raise Rejected(BAD_RECORD, f"signed by {signer}, record names {record.get('agency')}")
    return record, signer


def rerun(record: Mapping[str, Any], experts: Sequence[PoolExpert], centers: Sequence[Center]) -> Draw:
    """The draw again from the record's rules, seed and aliases, with its replacements in order."""
    try:
        rules = DrawRules.from_dict(record["rules"])
        aliases = dict(record["aliases"])
        result = draw(experts, centers, rules, str(record["seed"]), aliases=aliases)
        for r in record["replacements"]:
            result = replace(result, experts, r["expert_id"], r["reason"], aliases=aliases)
    except (KeyError, TypeError, ValueError) as exc:
        raise Rejected(BAD_RECORD, f"{type(exc).__name__}: {exc}") from None
    return result


@dataclass
class Replay:
    record: dict[str, Any]
    signer: str
    differences: list[tuple[str, str]]
    """(Chinese, English) sentences; empty when the replay gives the same draw."""

    @property
    def ok(self) -> bool:
        return not self.differences


def _ids(xs: Sequence[Any]) -> str:
    return "、".join(x if isinstance(x, str) else x["expert_id"] for x in xs)


def _diff_outcome(recorded: Mapping[str, Any], again: Mapping[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    rp = {p["panel"]: p for p in recorded.get("panels", [])}
    ap = {p["panel"]: p for p in again["panels"]}
    for name in sorted(set(rp) | set(ap), key=lambda n: (len(n), n)):
        a, b = rp.get(name), ap.get(name)
        if a is None or b is None:
            out.append((f"专家组 {name} 只在{'重新抽取结果' if a is None else '记录'}中出现",
                        f"panel {name} appears only in the {'replay' if a is None else 'record'}"))
            continue
        for key, zh in (("proposals", "中心"), ("members", "专家"), ("reserves", "候补")):
            if a[key] != b[key]:
                out.append((f"专家组 {name} 的{zh}不同：记录为 {_ids(a[key])}，重新抽取为 {_ids(b[key])}",
                            f"panel {name}: {key} differ: recorded {_ids(a[key])}, replay {_ids(b[key])}"))
    if recorded.get("exclusions") != again["exclusions"]:
        r = {tuple(x.values()) for x in recorded.get("exclusions", [])}
        g = {tuple(x.values()) for x in again["exclusions"]}
        out.append((f"回避名单不同：仅记录中有 {len(r - g)} 条，仅重新计算中有 {len(g - r)} 条",
                    f"exclusions differ: {len(r - g)} only in the record, {len(g - r)} only in the replay"))
    if recorded.get("replacements") != again["replacements"]:
        out.append(("替换记录不同", "the replacements differ"))
    return out


def replay(record_path: Path, pool_path: Path, centers_path: Path, *, pinned: str | None = None) -> Replay:
    """Check a draw record against the pool and centers files; see the module docstring."""
    data = Path(record_path).read_bytes()
    sig_path = Path(str(record_path) + ".sig")
    try:
        record, signer = verify_record(data, sig_path.read_bytes())
    except FileNotFoundError:
        raise Rejected(sshsig.MALFORMED, f"{sig_path}: missing") from None
    diffs: list[tuple[str, str]] = []
    if pinned and signer != pinned:
        diffs.append((f"记录由另一把密钥签名（{signer}），不是机构密钥 {pinned}",
                      f"the record is signed by another key ({signer}), not the agency key {pinned}"))
    pool_bytes, centers_bytes = Path(pool_path).read_bytes(), Path(centers_path).read_bytes()
    for what, zh, got in (("pool", "专家库文件", sha256(pool_bytes)), ("centers", "申报项目表", sha256(centers_bytes))):
        want = record.get(what, {}).get("sha256")
        if got != want:
            diffs.append((f"{zh}与抽取时不同（SHA-256 {got[:16]}…，记录为 {str(want)[:16]}…）",
                          f"the {what} file differs from the one drawn from (SHA-256 {got[:16]}…, recorded "
                          f"{str(want)[:16]}…)"))
    experts, centers = read_pool(pool_path), read_centers(centers_path)
    try:
        again = outcome(rerun(record, experts, centers), experts)
    except Rejected as exc:
        diffs.append((f"无法重新抽取：{exc.text('zh')}", f"the draw cannot be made again: {exc.text('en')}"))
        return Replay(record, signer, diffs)
    diffs += _diff_outcome(record, again)
    return Replay(record, signer, diffs)


def _csv(rows: Sequence[Sequence[str]]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def experts_csv(record: Mapping[str, Any]) -> bytes:
    """The batch source's experts table: the drawn members, their panel, chair and assignments."""
    rows: list[list[str]] = [list(EXPERTS_HEADER)]
    for p in record["panels"]:
        for m in p["members"]:
            rows.append([m["expert_id"], m["name"], m["unit"], m["title"], m["role"], "yes" if m["chair"] else "no",
                         ";".join(p["proposals"]), "", p["panel"]])
    return _csv(rows)


def panels_csv(record: Mapping[str, Any]) -> bytes:
    return _csv([["proposal_id", "panel"]] + [[pid, p["panel"]] for p in record["panels"] for pid in p["proposals"]])


def exclusions_csv(record: Mapping[str, Any]) -> bytes:
    rows = [["expert_id", "proposal_id", "reason"]]
    for x in record["exclusions"]:
        rows.append([x["expert_id"], x["proposal_id"], f"{x['reason']}: {x['detail']}" if x["detail"] else x["reason"]])
    return _csv(rows)


def write_outputs(out_dir: Path, record: Mapping[str, Any], data: bytes, signature: bytes, pdf: bytes,
                  letters: Mapping[str, bytes]) -> list[Path]:
    """Write the draw's files; an earlier revision's draw.json (and .sig) is kept as draw-r<N>.json."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    old = out / "draw.json"
    if old.is_file() and old.read_bytes() != data:
        try:
            prev = strictjson.parse(old.read_bytes(), LIMITS)
            n = int(prev["revision"])
        except (Rejected, KeyError, TypeError, ValueError):
            n = 0
        keep = out / f"draw-r{n}.json"
        if not keep.exists():
            atomic_write(keep, old.read_bytes())
            if (out / "draw.json.sig").is_file():
                atomic_write(out / f"draw-r{n}.json.sig", (out / "draw.json.sig").read_bytes())
    files = {"experts.csv": experts_csv(record), "panels.csv": panels_csv(record),
             "exclusions.csv": exclusions_csv(record), "draw.pdf": pdf}
    written = []
    for name, content in files.items():
        atomic_write(out / name, content)
        written.append(out / name)
    for name, letter in letters.items():
        (out / "letters").mkdir(exist_ok=True)
        atomic_write(out / "letters" / name, letter)
        written.append(out / "letters" / name)
    # the record and its signature last: a draw.json on disk always has its files beside it
    atomic_write(out / "draw.json", data)
    atomic_write(out / "draw.json.sig", signature)
    return [*written, out / "draw.json", out / "draw.json.sig"]


def exclusion_of(d: Mapping[str, str]) -> Exclusion:
    return Exclusion(d["expert_id"], d["proposal_id"], d["reason"], d.get("detail", ""))
