"""The arrow points one way: ui -> core/formats/storage/reports (DESIGN.md §2).

Nothing below `tic_desktop.ui` may import PySide6, so the agency tools, the bench and most tests
run without Qt. Checked twice:
- at run time, in a fresh interpreter that imports every module of a package (found with
  pkgutil.walk_packages, so new modules are covered) and then looks at sys.modules;
- statically, by reading every source file outside tic_desktop/ui and tic_desktop/app.py.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import tic_desktop

PACKAGE_DIR = Path(tic_desktop.__file__).resolve().parent
QT_ROOTS = ("PySide6", "shiboken6")
REQUIRED_QT_FREE = (
    "tic_desktop.core", "tic_desktop.formats", "tic_desktop.storage", "tic_desktop.reports", "tic_desktop.cli"
)
# Every subpackage but ui is Qt-free: the four above and any added later (e.g. tic_desktop.expert).
QT_FREE_PACKAGES = tuple(
    sorted(
        set(REQUIRED_QT_FREE)
        | {
            f"tic_desktop.{p.parent.name}"
            for p in PACKAGE_DIR.glob("*/__init__.py")
            if p.parent.name not in ("ui", "__pycache__")
        }
    )
)
QT_FREE_MODULES = ("tic_desktop", "tic_desktop.paths", "tic_desktop.demo", "tic_desktop.simulate")

_PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys, traceback

    target, is_package = sys.argv[1], sys.argv[2] == "package"
    imported, errors = [], {}

    def load(name):
        try:
            importlib.import_module(name)
            imported.append(name)
        except BaseException:
            errors[name] = traceback.format_exc(limit=5)

    load(target)
    if is_package and target in sys.modules:
        package = sys.modules[target]
        for info in pkgutil.walk_packages(package.__path__, prefix=target + ".", onerror=load):
            load(info.name)

    qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
    print(json.dumps({"imported": imported, "errors": errors, "qt": qt}))
    """
)


def _probe(target: str, kind: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, target, kind],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PACKAGE_DIR.parent,
    )
    assert proc.returncode == 0, f"probe for {target} failed:\n{proc.stdout}\n{proc.stderr}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("package", QT_FREE_PACKAGES)
def test_package_imports_no_qt(package: str) -> None:
    result = _probe(package, "package")
    assert not result["errors"], "modules that fail to import:\n" + "\n".join(
        f"{name}:\n{tb}" for name, tb in result["errors"].items()
    )
    assert package in result["imported"]
    assert result["qt"] == [], (
        f"importing {package} pulled in {result['qt'][:5]} (walked: {result['imported']})"
    )


@pytest.mark.parametrize("module", QT_FREE_MODULES)
def test_module_imports_no_qt(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} does not exist yet")
    result = _probe(module, "module")
    assert not result["errors"], result["errors"]
    assert result["qt"] == [], f"importing {module} pulled in {result['qt'][:5]}"


def _python_files_outside_ui() -> list[Path]:
    files = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        rel = path.relative_to(PACKAGE_DIR)
        if rel.parts[0] == "ui" or rel == Path("app.py"):
            continue
        files.append(path)
    return files


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_names(path: Path) -> list[tuple[int, str]]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return _scan_imports(path.read_text(encoding="utf-8"), package, str(path))


def _scan_imports(source: str, package: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the source, at any depth (lazy ones too).

    `package` resolves relative imports. Also catches importlib.import_module("...") and
    __import__("...") with a literal name.
    """
    tree = ast.parse(source, filename=filename)
    names: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                absolute = ".".join([*base, node.module] if node.module else base)
            else:
                absolute = node.module or ""
            names.append((node.lineno, absolute))
            names.extend((node.lineno, f"{absolute}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
            if called in ("import_module", "__import__") and literal:
                names.append((node.lineno, first.value))
    return names


def test_sources_found() -> None:
    files = {p.relative_to(PACKAGE_DIR).as_posix() for p in _python_files_outside_ui()}
    assert "core/forms.py" in files
    assert not any(f.startswith("ui/") for f in files)


def test_no_qt_import_outside_ui_statically() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE_DIR.parent)}:{line}: {name}"
        for path in _python_files_outside_ui()
        for line, name in _imported_names(path)
        if name.split(".")[0] in QT_ROOTS
    ]
    assert offenders == [], (
        "PySide6 is imported outside tic_desktop/ui and tic_desktop/app.py:\n" + "\n".join(offenders)
    )


def test_lower_layers_never_import_ui_or_app() -> None:
    """core/formats/storage/reports must not reach up into ui or app, not even lazily."""
    lower = [
        p
        for p in _python_files_outside_ui()
        if p.relative_to(PACKAGE_DIR).parts[0] in ("core", "formats", "storage", "reports")
    ]
    offenders = [
        f"{path.relative_to(PACKAGE_DIR.parent)}:{line}: {name}"
        for path in lower
        for line, name in _imported_names(path)
        if name.startswith(("tic_desktop.ui", "tic_desktop.app", "tic_desktop.cli"))
    ]
    assert offenders == [], "a lower layer imports ui/app/cli:\n" + "\n".join(offenders)


def test_import_scanner_sees_relative_and_lazy_imports() -> None:
    """The static check itself works: relative, lazy and importlib imports are all resolved."""
    source = textwrap.dedent(
        """
        import importlib
        from ..ui import background
        def later():
            from PySide6 import QtCore
            importlib.import_module("shiboken6")
        """
    )
    names = [name for _, name in _scan_imports(source, "tic_desktop.core")]
    assert "tic_desktop.ui" in names
    assert "tic_desktop.ui.background" in names
    assert "PySide6" in names
    assert "shiboken6" in names
