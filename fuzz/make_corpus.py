"""Write the seed corpus of each fuzz target from the bundled examples: ``fuzz/corpus/<target>/``.

Run: python fuzz/make_corpus.py   (the corpus is generated, not committed)
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import ettervern as e
from ettervern._data import data_path

HERE = Path(__file__).resolve().parent
PLANTED = "15038510190"


def seeds() -> dict[str, list[bytes]]:
    example = e.examples.salten_2020()
    team = example.team
    small = e.TimeLog.from_frame(example.log.to_frame().head(30), team=team)
    with tempfile.TemporaryDirectory() as folder:
        csv_bytes = e.write_timelog(small, Path(folder) / "log.csv").read_bytes()
        xlsx_bytes = e.write_timelog(small, Path(folder) / "log.xlsx").read_bytes()
        saved = e.write_team(team, Path(folder) / "team.toml").read_bytes()
    header = "Sak;Dato;Kommune;Hendelse;Tidsbruk\r\n"
    csv_seeds = [
        csv_bytes,
        csv_bytes.decode("utf-8-sig").encode("cp1252"),
        csv_bytes.decode("utf-8-sig").encode("utf-16"),
        (header + f"{PLANTED};21.01.2020;Fauske;1;1,5\r\n").encode(),
        (header + "01/20-FA;43851;Fauske;Kjøring;2 timer\r\n").encode(),
        b"Timeliste 2020\n\nSak,Dato,Kommune,Hendelse,Tidsbruk\n01/20-FA,2020-01-21,FA,2,1.5\n",
    ]
    messy = e.examples.salten_2020_messy_path().read_bytes()
    cases = [json.dumps([e.interchange.case_to_dict(c)]).encode() for c in example.cases[:8]]
    cases.append(e.cases_to_json(example.cases).encode())
    team_file = data_path("teams", "salten.toml").read_bytes()
    codes = [
        b"02/20-ST",
        b"100/21-FA",
        "1/99-RØD".encode(),
        PLANTED.encode() + b"/20-FA",
        b"Kari Nordmann",
    ]
    return {
        "timelog_csv": csv_seeds,
        "timelog_xlsx": [xlsx_bytes, messy],
        "case_json": cases,
        "team_toml": [team_file, saved],
        "case_code": codes,
    }


def main() -> None:
    for target, items in seeds().items():
        folder = HERE / "corpus" / target
        folder.mkdir(parents=True, exist_ok=True)
        for index, item in enumerate(items):
            (folder / f"seed-{index:02d}").write_bytes(item)
        print(f"{target}: {len(items)} seeds in {folder.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
