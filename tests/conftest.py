"""Shared fixtures (one strict build of the site per test session) and audience markers.

Every test carries the marker of its audience, from its folder: ``lrtutor`` (tests/lrtutor/,
package units), ``site`` (tests/site/, the build machinery), ``content`` (tests/content/ and
the page checks under docs/). ``pytest -m content`` runs one audience from anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .support.helpers import ROOT, mkdocs_build

#: Folder under tests/ (or the repository's top folder) -> audience marker.
AUDIENCES = {("tests", "lrtutor"): "lrtutor", ("tests", "site"): "site",
             ("tests", "content"): "content", ("docs",): "content"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        parts = item.path.relative_to(ROOT).parts
        for prefix, audience in AUDIENCES.items():
            if parts[: len(prefix)] == prefix:
                item.add_marker(audience)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(Path(__file__).resolve().parents[1], site)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")
    return site
