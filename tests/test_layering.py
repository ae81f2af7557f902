"""Imports run one way: the UI and CLI never reach into the store, BM25 or the model."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "assure_qa"
ENGINE = {"dense", "sparse", "index", "retrieve", "fusion", "chunking", "ingest", "structure"}
HEAVY = {"chromadb", "sentence_transformers", "rank_bm25", "torch"}


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names.add(module.split(".")[0] if node.level == 0 else module.split(".")[0] or "")
            if node.level and not module:
                names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
    return names


def test_ui_and_app_use_only_the_facade() -> None:
    for path in (PACKAGE / "ui.py", PACKAGE / "ui_views.py", PACKAGE / "ui_documents.py", PACKAGE / "ui_ratings.py",
                 ROOT / "app.py", PACKAGE / "render.py"):
        found = imports(path)
        assert not found & (ENGINE | HEAVY), (path.name, found & (ENGINE | HEAVY))


def test_heavy_libraries_live_behind_one_door() -> None:
    for path in PACKAGE.glob("*.py"):
        found = imports(path) & {"chromadb", "sentence_transformers"}
        assert not found or path.name == "dense.py", path.name


def test_modules_stay_small() -> None:
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 320, path.name
