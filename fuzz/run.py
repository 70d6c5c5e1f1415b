"""Coverage-guided fuzzing of the importers with atheris (libFuzzer for Python).

    pip install atheris                 # wheels for CPython 3.11 on Linux and macOS
    python fuzz/make_corpus.py          # the seed corpus, from the bundled examples
    python fuzz/run.py timelog_csv fuzz/work/timelog_csv fuzz/corpus/timelog_csv -runs=1000000
    python fuzz/run.py --short          # every target briefly, as CI runs it

The first argument names a target of ``fuzz/_targets.py`` (``timelog_csv``, ``timelog_xlsx``,
``case_json``, ``team_toml``, ``case_code``); the rest are libFuzzer's: corpus folders (new
inputs go to the first) and options such as ``-runs=N``, ``-max_total_time=S``, ``-max_len=B``.
An exception that is not an ``EttervernError`` stops the run and leaves a ``crash-*`` file to
reproduce with ``python fuzz/run.py TARGET crash-…``. libFuzzer's last line, ``Done N runs``,
gives the number of inputs tried.
"""

from __future__ import annotations

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


def short() -> int:
    """Every target for :data:`SHORT_RUNS` inputs from the seed corpus; non-zero on a finding."""
    subprocess.run([sys.executable, str(HERE / "make_corpus.py")], check=True)
    failed = []
    for target, runs in SHORT_RUNS.items():
        with tempfile.TemporaryDirectory() as work:
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                target,
                work,
                str(HERE / "corpus" / target),
                f"-runs={runs}",
                "-seed=1",
                "-max_len=65536",
                "-rss_limit_mb=2048",
                f"-artifact_prefix={work}/",
            ]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
        last = [line for line in done.stderr.splitlines() if line.startswith("Done ")]
        print(f"{target}: {last[-1] if last else 'no result'} (exit {done.returncode})")
        if done.returncode != 0:
            print(done.stderr[-3000:])
            failed.append(target)
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--short"]:
        sys.exit(short())
    fuzz(sys.argv[1], sys.argv[2:])
