"""Broken internal links and anchors fail the strict build, naming page and target.

mkdocs.yml turns link validation up to ``warn`` (MkDocs 1.6 ``validation``), which
``--strict`` makes fatal. We add broken links to a throwaway copy of a page and check
that the build fails and names each one, while a link to a heading that exists is
accepted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from markdown.extensions.toc import slugify

from ..support.helpers import ROOT, copy_project, mkdocs_build

pytestmark = pytest.mark.build


def test_link_validation_is_on() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    links = config["validation"]["links"]
    for check in ("not_found", "anchors"):
        assert links[check] == "warn", f"validation.links.{check} must be warn (strict: fatal)"


def test_broken_link_or_anchor_fails_the_strict_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    docs = project / "docs"
    home = docs / "index.md"
    other = next(p for p in sorted(docs.glob("*.md")) if p.name != "index.md")
    heading = re.search(r"^## (.+)$", other.read_text(encoding="utf-8"), re.M)
    assert heading, f"{other.name} has no second-level heading to link to"
    good = f"{other.name}#{slugify(heading[1].strip(), '-')}"
    broken = [
        "no-such-page.md",
        f"{other.name}#no-such-heading",
        "#no-such-anchor-here",
    ]
    links = "\n".join(f"- [link {i}]({target})" for i, target in enumerate([good, *broken]))
    home.write_text(home.read_text(encoding="utf-8") + f"\n{links}\n", encoding="utf-8")

    result = mkdocs_build(project, tmp_path / "site")
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    warnings = [line for line in log.splitlines() if line.startswith("WARNING")]
    for target in broken:
        assert any("index.md" in w and target in w for w in warnings), (target, warnings)
    assert not any(good in w for w in warnings), warnings
