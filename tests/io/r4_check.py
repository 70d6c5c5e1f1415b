"""Check FHIR bundles with the R4 (4.0.1) models of fhir.resources 6.x.

Run by tests/io/test_fhir_r4.py with the Python of a separate virtualenv
(.ci/r4-requirements.txt), since those models need pydantic 1: ``python r4_check.py
BUNDLE.json...`` prints, as JSON, the models' FHIR version and each file's errors (``[]`` when
it conforms). The imports are inside the functions, so that importing this file elsewhere
(pytest's doctest collection) needs neither.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def _errors(resource: dict[str, Any], path: str) -> list[str]:
    from fhir.resources import get_fhir_model_class
    from pydantic import ValidationError

    try:
        get_fhir_model_class(resource.get("resourceType")).parse_obj(resource)
    except ValidationError as exc:
        return [f"{path}.{'.'.join(map(str, d['loc']))}: {d['msg']}" for d in exc.errors()]
    except (KeyError, ValueError) as exc:
        return [f"{path}: {exc}"]
    return []


def check(bundle: dict[str, Any]) -> list[str]:
    """Each resource against its R4 model, then the Bundle around them."""
    found = []
    for index, entry in enumerate(bundle.get("entry", [])):
        found += _errors(entry.get("resource", {}), f"entry[{index}].resource")
    return found + _errors(bundle, "Bundle")


def main() -> None:
    import fhir.resources

    report: dict[str, Any] = {"fhir_version": fhir.resources.__fhir_version__, "files": {}}
    for name in sys.argv[1:]:
        with open(name, encoding="utf-8") as stream:
            report["files"][name] = check(json.load(stream))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
