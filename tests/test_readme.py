"""README.md: a first-time user's install works before a release and names every extra."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_extra_is_listed() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    listed = set(re.findall(r'pip install -e "\.\[(\w+)\]"', README))
    assert set(extras) <= listed, set(extras) - listed


def test_install_is_from_a_clone_until_a_release() -> None:
    commands = re.findall(r"^pip install .*$", README, flags=re.MULTILINE)
    assert commands and all(c.startswith("pip install -e ") for c in commands)


def test_the_headline_example_reads_shipped_files() -> None:
    example = README[README.index("## The annual report in a few lines") :]
    assert "salten_2020_messy_path()" in example and "timer_2020.xlsx" not in example
