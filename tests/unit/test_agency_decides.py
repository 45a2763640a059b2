"""Issue 12 items 4 and 9: what only the agency can know is decided by the agency, per center, in the
batch source — not-applicable items (the same for every expert), the integrity check, the pledge text —
and carried in the signed batch (format 1.1)."""

from __future__ import annotations

import csv
import hashlib
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from tic_desktop import demo
from tic_desktop.core.errors import Rejected, SourceError
from tic_desktop.core.pledge import PLEDGE, pledge_sha256
from tic_desktop.core.scoring import FormAnswers, evaluate
from tic_desktop.formats import agecrypt, container, sshsig, strictjson
from tic_desktop.formats import sheet as sf
from tic_desktop.formats.batch import read_batch, write_batch
from tic_desktop.formats.keys import load_agency_keys
from tic_desktop.formats.source import read_source
from tic_desktop.simulate import simulate


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


@pytest.fixture
def periodic(tmp_path: Path) -> Path:
    return demo.build_demo_source(tmp_path / "src", "periodic_assessment")


# ── the batch source ────────────────────────────────────────────────────────────────────────

def test_not_applicable_sheet_is_read_per_center(periodic: Path) -> None:
    spec = read_source(periodic)
    by_id = {p.id: p for p in spec.proposals}
    assert by_id["TJ-SB-02"].not_applicable_for("periodic_assessment") == {"5.1"}
    assert by_id["TJ-SB-02"].not_applicable[0].reason.startswith("2024年新认定")
    assert all(not p.not_applicable for pid, p in by_id.items() if pid != "TJ-SB-02")


def test_english_headers_and_form_id_may_be_left_out(periodic: Path) -> None:
    _write(periodic / "not_applicable.csv", [["proposal_id", "criterion_id", "reason"],
                                             ["TJ-AI-01", "3.3", "no open services yet"]])
    spec = read_source(periodic)
    assert {p.id: p.not_applicable_for("periodic_assessment") for p in spec.proposals}["TJ-AI-01"] == {"3.3"}


@pytest.mark.parametrize(("row", "where", "words"), [
    (["TJ-AI-01", "periodic_assessment", "1.1", ""], "第 2 行「评分项」列", "不允许设为不适用"),
    (["TJ-AI-01", "periodic_assessment", "9.9", ""], "第 2 行「评分项」列", "没有评分项"),
    (["TJ-AI-01", "feasibility_review", "8.1", ""], "第 2 行「评分表」列", "不使用评分表"),
    (["TJ-XX-99", "periodic_assessment", "5.1", ""], "第 2 行「编号」列", "不在申报项目表中"),
])
def test_bad_not_applicable_rows_name_file_row_and_column(periodic: Path, row: list[str], where: str,
                                                          words: str) -> None:
    _write(periodic / "not_applicable.csv", [["编号", "评分表", "评分项", "理由"], row])
    with pytest.raises(SourceError) as info:
        read_source(periodic)
    text = info.value.text("zh")
    assert "not_applicable.csv" in text and where in text and words in text


def test_integrity_check_per_center_and_the_old_header(periodic: Path) -> None:
    rows = _rows(periodic / "proposals.csv")
    head = rows[0]
    assert "依托单位" in head and "牵头单位" not in head
    rows[0] = ["牵头单位" if h == "依托单位" else h for h in head]  # older sources keep working
    i_rec, i_note = head.index("科研失信记录"), head.index("诚信核查说明")
    rows[2][i_rec], rows[2][i_note] = "是", "2025年通报，尚在处理中"
    _write(periodic / "proposals.csv", rows)
    spec = read_source(periodic)
    by_id = {p.id: p for p in spec.proposals}
    second = by_id[rows[2][0]]
    assert second.integrity is not None and second.integrity.record and "尚在处理中" in second.integrity.note
    assert by_id[rows[1][0]].integrity is not None and not by_id[rows[1][0]].integrity.record
    assert second.lead_unit == rows[2][head.index("依托单位")]


def test_integrity_note_without_a_finding_is_refused(periodic: Path) -> None:
    rows = _rows(periodic / "proposals.csv")
    rows[1][rows[0].index("科研失信记录")] = ""
    _write(periodic / "proposals.csv", rows)
    with pytest.raises(SourceError) as info:
        read_source(periodic)
    assert "proposals.csv 第 2 行「科研失信记录」列" in info.value.text("zh")


# ── the signed batch ────────────────────────────────────────────────────────────────────────

def _batch(src: Path, out: Path) -> Path:
    spec = read_source(src)
    from tic_desktop.demo import _build_demo  # the documents as the demo adds them

    docs = _build_demo(out.parent / "docs-src", "periodic_assessment")[1]
    spec = type(spec)(**{**spec.__dict__, "documents": docs.documents,
                         "proposals": [p.model_copy(update={"documents": d.documents})
                                       for p, d in zip(spec.proposals, docs.proposals, strict=True)]})
    write_batch(out, spec, load_agency_keys(demo.demo_agency_dir()))
    return out


def test_batch_carries_the_agency_decisions_and_its_pledge(periodic: Path, tmp_path: Path) -> None:
    (periodic / "pledge_zh.txt").write_text("本批次承诺书\n\n一、本人承诺独立评审。\n二、本人承诺保密。\n", "utf-8")
    out = _batch(periodic, tmp_path / "b.ticbatch")
    with zipfile.ZipFile(out) as z:
        manifest = json.loads(z.read("manifest.json"))
        proposal = json.loads(z.read("proposals/TJ-SB-02/proposal.json"))
    assert manifest["format_version"] == "1.1"
    assert manifest["pledge"]["zh"].startswith("本批次承诺书") and manifest["pledge"]["en"] == manifest["pledge"]["zh"]
    assert proposal["not_applicable"] == [{"form_id": "periodic_assessment", "criterion_id": "5.1",
                                           "reason": "2024年新认定的中心，首次评估，没有上期考核目标"}]
    assert proposal["integrity"]["record"] is False
    opened = read_batch(out)
    text = opened.manifest.pledge_text
    assert pledge_sha256(text) == hashlib.sha256((text.zh + "\n\n" + text.en).encode()).hexdigest()
    assert pledge_sha256(text) != pledge_sha256(PLEDGE)
    opened.close()


