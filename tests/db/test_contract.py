"""The one error contract holds for the register: whatever a public method or function of
``ettervern.db`` is given, it answers with an ettervern error, and never repeats an identity
number (the grid of ``tests/test_contract.py``, on a register in SQLite)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ettervern as e
from ettervern import db
from tests.test_contract import BAD_VALUES, NATIONAL_ID, example, good_values


def _filled(tmp: Path) -> db.Register:
    register = db.Register(tmp / "register.sqlite", user="u-17")
    register.add_team(example().team)
    register.add_cases(example().cases, team=example().team)
    return register


def _targets(register: db.Register) -> Iterator[tuple[str, Any]]:
    for name in db.__all__:
        member = getattr(db, name)
        if inspect.isfunction(member):
            yield name, member
    for name in dir(db.Register):
        member = getattr(register, name)
        if not name.startswith("_") and inspect.ismethod(member):
            yield f"Register.{name}", member


def test_the_register_raises_only_ettervern_errors(tmp_path: Path) -> None:
    good = good_values(tmp_path) | {
        "target": tmp_path / "other.sqlite",
        "user": "u-17",
        "code": str(example().cases[0].code),
        "team": "Salten",
        "sheet": e.examples.salten_2020_messy_path(),
        "source": "timer.xlsx",
        "years": 10,
        "today": example().cases[0].referred_on,
    }
    escapes: list[str] = []
    echoes: list[str] = []
    count = 0
    with _filled(tmp_path) as register:
        for label, function in _targets(register):
            parameters = [
                p
                for p in inspect.signature(function).parameters.values()
                if p.kind is not p.VAR_KEYWORD
            ]
            for parameter in parameters:
                for bad_name, bad in BAD_VALUES.items():
                    kwargs = {
                        p.name: bad if p is parameter else good.get(p.name)
                        for p in parameters
                        if p is parameter or p.default is p.empty
                    }
                    count += 1
                    try:
                        function(**kwargs)
                    except e.EttervernError as error:
                        text = str(error) + error.message_in("nb")
                        if NATIONAL_ID in text or "150385-10190" in text:
                            echoes.append(f"{label}({parameter.name}={bad_name})")
                    except Exception as error:
                        escapes.append(
                            f"{label}({parameter.name}={bad_name}): {type(error).__name__}: "
                            f"{str(error)[:100]}"
                        )
    assert count > 500  # the grid reached every method
    assert not escapes, f"{len(escapes)} of {count} calls escaped:\n" + "\n".join(escapes)
    assert not echoes, f"identity numbers repeated by: {echoes}"


def test_a_register_method_is_one_checked_call() -> None:
    # Checked at its boundary: a wrong type is an ettervern error, not a TypeError from inside.
    with pytest.raises(e.errors.WrongTypeError, match="team"):
        db.Register.cases(object(), team=3.5)  # type: ignore[arg-type]
