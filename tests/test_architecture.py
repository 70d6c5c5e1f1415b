"""The layout is the architecture: what import-linter cannot see is checked here.

import-linter (run by CI, configured in pyproject.toml) checks that the layers import only
downward, that there are no circles and that each layer's private modules are used only inside it.
This module checks the rest of the contract in docs/architecture.md.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

import ettervern as e
from ettervern._surface import PUBLIC_NAMESPACES, RENAMED

SRC = Path(e.__file__).parent
LAYERS = ("_l10n", "_contract", "_core", "_pathway", "_timelog", "_render", "_reports", "_io", "db")


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_imports_another_modules_private_name(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = [
        f"line {node.lineno}: from {node.module} import {alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ettervern")
        for alias in node.names
        if alias.name.startswith("_")
        and not alias.name.startswith("__")
        # the front installs the finder of the old layer paths (ettervern._moved)
        and not (path == SRC / "__init__.py" and alias.name == "_moved")
    ]
    assert private == []


def test_the_top_level_holds_only_the_front_and_its_named_modules() -> None:
    top = sorted(p.name for p in SRC.glob("*.py"))
    assert top == [
        "__init__.py",
        "__main__.py",
        "_moved.py",
        "_surface.py",
        "errors.py",
        "events.py",
        "examples.py",
        "instruments.py",
        "interchange.py",
        "language.py",
        "municipalities.py",
        "privacy.py",
        "tables.py",
        "teams.py",
    ]
    folders = sorted(p.name for p in SRC.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert folders == sorted([*LAYERS, "_data"])


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_has_a_front_and_only_private_modules(layer: str) -> None:
    modules = [p.name for p in (SRC / layer).glob("*.py")]
    assert "__init__.py" in modules
    assert all(name.startswith("_") for name in modules)


@pytest.mark.parametrize("namespace", PUBLIC_NAMESPACES)
def test_each_public_namespace_is_sorted_and_complete(namespace: str) -> None:
    module = importlib.import_module(namespace)
    assert module.__all__ == sorted(module.__all__, key=lambda n: (not n.isupper(), n))
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []


def test_the_public_namespaces_are_said_once_and_are_the_top_level_modules() -> None:
    top = {f"ettervern.{p.stem}" for p in SRC.glob("*.py") if not p.stem.startswith("_")}
    top |= {f"ettervern.{p.name}" for p in SRC.iterdir() if p.is_dir() and p.name[0] != "_"}
    assert top - {"ettervern.__pycache__"} == set(PUBLIC_NAMESPACES) - {"ettervern"}


def test_the_top_level_is_small() -> None:
    assert len(e.__all__) <= 85


@pytest.mark.parametrize("name", sorted(RENAMED))
def test_an_old_name_still_works_and_names_its_new_home(name: str) -> None:
    with pytest.warns(DeprecationWarning, match=re.escape(RENAMED[name].new)):
        old = getattr(e, name)
    namespace, _, new = RENAMED[name].new.rpartition(".")
    current = getattr(importlib.import_module(namespace), new)
    assert old is current or inspect.unwrap(old) is inspect.unwrap(current)


def test_one_object_whichever_door() -> None:
    homes: dict[str, object] = {}
    for namespace in PUBLIC_NAMESPACES:
        module = importlib.import_module(namespace)
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj) and not inspect.ismodule(obj):
                assert homes.setdefault(name, obj) is obj, f"{namespace}.{name}"


def test_an_old_layer_path_gives_the_public_object() -> None:
    # ettervern.reports.fte_report and ettervern.fte_report were different objects with
    # different checks until 0.2; through the old path a public name is the public object.
    with pytest.warns(DeprecationWarning, match=r"ettervern\.reports is private"):
        old = e.reports  # type: ignore[attr-defined]
    assert old.pivot is e.pivot
    assert old.Report is e.Report
    with pytest.warns(DeprecationWarning, match=r"ettervern\.tables\.audit_release"):
        assert inspect.unwrap(old.audit) is inspect.unwrap(e.tables.audit_release)


LONGEST_FUNCTION = 60
"""The most lines a function of src/ may take, from ``def`` to its last line, docstring in."""

NOT_YET_UNDER_THE_RULES: dict[str, str] = {}
"""Files exempt from the 60-line and complexity rules while someone brings them under them: none
since the disclosure rebuild and the register's split (issue 29). Nothing may join the list
without a reason and an owner."""


def _under_the_rules(path: Path) -> bool:
    name = path.relative_to(SRC).as_posix()
    return not any(name.startswith(prefix) for prefix in NOT_YET_UNDER_THE_RULES)


def test_no_function_is_over_60_lines() -> None:
    long = [
        f"{path.relative_to(SRC)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1})"
        for path in _modules()
        if _under_the_rules(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > LONGEST_FUNCTION
    ]
    assert long == [], f"functions over {LONGEST_FUNCTION} lines: cut them into named steps"


def test_no_complexity_is_hidden_behind_a_noqa() -> None:
    hidden = [
        f"{path.relative_to(SRC)}:{number}"
        for path in _modules()
        if _under_the_rules(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "noqa" in line and "C901" in line
    ]
    assert hidden == [], "ruff's C901 is on (pyproject.toml): simplify instead of a noqa"


def test_the_exemptions_name_files_that_exist() -> None:
    for prefix in NOT_YET_UNDER_THE_RULES:
        assert (SRC / prefix).exists(), f"{prefix} is gone: remove it from the exemptions"


# -- the architecture page is true ---------------------------------------------------------------

PAGE = Path(__file__).parents[1] / "docs" / "architecture.md"


def _name(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def test_every_module_is_on_the_architecture_page() -> None:
    page = PAGE.read_text(encoding="utf-8")
    missing = [_name(path) for path in _modules() if f"`{_name(path)}`" not in page]
    assert missing == [], (
        f"docs/architecture.md does not name {missing}: add a row with its job under its layer"
    )


def test_every_module_the_page_names_exists() -> None:
    section = PAGE.read_text(encoding="utf-8").split("## Every module and its job")[1]
    named = re.findall(r"^\| `([\w/]+\.py)` \|", section.split("\n## ")[0], flags=re.MULTILINE)
    assert named
    gone = [name for name in named if not (SRC / name).exists()]
    assert gone == [], f"docs/architecture.md names modules that do not exist: {gone}"


def _layer(path: Path) -> str:
    """The layer of a module: its folder under ettervern, or its own name at the top level."""
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def _layers_imported(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        modules: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ettervern"):
            modules = [node.module]
            if node.module == "ettervern":  # ``from ettervern import teams``: a module, or a name
                modules = [f"ettervern.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            modules = [a.name for a in node.names if a.name.startswith("ettervern.")]
        for module in modules:
            top = module.split(".")[1] if "." in module else ""
            if (SRC / top).is_dir() or (SRC / f"{top}.py").exists():
                found.add(top)
    return found - {_layer(path)}


def _arrows_on_the_page() -> dict[str, set[str]]:
    """What each layer uses, by the page's table of layers (siblings share a row)."""
    table = PAGE.read_text(encoding="utf-8").split("## The layers, top to bottom")[1]
    uses: dict[str, set[str]] = {}
    for row in re.findall(r"^\| (`.+)\|$", table.split("\n## ")[0], flags=re.MULTILINE):
        layers_cell, _, uses_cell = (cell.strip() for cell in row.split(" | "))
        layers = [
            n.removesuffix("/").removesuffix(".py") for n in re.findall(r"`([^`]+)`", layers_cell)
        ]
        parts = re.split(r"`(\w+)/`:", uses_cell)
        segments = dict(zip(parts[1::2], parts[2::2], strict=True)) if len(parts) > 1 else {}
        for layer in layers:
            text = segments.get(layer, uses_cell)
            uses[layer] = {n.removesuffix("/") for n in re.findall(r"`([^`]+)`", text)}
    return uses


def test_every_arrow_between_layers_is_on_the_architecture_page() -> None:
    shown = _arrows_on_the_page()
    missing = sorted(
        f"{_layer(path)} → {other}"
        for path in _modules()
        for other in _layers_imported(path)
        if other not in shown.get(_layer(path), set())
    )
    assert list(dict.fromkeys(missing)) == [], (
        "docs/architecture.md's table of layers does not show these imports: add each to the "
        "'it uses' column of its layer"
    )
