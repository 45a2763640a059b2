"""Recompute every final score from scores.csv alone, as the README says a reviewer can by hand."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _mean(values: list[Decimal], method: str) -> Decimal:
    if method.endswith("median"):
        values = sorted(values)
        mid = len(values) // 2
        return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
    return sum(values, Decimal(0)) / len(values)


def recompute(scores: list[dict[str, str]]) -> dict[tuple[str, str], Decimal]:
    """(proposal_id, form_id) → the final score: total-based (the mean of the `total` rows not
    dropped) or, for method itemwise_*, per criterion the mean of the scores not dropped, summed
    (÷ the maxima of the criteria anyone scored × 100)."""
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in scores:
        groups[(row["proposal_id"], row["form_id"])].append(row)
    out: dict[tuple[str, str], Decimal] = {}
    for key, rows in groups.items():
        totals = [r for r in rows if r["criterion_id"] == "total"]
        method = totals[0]["method"]
        if method.startswith("itemwise_"):
            by_item: dict[str, list[dict[str, str]]] = defaultdict(list)
            for r in rows:
                if r["criterion_id"] != "total" and r["score"] != "NA":
                    by_item[r["criterion_id"]].append(r)
            means = [_mean([Decimal(r["score"]) for r in its if not r["dropped"]], method) for its in by_item.values()]
            top = sum((Decimal(its[0]["max"]) for its in by_item.values()), Decimal(0))
            out[key] = _round(sum(means, Decimal(0)) / top * 100)
        else:
            out[key] = _round(_mean([Decimal(t["total"]) for t in totals if not t["dropped"]], method))
    return out