def test_without_pledge_files_the_default_text_is_signed(tmp_path: Path) -> None:
    out = demo.write_demo_batch(tmp_path / "d")
    with read_batch(out) as opened:
        assert opened.manifest.pledge is None and opened.manifest.pledge_text == PLEDGE


# ── experts cannot mark N/A; the demo problem ───────────────────────────────────────────────

def test_an_expert_alone_cannot_mark_an_item_na(tmp_path: Path) -> None:
    """The demo problem: one expert alone marked 5.1 N/A (57.5/90 rescaled to 63.89) while the others
    scored out of 100. Now N/A is the agency's, so that expert's sheet cannot be completed that way."""
    out = demo.write_demo_batch(tmp_path / "d", "periodic_assessment")
    with read_batch(out) as opened:
        form = opened.forms["periodic_assessment"]
        fixed = opened.proposals["TJ-AI-01"].not_applicable_for(form.id)
        assert fixed == frozenset()
        scores = {c.id: c.max * Decimal("0.7") for c in form.criteria if c.id != "5.1"}
        answers = FormAnswers(scores=scores, not_applicable=frozenset({"5.1"}), comments={"5.1": "首次评估"},
                              vetoes={v.id: False for v in form.vetoes}, conclusion="fail",
                              overall={f.id: "x" for f in form.overall_fields})
        ev = evaluate(form, answers, "technical", fixed_na=fixed)
        assert not ev.complete and [p.code for p in ev.problems if p.target == "5.1"][:1] == ["na.agency_only"]
        assert ev.applicable_max == Decimal(100)  # scored out of 100 like everybody else


def test_every_expert_scores_the_agency_na_item_the_same_way(tmp_path: Path) -> None:
    out = demo.write_demo_batch(tmp_path / "d", "periodic_assessment")
    done = simulate(out, tmp_path / "sheets", seed=3)
    with read_batch(out) as opened:
        identity = (tmp_path / "d" / "agency" / "agency.agekey").read_text()
        seen = 0
        for sim in done:
            sheet = sf.read_sheet(sim.result.path, opened, identity=identity).sheet
            for entry in sheet.proposals:
                for fe in entry.forms:
                    na = {c.id for c in fe.criteria if c.not_applicable}
                    assert na == ({"5.1"} if entry.proposal_id == "TJ-SB-02" else set())
                    if entry.proposal_id == "TJ-SB-02":
                        seen += 1
                        assert fe.applicable_max == Decimal(90)
                    else:
                        assert fe.applicable_max == Decimal(100)
        assert seen >= 5


def test_a_sheet_with_an_na_the_agency_did_not_set_is_refused(tmp_path: Path) -> None:
    out = demo.write_demo_batch(tmp_path / "d", "periodic_assessment")
    done = simulate(out, tmp_path / "sheets", seed=5)
    sim = next(s for s in done if s.expert_id == "E02")
    agency = tmp_path / "d" / "agency"
    identity = (agency / "agency.agekey").read_text()
    with read_batch(out) as opened:
        form = opened.forms["periodic_assessment"]
        plain = agecrypt.decrypt(sim.result.path.read_bytes(), identities=agecrypt.identities_from_text(identity),
                                 max_output=1 << 30)
        import io

        with zipfile.ZipFile(io.BytesIO(plain)) as z:
            members = {i.filename: z.read(i) for i in z.infolist()}
        body = dict(strictjson.parse(members[sf.SHEET]))
        entry = next(p for p in body["proposals"] if p["proposal_id"] == "TJ-AI-01")
        fe = entry["forms"][0]
        for c in fe["criteria"]:
            if c["id"] == "5.1":  # the expert alone marks 5.1 N/A, with a comment, as in the old demo
                c.update(score=None, not_applicable=True, comment="首次评估，无上期目标")
        answers = FormAnswers(
            scores={c["id"]: Decimal(c["score"]) for c in fe["criteria"] if c["score"] is not None},
            not_applicable=frozenset({"5.1"}),
            comments={c["id"]: c["comment"] for c in fe["criteria"] if c["comment"]},
            vetoes=fe["vetoes"], conclusion=fe["conclusion"], overall=fe["overall"])
        ev = evaluate(form, answers, "technical")
        fe.update(raw_total=str(ev.raw_total), applicable_max=str(ev.applicable_max), total=str(ev.total),
                  conclusion=ev.suggested_conclusion)
        assert ev.applicable_max == Decimal(90)
        raw = strictjson.dumps(body)
        members[sf.SHEET] = raw
        members[sf.SHEET_SIG] = sshsig.sign(raw, sim.key.signing_key, sf.SHEET_NAMESPACE)
        members[sf.SHEET_RAW_SIG] = sim.key.signing_key.sign(raw)
        forged = agecrypt.encrypt_to_recipients(container.write_zip(members, stored_suffixes=(".pdf",)),
                                                [opened.manifest.agency.age_recipient])
        with pytest.raises(Rejected) as info:
            sf.read_sheet(forged, opened, identity=identity)
        assert info.value.code == "sheet.na_not_set_by_agency"
