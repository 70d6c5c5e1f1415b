"""The one error contract: whatever a public callable is given, it answers with an ettervern error.

A grid of bad values (None, wrong types, empty, huge, NaN, inf, negative, far-off dates, an
identity number) is passed, one parameter at a time, to every callable in ``ettervern.__all__``
and to the public methods of one instance of each public class. Any exception that is not an
:class:`~ettervern.EttervernError` fails the test, and so does an error whose message repeats the
identity number it was given.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import inspect
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import ettervern as e
from ettervern import teams

NATIONAL_ID = "15038510190"
"""A valid fødselsnummer of no real person (15 March 1985), as a test identity."""

BAD_VALUES: dict[str, object] = {
    "None": None,
    "object": object(),
    "empty text": "",
    "text": "xxx",
    "bytes": b"\x00\xff",
    "list": [],
    "dict": {},
    "zero": 0,
    "negative": -1,
    "huge": 10**30,
    "NaN": math.nan,
    "inf": math.inf,
    "-inf": -math.inf,
    "year one": dt.date(1, 1, 1),
    "far future": dt.date(9999, 12, 31),
    "datetime": dt.datetime(2020, 1, 1, 12, 0),  # noqa: DTZ001 - a naive one on purpose
    "many nines": "9" * 400,
    "identity number": NATIONAL_ID,
    "identity number with a separator": "150385-10190",
}


@functools.cache
def example() -> Any:
    return e.examples.salten_2020()


@functools.cache
def small_log() -> e.TimeLog:
    frame = example().log.to_frame()
    return e.TimeLog.from_frame(frame.head(40), team=example().team)


def good_values(tmp: Path) -> dict[str, object]:
    """A valid value for each parameter name met in the public API."""
    team = teams.salten()
    case = example().cases[0]
    report = e.pivot(small_log())
    return {
        "team": team,
        "log": small_log(),
        "cases": [case],
        "case": case,
        "year": 2020,
        "years": (2019, 2020),
        "on": dt.date(2020, 3, 1),
        "start": dt.date(2020, 1, 1),
        "end": dt.date(2020, 12, 31),
        "day": dt.date(2020, 3, 1),
        "date": dt.date(2020, 3, 1),
        "value": 0.5,
        "age": 30,
        "query": "Steigen",
        "queries": "Steigen",
        "codes": "01/20-ST",
        "name": "Steigen",
        "names": ["Bodø", "Ås"],
        "text": "02/20-ST",
        "key": "pathway",
        "locale": "nb",
        "data": e.case_to_dict(case),
        "frame": e.cases_to_frame([case]),
        "path": tmp / "out.csv",
        "path_or_buffer": Path(str(e.examples.salten_2020_messy_path())),
        "existing": ["01/20-ST"],
        "municipality": "ST",
        "before": e.Outcome(),
        "after": e.Outcome(),
        "threshold": 3,
        "row": "Steigen",
        "column": "Hendelse",
        "report": report,
        "others": small_log(),
        "task": "report",
        "step": "plan",
        "outcome": e.Outcome(),
        "reached": True,
        "kind": "institution",
        "reason": "completed",
        "template": None,
    }


def instances() -> dict[str, object]:
    return {
        "Team": teams.salten(),
        "TimeLog": small_log(),
        "Case": example().cases[0],
        "Report": e.pivot(small_log()),
        "CaseCode": e.CaseCode.parse("02/20-ST"),
        "CodeScheme": e.DEFAULT_SCHEME,
        "MunicipalityRegister": e.register(),
        "CategoryCatalog": teams.salten().categories,
        "ImportResult": e.read_timelog(e.examples.salten_2020_messy_path(), team=teams.salten()),
        "Outcome": e.Outcome(),
        "FollowUpTarget": e.FollowUpTarget(6, 8),
        "PathwayTemplate": e.pathway_template("integrated"),
    }


def _public(obj: object) -> bool:
    return callable(obj) and not (
        isinstance(obj, type) and issubclass(obj, enum.Enum | BaseException)
    )


def targets() -> Iterator[tuple[str, Callable[..., Any]]]:
    for name in e.__all__:
        obj = getattr(e, name)
        if inspect.ismodule(obj):
            for inner in getattr(obj, "__all__", ()):
                member = getattr(obj, inner)
                if _public(member) and not isinstance(member, type):
                    yield f"{name}.{inner}", member
        elif _public(obj) and name not in ("Message", "Label", "make_converter"):
            yield name, obj
    for name, instance in instances().items():
        for attribute in dir(type(instance)):
            if attribute.startswith("_"):
                continue
            member = getattr(instance, attribute)
            if inspect.ismethod(member) or (callable(member) and not isinstance(member, type)):
                yield f"{name}.{attribute}", member


def calls(tmp: Path) -> Iterator[tuple[str, Callable[..., Any], list[object], dict[str, object]]]:
    good = good_values(tmp)
    for label, function in targets():
        try:
            signature = inspect.signature(function)
        except (TypeError, ValueError):
            continue
        parameters = [p for p in signature.parameters.values() if p.kind not in (p.VAR_KEYWORD,)]
        for index, parameter in enumerate(parameters):
            for bad_name, bad in BAD_VALUES.items():
                args: list[object] = []
                kwargs: dict[str, object] = {}
                for other_index, other in enumerate(parameters):
                    if other_index == index:
                        value = bad
                    elif other.default is not other.empty or other.kind is other.VAR_POSITIONAL:
                        continue
                    else:
                        value = good.get(other.name, None)
                    if other.kind in (other.POSITIONAL_ONLY, other.VAR_POSITIONAL):
                        args.append(value)
                    else:
                        kwargs[other.name] = value
                yield f"{label}({parameter.name}={bad_name})", function, args, kwargs


def test_every_public_callable_raises_only_ettervern_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a bad path given to a writer lands here
    escapes: list[str] = []
    echoes: list[str] = []
    count = 0
    for label, function, args, kwargs in calls(tmp_path):
        count += 1
        try:
            function(*args, **kwargs)
        except e.EttervernError as error:
            text = str(error) + error.message_in("nb")
            if NATIONAL_ID in text or "150385-10190" in text:
                echoes.append(label)
        except Exception as error:
            escapes.append(f"{label}: {type(error).__name__}: {str(error)[:100]}")
    assert count > 5000  # the grid reached every callable
    assert not escapes, f"{len(escapes)} of {count} calls escaped:\n" + "\n".join(escapes)
    assert not echoes, f"identity numbers repeated by: {echoes}"
