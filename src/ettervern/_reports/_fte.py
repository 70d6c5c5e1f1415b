"""The FTE figures each member municipality reports: one CSV file per member.

Every municipality reports the FTE (årsverk) of its mental-health and substance-use work to
Helsedirektoratet's annual survey IS-24/8 (carried out by SINTEF; it asks for FTE by service
for adults and for children and young people, by kind of measure and by the staff's education)
and its spending under KOSTRA function 243, services to people with substance-use problems
(Helsedirektoratet, *Anbefalinger til videre arbeid med rapportering for psykisk helse og rus i
kommunen*, chapters 4.1 and 4.3). A member of an intermunicipal team reports its part of the
team: the FTE table of the annual report ([`fte_report`][ettervern.tables.fte_report]) gives it, and
[`write_fte_csv`][ettervern.tables.write_fte_csv] writes one file per member to send on. The survey's own breakdowns (target
group, kind of measure, education) are not apportioned here: the team's FTE is one line.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from ettervern._core import field_error
from ettervern._l10n import Message
from ettervern._render import Formulas, csv_safe
from ettervern._reports._members import OTHER_MEMBERS
from ettervern._reports._report import Report
from ettervern.errors import ConfigError

__all__ = ["FTE_CSV_COLUMNS", "write_fte_csv"]

FTE_CSV_COLUMNS = (
    "survey",
    "kostra_function",
    "year",
    "municipality_number",
    "municipality",
    "team",
    "share",
    "fte",
    "hours",
    "hours_per_fte",
)
"""The columns of each member's CSV file, in order."""


def write_fte_csv(
    report: Report, directory: str | Path, *, formulas: Formulas = "escape"
) -> list[Path]:
    """Write the FTE table (``annual["fte"]`` or [`fte_report`][ettervern.tables.fte_report]) as one CSV per member.

    Raises:
        InvalidValueError: ``report`` is not an FTE table of a team.


    Files are named ``fte-<year>-<kommunenummer>.csv``; numbers are plain (a dot for decimals,
    FTE to three decimals, hours to one) so that a spreadsheet or the survey's form reads them.
    Returns the paths written, in the table's order; a published table has none for the
    members it pools or hides (make the files from the internal or a member's view). A team or municipality name that a
    spreadsheet would read as a formula gets a leading ``'`` (``formulas="keep"``: as it is).
    """
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        problem = Message("the file cannot be used: {reason}", reason=exc.strerror or "")
        raise ConfigError(str(directory), [problem]) from None
    team, period = report.team, report.period
    if team is None or period is None or report.key != "fte":
        raise field_error(
            "expected the FTE table of a team for a year (annual['fte'] or fte_report), "
            "got {value!r}",
            field="report",
            value=report.key,
        )
    year = period[0].year
    hours_per_fte = float(report.note_values["hours_per_fte"])
    wide = report.to_frame(labels=False).drop(index="Total")
    written = []
    for name, row in wide.iterrows():
        if str(name) == OTHER_MEMBERS or any(isinstance(v, str) for v in row):
            continue  # pooled or hidden in a published table: no member's own figure
        municipality = team.municipality(str(name))
        path = directory / f"fte-{year}-{municipality.number}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(FTE_CSV_COLUMNS)
            cells = [
                [
                    "IS-24/8",
                    "243",
                    year,
                    municipality.number,
                    municipality.name,
                    team.name,
                    f"{row['share']:.4f}",
                    f"{row['fte']:.3f}",
                    f"{row['fte_hours']:.1f}",
                    f"{hours_per_fte:g}",
                ]
            ]
            writer.writerows(csv_safe(pd.DataFrame(cells), formulas=formulas).to_numpy().tolist())
        written.append(path)
    return written
