"""Measuring instruments: questionnaires answered over a course (ORS, BrukerPlan's life
domains), their items and scales, and the answer sheets read from cases.

The tables that summarise them are [`tables.instrument_report`][ettervern.tables.instrument_report]
and [`tables.instrument_by_year`][ettervern.tables.instrument_by_year].
"""

from __future__ import annotations

from ettervern._contract import enforce
from ettervern._core import (
    INSTRUMENTS,
    Instrument,
    InstrumentItem,
    Response,
    Scale,
    Timing,
    instrument,
)
from ettervern._reports import brukerplan_responses

__all__ = [
    "INSTRUMENTS",
    "Instrument",
    "InstrumentItem",
    "Response",
    "Scale",
    "Timing",
    "brukerplan_responses",
    "instrument",
]

enforce(globals(), __all__)
