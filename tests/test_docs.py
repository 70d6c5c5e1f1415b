"""The API reference stays complete and grouped by layer, and docstrings link the mkdocs way."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

from ettervern._surface import PUBLIC_NAMESPACES

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "ettervern"
REFERENCE = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")


def _sections() -> dict[str, list[str]]:
    """The reference's ``## … `module``` sections and the objects each one renders."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in REFERENCE.splitlines():
        heading = re.fullmatch(r"## .*: `(ettervern(?:\.\w+)?)`", line)
        if heading:
            current = sections.setdefault(heading.group(1), [])
        elif line.startswith("::: "):
            current.append(line.removeprefix("::: ").strip())
    return sections


@pytest.mark.parametrize("namespace", PUBLIC_NAMESPACES)
def test_the_reference_documents_every_public_name_once(namespace: str) -> None:
    module = importlib.import_module(namespace)
    blocks = _sections().get(namespace)
    assert blocks, f"docs/reference.md has no section for {namespace}"
    if blocks == [namespace]:  # the module's block renders its __all__
        return
    listed = [block.removeprefix(f"{namespace}.") for block in blocks]
    assert len(listed) == len(set(listed)), "a name is listed twice"
    names = [
        name
        for name in module.__all__
        if name != "__version__" and not inspect.ismodule(getattr(module, name))
    ]
    assert sorted(listed) == sorted(names)


def test_docstrings_use_markdown_cross_references_not_rest_roles() -> None:
    role = re.compile(r":(class|func|meth|data|mod|attr|exc|obj):`")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(SRC.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if role.search(line)
    ]
    assert found == [], "reST roles render raw in mkdocs; write [`Name`][ettervern.Name]"
