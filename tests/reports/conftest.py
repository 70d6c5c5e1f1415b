"""The bundled example year, shared by the report tests."""

from __future__ import annotations

import pytest

import ettervern as e


@pytest.fixture(scope="package")
def example() -> e.examples.Example:
    """Salten 2020: the team, its time log and its cases."""
    return e.examples.salten_2020()


@pytest.fixture(scope="package")
def annual(example: e.examples.Example) -> e.AnnualReport:
    """Every table of the example year."""
    return e.annual_report(example.log, example.cases, team=example.team, year=2020)
