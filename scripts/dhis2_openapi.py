"""Cut the tracker import's schemas out of DHIS2's OpenAPI document, for the tests.

DHIS2 serves its OpenAPI document at ``/api/openapi.json``. This keeps the request body of
``POST /api/tracker`` and every component it refers to, and nothing else, so that
``tests/io/test_dhis2.py`` checks the payload against DHIS2's own schemas (not tables copied by
hand). tests/io/data/dhis2-tracker-openapi.md says where the shipped copies come from.

Run: python scripts/dhis2_openapi.py OPENAPI_JSON OUT_JSON_GZ
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path
from typing import Any


def _refs(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def tracker_part(document: dict[str, Any]) -> dict[str, Any]:
    """The request body of ``POST /api/tracker`` and the components it needs."""
    body = document["paths"]["/api/tracker/"]["post"]["requestBody"]["content"]
    root = body["application/json"]["schema"]
    schemas = document["components"]["schemas"]
    kept: dict[str, Any] = {}
    todo = _refs(root)
    while todo:
        name = todo.pop()
        if name not in kept:
            kept[name] = schemas[name]
            todo |= _refs(schemas[name]) - set(kept)
    return {
        "openapi": document["openapi"],
        "info": document["info"],
        "x-cut-from": "paths./api/tracker/.post.requestBody and the components it refers to",
        "body": root,
        "components": {"schemas": dict(sorted(kept.items()))},
    }


def main() -> None:
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    raw = source.read_bytes()
    part = tracker_part(json.loads(raw))
    text = json.dumps(part, indent=1, sort_keys=True).encode("utf-8")
    target.write_bytes(gzip.compress(text, mtime=0))
    print(f"{source}: sha256 {hashlib.sha256(raw).hexdigest()}")
    print(f"wrote {target}: {len(part['components']['schemas'])} schemas")


if __name__ == "__main__":
    main()
