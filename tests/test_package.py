from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import ettervern as e


def test_public_api_is_curated_and_sorted() -> None:
    assert len(set(e.__all__)) == len(e.__all__)
    for name in e.__all__:
        assert hasattr(e, name), name
        assert not name.startswith("_") or name == "__version__"


def test_ships_type_information_and_data() -> None:
    root = resources.files("ettervern")
    assert root.joinpath("py.typed").is_file()
    assert root.joinpath("_data", "municipalities.csv").is_file()
    assert e.__version__


def test_import_leaves_the_optional_extras_and_the_example_year_unloaded() -> None:
    """``import ettervern`` stays light: charts, workbooks and the example year load on use."""
    heavy = ["matplotlib", "openpyxl", "ettervern.examples"]
    code = (
        "import json, sys, ettervern\n"
        f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))\n"
        "ettervern.examples.salten_2020()\n"
        "print(json.dumps('ettervern.examples' in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded, example_after_use = map(json.loads, done.stdout.splitlines())
    assert loaded == []
    assert example_after_use is True
