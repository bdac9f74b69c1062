"""The JSON Schema of scenario files, for editors (completion, inline checks)."""

from __future__ import annotations

from .schema import Scenario


def scenario_schema() -> dict:
    """JSON Schema (draft 2020-12) of what a scenario file may contain."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "indsim scenario"
    props = schema.setdefault("properties", {})
    props["extends"] = {"type": "string",
                        "description": "Path of a parent scenario; this file states only what differs."}
    props["name"]["description"] = "Defaults to the file name."
    schema["required"] = [r for r in schema.get("required", []) if r != "name"]
    return schema
