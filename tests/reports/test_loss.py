"""Every published release reports its information loss on its outputs (issue 30): the text,
HTML and workbook covers and ``to_dict``, in nb, nn and en.

The oracle counts, apart from the suppression code, the hidden cells of each count table in
the published release whose value in the internal view is not zero.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import ettervern as e

COVER_LABEL = {"nb": "Informasjonstap", "nn": "Informasjonstap", "en": "Information loss"}


def _hidden_by_hand(annual: e.AnnualReport, internal: e.AnnualReport, key: str) -> int:
    shown, full = annual[key], internal[key]
    return sum(1 for row, column in shown.suppressed if full.value(row, column) > 0)


def test_the_loss_as_data_counts_the_hidden_cells(
    annual: e.AnnualReport, internal: e.AnnualReport
) -> None:
    loss = annual.to_dict("en")["loss"]
    assert loss["method"] in ("optimal", "greedy") and 0 < loss["hidden"] <= loss["cells"]
    assert loss["primary"] <= loss["hidden"] and 0 < loss["share_hidden"] < 1
    keys = set(annual.keys())
    counted = [k for k in loss["tables"] if k in keys and annual[k].unit in ("cases", "people")]
    assert len(counted) >= 5
    for key in counted:
        assert loss["tables"][key]["hidden"] == _hidden_by_hand(annual, internal, key), key
    assert sum(t["hidden"] for t in loss["tables"].values()) == loss["hidden"]
    assert internal.to_dict("en")["loss"] is None and internal.loss_in("nb") == []


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_the_covers_name_the_loss_in_each_language(annual: e.AnnualReport, locale: str) -> None:
    loss = annual.loss
    assert loss is not None
    lines = annual.loss_in(locale)
    what, words = lines[0]
    assert what == COVER_LABEL[locale]
    assert f"{loss.hidden}" in words and f"{loss.cells}" in words
    assert set(loss.shares) == {"counts", "hours", "entries"}  # Salten logs all three
    for share in loss.shares.values():  # one share per unit, written the language's way
        assert e.language.format_share(share, locale) in words
    unit = {"nb": "av timene", "nn": "av timane", "en": "of the hours"}[locale]
    assert f"{e.language.format_share(loss.shares['hours'], locale)} {unit}" in words
    assert {"nb": "Metode", "nn": "Metode", "en": "Method"}[locale] in words
    tables = [w for w, _ in lines[1:]]
    hidden_tables = [k for k, t in loss.tables.items() if t.hidden]
    assert len(tables) >= len(hidden_tables)  # one line per table that hides cells, then proposals
    text = annual.to_text(locale)
    assert f"{what}: {words}" in text and text.index(what) < text.index(annual[0].title_in(locale))
    assert '<ul class="loss">' in annual.to_html(locale)


def test_a_single_hidden_cell_reads_in_the_singular() -> None:
    """The plural forms come from each language's catalog: one cell, several cells."""
    from ettervern._reports._disclosure import InformationLoss
    from ettervern._reports._loss import loss_lines

    one = InformationLoss(
        cells=1, hidden=1, primary=1, share_hidden=1.0, method="greedy", shares={"counts": 1.0}
    )
    (_, words), *_ = loss_lines(one, [], "nb")
    assert words.startswith("1 av 1 celle skjult; andel skjult, summene holdt utenfor: 100,0 %")
    assert "100,0 % av antallene." in words and "én og én" in words
    (_, nynorsk), *_ = loss_lines(one, [], "nn")
    assert nynorsk.startswith("1 av 1 celle skjult") and "så ho ikkje" in nynorsk
    shares = {"counts": 0.25, "hours": 0.5}
    many = InformationLoss(
        cells=4, hidden=2, primary=2, share_hidden=0.5, method="optimal", shares=shares
    )
    (_, english), *_ = loss_lines(many, [], "en")
    assert english.startswith(
        "2 of 4 cells hidden; share hidden, totals left out: 25.0 % of the counts, "
        "50.0 % of the hours."
    )
    assert "HiGHS" in english
    assert not math.isnan(many.share_hidden)


def _inner_hours(report: e.Report) -> dict[tuple[str, str], float]:
    frame = report.to_frame(labels=False)
    return {
        (str(r), str(c)): float(frame.loc[r, c])
        for r in frame.index
        for c in frame.columns
        if "Total" not in (str(r), str(c)) and not pd.isna(frame.loc[r, c]) and frame.loc[r, c]
    }


def test_the_share_of_hours_hidden_leaves_the_totals_out(
    annual: e.AnnualReport, internal: e.AnnualReport
) -> None:
    """By hand: of the inner cells of the protected hours tables (no Total row or column, so
    nothing counts twice), the hours hidden over all hours; counts are not added to hours."""
    loss = annual.loss
    assert loss is not None
    hidden = total = 0.0
    for report in annual:
        if report.unit != "hours" or report.suppression is None or report.key not in loss.tables:
            continue
        for (row, column), value in _inner_hours(internal[report.key]).items():
            total += value
            hidden += value * ((row, column) in report.suppressed)
    assert total > 0
    assert loss.shares["hours"] == pytest.approx(hidden / total)
    assert annual.to_dict("en")["loss"]["shares"]["hours"] == pytest.approx(hidden / total)


def test_the_rows_pooled_by_the_rule_for_members_hours_count_in_the_loss(
    annual: e.AnnualReport,
) -> None:
    """Cost sharing prints hours per member outside the model: the members whose hours come
    from too few cases are pooled after protection, and those cells are lost too."""
    rows = set(annual["cost_sharing"].row_order)
    assert "Other members" in rows
    assert annual.loss is not None
    part = annual.loss.tables["cost_sharing"]
    assert 0 < part.hidden <= part.cells
    assert sum(t.hidden for t in annual.loss.tables.values()) == annual.loss.hidden


def test_the_workbook_cover_lists_the_loss(annual: e.AnnualReport, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(annual.to_excel(tmp_path / "r.xlsx", "nn"))
    cover = book.worksheets[0]
    rows = {c[0].value: c[1].value for c in cover.iter_rows(max_col=2) if c[0].value}
    assert rows[COVER_LABEL["nn"]] == annual.loss_in("nn")[0][1]
    for what, words in annual.loss_in("nn")[1:]:
        if what in rows and words in rows.values():
            break
    else:
        pytest.fail("no table's loss on the cover")
