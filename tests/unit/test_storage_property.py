"""Property test: any sequence of set/clear/reopen leaves the workspace equal to a dict model."""

from __future__ import annotations

import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tic_desktop.storage.records import AnswerEdit, encode_value
from tic_desktop.storage.workspace import Workspace

PROPOSALS = st.sampled_from(["P01", "P02"])
FORMS = st.sampled_from(["feasibility_review", "rd_capacity_project"])
ITEMS = st.sampled_from(["1.1", "1.2", "2"])
SCORES = st.one_of(
    st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False),
    st.integers(0, 100).map(str),
)
TEXT = st.text(max_size=30)
KIND_VALUES = st.one_of(
    st.tuples(st.just("score"), SCORES),
    st.tuples(st.just("na"), st.booleans()),
    st.tuples(st.just("veto"), st.booleans()),
    st.tuples(st.just("comment"), TEXT),
    st.tuples(st.just("overall"), TEXT),
    st.tuples(st.just("conclusion"), st.sampled_from(["pass", "revise", "fail"])),
)
Key = tuple[str, str, str, str]


class AnswersMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="tic-prop-"))
        self.ws = Workspace.open(self.dir / "workspace.db")
        self.ws.add_batch(
            batch_id="B1", manifest_sha256="ab" * 32, title_zh="批", title_en="B", kind="k",
            agency_name="机构", agency_fingerprint="SHA256:a", raw=b"raw",
        )  # fmt: skip
        self.model: dict[Key, str] = {}
        self.events = self.ws.audit_head().seq

    def _apply(self, key: Key, value: object) -> bool:
        proposal, form, kind, item = key
        text = None if value is None else encode_value(kind, item, value)  # type: ignore[arg-type]
        changed = self.model.get(key) != text
        if text is None:
            self.model.pop(key, None)
        else:
            self.model[key] = text
        self.events += changed
        return changed

    @rule(proposal=PROPOSALS, form=FORMS, item=ITEMS, kind_value=KIND_VALUES)
    def set_answer(self, proposal: str, form: str, item: str, kind_value: tuple[str, object]) -> None:
        kind, value = kind_value
        item = "" if kind == "conclusion" else item
        key = (proposal, form, kind, item)
        expected = self._apply(key, value)
        assert self.ws.set_answer("B1", "E01", proposal, form, kind, item, value) is expected  # type: ignore[arg-type]

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def clear_existing(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.model)))
        self._apply(key, None)
        assert self.ws.clear_answer("B1", "E01", *key) is True  # type: ignore[arg-type]

    @rule(proposal=PROPOSALS, form=FORMS, item=ITEMS)
    def clear_maybe_absent(self, proposal: str, form: str, item: str) -> None:
        key = (proposal, form, "score", item)
        expected = self._apply(key, None)
        assert self.ws.clear_answer("B1", "E01", *key) is expected  # type: ignore[arg-type]

    @rule(edits=st.lists(st.tuples(PROPOSALS, ITEMS, SCORES | st.none()), max_size=4))
    def burst(self, edits: list[tuple[str, str, object]]) -> None:
        batch = [AnswerEdit(p, "feasibility_review", "score", i, v) for p, i, v in edits]  # type: ignore[arg-type]
        expected = sum(self._apply((p, "feasibility_review", "score", i), v) for p, i, v in edits)
        assert self.ws.set_answers("B1", "E01", batch) == expected

    @rule()
    def reopen(self) -> None:
        self.ws.close()
        self.ws = Workspace.open(self.dir / "workspace.db")

    @invariant()
    def matches_model(self) -> None:
        stored = {
            (r.proposal_id, r.form_id, r.item_kind, r.item_id): r.value
            for r in self.ws.answer_rows("B1", "E01")
        }
        assert stored == self.model
        assert self.ws.audit_head().seq == self.events
        got = self.ws.answers_for("B1", "E01", "P01", "feasibility_review")
        mine = {k[2:]: v for k, v in self.model.items() if k[:2] == ("P01", "feasibility_review")}
        assert got["scores"] == {i: Decimal(v) for (kind, i), v in mine.items() if kind == "score"}
        assert got["not_applicable"] == frozenset(i for (kind, i) in mine if kind == "na")
        assert got["vetoes"] == {i: v == "1" for (kind, i), v in mine.items() if kind == "veto"}
        assert got["conclusion"] == mine.get(("conclusion", ""))

    def teardown(self) -> None:
        try:
            self.ws.verify_audit_chain()
            assert self.ws.integrity_check() == ["ok"]
        finally:
            self.ws.close()
            shutil.rmtree(self.dir, ignore_errors=True)


AnswersMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestAnswersMachine = AnswersMachine.TestCase
