"""Render the chart and table the docs show, from the bundled example year.

Run: python scripts/render_docs_assets.py   (writes docs/assets/*.png and docs/assets/*.html)
"""

from __future__ import annotations

from pathlib import Path

import ettervern as e

ASSETS = Path(__file__).resolve().parent.parent / "docs" / "assets"


def main() -> None:
    ASSETS.mkdir(parents=True, exist_ok=True)
    example = e.examples.salten_2020()
    # The team's internal view: the follow-up chart shows case codes, so it is never published.
    annual = e.annual_report(
        example.log, example.cases, team=example.team, year=2020, audience="internal"
    )
    annual["all_categories"].plot().savefig(ASSETS / "hours_by_category.png", dpi=80)
    annual["follow_up_length"].plot().savefig(ASSETS / "follow_up_length.png", dpi=80)
    (ASSETS / "user_follow_up.html").write_text(
        annual["user_follow_up"].to_html() + "\n", encoding="utf-8"
    )
    print(f"wrote the docs assets to {ASSETS}")


if __name__ == "__main__":
    main()
