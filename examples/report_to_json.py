"""For an integrator: a time sheet and a case file in, the annual report out as JSON.

Run: python examples/report_to_json.py [OUT.json] [--sheet timer.csv --cases saker.json --year 2020]

Without a sheet it uses the bundled example year, written to a temporary folder first, so the
script shows the whole round: files in, validated, reported, JSON out for a web front-end.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import ettervern as e


def report(sheet: Path, cases_file: Path, year: int, locale: str) -> dict[str, object]:
    team = e.teams.salten()
    result = e.read_timelog(sheet, team=team)
    if len(result.rejected):
        print(result.summary(locale))
        print(result.rejected_in(locale).to_string(index=False))
    cases = e.read_cases(cases_file, strict=True).accepted
    annual = e.annual_report(result.accepted, cases, team=team, year=year)
    data = annual.to_dict(locale)
    data["import"] = {
        "read": result.read,
        "accepted": len(result.accepted),
        "rejected": len(result.rejected),
    }
    return data


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", nargs="?", type=Path, default=Path("annual_report.json"))
    parser.add_argument("--sheet", type=Path)
    parser.add_argument("--cases", type=Path)
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--locale", default="nb")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sheet, cases = args.sheet, args.cases
        if sheet is None or cases is None:
            example = e.examples.salten_2020()
            sheet = e.write_timelog(example.log, Path(folder) / "timer.csv")
            cases = e.write_cases(example.cases, Path(folder) / "saker.json")
        data = report(sheet, cases, args.year, args.locale)
    out = args.out.with_suffix(".json")
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    driving = next(r for r in data["reports"] if r["key"] == "driving")  # type: ignore[index]
    print(
        f"wrote {len(data['reports'])} tables to {out}; driving total {driving['rows'][-1]['values'][-1]:g} hours"
    )  # type: ignore[index, arg-type]


if __name__ == "__main__":
    main()
