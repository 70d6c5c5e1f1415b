"""Coverage-guided fuzzing of the importers with atheris (libFuzzer for Python).

    pip install atheris                 # wheels for CPython 3.11 on Linux and macOS
    python fuzz/make_corpus.py          # the seed corpus, from the bundled examples
    python fuzz/run.py timelog_csv fuzz/work/timelog_csv fuzz/corpus/timelog_csv -runs=1000000
    python fuzz/run.py --short          # every target briefly, as CI runs it
    python fuzz/run.py --long timelog_csv fuzz/work/timelog_csv --runs 1000000 --chunk 100000

The first argument names a target of ``fuzz/_targets.py`` (``timelog_csv``, ``timelog_xlsx``,
``case_json``, ``team_toml``, ``case_code``); the rest are libFuzzer's: corpus folders (new
inputs go to the first) and options such as ``-runs=N``, ``-max_total_time=S``, ``-max_len=B``.
An exception that is not an ``EttervernError`` stops the run and leaves a ``crash-*`` file to
reproduce with ``python fuzz/run.py TARGET crash-…``. libFuzzer's last line, ``Done N runs``,
gives the number of inputs tried.

``--long`` runs one target to ``--runs`` inputs in a fresh process for each ``--chunk`` of them,
all on the same corpus folder, and prints each chunk's count and the total. Under atheris the
resident memory of the CSV and .xlsx targets grows by about 16 KB an input (not the library's:
the same inputs in a plain loop stay flat), so a fresh process per chunk keeps it bounded.
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHORT_RUNS = {
    "timelog_csv": 500,
    "timelog_xlsx": 200,
    "case_json": 2000,
    "team_toml": 1000,
    "case_code": 5000,
}
"""Inputs per target in the short run of CI: seconds each, not a search."""


def fuzz(target: str, options: list[str]) -> None:
    import atheris

    sys.path.insert(0, str(HERE))
    with atheris.instrument_imports(include=["ettervern", "_targets"]):
        from _targets import TARGETS

    atheris.Setup([sys.argv[0], *options], TARGETS[target])
    atheris.Fuzz()


def _run(
    target: str, work: str, runs: int, seed: int, rss_mb: int
) -> subprocess.CompletedProcess[str]:
    """One libFuzzer run of ``target`` in a fresh interpreter, new inputs and findings in ``work``."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        target,
        work,
        str(HERE / "corpus" / target),
        f"-runs={runs}",
        f"-seed={seed}",
        "-max_len=65536",
        f"-rss_limit_mb={rss_mb}",
        "-print_final_stats=1",
        f"-artifact_prefix={work}/",
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def short() -> int:
    """Every target for :data:`SHORT_RUNS` inputs from the seed corpus; non-zero on a finding."""
    subprocess.run([sys.executable, str(HERE / "make_corpus.py")], check=True)
    failed = []
    for target, runs in SHORT_RUNS.items():
        with tempfile.TemporaryDirectory() as work:
            done = _run(target, work, runs, seed=1, rss_mb=2048)
        last = [line for line in done.stderr.splitlines() if line.startswith("Done ")]
        print(f"{target}: {last[-1] if last else 'no result'} (exit {done.returncode})")
        if done.returncode != 0:
            print(done.stderr[-3000:])
            failed.append(target)
    return 1 if failed else 0


def executed(stderr: str) -> int | None:
    """The inputs a libFuzzer run tried, from its final statistics (``-print_final_stats=1``)."""
    for line in stderr.splitlines():
        if line.startswith("stat::number_of_executed_units:"):
            return int(line.split(":")[-1])
    return None


def long(target: str, work: Path, runs: int, chunk: int) -> int:
    """``target`` for ``runs`` inputs in chunks of ``chunk``; non-zero on a finding."""
    subprocess.run([sys.executable, str(HERE / "make_corpus.py")], check=True)
    work.mkdir(parents=True, exist_ok=True)
    total = 0
    for number in itertools.count(1):
        if total >= runs:
            break
        done = _run(target, str(work), min(chunk, runs - total), seed=number, rss_mb=4096)
        count = executed(done.stderr) or 0
        total += count
        print(
            f"{target}: chunk {number}: {count:,} inputs (exit {done.returncode}); {total:,} in all"
        )
        if done.returncode != 0 or not count:
            print(done.stderr[-3000:])
            return 1
    return 0


def main(arguments: list[str]) -> int:
    if arguments == ["--short"]:
        return short()
    if arguments[:1] == ["--long"]:
        parser = argparse.ArgumentParser(prog="fuzz/run.py --long")
        parser.add_argument("target", choices=sorted(SHORT_RUNS))
        parser.add_argument("work", type=Path, help="the corpus folder new inputs go to")
        parser.add_argument("--runs", type=int, default=1_000_000)
        parser.add_argument("--chunk", type=int, default=100_000)
        options = parser.parse_args(arguments[1:])
        return long(options.target, options.work, options.runs, options.chunk)
    fuzz(arguments[0], arguments[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
