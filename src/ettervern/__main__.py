"""The command line: ``python -m ettervern report [SHEET] [--team TEAM] [--cases FILE]
[--year YEAR] [--format text|csv|json|xlsx] [--out FILE] [--rejected FILE]``.

With no sheet it runs on a bundled example year (Salten 2020, or ``--team jaeren`` /
``--team integrated``), says so on standard error, and prints the annual report's tables,
protected for publication and split to fit 100 columns; ``--internal`` shows every figure, for
the team itself, and ``--member Fauske`` the report for one member municipality (its own figures
exact, the rest as published). Help and messages follow ``--locale`` (or ``$ETTERVERN_LOCALE``); errors are
one line on standard error, no tracebacks: also when no row of the sheet was accepted, when the
log spans several years and no ``--year`` is given, and when the year has nothing to report.

Exit status: 0 when the report was written (also when the reader of a pipe, such as ``head``,
stops early), 2 for a usage error or input that cannot be reported on (a missing file, a bad
sheet, no entries for the year).

``python -m ettervern compare 2019 2020 [SHEET...]`` prints two years' tables side by side
with the change (``compare_years``), published unless ``--internal``, with the same options for
what it reads and how it writes (not ``--year``, ``--period``, ``--db``), ``--member Fauske``
for one member municipality's view of both years, and ``--pool-years`` for the tables mostly
hidden; the same exit status.

With the ``db`` extra, a case register: ``db init``, ``import SHEET --db URL``,
``report --db URL`` and ``due --db URL --on DATE`` (see docs/register.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from ettervern._l10n import HIDDEN, LOCALES, N_, Message, normalise_locale, redact, translate
from ettervern._render import FORMULAS, csv_safe
from ettervern._reports import HOURS_PER_FTE, annual_report, compare_years
from ettervern.errors import ConfigError, EttervernError, UnsupportedLocaleError

__all__ = ["EXIT_ERROR", "EXIT_OK", "TEXT_WIDTH", "main"]

EXIT_OK = 0
"""The report was written (or its reader closed the pipe)."""
EXIT_ERROR = 2
"""A usage error, or input that cannot be reported on; the reason is on standard error."""
TEXT_WIDTH = 100
"""Tables wider than this many characters are split into blocks of columns."""
FORMATS = ("text", "csv", "json", "xlsx")
logger = logging.getLogger("ettervern.cli")
LOCALE_VARIABLE = "ETTERVERN_LOCALE"
"""The environment variable that sets the default language (``nb``, ``nn``, ``en``)."""


def _locale_of(argv: Sequence[str]) -> str:
    """The language of help and messages: ``--locale``, else ``$ETTERVERN_LOCALE``, else nb."""
    for i, arg in enumerate(argv):
        value = None
        if arg == "--locale" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--locale="):
            value = arg.partition("=")[2]
        if value is not None:
            try:
                return normalise_locale(value)
            except UnsupportedLocaleError:
                break
    try:
        return normalise_locale(os.environ.get(LOCALE_VARIABLE) or None)
    except UnsupportedLocaleError:
        return "nb"


_USAGE_ERRORS = (
    (
        re.compile(r"unrecognized arguments: (?P<arguments>.*)", re.DOTALL),
        N_("unrecognized arguments: {arguments}"),
    ),
    (
        re.compile(
            r"argument (?P<argument>\S+): invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)"
        ),
        N_("argument {argument}: invalid choice: {value} (choose from {choices})"),
    ),
    (
        re.compile(r"the following arguments are required: (?P<arguments>.*)"),
        N_("the following arguments are required: {arguments}"),
    ),
    (
        re.compile(r"argument (?P<argument>\S+): invalid \S+ value: (?P<value>.*)"),
        N_("argument {argument}: invalid value: {value}"),
    ),
    (
        re.compile(r"argument (?P<argument>\S+): expected one argument"),
        N_("argument {argument}: expected one argument"),
    ),
)
"""argparse's usage errors (English gettext strings in the standard library) and ours."""


