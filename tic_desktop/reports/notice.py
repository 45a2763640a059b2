"""The 公示 notice: a text the agency edits, with placeholders filled from the round.

The default text is `resources/templates/publication_notice.txt` (Chinese, as published); the agency's
own version is kept with the round (`agency.round_store.set_notice`, the round page's 公示说明) and
reaches the writers as `RoundReport.notice` (empty: the default). Placeholders, in braces:

    {round_title}  the round's title            {round_id}  its id
    {year}         the round's year             {agency}    the agency's name (from the batches)
    {count}        the number of centers listed {date}      the day the list was made (2027年6月20日)

`{{` and `}}` print a brace. The period (公示期), how to object and the contact are the agency's to
write into the text (the default leaves lines to fill in). A placeholder not in this list refuses the
export (`notice.unknown_placeholder`, naming it), so a typo never reaches a published notice.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

from tic_desktop.core.errors import Rejected, register
from tic_desktop.paths import resources_dir

PLACEHOLDERS = ("round_title", "round_id", "year", "agency", "count", "date")
UNKNOWN_PLACEHOLDER = register(
    "notice.unknown_placeholder",
    "公示说明中有无法识别的占位符（大括号中的名称）。可用的有：{round_title} {round_id} {year} {agency} {count} "
    "{date}；要印出大括号本身，请写 {{ 或 }}。",
    "The 公示 notice has a placeholder (a name in braces) that is not known. The known ones are {round_title} "
    "{round_id} {year} {agency} {count} {date}; write {{ or }} to print a brace itself.")


def default_notice() -> str:
    """The bundled default notice template."""
    return (resources_dir() / "templates" / "publication_notice.txt").read_text("utf-8")


def check_notice(template: str) -> None:
    """Refuse a template with an unknown or malformed placeholder (`notice.unknown_placeholder`)."""
    try:
        fields = [f for _, f, _spec, _conv in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise Rejected(UNKNOWN_PLACEHOLDER, str(exc)) from None
    for f in fields:
        if f not in PLACEHOLDERS:
            raise Rejected(UNKNOWN_PLACEHOLDER, "{" + f + "}")
    for _, f, spec, conv in string.Formatter().parse(template):
        if f is not None and (spec or conv):
            raise Rejected(UNKNOWN_PLACEHOLDER, "{" + f + "…}")


def chinese_date(iso: str) -> str:
    """2027-06-20[T…] → 2027年6月20日 (the text unchanged when it is not such a date)."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso)
    return f"{int(m[1])}年{int(m[2])}月{int(m[3])}日" if m else iso


def fill_notice(template: str, values: Mapping[str, object]) -> str:
    """The notice with its placeholders filled (`template` empty: the default)."""
    text = template if template.strip() else default_notice()
    check_notice(text)
    return text.format_map({k: str(values.get(k, "")) for k in PLACEHOLDERS})
