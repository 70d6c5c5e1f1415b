"""The checked boundary: the fast argument binding agrees with ``inspect.Signature.bind``."""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ettervern._contract import calls_within, enforce
from ettervern._l10n import Message
from ettervern.errors import EttervernError, InvalidValueError, WrongTypeError
from tests import strategies as s


def _target(a: int, b: str = "x", /, c: float = 1.0, *, d: dt.date | None = None) -> tuple:
    return (a, b, c, d)


def _open(a: int, *rest: int, **more: Any) -> tuple:
    return (a, rest, more)


def _guarded(function: Any) -> Any:
    namespace = {"f": function}
    enforce(namespace, ["f"])
    return namespace["f"]


VALUES = st.sampled_from([1, 2.5, "text", None, dt.date(2020, 1, 1), float("nan"), [1]])
NAMES = st.sampled_from(["a", "b", "c", "d", "e"])


def _expected(function: Any, args: tuple, kwargs: dict) -> str:
    """What the call should come to: "bind" (wrong call), "type" (a wrong type) or "ok"."""
    try:
        bound = inspect.signature(function).bind(*args, **kwargs)
    except TypeError:
        return "bind"
    hints = {"a": int, "b": str, "c": float, "d": (dt.date, type(None))}
    for name, value in bound.arguments.items():
        if name in ("rest", "more"):
            continue
        wanted = hints[name]
        if name == "a" and not (isinstance(value, int) and not isinstance(value, bool)):
            return "type"
        if name == "c":
            finite = isinstance(value, int | float) and value == value  # noqa: PLR0124 - NaN
            if not finite:
                return "type"
        elif name != "a" and not isinstance(value, wanted):
            return "type"
    return "ok"


@given(
    args=st.lists(VALUES, max_size=5).map(tuple),
    kwargs=st.dictionaries(NAMES, VALUES, max_size=3),
)
def test_checked_calls_agree_with_signature_bind(args: tuple, kwargs: dict) -> None:
    function = _guarded(_target)
    expected = _expected(_target, args, kwargs)
    if expected == "ok":
        assert function(*args, **kwargs) == _target(*args, **kwargs)
    elif expected == "bind":
        with pytest.raises(WrongTypeError, match="_target"):
            function(*args, **kwargs)
    else:
        with pytest.raises(WrongTypeError):
            function(*args, **kwargs)


@given(args=st.lists(VALUES, max_size=4).map(tuple))
def test_star_args_are_checked_one_by_one(args: tuple) -> None:
    function = _guarded(_open)
    ints = all(isinstance(v, int) for v in args)
    if args and ints:
        assert function(*args, x=1) == (args[0], args[1:], {"x": 1})
    else:
        with pytest.raises(WrongTypeError):
            function(*args, x=1)


def test_a_failed_call_does_not_leave_the_checks_off() -> None:
    """An error inside a checked call must not leave later calls unchecked."""

    def failing(day: dt.date) -> None:
        raise InvalidValueError(Message("missing municipality"), field="day", value=day)

    function = _guarded(failing)
    with pytest.raises(EttervernError):
        function(dt.date(2020, 1, 1))
    with pytest.raises(WrongTypeError):
        function("2020-01-01")


def test_each_thread_checks_its_own_calls() -> None:
    """A call running in one thread does not switch the checks off in another."""
    started, release = threading.Event(), threading.Event()

    def slow(day: dt.date) -> dt.date:
        started.set()
        release.wait(5)
        return day

    function = _guarded(slow)
    worker = threading.Thread(target=function, args=(dt.date(2020, 1, 1),))
    worker.start()
    started.wait(5)
    try:
        checked = _guarded(_target)
        with pytest.raises(WrongTypeError):
            checked("not an int")
    finally:
        release.set()
        worker.join()


def test_a_date_out_of_range_is_refused_on_the_fast_path() -> None:
    function = _guarded(_target)
    with pytest.raises(InvalidValueError, match="between"):
        function(1, "x", 1.0, d=dt.date(9999, 1, 1))


