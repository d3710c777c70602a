"""The execution cache (lrtutor_site/cache.py) never serves a stale or broken result.

Each test builds a small project of its own with ``mkdocs build --strict`` and the
cache on (``LRTUTOR_CACHE=1``): the lrtutor plugin, a copy of lrtutor to edit, a page
with a console session and two figure-style ``python exec`` blocks that include
snippets (the second uses a name the first defines), a prose-only page, and a small
notebook. The cache keeps whole sessions (a session runs from its start in a clean
worker, so nothing is ever replayed); the plugin logs how many blocks it executed and
reused from the cache, and how many entries it rejected; mkdocs-jupyter logs whether
it converted (executed) the notebook. The tests compare those counts with what the
edit must cause, and the built pages with an uncached build of the same sources.
tests/site/test_engine_faults.py checks that a changed distribution version or data file
makes an entry stale.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..support.helpers import ROOT, mkdocs_build, project_env, stop
from ..support.serve import SERVE_ARGS, fetch, free_port

pytestmark = pytest.mark.build

CONFIG = """\
site_name: exec cache test
watch: [lrtutor]
exclude_docs: |
  snippets/
plugins:
  - markdown-exec
{notebook}  - lrtutor:
      cache: !ENV [LRTUTOR_CACHE, auto]
markdown_extensions:
  - pymdownx.snippets:
      base_path: [docs/snippets]
      check_paths: true
  - pymdownx.superfences
"""
NOTEBOOK_PLUGIN = """\
  - mkdocs-jupyter:
      include: [nb.py]
      execute: true
      allow_errors: true
      kernel_name: python3
      cache: false
      no_prompt: true
"""

PAGE = """\
# Blocks

Some prose.

```pycon id="define" session="blocks"
>>> from lrtutor import CUBIC
>>> x = CUBIC.slope(2.0)

```

```pycon id="show" session="blocks"
>>> print(x)
60.0

```

```python exec="on" html="on" id="fig-one" session="blocks-figures"
--8<-- "fig_one.py"
```

```python exec="on" html="on" id="fig-two" session="blocks-figures"
--8<-- "fig_two.py"
```
"""
FIG_ONE = 'from lrtutor import CUBIC\n\nbase = CUBIC.slope(1.0)\nprint(f"<p>one {base}</p>")\n'
FIG_TWO = 'print(f"<p>two {base * 10}</p>")\n'
NOTEBOOK = """\
# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %%
from lrtutor import CUBIC

