"""The agency service is the one place that opens an agency workspace (issue 13): no other module of
the app or the command line calls `AgencyWorkspace.open` itself."""

from __future__ import annotations

import re
from pathlib import Path

import tic_desktop

PACKAGE = Path(tic_desktop.__file__).resolve().parent
ALLOWED = {"agency/workspace.py", "agency/service/panel.py"}


def test_only_the_agency_service_opens_an_agency_workspace() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in ALLOWED:
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if re.search(r"AgencyWorkspace\.open\(|AgencyWorkspace\._open\(", line):
                offenders.append(f"{rel}:{n}")
    assert offenders == [], "open it with agency.service.open_workspace: " + ", ".join(offenders)
