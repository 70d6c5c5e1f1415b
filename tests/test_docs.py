"""The API reference stays complete and grouped by layer, and docstrings link the mkdocs way."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import ettervern as e

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "ettervern"
REFERENCE = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")


def _imported_from() -> dict[str, str]:
    """Each public name of ``ettervern/__init__.py`` and the module it is imported from."""
    tree = ast.parse((SRC / "__init__.py").read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "ettervern":
            found.update({alias.name: f"ettervern.{alias.name}" for alias in node.names})
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ettervern."):
            found.update({alias.name: str(node.module) for alias in node.names})
    found["examples"] = "ettervern.examples"  # imported lazily, by the module __getattr__
    return found


def _sections() -> dict[str, list[str]]:
    """The reference's ``## … `module``` sections and the objects each one renders."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in REFERENCE.splitlines():
        heading = re.fullmatch(r"## .*: `(ettervern\.\w+)`", line)
        if heading:
            current = sections.setdefault(heading.group(1), [])
        elif line.startswith("::: "):
            current.append(line.removeprefix("::: ").strip())
    return sections


def test_the_reference_lists_every_public_name_once_under_its_layer() -> None:
    home = _imported_from()
    listed: dict[str, str] = {}
    for layer, objects in _sections().items():
        for path in objects:
            name = path.removeprefix("ettervern.")
            assert name not in listed, f"{name} is listed twice"
            listed[name] = layer
    for name in sorted(set(e.__all__) - {"__version__"}):
        if name in listed:  # a name with its own block
            assert listed[name] == home[name], f"{name} is in {listed[name]}, not {home[name]}"
        else:  # a name documented by its module's block (errors.EttervernError)
            assert home[name] in listed.values(), f"docs/reference.md does not list {name}"
            assert home[name] in _sections()[home[name]], f"{name}: no block for {home[name]}"


def test_docstrings_use_markdown_cross_references_not_rest_roles() -> None:
    role = re.compile(r":(class|func|meth|data|mod|attr|exc|obj):`")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(SRC.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if role.search(line)
    ]
    assert found == [], "reST roles render raw in mkdocs; write [`Name`][ettervern.Name]"
