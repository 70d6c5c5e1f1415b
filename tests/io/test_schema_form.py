"""The case schema drives a form: RJSF (react-jsonschema-form) renders it with Norwegian labels.

The form is rendered server-side by node (``render_form.cjs``) with the packages ``.ci/run``
installs into ``.ci/node/node_modules`` (``npm ci``); without node or those packages the tests
skip, saying why.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import ettervern as e

d = dt.date
ROOT = Path(__file__).resolve().parents[2]
MODULES = ROOT / ".ci" / "node" / "node_modules"
SCRIPT = Path(__file__).with_name("render_form.cjs")

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (MODULES / "@rjsf" / "core").is_dir(),
    reason="needs node and the packages of .ci/node (cd .ci/node && npm ci), as .ci/run installs",
)


def _render(case: e.Case, tmp_path: Path) -> str:
    data = tmp_path / "case.json"
    data.write_text(json.dumps(e.interchange.case_to_dict(case)), encoding="utf-8")
    schema = tmp_path / "case.schema.json"
    schema.write_text(e.interchange.case_schema_text(), encoding="utf-8")
    result = subprocess.run(
        ["node", str(SCRIPT), str(schema), str(data)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env=os.environ | {"NODE_PATH": str(MODULES), "NODE_ENV": "production"},
    )
    return result.stdout


def _texts(markup: str, tag: str) -> set[str]:
    return {html.unescape(x).strip() for x in re.findall(rf"<{tag}[^>]*>([^<]+)<", markup)}


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> str:
    case = (
        e.Case.refer(
            "03/20-ST", on=d(2020, 3, 2), municipality="Steigen", birth_year=1988, gender="female"
        )
        .admit(on=d(2020, 3, 2), kind="prison")
        .accept(on=d(2020, 3, 4))
        .discharge(on=d(2020, 4, 1))
        .close(on=d(2020, 5, 20), reason="completed", outcome=e.Outcome(housing=3))
    )
    return _render(case, tmp_path_factory.mktemp("form"))


def test_the_fields_are_labelled_in_norwegian(form: str) -> None:
    labels = _texts(form, "label")
    assert {"Sakskode", "Kommune", "Fødselsår", "Kjønn", "Personpseudonym"} <= labels
    assert {"Type opphold", "Avslutningsårsak", "Boforhold"} <= labels
    assert not {"Case code", "Municipality", "Birth year", "code", "municipality"} & labels


def test_the_choices_are_labelled_in_norwegian(form: str) -> None:
    options = _texts(form, "option")
    assert {"Kvinne", "Mann", "Soning", "Rusbehandling (TSB)", "Fullført"} <= options
    assert {"Alvorlige problemer", "Noen problemer", "Ingen eller små problemer"} <= options
    assert not {"prison", "long_term_treatment", "Report Delivered", "On"} & options
