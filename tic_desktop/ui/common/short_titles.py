"""Short form titles that tell forms apart: "天津市综合性技术创新中心建设方案论证专家评分表" and
"综合性技术创新中心研发创新能力建设项目论证专家评分表" become "天津市建设方案" and "研发创新能力建设项目".

Every run of at least `MIN_COMMON` characters that all the titles share is removed (longest first;
for titles made of words, the words they all share);
a title that would become empty, or a single title, stays whole. Used for the form tabs of the
review page and the forms column of the batch wizard (the full title goes in the tooltip)."""

from __future__ import annotations

from collections.abc import Mapping

MIN_COMMON = 4


def _longest_common(titles: list[str]) -> str:
    first = min(titles, key=len)
    for size in range(len(first), MIN_COMMON - 1, -1):
        for start in range(len(first) - size + 1):
            part = first[start:start + size]
            if all(part in t for t in titles):
                return part
    return ""


def short_titles(titles: Mapping[str, str]) -> dict[str, str]:
    """Form id -> a short title distinct from the others' (see the module docstring)."""
    full = dict(titles)
    if len(set(full.values())) < 2:
        return full
    if any(" " in t for t in full.values()):  # words: drop the words every title has
        words = {k: v.split() for k, v in full.items()}
        shared = set.intersection(*({w.lower() for w in ws} for ws in words.values()))
        kept = {k: " ".join(w for w in ws if w.lower() not in shared) for k, ws in words.items()}
        return kept if all(kept.values()) and len(set(kept.values())) == len(set(full.values())) else full
    short = dict(full)
    while True:
        common = _longest_common(list(short.values()))
        if not common:
            break
        trimmed = {k: v.replace(common, "", 1).strip(" ·-—:：") for k, v in short.items()}
        if any(not v for v in trimmed.values()) or len(set(trimmed.values())) < len(set(short.values())):
            break
        short = trimmed
    return short
