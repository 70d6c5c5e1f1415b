"""Define an aftercare team of your own, save it as TOML and read it back.

Run: python examples/define_team.py [OUT.toml]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import ettervern as e


def main(out: Path) -> None:
    team = e.Team(
        name="Ettervernsteamet i Jæren",
        host=e.municipality("Klepp"),
        members=[
            e.Membership(e.municipality("Klepp"), "KL"),
            e.Membership(e.municipality("Time"), "TI"),
            e.Membership(e.municipality("Hå"), "HÅ", since=dt.date(2019, 1, 1)),
        ],
        categories=e.teams.salten_categories(),
        staff_fte=3.0,
        follow_up_target=e.FollowUpTarget(6, 6),
        code_scheme=e.CodeScheme("{letters}-{yyyy}-{number}", number_width=3),
    )
    path = e.write_team(team, out)
    again = e.read_team(path)
    assert again == team
    print(path.read_text(encoding="utf-8"))
    print("next code in Hå:", again.next_case_code([], municipality="Hå", year=2026))


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "team.toml"
    main(target)
