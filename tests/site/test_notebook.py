"""The playground notebook page: executed at build time, light, offline, downloadable,
and a failing cell fails the build naming the notebook and the cell."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jupytext
import pytest

from ..support.helpers import copy_project, mkdocs_build, project_env

pytestmark = pytest.mark.build

PAGE = "playground/index.html"
SOURCE = "docs/playground.py"
#: What the "Pick a learning rate" cell prints at rate 0.25 from x = 2.
PRINTED = ["x after 20 steps: 1.90735e-06", "steps until |x| < 0.01: 8"]
#: Tags whose src/href the browser fetches as the page loads.
_FETCHED = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*?\bsrc=\"([^\"]*)\""
    r"|<link\b(?=[^>]*\brel=\"(?:stylesheet|preload|modulepreload|icon|manifest)\")"
    r"[^>]*?\bhref=\"([^\"]*)\""
    r"|@import\s+(?:url\()?[\"']?([^\"')\s;]+)"
    r"|url\([\"']?(https?:[^\"')]+)"
)


def _raw(site: Path) -> str:
    return (site / PAGE).read_text(encoding="utf-8")


def test_page_weighs_at_most_150_kb(built_site: Path) -> None:
    size = (built_site / PAGE).stat().st_size
    assert size <= 150 * 1024, f"{PAGE} is {size / 1024:.0f} KB"
    raw = _raw(built_site)
    assert "--jp-" not in raw, "JupyterLab's stylesheet is inlined again"


def test_page_shows_outputs_of_this_build(built_site: Path) -> None:
    raw = _raw(built_site)
    text = html.unescape(re.sub(r"<[^>]+>", "", raw))
    for printed in PRINTED:
        assert printed in text, f"{PAGE} lacks the executed output {printed!r}"
    # The figure cell's output: lrtutor's inline SVG with a text alternative (nbconvert
    # re-serialises the HTML, so attributes come in any order).
    # Two panels (fixed rates, a schedule), each with its own text alternative.
    assert re.search(r'<figure\b[^>]*\bid="fig-playground"', raw), "no figure fig-playground"
    svgs = re.findall(r'<svg\b[^>]*\bid="fig-playground-[a-z]+"[^>]*>', raw)
    assert len(svgs) == 2, f"{PAGE} lacks the panels of fig-playground"
    for svg in svgs:
        label = re.search(r'\baria-label="([^"]+)"', svg)
        assert label and "x against step" in label[1]
    ids = re.findall(r'\bid="([^"]+)"', raw)
    assert len(ids) == len(set(ids)), f"{PAGE} repeats ids"


def test_page_fetches_nothing_from_other_hosts(built_site: Path) -> None:
    raw = _raw(built_site)
    fetched = [next(filter(None, m.groups())) for m in _FETCHED.finditer(raw)]
    assert fetched, "the pattern should at least find the theme's own scripts"
    outside = [url for url in fetched if re.match(r"(?:[a-z]+:)?//", url)]
    assert not outside, f"{PAGE} loads {outside}"
    for cdn in ("cdnjs", "jsdelivr", "mathjax", "mermaid", "require.js", "unpkg"):
        assert cdn not in raw.lower(), f"{PAGE} mentions {cdn}"


def test_notebook_downloads_as_ipynb(built_site: Path) -> None:
    raw = _raw(built_site)
    link = re.search(r'<a href="([^"]+\.ipynb)" download\b[^>]*title="([^"]+)"', raw)
    assert link, f"{PAGE} has no download link to an .ipynb"
    assert "Download" in link[2]
    target = (built_site / PAGE).parent / link[1]
    assert target.is_file(), f"the download link points to a missing {target}"
    notebook = json.loads(target.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    code = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert any("run_gradient_descent(SQUARE, start, learning_rate" in source for source in code)
    assert all(cell["id"] for cell in notebook["cells"])


def test_failing_cell_fails_build_naming_notebook_and_cell(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    notebook = project / SOURCE
    cell = 'broken_rate = 0.25\nraise RuntimeError(f"deliberately broken at {broken_rate}")'
    notebook.write_text(notebook.read_text() + f"\n# %%\n{cell}\n")
    number = len(jupytext.read(notebook).cells)  # the new cell is the last
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert (f"docs/playground.py: notebook cell {number} raised RuntimeError: "
            "deliberately broken at 0.25") in log, log


def test_notebook_runs_the_current_lrtutor(tmp_path: Path) -> None:
    """No cached page survives a change to lrtutor, with the execution cache on.

    mkdocs-jupyter's own cache key ignores lrtutor; lrtutor_site/cache.py gives it a
    folder per version of lrtutor's sources (tests/site/test_exec_cache.py tests it further).
    """
    project = copy_project(tmp_path / "project", copy_package=True)
    env = project_env(project, LRTUTOR_CACHE="1")
    first = mkdocs_build(project, tmp_path / "site", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    colour = "#123456"
    assert colour not in (tmp_path / "site" / PAGE).read_text()
    plots = project / "lrtutor" / "plots.py"
    plots.write_text(plots.read_text() + f"\nPALETTE = ({colour!r},) * 7\n")
    second = mkdocs_build(project, tmp_path / "site", env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert colour in (tmp_path / "site" / PAGE).read_text(), "the page shows the old lrtutor"
    assert "Converting notebook (execute=True)" in second.stdout + second.stderr
