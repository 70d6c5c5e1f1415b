"""Write the case format's JSON Schema, generated from the attrs classes, where it is published.

Run: python scripts/case_schema.py   (writes src/ettervern/_data/schema/case.schema.json and
docs/assets/case.schema.json, and the StructureDefinitions of the FHIR extensions in
src/ettervern/_data/fhir/, and prints the fingerprint to record in
tests/io/case_schema_fingerprints.json under the current schema id's version)
"""

from __future__ import annotations

from pathlib import Path

import ettervern as e

ROOT = Path(__file__).resolve().parent.parent
TARGETS = (
    ROOT / "src" / "ettervern" / "_data" / "schema" / "case.schema.json",
    ROOT / "docs" / "assets" / "case.schema.json",
)


def main() -> None:
    text = e.interchange.case_schema_text()
    for target in TARGETS:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")
    from ettervern._io import _fhir_profiles

    for name, definition in _fhir_profiles.extension_definition_texts().items():
        target = ROOT / "src" / "ettervern" / "_data" / "fhir" / f"{name}.json"
        target.write_text(definition, encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")
    print(
        f"version {e.interchange.CASE_SCHEMA_ID.rsplit(':', 1)[1]}: {e.interchange.case_schema_fingerprint()}"
    )


if __name__ == "__main__":
    main()