def usage_error(message: str, locale: str) -> str:
    """An argparse usage error in ``locale``, with anything shaped like an identity number
    hidden (argparse repeats what was typed); an error it does not know stays in English."""
    for pattern, template in _USAGE_ERRORS:
        found = pattern.fullmatch(message)
        if found is not None:
            return Message(template, **found.groupdict()).render(locale)
    return redact(message, HIDDEN)


def program_name(argv0: str | None = None) -> str:
    """The command as the user ran it: ``python -m ettervern`` or ``ettervern``.

    >>> program_name("/usr/lib/python3/site-packages/ettervern/__main__.py")
    'python -m ettervern'
    >>> program_name("/home/me/.venv/bin/ettervern")
    'ettervern'
    """
    name = Path(sys.argv[0] if argv0 is None else argv0).name
    return "python -m ettervern" if name == "__main__.py" else "ettervern"


def _parser(locale: str) -> argparse.ArgumentParser:
    from ettervern import __version__

    def _(text: str) -> str:
        return translate(text, locale)

    class Parser(argparse.ArgumentParser):
        """argparse that words its usage errors in ``locale`` and never repeats an identity
        number typed on the command line."""

        def error(self, message: str) -> NoReturn:
            self.print_usage(sys.stderr)
            prefix = _(N_("error: "))
            self.exit(2, f"{self.prog}: {prefix}{usage_error(message, locale)}\n")

    class Formatter(argparse.HelpFormatter):
        """argparse's help in ``locale``: its own headings are English gettext strings."""

        def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any = None) -> None:
            shown = _(N_("usage: ")) if prefix is None else prefix
            super().add_usage(usage, actions, groups, shown)

    def localised(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        parser.formatter_class = Formatter
        parser._positionals.title = _(N_("positional arguments"))
        parser._optionals.title = _(N_("options"))
        return parser

    parser = Parser(
        prog=program_name(),
        description=_(N_("Norwegian municipal aftercare (ettervern): annual-report tables.")),
        epilog=_(N_("Exit status: 0 done, 2 usage error or input that cannot be reported on.")),
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help=_(N_("show this help and exit")))
    parser.add_argument(
        "--version",
        action="version",
        version=f"ettervern {__version__}",
        help=_(N_("show the version and exit")),
    )
    localised(parser)
    commands = parser.add_subparsers(
        dest="command", required=True, title=_(N_("commands")), metavar="COMMAND"
    )
    report = commands.add_parser(
        "report",
        help=_(N_("print the annual report's tables, or write them to a file")),
        description=_(
            N_("Print the annual report's tables. Without SHEET, use the bundled example year.")
        ),
        epilog=_(N_("Exit status: 0 done, 2 usage error or input that cannot be reported on.")),
        add_help=False,
    )
    localised(report)
    report.add_argument("-h", "--help", action="help", help=_(N_("show this help and exit")))
    _report_arguments(report, locale, _)
    _compare_command(commands, locale, localised, _)
    _register_commands(commands, report, localised, _)
    return parser


def _compare_command(commands: Any, locale: str, localised: Any, _: Any) -> None:
    """``compare YEAR YEAR [SHEET...]``: two years side by side, with the options of
    ``report`` that say what it reads and how it writes (no ``--year``, ``--period``, ``--db``)."""
    compare = localised(
        commands.add_parser(
            "compare",
            help=_(N_("print two years' tables side by side with the change")),
            description=_(
                N_(
                    "Print two years' tables side by side with the change, protected as both "
                    "years' published reports. Without SHEET, use the bundled example year."
                )
            ),
            epilog=_(N_("Exit status: 0 done, 2 usage error or input that cannot be reported on.")),
            add_help=False,
        )
    )
    compare.add_argument("-h", "--help", action="help", help=_(N_("show this help and exit")))
    compare.add_argument(
        "years", nargs=2, type=int, metavar="YEAR", help=_(N_("the two years, the earlier first"))
    )
    compare.add_argument(
        "sheet",
        nargs="*",
        type=Path,
        metavar="SHEET",
        help=_(N_("the time sheets (.xlsx or .csv), one log of both years")),
    )
    _team_arguments(compare, _)
    _format_argument(compare, _)
    compare.add_argument(
        "--pool-years",
        action="store_true",
        help=_(
            N_(
                "add each mostly hidden table of referrals, acceptances and closures over both "
                "years together (what the comparison proposes)"
            )
        ),
    )
    _output_arguments(compare, locale, _)
    compare.set_defaults(db=None)


def _report_arguments(report: Any, locale: str, _: Any) -> None:
    """The options of ``report`` that say what it reads, with their help in ``locale``."""
    report.add_argument("sheet", nargs="?", type=Path, help=_(N_("the time sheet (.xlsx or .csv)")))
    _team_arguments(report, _)
    report.add_argument(
        "--year", type=int, help=_(N_("the year to report (default: the only year logged)"))
    )
    report.add_argument(
        "--period",
        help=_(N_("a month (2020-03) or a quarter (2020-Q2) to report instead of a year")),
    )
    _format_argument(report, _)
    _output_arguments(report, locale, _)
    report.add_argument("--db", help=_(N_("report from this register (a file path or a URL)")))


def _team_arguments(report: Any, _: Any) -> None:
    """``--cases`` and ``--team``, of ``report`` and ``compare``."""
    report.add_argument("--cases", type=Path, help=_(N_("the cases as JSON (see the docs)")))
    report.add_argument(
        "--team",
        help=_(
            N_(
                "a shipped team (salten, jaeren, integrated) or a team file, TOML or JSON "
                "(default: salten); without SHEET, that team's example year"
            )
        ),
    )


def _format_argument(report: Any, _: Any) -> None:
    """``--format``, of ``report`` and ``compare``."""
    report.add_argument(
        "--format",
        choices=FORMATS,
        help=_(
            N_(
                "text (the default), csv (one long table), json, or xlsx (a workbook; needs "
                "--out); by default taken from the ending of --out"
            )
        ),
    )


def _output_arguments(report: Any, locale: str, _: Any) -> None:
    """The options of ``report`` that say where and how it writes, and what it computes with."""
    report.add_argument(
        "--out", type=Path, help=_(N_("write to this file instead of standard output"))
    )
    report.add_argument(
        "--rejected",
        type=Path,
        metavar="FILE",
        help=_(N_("write the rows the import rejected to this CSV file")),
    )
    report.add_argument(
        "--csv-formulas",
        choices=FORMULAS,
        default="escape",
        help=_(
            N_(
                "escape (the default): text in a CSV file that a spreadsheet would read as a "
                "formula gets a leading '; keep: as it is, for a program that reads the file"
            )
        ),
    )
    report.add_argument(
        "--locale", default=locale, choices=LOCALES, help=_(N_("language (default nb)"))
    )
    report.add_argument(
        "--hours-per-fte",
        type=float,
        default=HOURS_PER_FTE,
        help=_(N_("working hours in one FTE a year (default {hours})")).format(hours=HOURS_PER_FTE),
    )
    report.add_argument(
        "--budget", type=float, help=_(N_("an amount to share between the members"))
    )
    _audience_arguments(report, _)
    report.add_argument(
        "--drop-columns",
        metavar="COLUMN",
        nargs="+",
        default=[],
        help=_(N_("leave out these columns of the sheet (such as a column of comments)")),
    )


def _audience_arguments(report: Any, _: Any) -> None:
    """The options of ``report`` that say whom it is for: the team (``--internal``), one member
    (``--member``), or the public, with small members pooled (``--pool``) and categories
    pooled (``--pool-categories``)."""
    report.add_argument(
        "--internal",
        action="store_true",
        help=_(N_("show every figure, small counts and case codes included (not for publication)")),
    )
    report.add_argument(
        "--member",
        metavar="MUNICIPALITY",
        help=_(
            N_(
                "the report for one member municipality: its own figures exact, the rest as published"
            )
        ),
    )
    report.add_argument(
        "--pool",
        metavar="MUNICIPALITY",
        nargs="+",
        default=[],
        help=_(
            N_(
                "pool these members into one row, «Andre medlemskommuner», in the published tables (what the report's cover proposes)"
            )
        ),
    )
    report.add_argument(
        "--pool-categories",
        metavar="CATEGORY",
        nargs="+",
        default=[],
        help=_(
            N_(
                "pool these categories into one column, «Andre kategorier», in the published hours tables (what the report's cover proposes)"
            )
        ),
    )


def _register_commands(commands: Any, report: Any, localised: Any, _: Any) -> None:
    """``db init``, ``import`` and ``due``: the case register (``ettervern[db]``)."""
    db = localised(
        commands.add_parser(
            "db", help=_(N_("the case register: create or upgrade it")), add_help=False
        )
    )
    db.add_argument("action", choices=["init"], help=_(N_("init: create the schema or upgrade it")))
    importing = localised(
        commands.add_parser(
            "import", help=_(N_("import a time sheet into the register")), add_help=False
        )
    )
    importing.add_argument("sheet", type=Path, help=_(N_("the time sheet (.xlsx or .csv)")))
    importing.add_argument(
        "--source", help=_(N_("the name rows are keyed by (default: the file name)"))
    )
    importing.add_argument("--cases", type=Path, help=_(N_("also add the cases in this JSON file")))
    due = localised(
        commands.add_parser(
            "due", help=_(N_("print the due list from the register")), add_help=False
        )
    )
    for command in (db, importing, due):
        command.add_argument("-h", "--help", action="help", help=_(N_("show this help and exit")))
    due.add_argument(
        "--on", required=True, type=dt.date.fromisoformat, help=_(N_("the day (YYYY-MM-DD)"))
    )
    due.add_argument("--within", type=int, help=_(N_("leave out what is due more than DAYS later")))
    _due_options(due, _)
    for command in (db, importing, due):
        command.add_argument(
            "--db",
            default=os.environ.get("ETTERVERN_DB", "ettervern.db"),
            help=_(N_("the register: a file path (SQLite) or a URL (default: ettervern.db)")),
        )
        command.add_argument(
            "--locale", default="nb", choices=LOCALES, help=_(N_("language (default nb)"))
        )
    for command in (importing, due):
        command.add_argument(
            "--team", help=_(N_("a shipped team (salten, jaeren, integrated) or a team file"))
        )
    for command in (db, importing, due, report):
        command.add_argument(
            "--user",
            default=os.environ.get("ETTERVERN_USER", "cli"),
            help=_(N_("the pseudonymous id written to the audit trail (default: cli)")),
        )
        command.add_argument(
            "--key-file",
            type=Path,
            help=_(
                N_(
                    "read the register's key from this file (default: $ETTERVERN_REGISTER_KEY); "
                    "a key is never given on the command line, where others can see it"
                )
            ),
        )


def _due_options(due: Any, _: Any) -> None:
    """The options of ``due`` that the Python due list has: "my cases", contacts, groups."""
    due.add_argument(
        "--staff", help=_(N_("only the cases this member of staff is on (a roster id)"))
    )
    due.add_argument(
        "--contacts",
        action="store_true",
        help=_(N_("warn where close follow-up has had no contact in the register's time log")),
    )
    due.add_argument(
        "--contact-gap",
        type=int,
        metavar="DAYS",
        help=_(N_("the days without contact that warn (default: the team's; implies --contacts)")),
    )
    due.add_argument(
        "--decision-days",
        type=int,
        metavar="DAYS",
        help=_(N_("list a referral still undecided after DAYS days (default: the team's)")),
    )
    due.add_argument(
        "--groups",
        type=Path,
        metavar="FILE",
        help=_(
            N_(
                "an attendance sheet or group log (.csv, .xlsx, .json): coming to the group "
                "counts as contact (implies --contacts)"
            )
        ),
    )


def _due_team(team: Any, args: argparse.Namespace) -> Any:
    """The team with the days ``--contact-gap`` and ``--decision-days`` give, if any."""
    import attrs

    changes = {"contact_gap_days": args.contact_gap, "decision_days": args.decision_days}
    given = {name: days for name, days in changes.items() if days is not None}
    return attrs.evolve(team, **given) if given else team


def _due_contacts(register: Any, team: Any, args: argparse.Namespace) -> Any:
    """The days of contact per case, from the register's log and group sessions and
    ``--groups``; ``None`` without ``--contacts``, ``--contact-gap`` or ``--groups``."""
    if not (args.contacts or args.contact_gap is not None or args.groups is not None):
        return None
    contacts: dict[str, list[dt.date]] = register.timelog(team).contact_days()
    groups = [register.group_log(team)]
    if args.groups is not None:
        from ettervern._io import read_group_sessions

        read = read_group_sessions(args.groups, team=team, cases=register.cases(team))
        print(read.summary(args.locale), file=sys.stderr)
        groups.append(read.accepted)
    for log in groups:  # coming to the group is contact with the person
        for code, days in log.attended_days().items():
            contacts[code] = sorted({*contacts.get(code, []), *days})
    return contacts


def _open_register(args: argparse.Namespace) -> tuple[Any, Any]:
    """The register named by ``--db``, and the team: ``--team``, else the register's only team,
    else Salten."""
    from ettervern.db import Register
    from ettervern.teams import team as find_team

    register = Register(args.db, user=args.user, key=_register_key(args.key_file))
    if args.team:
        return register, find_team(args.team)
    names = register.teams()
    return register, register.team(names[0]) if len(names) == 1 else find_team("salten")


def _register_key(path: Path | None) -> bytes | None:
    """The register's key from the file ``--key-file`` names (its content, without the line
    break an editor or ``echo`` ends it with), or ``None``: then the register reads
    ``$ETTERVERN_REGISTER_KEY``.

    A file, not the key itself, because a command line is no place for a secret: any user of
    the machine sees it (``ps``, ``/proc/<pid>/cmdline``) and the shell keeps it in its history.
    The key itself is never repeated in a message.
    """
    if path is None:
        return None
    try:
        return path.read_bytes().rstrip(b"\r\n")
    except OSError as exc:
        problem = Message(
            "cannot read the key file {path}: {reason}",
            path=str(path),
            reason=exc.strerror or type(exc).__name__,
        )
        raise ConfigError("--key-file", [problem]) from None


def _db(args: argparse.Namespace) -> int:
    from ettervern.db import Register

    with Register(args.db, user=args.user, key=_register_key(args.key_file)) as register:
        done = Message(
            "the register at {url} is ready, schema revision {revision}",
            url=register.url,
            revision=register.schema_revision,
        )
    print(done.render(args.locale))
    return 0


def _import(args: argparse.Namespace) -> int:
    from ettervern._io import read_cases

    old = _old_excel(args.sheet)
    if old is not None:
        return _error(old, args.locale)
    register, team = _open_register(args)
    cases = [] if args.cases is None else read_cases(args.cases, team=team, strict=True).accepted
    with register:
        summary = register.import_sheet(args.sheet, team=team, source=args.source)
        print(summary.summary(args.locale))
        if args.cases is not None:
            added, already = register.add_cases(cases, team=team)
            done = Message.plural_of(
                "{added} case added, {already} already in the register",
                "{added} cases added, {already} already in the register",
                by="added",
                added=added,
                already=already,
            )
            print(done.render(args.locale))
    return 0


def _due(args: argparse.Namespace) -> int:
    register, team = _open_register(args)
    team = _due_team(team, args)
    within = None if args.within is None else dt.timedelta(days=args.within)
    with register:
        contacts = _due_contacts(register, team, args)
        table = register.due_list(
            team,
            on=args.on,
            within=within,
            locale=args.locale,
            staff=args.staff,
            contacts=contacts,
        )
    if table.empty:
        print(Message("nothing is due on {day}", day=args.on).render(args.locale))
    else:
        shown = table.drop(columns=["milestone", "status"])
        headers = {c: translate(_DUE_HEADERS.get(c, c), args.locale) for c in shown.columns}
        print(shown.rename(columns=headers).to_string(index=False))
    return 0


_DUE_HEADERS = {
    "code": N_("Case"),
    "municipality": N_("Municipality"),
    "due": N_("Due"),
    "days_left": N_("Days left"),
    "staff": N_("Staff"),
    "coordinator": N_("Coordinator"),
    "milestone_label": N_("Milestone"),
    "status_label": N_("Status"),
}
"""The due list's headers in words (its columns are stable English keys)."""


_SUFFIXES = {".txt": "text", ".text": "text", ".csv": "csv", ".json": "json", ".xlsx": "xlsx"}
"""The endings ``--out`` may have, and the format each one means."""
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of an old binary Office file (.xls, .doc): the OLE2 compound document."""


def _format_of(args: argparse.Namespace) -> str | Message:
    """The output format: ``--format``, else the ending of ``--out``; or why neither works."""
    suffix = "" if args.out is None else args.out.suffix.lower()
    if suffix and suffix not in _SUFFIXES:
        return Message(
            "cannot write {suffix} files; give --out a name ending in {known}",
            suffix=suffix,
            known=", ".join(_SUFFIXES),
        )
    if args.format is not None:
        return str(args.format)
    return _SUFFIXES.get(suffix, "text")


def _old_excel(path: Path | None) -> Message | None:
    """Advice for an old binary .xls workbook, which cannot be read: save it as .xlsx."""
    try:
        with path.open("rb") as handle:  # type: ignore[union-attr]
            start = handle.read(len(OLE2))
    except (OSError, AttributeError):
        return None  # no sheet, or none to read: read_timelog says why
    if start != OLE2:
        return None
    return Message(
        "{path} is an old Excel workbook (.xls), which cannot be read: open it in Excel or "
        "LibreOffice and save it as .xlsx (Excel workbook)",
        path=str(path),
    )


def _sheets(args: argparse.Namespace) -> list[Path]:
    """The sheets given: ``report``'s one (or none), ``compare``'s any number."""
    sheet = args.sheet
    return list(sheet) if isinstance(sheet, list) else [] if sheet is None else [sheet]


def _inputs(args: argparse.Namespace) -> tuple[Any, Any, list[Any], Any]:
    """The team, the time log, the cases and the rows the import rejected (None for an
    example year)."""
    from ettervern import examples
    from ettervern._io import read_cases
    from ettervern.teams import team as find_team

    rejected: Any = None
    if args.db is not None:
        register, team = _open_register(args)
        with register:
            log, cases = register.timelog(team), register.cases(team)
    elif not _sheets(args):
        example = examples.example(args.team or "salten")
        team, log, cases = example.team, example.log, list(example.cases)
    else:
        team = find_team(args.team or "salten")
        log, rejected = _read_sheets(args, team)
        cases = []
    if args.cases is not None:
        cases = list(read_cases(args.cases, team=team, strict=True).accepted)
    if not _sheets(args) and args.db is None:
        years = sorted({int(y) for y in log.to_frame(copy=False)["date"].dt.year.unique()})
        banner = Message(
            "example data: the bundled synthetic year {year}, not real figures",
            year=", ".join(map(str, years)),
        )
        print(f"ettervern: {banner.render(args.locale)}", file=sys.stderr)
    return team, log, cases, rejected


def _read_sheets(args: argparse.Namespace, team: Any) -> tuple[Any, Any]:
    """The time log of the sheets (one log, in order) and the rows they rejected, each
    sheet's summary on standard error; ``--rejected`` written."""
    import pandas as pd

    from ettervern._io import read_timelog

    locale = args.locale
    logs, rejections = [], []
    for sheet in _sheets(args):
        result = read_timelog(sheet, team=team, drop_columns=args.drop_columns)
        print(result.summary(locale), file=sys.stderr)
        logs.append(result.accepted)
        rejections.append(result.rejected_in(locale))
    log = logs[0].concat(*logs[1:])
    rejected = pd.concat(rejections, ignore_index=True) if len(rejections) > 1 else rejections[0]
    if len(log) and len(rejected) > len(log):  # most rows rejected: say why
        _commonest_reasons(rejected, locale)
    if args.rejected is not None:
        csv_safe(rejected, formulas=args.csv_formulas).to_csv(args.rejected, index=False)
    return log, rejected


def _error(problem: Message, locale: str) -> int:
    print(_error_line(problem.render(locale), locale), file=sys.stderr)
    return EXIT_ERROR


def _error_line(text: str, locale: str) -> str:
    """``ettervern: feil: …`` in the user's language, on one line; the library's advice to pass
    ``drop_columns=[…]`` (Python) is given as the command line's ``--drop-columns``."""
    text = re.sub(r"drop_columns=\[(['\"«])(.*?)(['\"»])\]", r"--drop-columns '\2'", text)
    prefix = translate(N_("error: "), locale)
    return f"ettervern: {prefix}{_one_line(text)}"


def _nothing_accepted(args: argparse.Namespace, rejected: Any) -> int:
    """No row accepted: say so, with the commonest reasons and where to see every row."""
    sheets = ", ".join(map(str, _sheets(args)))
    problem = Message("no row of {sheet} was accepted: nothing to report", sheet=sheets)
    _error(problem, args.locale)
    _commonest_reasons(rejected, args.locale)
    return EXIT_ERROR


def _commonest_reasons(rejected: Any, locale: str) -> None:
    """The three most frequent reasons rows were rejected, with their counts, and a pointer to
    ``--rejected`` (a wrong ``--team`` is the usual cause when most rows are rejected)."""
    reasons = rejected[rejected.columns[-1]].value_counts().head(3)
    for reason, count in reasons.items():
        line = Message.plural_of(
            "{count} row: {reason}",
            "{count} rows: {reason}",
            by="count",
            count=int(count),
            reason=str(reason),
        )
        print(f"  {line.render(locale)}", file=sys.stderr)
    hint = Message("is --team right? --rejected FILE writes every rejected row with its reason")
    print(f"  {hint.render(locale)}", file=sys.stderr)


def _warn(annual: Any, locale: str) -> None:
    """The report's warnings on stderr: a log covering only part of the year, say."""
    prefix = translate(N_("warning: "), locale)
    for warning in annual.warnings_in(locale):
        print(f"ettervern: {prefix}{warning}", file=sys.stderr)


def _refused(args: argparse.Namespace) -> Message | str:
    """The output format, or why the command cannot run as asked (before reading anything)."""
    output = _format_of(args)
    if isinstance(output, Message):
        return output
    if output == "xlsx" and args.out is None:
        return Message("--format xlsx needs --out FILE")
    if args.internal and args.member:
        return Message("--internal and --member cannot be used together")
    if args.internal and (args.pool or args.pool_categories):
        return Message(
            "--internal and --pool cannot be used together: the internal report pools nothing"
        )
    old = (_old_excel(sheet) for sheet in _sheets(args))
    return next((problem for problem in old if problem is not None), output)


def _year_of(args: argparse.Namespace, log: Any) -> int | Message:
    """``--year``, else the only year the log holds; or why there is none."""
    if args.year is not None:
        return int(args.year)
    years = sorted({int(y) for y in log.to_frame(copy=False)["date"].dt.year.unique()})
    if not years:
        return Message("the time log has no entries to report on")
    if len(years) > 1:
        return Message(
            "the time log has entries in several years ({years}); choose one with --year",
            years=", ".join(map(str, years)),
        )
    logger.info("no --year given: reporting on %d, the only year logged", years[0])
    return years[0]


def _span_of(args: argparse.Namespace, log: Any) -> dict[str, Any] | Message:
    """``period=`` (``--period``) or ``year=`` (``--year``, else the only year logged) for the
    report; or why there is none. A part-covered year is the report's own warning."""
    if args.period is not None:
        if args.year is not None:
            return Message("give --year or --period, not both")
        return {"period": args.period}
    year = _year_of(args, log)
    if isinstance(year, Message):
        return year
    return {"year": year}


def _report(args: argparse.Namespace) -> int:
    return _run(args, _annual_of)


def _compare(args: argparse.Namespace) -> int:
    """``compare``: as ``report``, for two years side by side (``compare_years``)."""
    return _run(args, _comparison_of)


def _run(args: argparse.Namespace, build: Callable[..., Any]) -> int:
    """The steps of ``report`` and ``compare``: refuse what cannot run, read the input, make
    the tables (``build``: them, or why not), warn, write."""
    output = _refused(args)
    if isinstance(output, Message):
        return _error(output, args.locale)
    team, log, cases, rejected = _inputs(args)
    if rejected is not None and not len(log):
        return _nothing_accepted(args, rejected)
    built = build(args, team, log, cases)
    if isinstance(built, Message):
        return _error(built, args.locale)
    _warn(built, args.locale)
    return _write(built, output, args, rejected)


def _annual_of(args: argparse.Namespace, team: Any, log: Any, cases: list[Any]) -> Any:
    """The annual report ``report`` asks for, or why there is none."""
    span = _span_of(args, log)
    if isinstance(span, Message):
        return span
    return annual_report(
        log,
        cases,
        team=team,
        **span,
        hours_per_fte=args.hours_per_fte,
        budget=args.budget,
        audience="internal" if args.internal else "member" if args.member else "published",
        member=None if args.internal else args.member,
        pool=args.pool,
        pool_categories=args.pool_categories,
    )


def _comparison_of(args: argparse.Namespace, team: Any, log: Any, cases: list[Any]) -> Any:
    """The comparison of the two years ``compare`` asks for."""
    return compare_years(
        log,
        cases,
        team=team,
        years=(args.years[0], args.years[1]),
        audience="internal" if args.internal else "member" if args.member else "published",
        member=None if args.internal else args.member,
        pool_years=args.pool_years,
        hours_per_fte=args.hours_per_fte,
        budget=args.budget,
        pool=args.pool,
        pool_categories=args.pool_categories,
    )


def _write(annual: Any, output: str, args: argparse.Namespace, rejected: Any) -> int:
    """The report (or comparison) to standard output or ``--out`` in the format asked for."""
    locale = args.locale
    if output == "xlsx":
        path = annual.to_excel(args.out, locale=locale, rejected=rejected)
    elif output == "csv":
        text = csv_safe(annual.to_tidy(locale), formulas=args.csv_formulas).to_csv(index=False)
    elif output == "json":
        text = json.dumps(annual.to_dict(locale), ensure_ascii=False, indent=1) + "\n"
    else:
        text = annual.to_text(locale, width=TEXT_WIDTH) + "\n"
    if output != "xlsx" and args.out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return EXIT_OK
    if output != "xlsx":
        path = args.out
        path.write_text(text, encoding="utf-8")
    done = Message.plural_of(
        "wrote {count} table to {path}",
        "wrote {count} tables to {path}",
        by="count",
        count=len(annual),
        path=str(path),
    )
    print(done.render(locale))
    return EXIT_OK


def _one_line(text: str) -> str:
    """A message on one line: its bullet points (``\n  - …``) joined with semicolons.

    >>> _one_line("feil i nope.csv:\n  - filen finnes ikke")
    'feil i nope.csv: filen finnes ikke'
    """
    first, *rest = text.splitlines() or [""]
    items = [line.strip().removeprefix("- ") for line in rest if line.strip()]
    return " ".join([first.strip(), "; ".join(items)]).strip()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module's docstring)."""
    given = list(sys.argv[1:] if argv is None else argv)
    args = _parser(_locale_of(given)).parse_args(given)
    run = {"db": _db, "import": _import, "due": _due, "compare": _compare}.get(
        args.command, _report
    )
    try:
        return run(args)
    except BrokenPipeError:
        # The reader (``head``) has what it wanted: end quietly, and keep Python's own flush at
        # exit from reporting the closed pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except (EttervernError, OSError) as error:
        text = error.message_in(args.locale) if isinstance(error, EttervernError) else str(error)
        print(_error_line(text, args.locale), file=sys.stderr)
        return EXIT_ERROR


def run() -> int:
    """The ``ettervern`` command and ``python -m ettervern``: ``main()`` in a process of its own.

    What the imports made (modules, functions, the register of municipalities) lives until the
    process ends, so it is moved out of the cyclic collector's reach first (``gc.freeze``): its
    full passes during a report went over all of it again and again, a tenth of the command's
    CPU time. ``main()`` itself, which tests call in a long-lived process, does not freeze.
    """
    gc.freeze()
    return main()


if __name__ == "__main__":
    sys.exit(run())
