"""One draw or one replacement from files to files — what `tic-desktop pool draw` and the 抽取专家 page run.

    rec = run_draw(pool, centers, rules, keys, out_dir, seed=None, agency_name=…, supervisors=[…])
    rec = run_replacement(out_dir / "draw.json", pool, centers, "E0042", "时间冲突", keys)
"""

from __future__ import annotations

import datetime as _dt
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tic_desktop.agency.avoidance import UnitNames
from tic_desktop.agency.draw import BAD_RULES, Draw, DrawRules, draw, draw_error, replace
from tic_desktop.agency.draw_record import (
    DrawContext,
    build_record,
    rerun,
    sha256,
    sign_record,
    verify_record,
    write_outputs,
)
from tic_desktop.agency.pool import PoolExpert, read_centers, read_pool
from tic_desktop.core.errors import Rejected, register
from tic_desktop.formats import table as tb
from tic_desktop.formats.keys import AgencyKeys
from tic_desktop.reports.draw_pdf import render_draw_record, render_invitation
from tic_desktop.reports.invitation import render_invitation_docx

REPLAY_FAILED = register(
    "draw.replay_differs", "抽取记录与专家库或申报项目表不符，不能在其上修订。请先用 --replay 核对。",
    "The draw record does not match the pool or the centers file, so it cannot be revised. Check it with --replay.")
_SEED = re.compile(r"[A-Za-z0-9._-]{1,64}")


@dataclass
class DrawDone:
    record: dict[str, Any]
    result: Draw
    files: list[Path]


def new_seed() -> str:
    """A seed from the operating system: 16 hexadecimal digits."""
    return secrets.token_hex(8)


def check_seed(seed: str) -> str:
    if not _SEED.fullmatch(seed):
        raise draw_error(BAD_RULES, f"随机种子“{seed}”只能含字母、数字、点、下划线和连字符（最长 64 个字符） / "
                                  f"the seed “{seed}” may hold letters, digits, dot, underscore and hyphen (≤ 64)")
    return seed


def read_aliases(path: Path) -> dict[str, str]:
    """An alias table: columns alias,canonical (别名,规范名称), CSV or XLSX."""
    t = tb.open_table(path, ("aliases", "单位别名"))
    tb.bind(t, (tb.Col("alias", ("别名", "简称")), tb.Col("canonical", ("规范名称", "全称"))))
    out: dict[str, str] = {}
    for n, row in t.rows:
        alias = tb.text(t, n, "alias", t.cell(row, "alias"))
        out[alias] = tb.text(t, n, "canonical", t.cell(row, "canonical"))
    return out


def _letters(record: Mapping[str, Any], certificate_fingerprint: str = "") -> dict[str, bytes]:
    """letters/<expert_id>.pdf and .docx of every member (with the document-signing certificate's
    fingerprint when given)."""
    date = record["rules"].get("date") or ""
    out: dict[str, bytes] = {}
    for p in record["panels"]:
        for m in p["members"]:
            out[f"{m['expert_id']}.pdf"] = render_invitation(record, p, m, date,
                                                             certificate_fingerprint=certificate_fingerprint)
            out[f"{m['expert_id']}.docx"] = render_invitation_docx(record, p, m, date,
                                                                   certificate_fingerprint=certificate_fingerprint)
    return out


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _finish(out_dir: Path, record: dict[str, Any], result: Draw, keys: AgencyKeys, *, letters: bool,
            certificate_fingerprint: str = "") -> DrawDone:
    data, sig = sign_record(record, keys)
    files = write_outputs(out_dir, record, data, sig, render_draw_record(record),
                          _letters(record, certificate_fingerprint) if letters else {})
    return DrawDone(record, result, files)


def run_draw(pool_path: Path, centers_path: Path, rules: DrawRules, keys: AgencyKeys, out_dir: Path, *,
             seed: str | None = None, agency_name: str = "", supervisors: Sequence[str] = (),
             aliases: Mapping[str, str] | None = None, letters: bool = True,
             experts: Sequence[PoolExpert] | None = None, certificate_fingerprint: str = "") -> DrawDone:
    """Read, draw, sign, write. `experts` skips reading the pool file (it must hold the same experts);
    `certificate_fingerprint`: of the agency's document-signing certificate, printed on the letters."""
    pool_bytes, centers_bytes = Path(pool_path).read_bytes(), Path(centers_path).read_bytes()
    experts = list(experts) if experts is not None else read_pool(pool_path)
    centers = read_centers(centers_path)
    given = seed is not None
    seed = check_seed(seed) if seed is not None else new_seed()
    aliases = dict(aliases or {})
    result = draw(experts, centers, rules, seed, aliases=aliases)
    created = _now()
    ctx = DrawContext(agency_name=agency_name or "评审组织机构", fingerprint=keys.fingerprint,
                      supervisors=tuple(s.strip() for s in supervisors if s.strip()),
                      pool_name=Path(pool_path).name, pool_sha256=sha256(pool_bytes),
                      centers_name=Path(centers_path).name, centers_sha256=sha256(centers_bytes),
                      aliases=aliases, seed_source="given" if given else "os")
    draw_id = "D" + created[:19].replace("-", "").replace(":", "").replace("T", "-")
    record = build_record(result, experts, centers, ctx, created_at=created, draw_id=draw_id)
    return _finish(out_dir, record, result, keys, letters=letters, certificate_fingerprint=certificate_fingerprint)


def run_replacement(record_path: Path, pool_path: Path, centers_path: Path, expert_id: str, reason: str,
                    keys: AgencyKeys, *, letters: bool = True, certificate_fingerprint: str = "") -> DrawDone:
    """A new signed revision of the record: `expert_id` replaced from the reserves, in order."""
    if not reason.strip():
        raise draw_error(BAD_RULES, "请填写替换原因 / give the reason for the replacement")
    data = Path(record_path).read_bytes()
    record, _signer = verify_record(data, Path(str(record_path) + ".sig").read_bytes())
    if record["agency"]["fingerprint"] != keys.fingerprint:
        raise Rejected(REPLAY_FAILED, f"record signed by {record['agency']['fingerprint']}, key {keys.fingerprint}")
    pool_bytes, centers_bytes = Path(pool_path).read_bytes(), Path(centers_path).read_bytes()
    if sha256(pool_bytes) != record["pool"]["sha256"] or sha256(centers_bytes) != record["centers"]["sha256"]:
        raise Rejected(REPLAY_FAILED, "pool or centers file hash")
    experts, centers = read_pool(pool_path), read_centers(centers_path)
    before = rerun(record, experts, centers)
    result = replace(before, experts, expert_id, reason.strip(), aliases=record["aliases"])
    ctx = DrawContext(agency_name=record["agency"]["name"], fingerprint=keys.fingerprint,
                      supervisors=tuple(record["supervisors"]), pool_name=record["pool"]["file"],
                      pool_sha256=record["pool"]["sha256"], centers_name=record["centers"]["file"],
                      centers_sha256=record["centers"]["sha256"], aliases=record["aliases"],
                      seed_source=record["seed_source"])
    new = build_record(result, experts, centers, ctx, created_at=record["created_at"], draw_id=record["draw_id"],
                       revision=int(record["revision"]) + 1, previous_sha256=sha256(data), revised_at=_now())
    return _finish(Path(record_path).parent, new, result, keys, letters=letters,
                   certificate_fingerprint=certificate_fingerprint)


def unit_key(name: str, aliases: Mapping[str, str] | None = None) -> str:
    return UnitNames(aliases).key(name)


__all__ = ["DrawDone", "draw", "new_seed", "read_aliases", "run_draw", "run_replacement"]
