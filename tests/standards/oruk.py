"""ORUK 3.0's own OpenAPI document and schemas (vendored in tests/standards/oruk-3.0), with
their remote ``$ref``s (raw.githubusercontent.com, unreachable here) rewritten to the local
copies, inlined under ``components/schemas``, so that jsonschema and schemathesis read the
spec exactly as ORUK wrote it otherwise. One slip of the document is mended: its
``start_time``/``end_time`` parameters say ``{"type": "time"}``, which is no JSON Schema type
(schemathesis refuses it), so they read ``{"type": "string", "format": "time"}``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "oruk-3.0"
REMOTE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"


def _load(name: str) -> dict[str, Any]:
    return json.loads((HERE / name).read_text())


def _local(name: str) -> str:
    return name.rsplit("/", 1)[-1]


@cache
def openapi() -> dict[str, Any]:
    """The spec, its remote refs pointing at ``#/components/schemas/<file>``."""
    text = (HERE / "openapi.json").read_text()
    names = sorted({_local(r.split('"')[0]) for r in text.split(REMOTE)[1:]})
    for name in names:
        local = name.removesuffix(".json")
        text = text.replace(REMOTE + "compiled/" + name, f"#/components/schemas/{local}")
        text = text.replace(REMOTE + name, f"#/components/schemas/{local}")
    spec = json.loads(text)
    for param in spec["components"]["parameters"].values():
        if param.get("schema") == {"type": "time"}:  # not a JSON Schema type: ORUK's slip
            param["schema"] = {"type": "string", "format": "time"}
    for name in names:
        schema = _load(name)
        schema.pop("$schema", None)
        schema.pop("$id", None)
        if name == "taxonomy.json":  # its one relative ref, to the term schema beside it
            schema["properties"]["taxonomy_terms"]["items"] = {
                "$ref": "#/components/schemas/taxonomy_term"
            }
        spec["components"]["schemas"][name.removesuffix(".json")] = schema
    spec["components"]["schemas"]["taxonomy_term"] = {
        k: v for k, v in _load("taxonomy_term.json").items() if k not in ("$schema", "$id")
    }
    return spec


def response_schema(path: str) -> dict[str, Any]:
    """The 200 schema of GET ``path`` (an ORUK path such as ``/services/{id}``), with the
    spec's components beside it so that its refs resolve."""
    spec = openapi()
    schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return {**schema, "components": spec["components"]}
