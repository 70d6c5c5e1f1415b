"""The benchmarks stay runnable: each runs once on a small input (no timing is asserted)."""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


@pytest.mark.parametrize(
    ("script", "args", "size"),
    [
        ("bench_import.py", ["--rows", "2000", "--repeat", "1"], "2,000"),
        ("bench_reports.py", ["--rows", "2000", "--repeat", "1"], "2,000"),
        ("bench_xlsx.py", ["--rows", "2000", "--repeat", "1"], "2,000"),
        ("bench_import_time.py", ["--repeat", "1"], "median of 1 runs"),
        ("bench_cases.py", ["--cases", "200", "400", "--repeat", "1"], "cases: 400"),
        ("bench_scale.py", ["--quick"], "TimeLog bytes an entry, 5,000 entries"),
        (
            "bench_annual_parts.py",
            ["--cases", "200", "400", "--repeat", "1", "--audience", "internal"],
            "| 400 |",
        ),
        (
            "bench_growth.py",
            ["--cases", "100", "200", "--entries", "2000", "--out", os.devnull],
            '"cases": 200',
        ),
    ],
)
def test_benchmark_runs(
    script: str,
    args: list[str],
    size: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "argv", [script, *args])
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    runpy.run_path(str(BENCHMARKS / script), run_name="__main__")
    out = capsys.readouterr().out
    assert "ratio" in out
    assert size in out


def test_engines_benchmark_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("polars")
    script = "bench_engines.py"
    args = ["--entries", "2000", "4000", "--files", "2000", "--repeat", "1"]
    monkeypatch.setattr(sys, "argv", [script, *args])
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    runpy.run_path(str(BENCHMARKS / script), run_name="__main__")
    out = capsys.readouterr().out
    assert "method: CPU seconds" in out
    assert "cost per entry, 2,000 to 4,000" in out
    assert "CSV, 2,000 rows" in out


def test_disclosure_benchmark_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("highspy")
    script = "bench_disclosure.py"
    monkeypatch.setattr(sys, "argv", [script, "--cases", "60", "--rows", "500", "--repeat", "1"])
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    runpy.run_path(str(BENCHMARKS / script), run_name="__main__")
    out = capsys.readouterr().out
    assert "publish + audit" in out
    assert "no cell determined" in out