@pytest.mark.parametrize("number", [float("nan"), float("inf"), -float("inf")])
def test_a_number_that_is_not_finite_is_refused_on_the_fast_path(number: float) -> None:
    function = _guarded(_target)
    with pytest.raises(WrongTypeError):
        function(1, "x", number)
    with pytest.raises(WrongTypeError):
        function(1, c=number)


def test_calls_within_a_block_go_straight_through_and_the_checks_come_back() -> None:
    checked = _guarded(_target)
    with calls_within():
        assert checked("1") == ("1", "x", 1.0, None)  # the library's own call: not checked
        with calls_within():  # nested: still through, and the outer block keeps the state
            assert checked("2")[0] == "2"
        assert checked("3")[0] == "3"
    with pytest.raises(WrongTypeError):
        checked("1")
    with pytest.raises(ZeroDivisionError), calls_within():
        _ = 1 / 0
    with pytest.raises(WrongTypeError):  # an error inside the block turns the checks back on
        checked("1")


def test_a_function_with_nothing_to_check_is_still_one_checked_call() -> None:
    # Its own calls of the public API go straight through, as inside any checked call.
    checked = _guarded(_target)
    seen: list[object] = []

    def loader() -> None:
        seen.append(checked("not an int")[0])

    wrapped = _guarded(loader)
    wrapped()
    assert seen == ["not an int"]
    with pytest.raises(WrongTypeError):  # and the checks are back after it
        checked("not an int")


class _Kind(enum.StrEnum):
    A = "a"
    B = "b"


class _Text(str):
    """Text of a class of its own, as a caller's str subclass would be."""


def _choose(kind: _Kind | str, flag: bool = False, word: str = "") -> tuple:
    return (kind, flag, word)


@given(
    kind=st.sampled_from(["a", "b", "c", "", "A", _Kind.A, _Kind.B, _Text("a"), 1, None, True]),
    flag=st.sampled_from([True, False, 0, 1, 1.0, "yes", None]),
    word=st.sampled_from(["w", "", _Text("w"), 1, None, b"w", True]),
)
def test_enum_keys_and_exact_classes_are_taken_as_the_full_check_takes_them(
    kind: object, flag: object, word: object
) -> None:
    # The fast paths of a check (an enum's key looked up, a value of the very class named)
    # must give what the full check gives: the member for a key, the value itself otherwise.
    function = _guarded(_choose)
    expected: type[Exception] | None = None  # checked in order: kind, flag, then word
    if not isinstance(kind, str):
        expected = WrongTypeError
    elif str(kind) not in {"a", "b"}:
        expected = InvalidValueError
    elif not isinstance(flag, bool) or not isinstance(word, str):
        expected = WrongTypeError
    if expected is not None:
        with pytest.raises(expected) as refused:
            function(kind, flag, word=word)
        assert type(refused.value) is expected
        return
    chosen, given_flag, given_word = function(kind, flag, word=word)
    assert chosen is _Kind(str(kind))
    assert given_flag is flag
    assert given_word is word


@settings(max_examples=10)
@given(s.national_ids())
def test_a_refused_call_leaves_no_argument_in_the_librarys_frames(number: str) -> None:
    """A traceback printer with locals (Sentry, IPython's verbose mode) walks every frame of
    the traceback: below the caller's own, none holds the refused input (issue 31)."""
    import ettervern as e

    calls = {
        "a refused value": lambda: e.cases_from_json(f'[{{"code": "{number}"'),
        "a refused type": lambda: e.cases_from_json([number]),  # type: ignore[arg-type]
        "a refused case": lambda: e.cases_from_json(f'[{{"code": "{number}"}}]', strict=True),
    }
    for what, call in calls.items():
        with pytest.raises(EttervernError) as caught:
            call()
        frames = caught.value.__traceback__
        assert frames is not None
        frames = frames.tb_next.tb_next  # this test and the lambda: the caller, who holds it
        while frames is not None:
            shown = repr(frames.tb_frame.f_locals)
            assert number not in shown, (what, frames.tb_frame.f_code.co_name)
            frames = frames.tb_next
