"""`tic-desktop simulate` (issue 4): signed sheets as if every expert of a batch had scored."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tic_desktop.cli.common import add_key_passphrase_option, load_identity, read_passphrase, tr

COMMANDS = ("simulate",)


def add_commands(sub: Any, lang: str) -> None:
    def t(zh: str, en: str) -> str:
        return tr(lang, zh, en)

    sim = sub.add_parser("simulate", lang=lang, help=t("模拟全部专家评分并生成签名评分表", "signed sheets as if every expert had scored"),
                         description=t("如同批次中每位专家都已在软件中完成评分：生成 DIR/<专家编号>.ticsheet、专家公钥（DIR/keys/）"
                                       "和 DIR/allowed_signers。用于演练、培训和压力测试。",
                                       "As if every expert of the batch had scored in the app: writes DIR/<expert_id>.ticsheet, "
                                       "the experts' public keys (DIR/keys/) and DIR/allowed_signers. For rehearsals, "
                                       "training and load tests."))
    sim.add_argument("batch", metavar="FILE.ticbatch", type=Path, help=t("批次文件", "batch file"))
    sim.add_argument("-o", "--output", required=True, type=Path, metavar="DIR", help=t("输出文件夹", "output folder"))
    sim.add_argument("--seed", type=int, default=1, metavar="N", help=t("随机种子（默认 1）", "random seed (default 1)"))
    sim.add_argument("--scores", type=Path, metavar="FILE.csv",
                     help=t("指定分数的 CSV，列为 expert_id,proposal_id,criterion_id,score[,form_id]。同一指标编号出现在项目的"
                            "多张评分表中时（如方案论证批次的 1.1–4.2）须填 form_id；score 为 0 到该指标满分之间、符合评分步长的数，"
                            "或 NA（表格允许时）；criterion_id=* 且 score=conflict 表示回避。未列出的指标按随机种子生成分数",
                            "CSV of fixed scores, columns expert_id,proposal_id,criterion_id,score[,form_id]. form_id is "
                            "required when the criterion id is in more than one of the proposal's forms (1.1-4.2 in a "
                            "feasibility batch); score is a number from 0 to the criterion's max in the form's step, or NA "
                            "where the form allows it; criterion_id=* with score=conflict declares a conflict. Criteria not "
                            "listed get seeded scores"))
    secret = sim.add_mutually_exclusive_group()
    secret.add_argument("--passphrase-file", type=Path, metavar="F", help=t("批次解密口令文件", "batch passphrase file"))
    secret.add_argument("--identity", type=Path, metavar="F", help=t("批次解密 age 私钥文件", "age identity file for the batch"))
    add_key_passphrase_option(sim, lang)
    sim.set_defaults(handler=cmd_simulate)


def cmd_simulate(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.simulate import simulate

    passphrase = read_passphrase(args.passphrase_file, lang) if args.passphrase_file else None
    identity = load_identity(args.identity, args.key_passphrase_file, lang, agency=False) if args.identity else None
    done = simulate(args.batch, args.output, seed=args.seed, scores_csv=args.scores, passphrase=passphrase,
                    identity=identity)
    for s in done:
        r = s.result
        print(tr(lang, f"{r.path}：{r.proposals - r.conflicts} 个项目已评分，回避 {r.conflicts}，密钥 {s.key.fingerprint}",
                 f"{r.path}: {r.proposals - r.conflicts} proposals scored, {r.conflicts} withdrawn, key {s.key.fingerprint}"))
    print(tr(lang, f"可信签名者文件：{args.output / 'allowed_signers'}；专家公钥：{args.output / 'keys'}",
             f"Allowed signers: {args.output / 'allowed_signers'}; public keys: {args.output / 'keys'}"))
    if any(s.demo for s in done):
        print(tr(lang, "演示：该批次由公开的演示机构密钥签名，这些评分表仅供演示和演练。",
                 "Demo: this batch is signed with the public DEMO agency key; these sheets are for the demo and rehearsals only."))
    return 0