print("notebook slope", CUBIC.slope(1.0))
"""
#: Blocks on the page: two console blocks, two figures, in two sessions (cache entries).
TOTAL = 4
SESSIONS = 2

_COUNTS = re.compile(
    r"exec cache: (\d+) blocks executed, (\d+) reused, (\d+) replayed, (\d+) entries rejected"
)


def make_project(root: Path, *, notebook: bool = False) -> Path:
    docs = root / "docs"
    shutil.copytree(ROOT / "lrtutor", root / "lrtutor",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (docs / "snippets").mkdir(parents=True)
    (docs / "snippets" / "fig_one.py").write_text(FIG_ONE)
    (docs / "snippets" / "fig_two.py").write_text(FIG_TWO)
    (docs / "index.md").write_text(PAGE)
    (docs / "prose.md").write_text("# Prose\n\nNo code here.\n")
    if notebook:
        (docs / "nb.py").write_text(NOTEBOOK)
    (root / "mkdocs.yml").write_text(CONFIG.format(notebook=NOTEBOOK_PLUGIN if notebook else ""))
    return root


class Project:
    def __init__(self, root: Path, *, notebook: bool = False) -> None:
        self.root = make_project(root / "project", notebook=notebook)
        self.sites = root / "sites"
        self.builds = 0
        self.log = ""

    def build(self, cache: str | None = "1") -> Path:
        """Build into a new folder; return it. ``cache=None`` leaves LRTUTOR_CACHE unset."""
        self.builds += 1
        site = self.sites / f"site-{self.builds}"
        env = project_env(self.root, SOURCE_DATE_EPOCH="1700000000")
        env.pop("LRTUTOR_CACHE", None)
        result = mkdocs_build(self.root, site, env={**env, "LRTUTOR_CACHE": cache or ""})
        self.log = result.stdout + result.stderr
        assert result.returncode == 0, self.log
        return site

    def counts(self) -> tuple[int, int, int, int]:
        """(executed, reused, replayed, rejected) of the last build (replayed: always 0)."""
        found = _COUNTS.findall(self.log)
        assert len(found) == 1, self.log
        return tuple(int(n) for n in found[0])  # type: ignore[return-value]

    def entries(self) -> list[Path]:
        return sorted((self.root / ".cache" / "lrtutor" / "blocks").glob("*/*/*.json"))

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (relative, old)
        path.write_text(text.replace(old, new), encoding="utf-8")


def text_of(site: Path, page: str = "index.html") -> str:
    return re.sub(r"<[^>]+>", " ", (site / page).read_text(encoding="utf-8"))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def test_prose_edit_reruns_nothing_and_serves_the_same_output(project: Project) -> None:
    first = project.build()
    assert project.counts() == (TOTAL, 0, 0, 0)
    assert len(project.entries()) == SESSIONS
    assert "one 15.0" in text_of(first) and "two 150.0" in text_of(first)

    project.edit("docs/index.md", "Some prose.", "Some other prose.")
    warm = project.build()
    assert project.counts() == (0, TOTAL, 0, 0)
    uncached = project.build(cache="0")
    assert _COUNTS.findall(project.log) == []  # the cache stood aside
    assert (warm / "index.html").read_bytes() == (uncached / "index.html").read_bytes()
    assert "Some other prose." in text_of(warm)


def test_snippet_change_reruns_its_session(project: Project) -> None:
    project.build()
    # The second figure changes: its session runs again from the start, in a new
    # worker (the first figure defines `base`); the console session is served.
    project.edit("docs/snippets/fig_two.py", "two {base * 10}", "two {base * 100}")
    site = project.build()
    assert project.counts() == (2, TOTAL - 2, 0, 0)
    assert "two 1500.0" in text_of(site)
    assert "one 15.0" in text_of(site)

    # The first figure changes: its session runs again.
    project.edit("docs/snippets/fig_one.py", "CUBIC.slope(1.0)", "CUBIC.slope(2.0)")
    site = project.build()
    assert project.counts() == (2, TOTAL - 2, 0, 0)
    assert "one 60.0" in text_of(site) and "two 6000.0" in text_of(site)


def test_console_block_change_reruns_its_session(project: Project) -> None:
    project.build()
    project.edit("docs/index.md", ">>> print(x)\n60.0", ">>> print(x + 1)\n61.0")
    site = project.build()
    assert project.counts() == (2, TOTAL - 2, 0, 0)
    assert "61.0" in text_of(site)


def test_lrtutor_change_reruns_every_block(project: Project) -> None:
    project.build()
    project.edit("lrtutor/losses.py", "lambda x: 15 * x**2,", "lambda x: 16 * x**2,")
    project.edit("docs/index.md", ">>> print(x)\n60.0", ">>> print(x)\n64.0")
    site = project.build()
    assert project.counts() == (TOTAL, 0, 0, 0)
    assert "one 16.0" in text_of(site) and "two 160.0" in text_of(site)

    # A change that alters no output (a comment) still re-runs every block.
    plots = project.root / "lrtutor" / "plots.py"
    plots.write_text(plots.read_text() + "\n# A comment.\n")
    project.build()
    assert project.counts() == (TOTAL, 0, 0, 0)


def test_corrupt_and_half_written_entries_are_rejected_and_rerun(project: Project) -> None:
    clean = project.build()
    entries = project.entries()
    assert len(entries) == SESSIONS
    half = entries[0].read_bytes()
    entries[0].write_bytes(half[: len(half) // 2])  # a build killed while writing
    entries[1].write_text("not json at all")  # garbage
    stray = entries[1].parent / ".tmp-killed.part"
    stray.write_text('{"format": 1')
    site = project.build()
    assert project.counts() == (TOTAL, 0, 0, SESSIONS)
    assert (site / "index.html").read_bytes() == (clean / "index.html").read_bytes()
    assert not stray.exists(), "a stray temporary file should be removed"

    entries = project.entries()
    assert len(entries) == SESSIONS
    entry = json.loads(entries[0].read_text())
    entry["result"] = entry["result"].replace('"stdout": "', '"stdout": "tampered ', 1)
    entries[0].write_text(json.dumps(entry))  # its SHA-256 no longer fits
    entries[1].write_bytes(b"")  # disk full: an empty file
    site = project.build()
    assert project.counts() == (TOTAL, 0, 0, SESSIONS)
    assert (site / "index.html").read_bytes() == (clean / "index.html").read_bytes()
    assert len(project.entries()) == SESSIONS
    project.build()
    assert project.counts() == (0, TOTAL, 0, 0)


def test_entries_of_another_lrtutor_version_are_never_used(project: Project) -> None:
    project.build()
    # An entry that says it came from another lrtutor version (all else intact).
    for path in project.entries():
        entry = json.loads(path.read_text())
        assert entry["lrtutor"] == "0.1.0"
        path.write_text(json.dumps({**entry, "lrtutor": "0.0.9"}))
    project.build()
    assert project.counts() == (TOTAL, 0, 0, SESSIONS)

    # A new version of lrtutor (its code otherwise the same) runs every block.
    project.edit("lrtutor/__init__.py", '__version__ = "0.1.0"', '__version__ = "0.1.1"')
    project.build()
    assert project.counts() == (TOTAL, 0, 0, 0)
    versions = [json.loads(path.read_text())["lrtutor"] for path in project.entries()]
    assert versions.count("0.1.1") == SESSIONS, versions


def test_plain_build_neither_reads_nor_writes_the_cache(project: Project) -> None:
    """``mkdocs build`` (CI, publishing) runs everything, whatever the cache holds."""
    project.build(cache=None)
    assert not (project.root / ".cache").exists()
    project.build()  # fill the cache, then poison one entry with a valid-looking result
    poisoned = 0
    for path in project.entries():
        entry = json.loads(path.read_text())
        if "two 150.0" in entry["result"]:
            entry["result"] = entry["result"].replace("two 150.0", "two POISON")
            entry["sha256"] = hashlib.sha256(entry["result"].encode()).hexdigest()
            path.write_text(json.dumps(entry))
            poisoned += 1
    assert poisoned == 1
    cached = project.build()
    assert "two POISON" in text_of(cached), "the poisoned entry should look valid"
    plain = project.build(cache=None)
    assert "two POISON" not in text_of(plain) and "two 150.0" in text_of(plain)


def test_notebook_cache_notices_lrtutor_and_broken_entries(tmp_path: Path) -> None:
    project = Project(tmp_path, notebook=True)
    converted = "Converting notebook (execute=True)"
    site = project.build()
    assert converted in project.log
    assert "notebook slope 15.0" in text_of(site, "nb/index.html")
    project.build()
    assert converted not in project.log and "Cache hit" in project.log

    folder = next((project.root / ".cache" / "lrtutor" / "notebook").iterdir())
    (entry,) = folder.glob("*.json")
    entry.write_text(entry.read_text()[:100])  # half-written
    site = project.build()
    assert converted in project.log
    assert "notebook slope 15.0" in text_of(site, "nb/index.html")

    project.edit("lrtutor/losses.py", "lambda x: 15 * x**2,", "lambda x: 16 * x**2,")
    project.edit("docs/index.md", ">>> print(x)\n60.0", ">>> print(x)\n64.0")
    site = project.build()
    assert converted in project.log
    assert "notebook slope 16.0" in text_of(site, "nb/index.html")


def test_dirty_serve_rebuilds_pages_whose_snippets_or_lrtutor_changed(tmp_path: Path) -> None:
    """Under ``mkdocs serve --dirty`` (the README's command) only changed pages are
    rebuilt; the plugin must count a page as changed when its snippet or lrtutor did."""
    project = Project(tmp_path, notebook=True)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", *SERVE_ARGS, "-a", f"127.0.0.1:{port}"],
            cwd=project.root, env=project_env(project.root), stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"

    def shows(text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while text not in (fetch(url) or ""):
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"{text!r} not served:\n{log.read_text()}"
            time.sleep(0.3)

    try:
        shows("two 150.0")
        notebook_entries = sorted((project.root / ".cache" / "lrtutor" / "notebook")
                                  .glob("*/*.json"))
        assert len(notebook_entries) == 1, log.read_text()
        # A prose edit of another page: the notebook is not rendered again, and its
        # cached output must survive (mkdocs-jupyter evicts entries a build did not read).
        project.edit("docs/prose.md", "No code here.", "Still no code here.")
        shows_page = f"{url}prose/"
        deadline = time.monotonic() + 60
        while "Still no code here." not in (fetch(shows_page) or ""):
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        assert all(entry.is_file() for entry in notebook_entries), log.read_text()
        project.edit("docs/snippets/fig_two.py", "two {base * 10}", "two {base * 100}")
        shows("two 1500.0", timeout=60)
        project.edit("lrtutor/losses.py", "lambda x: 15 * x**2,", "lambda x: 16 * x**2,")
        shows("two 1600.0", timeout=60)
        assert "one 16.0" in (fetch(url) or "")
    finally:
        stop(server)
    assert "exec cache:" in log.read_text(), "the cache should be on under serve"
