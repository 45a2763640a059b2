"""Every arrow between the packages points one way, and no module reaches into another's `_private` names.

The order (README "Development", issue 13), lowest first; a module may import its own unit and any
unit of a lower layer, never a higher layer and never another unit of its own layer:

    tic_desktop (the version), paths
    core                      (atomic file writes and their errors live here, so both below reach them)
    formats | storage         (neither imports the other)
    reports                   (report data, PDF, xlsx and csv writers)
    expert | agency           (neither imports the other)
    demo_material
    demo | simulate           (the demo batch; sheets as if the experts had scored)
    demo_agency               (the agency demo: uses demo and simulate)
    ui                        (the only Qt below app)
    app
    cli
    __main__

Checked statically on every source file with the import scanner of test_architecture (imports at
any depth, lazy ones inside functions too, relative ones resolved, importlib with a literal name).
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from tests.unit.test_architecture import PACKAGE_DIR, _module_name, _scan_imports

LAYERS: tuple[tuple[str, ...], ...] = (
    ("", "paths"),
    ("core",),
    ("formats", "storage"),
    ("reports",),
    ("expert", "agency"),
    ("demo_material",),
    ("demo", "simulate"),
    ("demo_agency",),
    ("ui",),
    ("app",),
    ("cli",),
    ("__main__",),
)
LEVEL = {unit: i for i, layer in enumerate(LAYERS) for unit in layer}
# private names of third-party objects that a module must reach (not tic_desktop's own)
THIRD_PARTY_PRIVATE = {
    "tic_desktop/reports/pdftext.py": {"_doc"},  # reportlab's canvas document: the font subsets are per document
}


def _unit(module: str) -> str:
    """The unit a dotted tic_desktop name belongs to: "core" for tic_desktop.core.x, "" for the package itself."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1].startswith("__") and parts[1] != "__main__":
        return ""
    return parts[1]


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def _package_of(path: Path) -> str:
    module = _module_name(path)
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def layer_violations(source: str, module: str, package: str) -> list[str]:
    """`line: importer -> imported` for every import of `source` (module `module`) that goes up or sideways."""
    me = _unit(module)
    out = []
    for line, name in _scan_imports(source, package):
        if not (name == "tic_desktop" or name.startswith("tic_desktop.")):
            continue
        other = _unit(name)
        if other == me or other not in LEVEL and other != "":
            continue
        if LEVEL[other] >= LEVEL[me]:
            out.append(f"{line}: {module} -> {name}")
    return out


def private_reaches(source: str, own: set[str], elsewhere: set[str] | None = None) -> list[str]:
    """`line: name` for each `_private` name of tic_desktop that the source uses but does not define itself:
    `from tic_desktop.x import _name`, `module._name` on an imported tic_desktop module, and `obj._name`
    where `_name` is a private attribute or method some other tic_desktop module defines (`own` = the
    private names this source defines)."""
    elsewhere = _PRIVATE_ELSEWHERE if elsewhere is None else elsewhere
    tree = ast.parse(source)
    modules: set[str] = set()
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tic_desktop"):
            for alias in node.names:
                if _is_private(alias.name):
                    out.append(f"{node.lineno}: from {node.module} import {alias.name}")
                modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules.update(a.asname or a.name.split(".")[0] for a in node.names if a.name.startswith("tic_desktop"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and _is_private(node.attr)) or node.attr in own:
            continue
        base = node.value
        if isinstance(base, ast.Name) and base.id in modules:
            out.append(f"{node.lineno}: {base.id}.{node.attr}")
        elif node.attr in elsewhere and not (isinstance(base, ast.Name) and base.id in ("self", "cls")):
            out.append(f"{node.lineno}: ….{node.attr}")
    return out


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _defined_private(source: str) -> set[str]:
    """The private names a module defines: functions, classes, module names, methods and self._attributes."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and _is_private(node.name):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and _is_private(node.id):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and _is_private(node.attr):
            names.add(node.attr)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and _is_private(node.target.id):
            names.add(node.target.id)
    return names


_OWN = {path: _defined_private(path.read_text(encoding="utf-8")) for path in _sources()}
_PRIVATE_ELSEWHERE = set().union(*_OWN.values())


def test_every_unit_has_a_place_in_the_order() -> None:
    units = {p.parent.name for p in PACKAGE_DIR.glob("*/__init__.py")} | {
        p.stem for p in PACKAGE_DIR.glob("*.py") if p.stem != "__init__"
    }
    missing = sorted(units - set(LEVEL))
    assert missing == [], f"place these in LAYERS (tests/unit/test_layers.py) and the README: {missing}"


def test_every_arrow_points_down() -> None:
    offenders = []
    for path in _sources():
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(PACKAGE_DIR.parent)
        offenders += [f"{rel}:{v}" for v in layer_violations(source, _module_name(path), _package_of(path))]
    assert offenders == [], "imports that go up or sideways in the package order:\n" + "\n".join(offenders)


def test_no_module_reaches_into_another_modules_private_names() -> None:
    offenders = []
    for path in _sources():
        rel = path.relative_to(PACKAGE_DIR.parent)
        own = _OWN[path] | THIRD_PARTY_PRIVATE.get(rel.as_posix(), set())
        offenders += [f"{rel}:{v}" for v in private_reaches(path.read_text(encoding="utf-8"), own)]
    assert offenders == [], "uses of another module's _private names:\n" + "\n".join(offenders)


# ── the checks themselves catch what they must ─────────────────────────────────────────────────

def test_an_upward_import_is_caught_even_when_lazy_or_relative() -> None:
    up = textwrap.dedent(
        """
        from tic_desktop.core.forms import FormTemplate
        def later():
            from tic_desktop.agency.workspace import AgencyWorkspace
            from ..expert import pledge
            from tic_desktop import demo
        """
    )
    found = layer_violations(up, "tic_desktop.reports.x", "tic_desktop.reports")
    assert [v.split(" -> ")[1] for v in found] == [
        "tic_desktop.agency.workspace", "tic_desktop.agency.workspace.AgencyWorkspace",
        "tic_desktop.expert", "tic_desktop.expert.pledge", "tic_desktop.demo",
    ]


def test_a_sideways_import_is_caught() -> None:
    assert layer_violations("from tic_desktop.storage.atomic import atomic_write\n", "tic_desktop.formats.batch",
                            "tic_desktop.formats")
    assert layer_violations("import tic_desktop.expert.signing\n", "tic_desktop.agency.x", "tic_desktop.agency")
    assert layer_violations("from tic_desktop.cli import main\n", "tic_desktop.ui.common.x", "tic_desktop.ui.common")
    assert not layer_violations("from tic_desktop.core.atomic import atomic_write\n", "tic_desktop.formats.batch",
                                "tic_desktop.formats")
    assert not layer_violations("from tic_desktop import __version__\n", "tic_desktop.formats.batch",
                                "tic_desktop.formats")


def test_a_private_reach_is_caught() -> None:
    source = textwrap.dedent(
        """
        from tic_desktop.formats.source import _ROLES
        from tic_desktop.formats import source
        def f(ws):
            source._bind(None, ())
            return ws._rows("select 1")
        """
    )
    found = private_reaches(source, own=set(), elsewhere={"_rows"})
    assert len(found) == 3, found
    assert private_reaches("def _x():\n    return _x\n", own={"_x"}) == []
