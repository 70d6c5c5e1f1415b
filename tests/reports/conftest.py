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
    """The example year's published release (the default)."""
    return e.annual_report(example.log, example.cases, team=example.team, year=2020)


@pytest.fixture(scope="package")
def internal(example: e.examples.Example) -> e.AnnualReport:
    """Every table of the example year with every figure, for the team itself."""
    return e.annual_report(
        example.log, example.cases, team=example.team, year=2020, audience="internal"
    )
