from __future__ import annotations

import pytest

import ettervern as e


@pytest.fixture(scope="session")
def salten() -> e.Team:
    """The Salten team preset."""
    return e.teams.salten()
