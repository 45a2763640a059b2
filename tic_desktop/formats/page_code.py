"""The QR code on every printed page of a score sheet (issue 15): what it says and how it is read.

Each page of `pdf/<proposal_id>.pdf` carries one code whose text is

    TIC1|<batch_id>|<expert_id>|<proposal_id>|<sheet_seq>|<page>/<pages>|<digest16>

- `TIC1` — the format and its version;
- `batch_id`, `expert_id`, `proposal_id` — the ids as in the batch (ASCII `[A-Za-z0-9._-]`, never `|`);
- `sheet_seq` — the sheet's revision (1, 2, …), decimal without leading zeros;
- `page/pages` — this page and the page count of that proposal's printed sheet (1-based);
- `digest16` — the first 16 lowercase hex characters of the sheet's content digest
  (`formats.sheet.content_digest`: SHA-256 of the RFC 8785 sheet.json without `members`).

The signature block on a sheet's last pages (and the pledge) also keeps the older, longer code
(`formats.sheet.qr_payload`: `tic-sheet-v1;batch=…;expert=…;seq=…[;proposal=…];content=…;fp=…`);
`parse` reads both, the older one without a page number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "TIC1"
DIGEST_CHARS = 16
_ID = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
_PAGE = re.compile(
    rf"TIC1\|(?P<batch>{_ID})\|(?P<expert>{_ID})\|(?P<proposal>{_ID})\|(?P<seq>[1-9][0-9]{{0,6}})\|"
    rf"(?P<page>[1-9][0-9]{{0,3}})/(?P<pages>[1-9][0-9]{{0,3}})\|(?P<digest>[0-9a-f]{{{DIGEST_CHARS}}})"
)
_LEGACY_FIELD = re.compile(r"(batch|expert|seq|proposal|content|fp)=([^;]*)")


@dataclass(frozen=True)
class PageCode:
    batch_id: str
    expert_id: str
    proposal_id: str | None
    """None: the pledge's code (no proposal)."""
    sheet_seq: int
    page: int | None
    """None: an older code without a page number (the signature block, the pledge)."""
    pages: int | None
    digest: str
    """The digest prefix (16 hex characters; a legacy code's full 64 are cut to 16)."""

    @property
    def page_of(self) -> str:
        return f"{self.page}/{self.pages}" if self.page is not None else ""


def payload(*, batch_id: str, expert_id: str, proposal_id: str, sheet_seq: int, page: int, pages: int,
            digest: str) -> str:
    """The text of one page's code (see the module)."""
    if not 1 <= page <= pages:
        raise ValueError(f"page {page} of {pages}")
    return f"{PREFIX}|{batch_id}|{expert_id}|{proposal_id}|{sheet_seq}|{page}/{pages}|{digest[:DIGEST_CHARS].lower()}"


def parse(text: str) -> PageCode | None:
    """The page code in `text`, or None when it is not one of ours."""
    text = text.strip()
    m = _PAGE.fullmatch(text)
    if m is not None:
        page, pages = int(m["page"]), int(m["pages"])
        if page > pages:
            return None
        return PageCode(m["batch"], m["expert"], m["proposal"], int(m["seq"]), page, pages, m["digest"])
    if text.startswith("tic-sheet-v1;"):
        fields = dict(_LEGACY_FIELD.fullmatch(part).groups() for part in text.split(";")[1:]
                      if _LEGACY_FIELD.fullmatch(part))
        try:
            seq = int(fields["seq"])
            digest = fields["content"].lower()
            batch, expert = fields["batch"], fields["expert"]
        except (KeyError, ValueError):
            return None
        if not re.fullmatch(r"[0-9a-f]{64}", digest) or not re.fullmatch(_ID, batch) or not re.fullmatch(_ID, expert):
            return None
        proposal = fields.get("proposal") or None
        return PageCode(batch, expert, proposal, seq, None, None, digest[:DIGEST_CHARS])
    return None
