"""python -m bench [--quick] [--only NAME] [--json FILE] [--baseline FILE]

Runs every `bench_*` function of every `bench/bench_*.py` module, prints the machine and a table
(value = the median unless the row says otherwise, with min / max over its runs), optionally writes
the results as JSON (`{"machine": …, "quick": …, "results": [rows]}`), and prints
`REGRESSION name: ratio x → y` for every ratio that more than doubled against the baseline file
(default `bench/baseline.json`, a quick run: compared only with a run of the same kind). Exits 1
only when a benchmark crashes, never because of a timing or a regression.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import pkgutil
import sys
import traceback
from pathlib import Path
from typing import Any

import bench
from bench import KEYS, SPREAD, BenchFn, regress, spread
from bench.machine import describe, machine


def discover() -> list[tuple[str, BenchFn]]:
    found: list[tuple[str, BenchFn]] = []
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda i: i.name):
        if not info.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("bench_") and fn.__module__ == module.__name__:
                found.append((name, fn))
    return found


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 1:
            return f"{value:.2f}"
        return f"{value:.3g}"
    return str(value)


COLUMNS = (*KEYS[:3], "min", "max", "runs", *KEYS[3:])


def declared_names() -> set[str]:
    """Every result name the benchmarks declare (`@produces`), without running any."""
    return {name for _, fn in discover() for name in getattr(fn, "result_names", ())}


def base_name(name: str) -> str:
    """`consolidate_300(quick:20)` → `consolidate_300`."""
    return name.split("(", 1)[0]


def table(rows: list[dict[str, Any]]) -> str:
    cells = [list(COLUMNS)] + [[_fmt(row.get(k)) for k in COLUMNS] for row in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    left = {COLUMNS.index(k) for k in ("name", "unit", "target")}
    lines = []
    for n, c in enumerate(cells):
        lines.append(
            "  ".join(
                v.ljust(w) if i in left else v.rjust(w)
                for i, (v, w) in enumerate(zip(c, widths, strict=True))
            )
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Run the TIC Desktop benchmarks.")
    parser.add_argument(
        "--quick", action="store_true", help="small sizes (CI: checks the benchmarks still run)"
    )
    parser.add_argument(
        "--only", metavar="NAME", help="run only benchmarks whose function or result name contains NAME"
    )
    parser.add_argument("--json", metavar="FILE", type=Path, help="write the machine and the results as JSON to FILE")
    parser.add_argument("--baseline", metavar="FILE", type=Path, default=regress.DEFAULT,
                        help="compare the ratios with this earlier --json file (default: bench/baseline.json)")
    args = parser.parse_args(argv)
    info = machine()

    rows: list[dict[str, Any]] = []
    crashed: list[str] = []
    selected = 0
    for name, fn in discover():
        declared = getattr(fn, "result_names", ())
        if args.only and args.only not in name and not any(args.only in r for r in declared):
            continue
        selected += 1
        print(f"running {name}{' (quick)' if args.quick else ''} ...", file=sys.stderr, flush=True)
        try:
            produced = fn(args.quick)
        except Exception:
            crashed.append(name)
            traceback.print_exc()
            continue
        if args.only and args.only not in name:
            produced = [r for r in produced if args.only in r["name"]]
        for row in produced:
            missing = [k for k in KEYS if k not in row]
            if missing:
                crashed.append(name)
                print(f"{name}: result {row.get('name')!r} lacks {missing}", file=sys.stderr)
            if any(k not in row for k in SPREAD):  # a single figure: one sample
                row.update(spread([] if row.get("value") is None else [row["value"]]))
            if base_name(str(row.get("name"))) not in declared:
                print(f"{name}: result {row.get('name')!r} is not declared in @produces", file=sys.stderr)
        rows.extend(produced)

    if args.only and selected == 0:
        print(f"no benchmark matches {args.only!r}", file=sys.stderr)
    if rows:
        print(describe(info))
        print(table(rows))
        shown = None
        for row in rows:
            if row.get("note"):
                print(f"  {row['name']}: {row['note']}")
            if row.get("params") and row["params"] != shown:  # once for the rows of one measurement
                shown = row["params"]
                print(f"    inputs of {row['name']}: {json.dumps(shown, ensure_ascii=False)}")
    base = regress.load(args.baseline)
    if rows and base is not None:
        if bool(base.get("quick")) != args.quick:
            print(f"(ratios not compared with {args.baseline}: it is a {'quick' if base.get('quick') else 'full'} run)")
        else:
            for line in regress.regressions(rows, base["results"]):
                print(line)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        doc = {"machine": info, "quick": args.quick, "only": args.only, "results": rows}
        args.json.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if crashed:
        print(f"crashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
