"""The register's benchmark stays runnable: once, on a small input (no timing is asserted)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parent.parent.parent / "benchmarks"


def test_the_register_benchmark_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["bench_register.py", "--rows", "2000", "--cases", "200", "--no-postgres"]
    monkeypatch.setattr(sys, "argv", argv)
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    runpy.run_path(str(BENCHMARKS / "bench_register.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "sqlite: 2,000 entries" in out
    assert "sqlite: 200 cases" in out
    assert out.count("ratio") == 8
    assert "read_cases + due_list in memory" in out  # the goal: reading included
