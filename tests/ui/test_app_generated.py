"""Generated files stay in step with their sources: Designer forms and the English translation."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_forms_match_the_ui_files(tmp_path: Path) -> None:
    build_ui = _script("build_ui")
    written = build_ui.build(tmp_path)
    assert written
    committed = ROOT / "tic_desktop" / "ui" / "forms"
    for path in written:
        assert (committed / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{path.name} is stale: run python scripts/build_ui.py"
        )
        assert path.read_text(encoding="utf-8").startswith("# GENERATED")


def test_every_tr_string_has_an_english_translation(tmp_path: Path) -> None:
    tr = _script("update_translations")
    ts = tmp_path / "tic_desktop_en.ts"
    shutil.copy(tr.TS, ts)
    tr.update(ts)
    missing = tr.untranslated(ts)
    assert not missing, f"add English for these (resources/translations/tic_desktop_en.ts): {missing}"
    qm = tmp_path / "en.qm"
    tr.release(ts, qm)
    assert qm.read_bytes() == tr.QM.read_bytes(), "tic_desktop_en.qm is stale: run python scripts/update_translations.py"
