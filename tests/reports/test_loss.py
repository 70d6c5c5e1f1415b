"""Every published release reports its information loss on its outputs (issue 30): the text,
HTML and workbook covers and ``to_dict``, in nb, nn and en.

The oracle counts, apart from the suppression code, the hidden cells of each count table in
the published release whose value in the internal view is not zero.
"""

from __future__ import annotations

import math
from pathlib import Path

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
    share = e.language.format_share(loss.share_hidden, locale)
    assert f"{loss.hidden}" in words and f"{loss.cells}" in words and share in words
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

    one = InformationLoss(cells=1, hidden=1, primary=1, share_hidden=1.0, method="greedy")
    (_, words), *_ = loss_lines(one, [], "nb")
    assert words.startswith("1 av 1 celle skjult, 100,0 %") and "én og én" in words
    (_, nynorsk), *_ = loss_lines(one, [], "nn")
    assert nynorsk.startswith("1 av 1 celle skjult") and "så ho ikkje" in nynorsk
    many = InformationLoss(cells=4, hidden=2, primary=2, share_hidden=0.5, method="optimal")
    (_, english), *_ = loss_lines(many, [], "en")
    assert english.startswith("2 of 4 cells hidden, 50.0 %") and "HiGHS" in english
    assert not math.isnan(many.share_hidden)


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
