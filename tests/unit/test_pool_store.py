"""The expert pool in the agency workspace: import, edit, remove, field list, aliases, draws — audited."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tic_desktop.agency import pool_store
from tic_desktop.agency.pool import PoolExpert
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.core.errors import Rejected

FP1 = "SHA256:" + "A" * 43
FP2 = "SHA256:" + "B" * 43


def _e(eid: str, **kw: object) -> PoolExpert:
    base: dict[str, object] = {"expert_id": eid, "name": f"专家{eid}", "unit": "天津大学", "title": "教授",
                               "role": "technical", "fields": ("人工智能",)}
    return PoolExpert(**(base | kw))  # type: ignore[arg-type]


@pytest.fixture
def ws(tmp_path: Path) -> AgencyWorkspace:
    w = AgencyWorkspace.open(tmp_path / "agency" / "agency.db")
    yield w
    w.close()


def test_import_edit_remove_are_audited(ws: AgencyWorkspace) -> None:
    diff = pool_store.import_pool(ws, [_e("E1"), _e("E2", key_fingerprint=FP1)], source="pool.csv")
    assert diff == {"added": ["E1", "E2"], "removed": [], "changed": []}
    assert [e.expert_id for e in pool_store.experts(ws)] == ["E1", "E2"]
    pool_store.save_expert(ws, _e("E1", unit="南开大学"))
    pool_store.remove_expert(ws, "E2")
    assert [(e.expert_id, e.unit) for e in pool_store.experts(ws)] == [("E1", "南开大学")]
    events = [e for e in ws.audit_events() if e.action.startswith("pool.")]
    assert [e.action for e in events] == ["pool.import", "pool.save_expert", "pool.remove_expert"]
    assert events[1].data["before"]["unit"] == "天津大学"
    ws.verify_audit_chain()


def test_one_key_one_expert(ws: AgencyWorkspace) -> None:
    pool_store.import_pool(ws, [_e("E1", key_fingerprint=FP1), _e("E2", key_fingerprint=FP2)])
    with pytest.raises(Rejected) as err:
        pool_store.save_expert(ws, _e("E2", key_fingerprint=FP1))
    assert err.value.code == "pool.key_in_use"
    assert {e.expert_id: e.key_fingerprint for e in pool_store.experts(ws)} == {"E1": FP1, "E2": FP2}


def test_fields_aliases_and_draws(ws: AgencyWorkspace) -> None:
    pool_store.set_fields(ws, ["人工智能", " 生物医药 ", ""])
    assert pool_store.fields(ws) == ["人工智能", "生物医药"]
    pool_store.set_aliases(ws, {"天大": "天津大学"})
    assert pool_store.aliases(ws) == {"天大": "天津大学"}
    pool_store.save_draw(ws, "D1", 1, b"{}", b"sig")
    with pytest.raises(Rejected):
        pool_store.save_draw(ws, "D1", 1, b"{}", b"sig")
    with ws.transaction() as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE draws SET record_json = x'00'")


class _WithRegistry:
    """The workspace as it is once agency.registry lands: `key_owner` and `active_keys`."""

    def __init__(self, ws: AgencyWorkspace, keys: dict[str, str]) -> None:
        self._ws, self._keys = ws, keys

    def __getattr__(self, name: str) -> object:
        return getattr(self._ws, name)

    def key_owner(self, fp: str) -> object:
        from types import SimpleNamespace

        return next((SimpleNamespace(expert_id=e, fingerprint=f) for e, f in self._keys.items() if f == fp), None)

    def active_keys(self) -> dict[str, object]:
        from types import SimpleNamespace

        return {e: SimpleNamespace(expert_id=e, fingerprint=f) for e, f in self._keys.items()}


def test_the_pool_uses_the_expert_registry_when_there_is_one(ws: AgencyWorkspace) -> None:
    reg = _WithRegistry(ws, {"E1": FP1})
    pool_store.import_pool(reg, [_e("E1"), _e("E2")])
    assert {e.expert_id: e.key_fingerprint for e in pool_store.experts(reg)} == {"E1": FP1, "E2": ""}
    with pytest.raises(Rejected) as err:
        pool_store.save_expert(reg, _e("E2", key_fingerprint=FP1))
    assert err.value.code == "pool.key_in_use"


def test_the_pool_and_the_expert_registry_agree_on_one_key_one_expert(ws: AgencyWorkspace) -> None:
    """The registry of issue 11 is the pool's key source: an enrolled key shows in the pool, and a
    pool row giving that key to another expert is refused."""
    ws.enrol("E1", FP1, "enrolment")
    pool_store.import_pool(ws, [_e("E1"), _e("E2")])
    assert {e.expert_id: e.key_fingerprint for e in pool_store.experts(ws)} == {"E1": FP1, "E2": ""}
    with pytest.raises(Rejected) as refused:
        pool_store.save_expert(ws, _e("E2", key_fingerprint=FP1))
    assert refused.value.code == pool_store.KEY_REUSED
    assert {e.expert_id: e.key_fingerprint for e in pool_store.experts(ws)} == {"E1": FP1, "E2": ""}
