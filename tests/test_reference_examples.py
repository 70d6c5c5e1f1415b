"""The API reference renders docstring examples as code, not as nested blockquotes.

mkdocstrings renders docstrings as Markdown, where a line beginning ``>>>`` is a blockquote;
``scripts/griffe_doctest.py`` fences every doctest run first. These tests check the fencing on
every docstring of the package and, where mkdocs is installed, in the built page.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
griffe_doctest = pytest.importorskip("griffe_doctest")


def _docstrings() -> list[str]:
    found = []
    for path in (ROOT / "src" / "ettervern").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef):
                text = ast.get_docstring(node)
                if text and ">>>" in text:
                    found.append(text)
    return found


def test_every_doctest_line_ends_up_in_a_fence() -> None:
    docstrings = _docstrings()
    assert len(docstrings) > 25
    for text in docstrings:
        fenced = False
        for line in griffe_doctest.fence_doctests(text).split("\n"):
            if line.strip().startswith("```"):
                fenced = not fenced
            elif line.strip().startswith(">>>"):
                assert fenced, text
        assert not fenced, text


def test_the_reference_loads_the_extension() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "scripts/griffe_doctest.py:DoctestFences" in config


def test_the_built_reference_shows_examples_as_code(tmp_path: Path) -> None:
    pytest.importorskip("mkdocstrings")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    page = (tmp_path / "reference" / "index.html").read_text(encoding="utf-8")
    assert "<blockquote>" not in page
    examples = re.findall(r'<code class="language-pycon">&gt;&gt;&gt; ', page)
    assert len(examples) >= 25


def test_the_extension_examples_run() -> None:
    import doctest

    assert doctest.testmod(griffe_doctest).failed == 0
