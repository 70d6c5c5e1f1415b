"""The register's commands: ``db init``, ``import SHEET --db``, ``report --db``, ``due --db``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

import ettervern as e
from ettervern.__main__ import main
from ettervern.db import Register

SHEET = str(e.examples.salten_2020_messy_path())


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_init_import_report_and_due(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "db", "init", "--db", url, "--locale", "en")
    assert status == 0
    assert out.startswith("the register at ") and out.rstrip().endswith("schema revision 0007")

    cases = e.write_cases(e.examples.salten_2020().cases, tmp_path / "cases.json")
    argv = ("import", SHEET, "--db", url, "--cases", str(cases), "--user", "u-9")
    status, out, _ = _run(capsys, *argv)
    assert status == 0
    assert out.splitlines() == [
        "salten_2020_messy.xlsx: 618 føringer lagt til, 0 fantes allerede i registeret, 18 avvist",
        "16 saker lagt til, 0 fantes allerede i registeret",
    ]
    status, out, _ = _run(capsys, *argv, "--locale", "en")
    assert out.splitlines() == [
        "salten_2020_messy.xlsx: 0 entries added, 618 already in the register, 18 rejected",
        "0 cases added, 16 already in the register",
    ]

    status, out, _ = _run(capsys, "report", "--db", url)
    totals = [line.split()[-1] for line in out.splitlines() if line.startswith("Totalsum")]
    assert status == 0
    # published: user follow-up (529 h) less one member's own is too few cases, so hidden
    assert {":", "137", "200"} <= set(totals) and "529" not in totals
    status, out, _ = _run(capsys, "report", "--db", url, "--internal")
    totals = [line.split()[-1] for line in out.splitlines() if line.startswith("Totalsum")]
    assert status == 0
    assert {"529", "137", "200"} <= set(totals)

    status, out, _ = _run(capsys, "due", "--db", url, "--on", "2020-06-01", "--locale", "en")
    assert status == 0
    assert "01/20-FA" in out
    assert "End of follow-up target" in out
    status, out, _ = _run(capsys, "due", "--db", url, "--on", "2019-01-01", "--within", "7")
    assert out.strip() == "ingenting har frist 01.01.2019"

    with Register(url, user="u-1") as register:
        assert {r.user for r in register.access_log()} == {"u-9"}


def test_the_register_commands_take_a_team_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = e.write_team(e.teams.salten(), tmp_path / "team.toml")
    db = str(tmp_path / "r.db")
    status, out, _ = _run(capsys, "import", SHEET, "--db", db, "--team", str(team))
    assert status == 0
    assert "618" in out
    status, out, _ = _run(capsys, "due", "--db", db, "--team", str(team), "--on", "2020-06-01")
    assert status == 0


def test_register_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(
        capsys, "import", SHEET, "--db", str(tmp_path / "r.db"), "--user", "Kari Nordmann"
    )
    assert status == 2
    assert err.startswith("ettervern: feil: «user» må være en pseudonym id")
    assert len(err.splitlines()) == 1
    status, _, err = _run(capsys, "due", "--db", "mysql://x@y/z", "--on", "2020-01-01")
    assert status == 2
    assert "SQLite eller PostgreSQL" in err


def test_the_key_comes_from_a_file_never_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ETTERVERN_REGISTER_KEY", raising=False)
    key = e.privacy.make_pseudonym_key()
    key_file = tmp_path / "register.key"
    key_file.write_text(key + "\n", encoding="utf-8")  # as `echo` or an editor writes it
    target = str(tmp_path / "keyed.db")
    status, _, _ = _run(capsys, "db", "init", "--db", target, "--key-file", str(key_file))
    assert status == 0
    with Register(target, user="u-1", key=key) as register:  # keyed with the file's key
        assert register.verify().ok
        register.add_team(e.teams.salten())
    with pytest.raises(e.errors.ConfigError):
        Register(target, user="u-1")  # a keyed register refuses to open without its key

    other = tmp_path / "other.key"
    other.write_text(e.privacy.make_pseudonym_key(), encoding="utf-8")
    for argv in (("--key-file", str(other)), ()):
        status, out, err = _run(capsys, "due", "--db", target, "--on", "2020-06-01", *argv)
        assert status == 2 and key not in out + err

    missing = tmp_path / "nowhere.key"
    status, _, err = _run(capsys, "db", "init", "--db", target, "--key-file", str(missing))
    assert status == 2 and "nowhere.key" in err
    status, out, err = _run(
        capsys,
        "due",
        "--db",
        target,
        "--on",
        "2020-06-01",
        "--key-file",
        str(key_file),
        "--locale",
        "en",
    )
    assert status == 0 and key not in out + err
    with pytest.raises(SystemExit):
        main(["db", "--help"])
    assert "--key-file" in capsys.readouterr().out


def _with_staff(case: e.Case) -> e.Case:
    """``case`` with KB its coordinator from acceptance, the event put in its place."""
    data = e.interchange.case_to_dict(case)
    events = data["events"]
    at = next(i for i, x in enumerate(events) if x["event"] == "acceptance") + 1
    day = events[at - 1]["on"]
    events.insert(at, {"event": "staff_assigned", "on": day, "staff": "KB", "coordinator": True})
    return e.interchange.case_from_dict(data)


def _jaeren_register(path: Path) -> tuple[str, e.examples.Example]:
    """A register holding Jæren 2019 (its cases, one with staff, and its log)."""
    example = e.examples.jaeren_2019()
    cases = [_with_staff(c) if str(c.code) == "TI-2019-001" else c for c in example.cases]
    db = str(path / "j.db")
    with Register(db, user="u-1") as register:
        register.add_team(example.team)
        register.add_cases(cases, team=example.team)
        register.add_entries(example.log, source="jaeren_2019")
    return db, attrs.evolve(example, cases=tuple(cases))


def _codes(out: str, word: str) -> set[str]:
    """The case codes of the printed lines that carry ``word`` (a milestone's words)."""
    return {line.split()[0] for line in out.splitlines() if word in line}


def test_due_takes_staff_contacts_decisions_and_groups(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, example = _jaeren_register(tmp_path)
    on = ("--db", db, "--on", "2019-04-01", "--locale", "en")
    gap, decision = "No contact", "Decision"
    _, out, _ = _run(capsys, "due", *on)
    assert not _codes(out, gap) and _codes(out, decision) == {"TI-2019-002"}  # by the team
    _, out, _ = _run(capsys, "due", *on, "--contacts")
    assert _codes(out, gap) == {"TI-2019-001"}  # the log alone: no contact for 14 days
    _, out, _ = _run(capsys, "due", *on, "--contact-gap", "400")
    assert not _codes(out, gap)
    _, out, _ = _run(capsys, "due", *on, "--within", "30")
    assert _codes(out, decision) == {"TI-2019-002"}
    _, out, _ = _run(capsys, "due", *on, "--within", "30", "--decision-days", "300")
    assert not _codes(out, decision)  # due 300 days after the referral: beyond 30 days
    groups = e.interchange.write_group_sessions(example.groups, tmp_path / "groups.csv")
    _, out, err = _run(capsys, "due", *on, "--groups", str(groups))
    assert not _codes(out, gap)  # coming to the group is contact
    assert "accepted" in err
    with Register(db, user="u-1") as register:  # the same sessions stored in the register
        register.add_group_sessions(example.groups, team=example.team)
    _, out, _ = _run(capsys, "due", *on, "--contacts")
    assert not _codes(out, gap)
    _, out, _ = _run(capsys, "due", *on, "--staff", "KB")
    assert {line.split()[0] for line in out.splitlines()[1:]} == {"TI-2019-001"}
    assert "Coordinator" in out.splitlines()[0]
    # the oracle: the Python due list, given the same
    python = e.due_list(example.cases, on=dt.date(2019, 4, 1), team=example.team, staff="KB")
    assert len(out.splitlines()) - 1 == len(python)


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_the_due_options_are_explained_in_each_language(
    locale: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["due", "--help", "--locale", locale])
    out = capsys.readouterr().out
    for option in ("--staff", "--contacts", "--contact-gap", "--decision-days", "--groups"):
        assert option in out
    words = {"nb": "ansatte", "nn": "tilsette", "en": "member of staff"}
    assert words[locale] in out
