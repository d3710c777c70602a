"""The page checks of docs/conftest.py, loaded for tests that run them on changed text."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from sybil import Document, Sybil

from .helpers import ROOT

DOCS = ROOT / "docs"


def _load_doc_checks() -> ModuleType:
    """docs/conftest.py as a module of its own (pytest's copy is not importable)."""
    spec = importlib.util.spec_from_file_location("_lrtutor_doc_checks", DOCS / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECKS = _load_doc_checks()
SYBIL: Sybil = CHECKS.DOC_CHECKS


def checked_pages() -> list[Path]:
    """Every page under docs/ that the doc checks collect."""
    return sorted(
        path for path in DOCS.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and SYBIL.should_parse(path)
    )


def parse(text: str, path: Path) -> Document:
    """Parse ``text`` as the doc checks parse the file at ``path``."""
    document_type = SYBIL.document_types.get(path.suffix, SYBIL.default_document_type)
    document = document_type(text, str(path))
    for parser in SYBIL.parsers:
        for region in parser(document):
            document.add(region)
    return document


def start_namespace(document: Document) -> dict[str, Any]:
    if SYBIL.setup is not None:
        SYBIL.setup(document.namespace)
    return document.namespace
