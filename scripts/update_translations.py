"""Qt Linguist workflow: pyside6-lupdate over every tic_desktop/ui/*/*.py, app.py and ui/*.ui into
resources/translations/tic_desktop_en.ts (existing translations kept), then pyside6-lrelease → .qm.

    python scripts/update_translations.py            # update .ts and build .qm
    python scripts/update_translations.py --check    # exit 1 when a string has no English
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "tic_desktop_en.ts"
QM = TS.with_suffix(".qm")


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def sources() -> list[str]:
    files = sorted(p for p in (ROOT / "tic_desktop" / "ui").glob("*/*.py") if p.parent.name != "forms")
    files += [ROOT / "tic_desktop" / "app.py"]
    files += sorted((ROOT / "ui").glob("*.ui"))
    return [str(p.relative_to(ROOT)) for p in files]


def untranslated(ts: Path = TS) -> list[str]:
    root = ET.parse(ts).getroot()
    missing = []
    for message in root.iter("message"):
        translation = message.find("translation")
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete") \
                or not (translation.text or "").strip():
            if translation is not None and translation.get("type") in ("vanished", "obsolete"):
                continue
            missing.append(message.findtext("source") or "")
    return missing


def update(ts: Path = TS) -> None:
    subprocess.run([tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none", *sources(),
                    "-source-language", "zh_CN", "-target-language", "en", "-ts", str(ts)], check=True, cwd=ROOT)


def release(ts: Path = TS, qm: Path = QM) -> None:
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True, cwd=ROOT)


if __name__ == "__main__":
    if "--check" in sys.argv:
        missing = untranslated()
        for text in missing:
            print("untranslated:", text)
        raise SystemExit(1 if missing else 0)
    update()
    release()
    print(f"{TS.relative_to(ROOT)}: {len(untranslated())} untranslated")
