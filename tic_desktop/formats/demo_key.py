"""The DEMO-ONLY agency key: public knowledge, so it is never trusted outside demo mode.

Its private half ships in `resources/demo/agency/` so that the demo batch has a stable fingerprint;
anyone can therefore sign a batch with it. Every place that would trust an agency key (the expert's
agency pin, `batch build --key`, the agency's sheet import) asks `is_demo_agency_fingerprint` first.
A test checks the constant against the committed public key.
"""

from __future__ import annotations

DEMO_AGENCY_FINGERPRINT = "SHA256:gT5MT8dPgtMzJ389yc1Em0P0Zr9V5AVm08h3CHiCZDY"


def is_demo_agency_fingerprint(fingerprint: str) -> bool:
    return fingerprint.strip() == DEMO_AGENCY_FINGERPRINT
