"""The handlers of `tic-desktop round …` (the parser and the overview are in cli.round). Each goes
through the agency service (`agency.service`, `agency.service.round`, `agency.round_store`) and
assembles nothing itself."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from tic_desktop.core.errors import Rejected

ROUND = "round"
"""The id of the round `round consolidate` makes in its temporary workspace."""


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _line(lang: str, mark: str, path: str, text: str) -> str:
    return f"{mark} {path}：{text}" if lang == "zh" else f"{mark} {path}: {text}"


def _cli_error(lang: str, prefix_zh: str, prefix_en: str, exc: Rejected) -> Exception:
    from tic_desktop.cli.common import CliError

    return CliError(_t(lang, prefix_zh, prefix_en) + exc.text(lang) + f" ({exc.code})")


def _identity(args: argparse.Namespace, lang: str) -> tuple[str, str]:
    """(identity text, own signing fingerprint): --identity, else the workspace's keys/agency.agekey."""
    from tic_desktop.cli.common import load_identity
    from tic_desktop.cli.round import workspace_dir
    from tic_desktop.cli.trust import own_fingerprint

    if getattr(args, "identity", None) is None:
        args.identity = workspace_dir(args) / "keys" / "agency.agekey"
    return load_identity(args.identity, args.key_passphrase_file, lang), own_fingerprint(args, lang)


def _open(args: argparse.Namespace) -> Any:
    from tic_desktop.agency.service import open_workspace
    from tic_desktop.cli.round import workspace_dir

    folder = workspace_dir(args)
    folder.mkdir(parents=True, exist_ok=True)
    return open_workspace(folder / "agency.db")


def _add_batches(ws: Any, paths: Sequence[Path], identity: str, own: str, lang: str, *, allow_demo: bool) -> list[str]:
    from tic_desktop.agency import service as svc

    ids: list[str] = []
    for path in paths:
        try:
            info = svc.add_batch(ws, Path(path), identity, own_fingerprint=own, allow_demo=allow_demo)
        except Rejected as exc:
            raise _cli_error(lang, f"错误：批次文件 {path} 无法使用：", f"error: the batch {path} cannot be used: ", exc) from None
        if info.batch_id not in ids:
            ids.append(info.batch_id)
    return ids


def _pin(ws: Any, batch_ids: Sequence[str], signers: Path | None, lang: str) -> None:
    from tic_desktop.agency import service as svc

    if signers is None:
        return
    text = signers.read_text("utf-8")
    for batch_id in batch_ids:
        try:
            svc.pin_allowed_signers(ws, batch_id, text)
        except Rejected as exc:
            raise _cli_error(lang, f"错误：{signers}：", f"error: {signers}: ", exc) from None


def import_into_round(ws: Any, round_id: str, identity: str, own: str, sheets: Sequence[Path], *,
                      trust_first_use: bool, lang: str) -> tuple[int, int]:
    """The round's import on the agency service (`service.round_import.import_round`: each file routed to
    the batch it names, then the one import pipeline), each file named on stdout (used) or stderr (not
    used, why, its code; `cli.consolidate.report_outcomes`). Returns (files used, files not used)."""
    from tic_desktop.agency.service.round import OTHER_BATCH
    from tic_desktop.agency.service.round_import import import_round
    from tic_desktop.cli.consolidate import report_outcomes
    from tic_desktop.core.errors import message

    done = import_round(ws, round_id, identity, list(sheets), own_fingerprint=own, trust_first_use=trust_first_use)
    for path, other in done.foreign:
        print(_line(lang, "✘", str(path), message(OTHER_BATCH, lang) + f" [{other}] ({OTHER_BATCH})"), file=sys.stderr)
    bad = len(done.foreign)
    used = 0
    for batch_id, outcomes in done.outcomes.items():
        not_used = report_outcomes(ws, batch_id, outcomes, lang, name_batch=True)
        bad += not_used
        used += len(outcomes) - not_used
    return used, bad


