"""The FHIR bundles against FHIR R4 (4.0.1) proper: fhir.resources 6.4.0's R4 models.

They check required elements, cardinality, data types and formats, not value sets nor unknown
elements: a wrong ``status`` code passes them (HL7's R4 JSON schema catches it, in
``test_fhir.py``). fhir.resources 8 (the ``fhir`` extra) ships R5 and R4B only; its R4 models
need pydantic 1, which cannot live beside the package's pydantic 2. So ``.ci/run`` installs them
into a virtualenv of their own (``.ci/r4-requirements.txt``) and these tests run
``r4_check.py`` with its Python, found at ``$ETTERVERN_R4_PYTHON`` or ``.venv-r4/bin/python``;
without it they skip, saying why."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

import ettervern as e
from tests.io.test_fhir_team import _staffed

ROOT = Path(__file__).resolve().parents[2]
CHECKER = Path(__file__).with_name("r4_check.py")


def _r4_python() -> Path | None:
    named = os.environ.get("ETTERVERN_R4_PYTHON")
    path = Path(named) if named else ROOT / ".venv-r4" / "bin" / "python"
    return path if path.exists() else None


pytestmark = pytest.mark.skipif(
    _r4_python() is None,
    reason="no R4 virtualenv: .ci/run makes .venv-r4 from .ci/r4-requirements.txt "
    "(or set ETTERVERN_R4_PYTHON)",
)


def _r4_check(bundles: dict[str, dict[str, Any]], tmp_path: Path) -> dict[str, list[str]]:
    paths = {}
    for name, bundle in bundles.items():
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(json.dumps(bundle), encoding="utf-8")
    python = _r4_python()
    assert python is not None
    result = subprocess.run(
        [str(python), str(CHECKER), *map(str, paths.values())],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    report = json.loads(result.stdout)
    assert report["fhir_version"] == "4.0.1"
    return {name: report["files"][str(path)] for name, path in paths.items()}


def test_the_example_years_conform_to_r4(tmp_path: Path) -> None:
    bundles = {}
    for name in ("salten", "jaeren", "integrated"):
        example = e.examples.example(name)
        bundles[name] = e.interchange.to_fhir(example.cases, team=example.team)
    bundles["salten-template"] = e.interchange.to_fhir(
        e.examples.salten_2020().cases, team=e.teams.salten(), template="salten"
    )
    bundles["staffed"] = e.interchange.to_fhir([_staffed()], team=e.teams.salten())
    assert _r4_check(bundles, tmp_path) == {key: [] for key in bundles}


def test_the_r4_models_do_catch_errors(tmp_path: Path) -> None:
    bundle = e.interchange.to_fhir([_staffed()], team=e.teams.salten())
    task = next(x["resource"] for x in bundle["entry"] if x["resource"]["resourceType"] == "Task")
    del task["intent"]  # required in R4
    team = next(
        x["resource"] for x in bundle["entry"] if x["resource"]["resourceType"] == "CareTeam"
    )
    team["participant"][0]["role"] = {"text": "one, where R4 has a list"}
    (errors,) = _r4_check({"bad": bundle}, tmp_path).values()
    assert any("intent" in x for x in errors)
    assert any("participant.0.role" in x for x in errors)
