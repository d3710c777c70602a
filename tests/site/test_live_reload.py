"""``mkdocs serve`` shows an author's edits: to a page, and to the lrtutor code.

A copy of the project (docs/, mkdocs.yml and a real copy of lrtutor/) is served on a
free port of 127.0.0.1, with the copy first on ``PYTHONPATH``. We edit the copy and
poll the served page until the edit shows: a sentence added to a page, then a change
to ``CUBIC``'s slope in ``lrtutor/losses.py``, which the page's console block then
prints (every session runs in a new worker forked from a fork server that is
restarted when lrtutor's sources change, and mkdocs.yml watches ``lrtutor/``), then a change to the caption in the page's figure
snippet. ``mkdocs serve`` runs as the README says authors run it: with its file
watching on (``--no-livereload`` would turn rebuilds off), ``--dirty`` (only changed
pages are rebuilt, so the lrtutor and snippet edits prove that
the lrtutor plugin, lrtutor_site/plugin.py, marks the pages that depend on them) and the execution cache
on (its default under ``serve``), so the edits also prove that the cache serves no
stale output.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ..support.helpers import copy_project, project_env, stop
from ..support.serve import SERVE_ARGS, fetch, free_port

pytestmark = pytest.mark.build

#: Longest wait for the first build, and for each rebuild to show.
START_TIMEOUT = 180.0
EDIT_TIMEOUT = 60.0


def wait_for(
    condition: Callable[[], bool], timeout: float, server: subprocess.Popen, log: Path
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if server.poll() is not None:
            pytest.fail(f"mkdocs serve exited ({server.returncode}):\n{log.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"nothing after {timeout:.0f} s; mkdocs serve said:\n{log.read_text()}")
        time.sleep(0.5)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen, Path]]:
    """(project copy, base URL, server process, its log) for a running ``mkdocs serve``."""
    project = copy_project(tmp_path / "project", copy_package=True)
    env = project_env(project)
    imported = subprocess.run(
        [sys.executable, "-c", "import lrtutor; print(lrtutor.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert Path(imported).parent == project / "lrtutor", imported
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", *SERVE_ARGS, "-a", f"127.0.0.1:{port}"],
            cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        yield project, f"http://127.0.0.1:{port}/", server, log
    finally:
        stop(server)


def test_serve_shows_edits_to_pages_and_to_lrtutor(
    served: tuple[Path, str, subprocess.Popen, Path],
) -> None:
    project, base, server, log = served
    url = base + "slope/"
    wait_for(lambda: (fetch(url) or "").find("(15.0, 60.0)") >= 0, START_TIMEOUT, server, log)

    # (a) An author adds a sentence to the page.
    page = project / "docs" / "slope.md"
    added = "A sentence added while the site was being served."
    page.write_text(page.read_text(encoding="utf-8") + f"\n{added}\n", encoding="utf-8")
    wait_for(lambda: added in (fetch(url) or ""), EDIT_TIMEOUT, server, log)
    # Under --dirty only this page was rendered again; its links into the API reference
    # must still resolve (mkdocs-autorefs knows only the anchors of pages it rendered).
    with urllib.request.urlopen(url, timeout=10) as response:
        markup = response.read().decode("utf-8")
    assert 'href="../reference/#lrtutor.losses.Loss"' in markup
    assert "Could not find cross-reference target" not in log.read_text()

    # (b) An author changes the code: CUBIC's slope 15*x**2 becomes 16*x**2. The page's
    # console block prints CUBIC.slope(1.0), CUBIC.slope(2.0): the served page must show
    # the new numbers (the block's check reports them as differing from the page).
    module = project / "lrtutor" / "losses.py"
    source = module.read_text(encoding="utf-8")
    assert source.count("lambda x: 15 * x**2,") == 1
    module.write_text(source.replace("lambda x: 15 * x**2,", "lambda x: 16 * x**2,"),
                      encoding="utf-8")
    wait_for(lambda: "(16.0, 64.0)" in (fetch(url) or ""), EDIT_TIMEOUT, server, log)
    assert added in (fetch(url) or "")
    assert (project / ".cache" / "lrtutor" / "blocks").is_dir(), "the cache should be on"

    # (c) An author edits the page's figure snippet (not the page): its caption shows.
    snippet = project / "docs" / "snippets" / "fig_tangents.py"
    source = snippet.read_text(encoding="utf-8")
    assert source.count("The steeper the curve") == 1
    snippet.write_text(source.replace("The steeper the curve", "The more the curve climbs"),
                       encoding="utf-8")
    wait_for(lambda: "The more the curve climbs" in (fetch(url) or ""), EDIT_TIMEOUT,
             server, log)
