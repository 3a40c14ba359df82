"""docs/formats.md is generated from the code; it must say what the code does today."""

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "generate_format_docs.py"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_format_docs", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_formats_md_is_up_to_date() -> None:
    module = generator()
    assert module.TARGET.read_text(encoding="utf-8") == module.render(), (
        "docs/formats.md is out of date: run .venv/bin/python scripts/generate_format_docs.py"
    )
