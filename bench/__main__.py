"""python -m bench [--quick] [--only NAME] [--json FILE]

Runs every `bench_*` function of every `bench/bench_*.py` module, prints a table and optionally
writes the results as JSON. Exits 1 only when a benchmark crashes, never because of a timing.
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
from bench import KEYS, BenchFn


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


def table(rows: list[dict[str, Any]]) -> str:
    cells = [list(KEYS)] + [[_fmt(row.get(k)) for k in KEYS] for row in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(KEYS))]
    lines = []
    for n, c in enumerate(cells):
        lines.append(
            "  ".join(
                v.ljust(w) if i in (0, 2, 5) else v.rjust(w)
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
    parser.add_argument("--json", metavar="FILE", type=Path, help="write the results as a JSON list to FILE")
    args = parser.parse_args(argv)

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
        rows.extend(produced)

    if args.only and selected == 0:
        print(f"no benchmark matches {args.only!r}", file=sys.stderr)
    if rows:
        print(table(rows))
        for row in rows:
            if row.get("note"):
                print(f"  {row['name']}: {row['note']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if crashed:
        print(f"crashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
