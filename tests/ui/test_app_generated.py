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


def test_generated_forms_import_only_the_qt_classes_they_use() -> None:
    """uic imports some forty classes in every form; each is set up (with its enums) on import, and
    the main window's and the start page's forms are imported at every start (issue 14)."""
    import ast

    for path in sorted((ROOT / "tic_desktop" / "ui" / "forms").glob("ui_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        imported = {alias.name for node in tree.body if isinstance(node, ast.ImportFrom) for alias in node.names}
        assert imported and imported <= used, f"{path.name} imports {sorted(imported - used)} and never uses them"
    pruned = _script("build_ui").prune_imports(
        "from PySide6.QtGui import (QBrush, QColor,\n    QFont)\nfrom PySide6.QtCore import (QDate)\n"
        "def f():\n    return QFont(), QColor()\n")
    assert pruned == "from PySide6.QtGui import (QColor, QFont)\ndef f():\n    return QFont(), QColor()\n"
