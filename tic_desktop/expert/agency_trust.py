"""Which agency keys the expert trusts: pinned by key, not by name (issue 11).

A batch opens without a question only when its signing key is one the expert pinned before (after
comparing its fingerprint with the invitation letter). A key never pinned is a *new agency key*,
whatever name the batch gives: when that name (NFKC, case folded: `core.names.name_key`) is the
name of an agency already trusted under another key, the batch is refused (`agency.key_changed`);
otherwise the expert is asked to compare and pin it. A name with invisible or control characters is
refused (`agency.bad_name`), so a look-alike name cannot pass as "a new agency" unnoticed.

The DEMO-ONLY agency key (`formats.demo_key`) is public: outside demo mode a batch signed with it
is refused (`agency.demo_key`) and a pin of it left by an older version is void — it is not
trusted, it does not make another key "changed", and it is replaced when the real key is pinned
under that name. A demo workspace opens only demo batches (`agency.not_demo`).

A batch the workspace already holds (same batch id) is never replaced by one signed with another
key (`batch.other_key`): the expert's answers and sheets stay bound to the key they were made for.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from tic_desktop.core.errors import register
from tic_desktop.core.names import name_key, name_problem
from tic_desktop.formats.demo_key import is_demo_agency_fingerprint

DEMO_KEY = register(
    "agency.demo_key",
    "该批次由公开的演示密钥签名，只能在演示模式中打开，在您的正式工作区中不受信任，已拒绝打开。"
    "如果这是评审机构发给您的文件，请勿使用，并通过邀请函上的电话与评审机构核实。",
    "This batch is signed with the public DEMO key: it opens only in the demo, never in your real "
    "workspace, so it was refused. If an agency sent you this file, do not use it; call the agency "
    "at the number on the invitation letter.",
)
NOT_DEMO = register(
    "agency.not_demo",
    "演示工作区只能打开演示批次。请退出演示，在正式工作区中打开评审机构发来的批次。",
    "The demo workspace opens only the demo batch. Leave the demo and open the agency's batch in your "
    "real workspace.",
)
BAD_NAME = register(
    "agency.bad_name",
    "该批次的评审机构名称含有不可见字符、控制字符或首尾空白（例如零宽空格、文字方向控制符），"
    "可能是仿冒的机构名称，已拒绝打开。请勿使用此文件，并通过邀请函上的电话与评审机构核实。",
    "The agency name in this batch contains invisible or control characters or leading/trailing "
    "spaces (such as a zero-width space or a text-direction control); it may imitate a real agency's "
    "name, so the batch was refused. Do not use it; call the agency at the number on the invitation letter.",
)
OTHER_KEY = register(
    "batch.other_key",
    "本机已保存同一评审批次（编号相同），但该文件由另一把机构密钥签名，因此没有打开它，本机数据未作任何改动。"
    "这可能是伪造的文件。请勿使用，并通过邀请函上的电话与评审机构核实。",
    "This computer already holds this batch (same batch id), but this file is signed with another "
    "agency key, so it was not opened and nothing was changed. It may be forged. Do not use it; call "
    "the agency at the number on the invitation letter.",
)


class PinState(StrEnum):
    NEW = "new"
    """A key the expert never pinned (a new agency key): compare its fingerprint, then pin."""
    PINNED = "pinned"
    CHANGED = "changed"
    """A key never pinned, under the name of an agency trusted with another key: refused."""


def is_void(fingerprint: str, demo: bool) -> bool:
    """A pin (or a kept batch) of the demo key outside demo mode: not trusted, not in the way."""
    return is_demo_agency_fingerprint(fingerprint) and not demo


def refusal_code(fingerprint: str, agency_name: str, demo: bool) -> tuple[str, str] | None:
    """(code, detail) when a batch signed by `fingerprint` as `agency_name` may not be opened at all."""
    if is_demo_agency_fingerprint(fingerprint) and not demo:
        return DEMO_KEY, fingerprint
    if demo and not is_demo_agency_fingerprint(fingerprint):
        return NOT_DEMO, fingerprint
    problem = name_problem(agency_name)
    if problem is not None:
        return BAD_NAME, f"{agency_name!r}: {problem}"
    return None


def trusted(pins: Iterable[tuple[str, str]], demo: bool) -> list[tuple[str, str]]:
    """The (agency name, fingerprint) pins that count (void demo pins left out)."""
    return [(name, fp) for name, fp in pins if not is_void(fp, demo)]


def pin_state(fingerprint: str, agency_name: str, pins: Iterable[tuple[str, str]], demo: bool) -> PinState:
    valid = trusted(pins, demo)
    key = name_key(agency_name)
    if any(name_key(name) == key and fp != fingerprint for name, fp in valid):
        return PinState.CHANGED
    return PinState.PINNED if any(fp == fingerprint for _name, fp in valid) else PinState.NEW


def pinned_under_name(agency_name: str, pins: Iterable[tuple[str, str]], demo: bool) -> str | None:
    """The trusted key pinned under this name (compared by `name_key`), if any."""
    key = name_key(agency_name)
    return next((fp for name, fp in trusted(pins, demo) if name_key(name) == key), None)
