"""The example year's annual report, shared by the renderer tests."""

from __future__ import annotations

import pytest

import ettervern as e


@pytest.fixture(scope="package")
def annual_2020() -> e.AnnualReport:
    """Every table of the bundled example year (Salten 2020) with every figure (internal)."""
    example = e.examples.salten_2020()
    return e.annual_report(
        example.log, example.cases, team=example.team, year=2020, audience="internal"
    )
