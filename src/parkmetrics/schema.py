"""JSON Schemas for the YAML files, generated from the pydantic models (one source of truth)."""
from __future__ import annotations

import json
from pathlib import Path

from .model import IndicatorsFile, ParksFile

SCHEMAS = {"parks.schema.json": ParksFile, "indicators.schema.json": IndicatorsFile}


def schema_text(model) -> str:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = folder / name
        path.write_text(schema_text(model), encoding="utf-8")
        written.append(path)
    return written
