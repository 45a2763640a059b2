"""A synthetic expert pool and centers table (seeded), for the benchmark, the tests and rehearsals."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from tic_desktop.agency.pool import PoolExpert, pool_csv_bytes

FIELDS = ("人工智能", "合成生物", "智能制造", "生物医药", "新材料", "新能源", "信息安全", "海洋装备", "现代农业", "节能环保")
UNIVERSITIES = ("天津大学", "南开大学", "河北工业大学", "天津理工大学", "天津科技大学", "天津医科大学", "天津中医药大学",
                "天津工业大学", "天津师范大学", "中国民航大学", "清华大学", "北京大学", "北京理工大学", "浙江大学", "上海交通大学")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红玉兰海波宁晓峰"
TITLES = ("教授", "研究员", "高级工程师", "正高级工程师", "副教授", "高级会计师")


def companies(n: int) -> list[str]:
    return [f"天津津{FIELDS[i % len(FIELDS)][:2]}{i:03d}科技有限公司" for i in range(n)]


def sample_centers(n: int, seed: int = 1) -> list[dict[str, str]]:
    rng = random.Random(seed)
    firms = companies(max(n, 10))
    out = []
    for i in range(n):
        f = FIELDS[i % len(FIELDS)]
        members = rng.sample(UNIVERSITIES[:10], 2) + [firms[(i * 7 + 3) % len(firms)]]
        out.append({"proposal_id": f"C{i + 1:03d}", "center_name": f"天津市{f}技术创新中心{i + 1}",
                    "center_type": "综合性", "lead_unit": firms[i], "member_units": ";".join(members), "field": f})
    return out


def sample_pool(n: int, seed: int = 1, *, centers: int = 150) -> list[PoolExpert]:
    rng = random.Random(seed)
    firms = companies(max(centers, 10))
    units = list(UNIVERSITIES) + [f"中国科学院{f}研究所" for f in FIELDS] + firms[: max(10, centers // 2)]
    out = []
    for i in range(n):
        r = rng.random()
        role = "technical" if r < 0.8 else "finance" if r < 0.9 else "management"
        fields = tuple(rng.sample(FIELDS, rng.choice((1, 1, 2)))) if role == "technical" else ("财务",) \
            if role == "finance" else ("管理",)
        unit = rng.choice(units)
        out.append(PoolExpert(
            expert_id=f"E{i + 1:04d}", name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), unit=unit,
            title=rng.choice(TITLES), role=role, fields=fields,
            collaborators=(rng.choice(units),) if rng.random() < 0.1 else (),
            past_panels=(f"C{rng.randrange(1, centers + 1):03d}",) if rng.random() < 0.05 else (),
            past_conflicts=(f"C{rng.randrange(1, centers + 1):03d}",) if rng.random() < 0.03 else ()))
    return out


def write_sample(folder: Path, experts: int, centers: int, seed: int = 1) -> tuple[Path, Path]:
    """pool.csv and proposals.csv in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    pool = folder / "pool.csv"
    pool.write_bytes(pool_csv_bytes(sample_pool(experts, seed, centers=centers)))
    rows = sample_centers(centers, seed)
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    props = folder / "proposals.csv"
    props.write_bytes(buf.getvalue().encode("utf-8"))
    return pool, props