def _summary(report: Any, lang: str) -> None:
    rows = report.results.rows
    for panel in report.panels:
        print(_t(lang, f"批次 {panel.batch_id}：有效评分表 {len(panel.signers)} 份（专家 {len(panel.signers)}/"
                       f"{len(panel.experts)} 位），未采用的文件 {len(panel.rejected)} 个。",
                 f"batch {panel.batch_id}: {len(panel.signers)} sheets counted ({len(panel.signers)} of "
                 f"{len(panel.experts)} experts), {len(panel.rejected)} file(s) not used."))
    changed = sum(1 for r in rows if "normalised.conclusion_differs" in r.flag_codes)
    print(_t(lang, f"本轮共 {len(rows)} 个项目×评分表；标准化后结论不同的 {changed} 个；正式排名："
                   + ("标准化得分" if report.results.official.basis == "normalised" else "原始得分") + "。",
             f"The round has {len(rows)} proposal × form rows; {changed} change conclusion under normalisation; "
             f"official ranking: {report.results.official.basis}."))


def _signer(args: argparse.Namespace, lang: str, report: Any) -> Any:
    """The agency's document signer (cli.docsign): each panel's consolidated.pdf is signed as by `consolidate`."""
    from tic_desktop.cli.docsign import document_signer

    return document_signer(args, lang, report.panels[0].agency_name if report.panels else "")


def _written(paths: Sequence[Path], signer: Any, lang: str) -> None:
    from tic_desktop.cli.docsign import signed_line

    for path in paths:
        print(_t(lang, f"已生成：{path}", f"written: {path}"))
    if signer is not None:
        print(signed_line(lang, signer))


def _default_title(ws: Any, batch_id: str) -> str:
    title = ws.batch(batch_id).title.zh
    return re.sub(r"（[^（）]*组）$", "", title).strip() or title


