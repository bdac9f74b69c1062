"""The JSON Schema of scenario files, for editors (completion, inline checks)."""

from __future__ import annotations

from .schema import Scenario


def scenario_schema() -> dict:
    """JSON Schema (draft 2020-12) of what a scenario file may contain."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "indsim scenario"
    props = schema.setdefault("properties", {})
    props["extends"] = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                        "description": "Path of a parent scenario (or a list of them); this file states only what "
                                       "differs. Unit: file path.", "unit": "file path", "examples": ["baseline.yaml"]}
    props["name"]["description"] = "Short name; defaults to the file name. Unit: text."
    schema["required"] = [r for r in schema.get("required", []) if r != "name"]
    return schema
