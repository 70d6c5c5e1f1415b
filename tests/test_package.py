from __future__ import annotations

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
    assert root.joinpath("data", "municipalities.csv").is_file()
    assert e.__version__