def cmd_consolidate(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency import round_store
    from tic_desktop.agency import service as svc
    from tic_desktop.agency.service.round import previous_from_csv, round_report, write_round_exports
    from tic_desktop.cli.trust import demo_note

    identity, own = _identity(args, lang)
    previous = [p for f in args.previous for p in previous_from_csv(f)]
    with svc.temporary_workspace("tic-round-") as ws:
        demo = demo_note(own, lang)
        ids = _add_batches(ws, args.batches, identity, own, lang, allow_demo=demo)
        _pin(ws, ids, args.allowed_signers, lang)
        try:
            round_store.create_round(ws, ROUND, args.title or _default_title(ws, ids[0]), args.year or date.today().year)
        except Rejected as exc:
            raise _cli_error(lang, "错误：", "error: ", exc) from None
        for batch_id in ids:
            round_store.add_batch(ws, ROUND, batch_id)
        if previous:
            round_store.import_previous(ws, ROUND, previous)
        _used, bad = import_into_round(ws, ROUND, identity, own, args.sheets, trust_first_use=args.trust_first_use,
                                       lang=lang)
        report = round_report(ws, ROUND, identity, own_fingerprint=own)
        signer = _signer(args, lang, report)
        written = write_round_exports(args.output, report, signer=signer)
        if args.archive is not None:
            from tic_desktop.cli.archive import write_consolidation_archive

            written.append(write_consolidation_archive(args, lang, ws, round_id=ROUND))
    _written(written, signer, lang)
    _summary(report, lang)
    return 1 if bad else 0


def cmd_create(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency import round_store

    with _open(args) as ws:
        info = round_store.create_round(ws, args.round_id, args.title, args.year)
    print(_t(lang, f"已创建评审轮次 {info.round_id}：{info.title}（{info.year} 年）",
             f"created the round {info.round_id}: {info.title} ({info.year})"))
    return 0


def cmd_add(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency import round_store

    with _open(args) as ws:
        round_store.get_round(ws, args.round_id)
        if not args.batches and not args.sheets:
            print(_t(lang, "没有要加入的批次或评分表。", "Nothing to add: give --batch or sheet files."))
            return 0
        identity, own = _identity(args, lang)
        files = [b for b in args.batches if Path(b).is_file()]
        held = {b.batch_id for b in ws.batches()}
        unknown = [b for b in args.batches if not Path(b).is_file() and b not in held]
        if unknown:
            raise _cli_error(lang, f"错误：{unknown[0]}：", f"error: {unknown[0]}: ",
                             Rejected("agency.batch_unknown", unknown[0]))
        ids = _add_batches(ws, [Path(f) for f in files], identity, own, lang, allow_demo=False)
        ids += [b for b in args.batches if not Path(b).is_file() and b not in ids]
        for batch_id in ids:
            round_store.add_batch(ws, args.round_id, batch_id)
            print(_t(lang, f"已加入轮次：批次 {batch_id}", f"added to the round: batch {batch_id}"))
        _pin(ws, round_store.get_round(ws, args.round_id).batch_ids, args.allowed_signers, lang)
        _used, bad = import_into_round(ws, args.round_id, identity, own, args.sheets,
                                       trust_first_use=args.trust_first_use, lang=lang)
    return 1 if bad else 0


def status_data(ws: Any, round_id: str) -> dict[str, Any]:
    from tic_desktop.agency import round_store

    info = round_store.get_round(ws, round_id)
    choice = round_store.official(ws, round_id)
    batches = []
    for batch_id in info.batch_ids:
        b = ws.batch(batch_id)
        batches.append({"batch_id": batch_id, "title": b.title.zh, "experts": b.experts, "proposals": b.proposals,
                        "sheets": len(ws.current_sheets(batch_id)), "conflicts": len(ws.conflicts(batch_id))})
    objections = round_store.objections(ws, round_id)
    return {"round_id": info.round_id, "title": info.title, "year": info.year, "batches": batches,
            "official": {"basis": choice.basis, "reason": choice.reason},
            "normalisation_recorded": round_store.normalisation(ws, round_id) is not None,
            "decisions": len(round_store.decisions(ws, round_id)), "objections": len(objections),
            "objections_open": sum(1 for o in objections if o.open),
            "previous": len(round_store.previous(ws, round_id))}


def cmd_status(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency import round_store
    from tic_desktop.cli.round import print_json

    with _open(args) as ws:
        if args.round_id is None:
            rounds = round_store.rounds(ws)
            if args.json:
                print_json([status_data(ws, r.round_id) for r in rounds])
            elif not rounds:
                print(_t(lang, "工作区中还没有评审轮次（tic-desktop round create）。",
                         "The workspace has no round yet (tic-desktop round create)."))
            for r in rounds if not args.json else ():
                print(f"{r.round_id}\t{r.year}\t{r.title}\t" + _t(lang, f"{len(r.batch_ids)} 个批次", f"{len(r.batch_ids)} batches"))
            return 0
        data = status_data(ws, args.round_id)
    if args.json:
        print_json(data)
        return 0
    print(_t(lang, f"评审轮次 {data['round_id']}：{data['title']}（{data['year']} 年）",
             f"round {data['round_id']}: {data['title']} ({data['year']})"))
    for b in data["batches"]:
        print(_t(lang, f"  批次 {b['batch_id']}：{b['proposals']} 个项目，有效评分表 {b['sheets']}/{b['experts']} 位专家"
                       + (f"，{b['conflicts']} 个冲突待处理" if b["conflicts"] else ""),
                 f"  batch {b['batch_id']}: {b['proposals']} proposals, sheets of {b['sheets']}/{b['experts']} experts"
                 + (f", {b['conflicts']} conflict(s) to resolve" if b["conflicts"] else "")))
    basis = data["official"]["basis"]
    print(_t(lang, "正式排名：" + ("标准化得分（理由：" + data["official"]["reason"] + "）" if basis == "normalised" else "原始得分"),
             "official ranking: " + ("normalised (reason: " + data["official"]["reason"] + ")" if basis == "normalised"
                                     else "raw")))
    print(_t(lang, f"市科技局决定 {data['decisions']} 项；异议/复议 {data['objections']} 项（未处理 {data['objections_open']} 项）；"
                   f"上一轮结果 {data['previous']} 项",
             f"decisions {data['decisions']}; objections/reviews {data['objections']} ({data['objections_open']} open); "
             f"previous results {data['previous']}"))
    return 0


def cmd_export(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency.service.round import round_report, write_round_exports

    with _open(args) as ws:
        identity, own = _identity(args, lang)
        report = round_report(ws, args.round_id, identity, own_fingerprint=own)
        signer = _signer(args, lang, report)
        written = write_round_exports(args.output, report, signer=signer)
        if args.archive is not None:
            from tic_desktop.cli.archive import write_consolidation_archive

            written.append(write_consolidation_archive(args, lang, ws, round_id=args.round_id))
    _written(written, signer, lang)
    _summary(report, lang)
    return 0


def cmd_official(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency import round_store

    with _open(args) as ws:
        choice = round_store.set_official(ws, args.round_id, "normalised" if args.normalised else "raw", args.reason)
    print(_t(lang, "正式排名：" + ("标准化得分" if choice.basis == "normalised" else "原始得分") + "（已记入审计日志）",
             f"official ranking: {choice.basis} (kept in the audit log)"))
    return 0


def cmd_decide(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency import round_store
    from tic_desktop.core.round_results import FinalDecision

    with _open(args) as ws:
        batch_id = round_store.batch_of(ws, args.round_id, args.proposal_id)
        d = round_store.record_decision(ws, args.round_id, FinalDecision(
            batch_id, args.proposal_id, args.date, args.decision, args.document_number))
    print(_t(lang, f"已记录：{d.proposal_id} {d.decided_on} {d.decision} {d.document_number}".rstrip(),
             f"recorded: {d.proposal_id} {d.decided_on} {d.decision} {d.document_number}".rstrip()))
    return 0


def cmd_object(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency import round_store

    with _open(args) as ws:
        batch_id = round_store.batch_of(ws, args.round_id, args.proposal_id)
        number = round_store.record_objection(ws, args.round_id, batch_id, args.proposal_id,
                                              "review" if args.review else "objection", args.received, args.by,
                                              args.summary)
    print(_t(lang, f"已记录{'复议' if args.review else '异议'}，编号 {number}",
             f"recorded the {'review' if args.review else 'objection'} as number {number}"))
    return 0


def cmd_settle(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency import round_store

    with _open(args) as ws:
        o = round_store.settle_objection(ws, args.round_id, args.number, args.outcome, args.date)
    print(_t(lang, f"已记录处理结果：编号 {o.objection_id}，{o.outcome_on} {o.outcome}",
             f"recorded the outcome of number {o.objection_id}: {o.outcome_on} {o.outcome}"))
    return 0


def cmd_previous(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency import round_store
    from tic_desktop.agency.service.round import previous_from_csv, previous_from_workspace

    with _open(args) as ws:
        round_store.get_round(ws, args.round_id)
        if Path(args.source).is_dir() or args.source.suffix == ".db":
            identity, _own = _identity(args, lang)
            results = previous_from_workspace(args.source, identity)
        else:
            results = previous_from_csv(args.source)
        n = round_store.import_previous(ws, args.round_id, results)
    rectify = sum(1 for p in results if p.rectify)
    print(_t(lang, f"已导入上一轮结果 {n} 项（上次为整改、本轮须复评的 {rectify} 个）",
             f"imported {n} previous results ({rectify} told to rectify last time, to be re-assessed)"))
    return 0


def cmd_notice(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency import round_store
    from tic_desktop.reports.notice import check_notice, default_notice

    with _open(args) as ws:
        round_store.get_round(ws, args.round_id)
        if args.file is None and not args.default:
            print(round_store.notice(ws, args.round_id) or default_notice(), end="")
            return 0
        text = "" if args.default else args.file.read_bytes().decode("utf-8-sig")
        if text:
            check_notice(text)  # notice.unknown_placeholder: nothing stored
        round_store.set_notice(ws, args.round_id, text)
    print(_t(lang, "已恢复默认公示说明。" if args.default else "已保存公示说明（已记入审计日志）。",
             "The default notice is restored." if args.default else "The notice is saved (kept in the audit log)."))
    return 0


HANDLERS = {"consolidate": cmd_consolidate, "create": cmd_create, "add": cmd_add, "status": cmd_status,
            "export": cmd_export, "official": cmd_official, "decide": cmd_decide, "object": cmd_object,
            "settle": cmd_settle, "notice": cmd_notice, "previous": cmd_previous}
