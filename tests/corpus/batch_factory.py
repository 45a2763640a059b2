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
