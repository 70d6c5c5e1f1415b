"""What an import tells the application: log records under "ettervern", and a progress bar."""

from __future__ import annotations

import logging
import sys
import types
from pathlib import Path
from typing import Any, ClassVar

import pytest

import ettervern as e
from ettervern._io import _progress


def test_an_import_logs_what_was_read_and_rejected_without_values(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pytest.importorskip("openpyxl")
    team = e.examples.salten_2020().team
    with caplog.at_level(logging.DEBUG, logger="ettervern"):
        e.read_timelog(e.examples.salten_2020_messy_path(), team=team)
    records = [r for r in caplog.records if r.name.startswith("ettervern")]
    messages = [r.getMessage() for r in records]
    assert "read salten_2020_messy.xlsx: 636 rows, accepted 618, rejected 18" in messages[0]
    assert any(m.startswith("rejected ") and "over the column" in m for m in messages)
    # The messy sheet has values such as "Kaffepause" and "Bodø": the log never repeats them.
    assert not any("Kaffepause" in m or "Bodø" in m for m in messages)


def test_the_annual_report_logs_its_decisions(caplog: pytest.LogCaptureFixture) -> None:
    example = e.examples.salten_2020()
    with caplog.at_level(logging.DEBUG, logger="ettervern"):
        e.annual_report(example.log, team=example.team, year=2020)
    messages = [r.getMessage() for r in caplog.records]
    assert any("no cases given" in m for m in messages)
    assert any(m.startswith("annual report 2020 for ") and "0 cases" in m for m in messages)
    assert any(m.startswith("cost sharing:") and "by own hours" in m for m in messages)


def test_the_library_prints_nothing_unless_asked() -> None:
    handlers = logging.getLogger("ettervern").handlers
    assert any(isinstance(h, logging.NullHandler) for h in handlers)


class FakeBar:
    made: ClassVar[list[FakeBar]] = []

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.updates: list[int] = []
        self.closed = False
        FakeBar.made.append(self)

    def update(self, rows: int) -> None:
        self.updates.append(rows)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def fake_tqdm(monkeypatch: pytest.MonkeyPatch) -> type[FakeBar]:

    module = types.ModuleType("tqdm")
    module.tqdm = FakeBar  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tqdm", module)
    FakeBar.made = []
    return FakeBar


def test_the_bar_appears_only_past_100_000_rows(fake_tqdm: type[FakeBar]) -> None:
    progress = _progress.Progress(enabled=True, description="timer.csv")
    progress.advance(60_000)
    progress.advance(40_000)
    assert fake_tqdm.made == []  # 100,000 rows: no bar yet
    progress.advance(1)
    assert len(fake_tqdm.made) == 1
    assert fake_tqdm.made[0].options["initial"] == 100_001
    progress.advance(250_000)
    assert fake_tqdm.made[0].updates == [250_000]
    progress.close()
    assert fake_tqdm.made[0].closed
    quiet = _progress.Progress(enabled=False, description="timer.csv")
    quiet.advance(10**6)
    assert len(fake_tqdm.made) == 1


def test_without_tqdm_there_is_no_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import fails
    progress = _progress.Progress(enabled=True, description="timer.csv")
    progress.advance(200_000)
    assert progress.bar is None and not progress.enabled


def test_a_long_import_drives_the_bar(
    fake_tqdm: type[FakeBar], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    example = e.examples.salten_2020()
    sheet = e.write_timelog(example.log, tmp_path / "timer.csv")
    monkeypatch.setattr(_progress, "PROGRESS_ROWS", 100)  # the example has 618 rows
    result = e.read_timelog(sheet, team=example.team, progress=True)
    assert len(result.accepted) == 618
    assert len(fake_tqdm.made) == 1
    assert fake_tqdm.made[0].options["desc"] == "timer.csv"
    assert fake_tqdm.made[0].closed
    e.read_timelog(sheet, team=example.team, progress=False)
    assert len(fake_tqdm.made) == 1


def test_the_real_tqdm_bar_shows_on_standard_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tqdm")
    monkeypatch.setattr(_progress, "PROGRESS_ROWS", 10)
    progress = _progress.Progress(enabled=True, description="timer.csv")
    progress.advance(11)
    progress.advance(5)
    progress.close()
    assert "timer.csv" in capsys.readouterr().err
