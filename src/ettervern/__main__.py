"""The command line: ``python -m ettervern report [SHEET] [--team TEAM] [--cases FILE] [--year YEAR]
[--out FILE] [--rejected FILE]``.

With no sheet it runs on a bundled example year (Salten 2020, or ``--team jaeren`` /
``--team integrated``) and prints the annual report's tables, protected for publication;
``--internal`` shows every figure, for the team itself. Errors are one line on standard error
and exit status 2, no tracebacks: also when no row of the sheet was accepted, when the log
spans several years and no ``--year`` is given, and when the year has nothing to report.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ettervern.errors import EttervernError
from ettervern.l10n import LOCALES, Message
from ettervern.reports import HOURS_PER_FTE, annual_report

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ettervern",
        description="Norwegian municipal aftercare (ettervern): annual-report tables.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser(
        "report",
        help="print the annual report's tables, or write them to an Excel workbook",
        description="Print the annual report's tables. Without SHEET, use the bundled example year.",
    )
    report.add_argument("sheet", nargs="?", type=Path, help="the time sheet (.xlsx or .csv)")
    report.add_argument("--cases", type=Path, help="the cases as JSON (see the docs)")
    report.add_argument(
        "--team",
        help="a shipped team (salten, jaeren, integrated) or a team file, TOML or JSON "
        "(default: salten); without SHEET, that team's example year",
    )
    report.add_argument(
        "--year", type=int, help="the year to report (default: the only year logged)"
    )
    report.add_argument("--rejected", type=Path, help="write the rejected rows to a CSV file")
    report.add_argument("--out", type=Path, help="write an Excel workbook, one sheet per table")
    report.add_argument("--locale", default="nb", choices=LOCALES, help="language (default nb)")
    report.add_argument(
        "--hours-per-fte",
        type=float,
        default=HOURS_PER_FTE,
        help=f"working hours in one FTE a year (default {HOURS_PER_FTE})",
    )
    report.add_argument("--budget", type=float, help="an amount to share between the members")
    report.add_argument(
        "--internal",
        action="store_true",
        help="show every figure, small counts and case codes included (not for publication)",
    )
    return parser


def _fail(problem: Message, locale: str) -> int:
    print(f"ettervern: error: {problem.render(locale)}", file=sys.stderr)
    return 2


def _report(args: argparse.Namespace) -> int:
    from ettervern import examples
    from ettervern.io import read_cases, read_timelog
    from ettervern.teams import team as find_team

    if args.sheet is None:
        example = examples.example(args.team or "salten")
        team, log, cases = example.team, example.log, list(example.cases)
    else:
        team = find_team(args.team or "salten")
        result = read_timelog(args.sheet, team=team)
        print(result.summary(args.locale), file=sys.stderr)
        if args.rejected is not None:
            result.rejected_in(args.locale).to_csv(args.rejected, index=False)
        log = result.accepted
        cases = []
        if not len(log):
            return _fail(
                Message("no row of {sheet} was accepted: nothing to report", sheet=str(args.sheet)),
                args.locale,
            )
    if args.cases is not None:
        cases = list(read_cases(args.cases, team=team))
    if args.year is not None:
        year = args.year
    else:
        years = sorted({int(y) for y in log.to_frame(copy=False)["date"].dt.year.unique()})
        if len(years) != 1:
            problem = (
                Message("the time log has no entries to report on")
                if not years
                else Message(
                    "the time log has entries in several years ({years}); choose one with --year",
                    years=", ".join(map(str, years)),
                )
            )
            return _fail(problem, args.locale)
        year = years[0]
    annual = annual_report(
        log,
        cases,
        team=team,
        year=year,
        hours_per_fte=args.hours_per_fte,
        budget=args.budget,
        audience="internal" if args.internal else "published",
    )
    if args.out is not None:
        path = annual.to_excel(args.out, locale=args.locale)
        done = Message("wrote {count} tables to {path}", count=len(annual), path=str(path))
        print(done.render(args.locale))
    else:
        print(annual.to_text(args.locale))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return _report(args)
    except (EttervernError, OSError) as error:
        text = error.message_in(args.locale) if isinstance(error, EttervernError) else str(error)
        message = " ".join(line.strip() for line in text.splitlines())
        print(f"ettervern: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
