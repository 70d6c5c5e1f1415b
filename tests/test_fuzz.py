"""Hypothesis fuzz tests: random and mutated bytes into every importer.

The same targets as the coverage-guided atheris runs in ``fuzz/`` (see ``fuzz/run.py``): each
takes bytes and may only return or raise an :class:`ettervern.EttervernError` that does not
repeat the identity number planted in the inputs.
"""

from __future__ import annotations

import json

from fuzz._targets import PLANTED, TARGETS
from fuzz.make_corpus import seeds
from fuzz.run import SHORT_RUNS, executed
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e

SEEDS = seeds()

# A workbook or a block of CSV takes pandas and openpyxl tens of milliseconds: a modest number
# of examples (the long search is the atheris run, see fuzz/run.py; the shared profile in
# tests/conftest.py has no deadline).
fuzzing = settings(max_examples=60)

cells = st.sampled_from(
    [
        "01/20-FA",
        PLANTED,
        "150385-10190",
        "21.01.2020",
        "43851",
        "1e300",
        "Fauske",
        "Kjøring",
        "1,5",
        "9" * 40,
        "=HYPERLINK(1)",
        "'=1",
        "",
        '"',
        "\r",
        "\t",
        "Sak",
        "Dato",
    ]
) | st.text(max_size=12)
csv_text = st.lists(st.lists(cells, max_size=8), max_size=12).map(
    lambda rows: "\r\n".join(";".join(row) for row in rows)
)


@st.composite
def mutated(draw: st.DrawFn, target: str) -> bytes:
    """A seed of ``target`` with a few bytes changed, cut or repeated."""
    data = bytearray(draw(st.sampled_from(SEEDS[target])))
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "repeat"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 64))] * draw(st.integers(1, 20))
    return bytes(data)


@fuzzing
@given(st.binary(max_size=512) | csv_text.map(str.encode) | mutated("timelog_csv"))
def test_csv_bytes_into_read_timelog(data: bytes) -> None:
    TARGETS["timelog_csv"](data)


@fuzzing
@given(mutated("timelog_xlsx") | st.binary(max_size=256))
def test_xlsx_bytes_into_read_timelog(data: bytes) -> None:
    TARGETS["timelog_xlsx"](data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10) | cells,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(cells, inner, max_size=4),
    max_leaves=20,
)


@fuzzing
@given(json_values.map(lambda v: json.dumps(v).encode()) | mutated("case_json"))
def test_case_json_into_cases_from_json(data: bytes) -> None:
    TARGETS["case_json"](data)


@fuzzing
@given(mutated("team_toml") | st.binary(max_size=256))
def test_team_toml_into_load_team(data: bytes) -> None:
    TARGETS["team_toml"](data)


@fuzzing
@given(st.binary(max_size=64) | st.text(max_size=30).map(str.encode) | mutated("case_code"))
def test_text_into_case_code_parse(data: bytes) -> None:
    TARGETS["case_code"](data)


def test_every_target_has_seeds_and_a_test() -> None:
    assert set(SEEDS) == set(TARGETS)
    assert all(SEEDS.values())
    assert e.CaseCode.parse(SEEDS["case_code"][0].decode()) == e.CaseCode.parse("02/20-ST")


def test_every_target_has_a_short_run() -> None:
    assert set(SHORT_RUNS) == set(TARGETS)


def test_the_long_run_counts_the_inputs_of_each_chunk() -> None:
    stderr = "#65536\tpulse  cov: 612\nDone 100000 runs in 997 second(s)\n"
    stats = "stat::number_of_executed_units: 100000\nstat::average_exec_per_sec:     100\n"
    assert executed(stderr + stats) == 100_000
    assert executed(stderr) is None  # a run stopped before its statistics: no count
