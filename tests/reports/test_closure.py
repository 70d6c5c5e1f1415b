"""The closure summary of one case (issue 32): the facts of the avslutningsrapport."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given

import ettervern as e
from tests import strategies as s


def test_the_summary_of_a_salten_case_holds_its_facts() -> None:
    example = e.examples.salten_2020()
    case = next(c for c in example.cases if str(c.code) == "01/20-FA")
    case = case.reopen(on=dt.date(2020, 10, 1)).assign_staff("KB", on=dt.date(2020, 10, 1))
    case = case.assign_staff("AH", on=dt.date(2020, 10, 1))
    case = case.close(on=dt.date(2020, 11, 3), reason="completed", taken_over_by="nav")
    summary = e.closure_summary(case, example.log)
    assert summary.staff == ("KB", "AH")
    assert summary.closed == dt.date(2020, 11, 3)
    assert summary.three_month_check_due == dt.date(2021, 2, 3)
    assert summary.taken_over_by == "nav"
    assert summary.hours["user_follow_up"] == sum(
        entry.hours
        for entry in example.log.for_case("01/20-FA")
        if entry.category.key == "user_follow_up"
    )
    assert summary.intake["substance_use"] == 1
    data = summary.to_dict()
    assert json.loads(json.dumps(data)) == data
    text = summary.to_text("nb")
    assert text.startswith("Avslutningsoppsummering, sak 01/20-FA") and "KB, AH" in text
    assert "<h2>Closure summary, case 01/20-FA</h2>" in summary.to_html("en")


@given(s.cases())
def test_every_summary_is_json_safe_and_names_no_one(case: e.Case) -> None:
    summary = e.closure_summary(case)
    data = summary.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert summary.code in summary.to_text("en") and summary.code in summary.to_html("nn")
    if case.closed_on is None:
        assert summary.three_month_check_due is None


def test_the_draft_document_holds_the_facts_and_the_team_s_headings(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    example = e.examples.salten_2020()
    case = next(c for c in example.cases if str(c.code) == "01/20-FA")
    path = e.closure_summary(case, example.log).to_docx(tmp_path / "draft.docx", locale="nb")
    document = docx.Document(str(path))
    text = [p.text for p in document.paragraphs]
    assert text[0] == "Avslutningsoppsummering, sak 01/20-FA"
    assert "Brukerens egen evaluering" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Henvist" in cells and "13.01.2020" in cells
