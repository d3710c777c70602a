"""The execution step on its own (``python -m lrtutor_site execute``, lrtutor_site/execute.py):
every session run and checked in clean workers, failures named by page and line, and
results that a build with the cache on then only reads."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from lrtutor_site import execute

from ..support.helpers import ROOT, project_env
from .test_engine_faults import build, tiny_project

FAILING = '''\
# Failing

```python exec="on" id="divides" result="text"
print("about to divide")
print(1 / 0)
```

```pycon id="claims"
>>> 0.1 + 0.2
0.3

```

```python exec="on" id="warns" result="text"
import warnings
warnings.warn("odd rate", RuntimeWarning)
```
'''

CLEAN = '''\
# Clean

```python exec="on" id="first" session="s" result="text"
x = 20
print(x)
```

```python exec="on" id="second" session="s" result="text"
print(x + 1)
```

```pycon id="console"
>>> 2 + 2
4

```
'''


def run_step(project: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lrtutor_site", "execute", "-f", str(project / "mkdocs.yml"),
         *extra],
        cwd=project, env=project_env(project), capture_output=True, text=True, timeout=300,
    )


def test_the_site_configuration_is_read_without_mkdocs() -> None:
    site = execute.read_site(ROOT / "mkdocs.yml")
    assert site.docs_dir == ROOT / "docs"
    assert site.snippet_dirs == [str(ROOT / "docs" / "snippets")]
    assert "_hooks/" in site.exclude and "snippets/" in site.exclude
    assert site.workers >= 1


@pytest.mark.parametrize(
    ("path", "excluded"),
    [("index.md", False), ("_hooks/x.md", True), ("snippets/a/b.md", True),
     (".hidden.md", True), ("templates/t.md", True), ("conftest.py", True),
     ("deep/page.md", False)],
)
def test_pages_are_excluded_as_mkdocs_excludes_them(path: str, excluded: bool) -> None:
    patterns = ["_hooks/", "_overrides/", "snippets/", "conftest.py", "__pycache__/"]
    assert execute._excluded(path, patterns) is excluded


@pytest.mark.build
def test_the_step_fails_naming_page_and_line(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", {"index.md": FAILING})
    result = run_step(project, "--no-store")
    assert result.returncode == 1, result.stderr
    text = FAILING.splitlines()
    line = {name: next(i for i, t in enumerate(text, 1) if f'id="{name}"' in t)
            for name in ("divides", "claims", "warns")}
    log = result.stderr
    assert f"docs/index.md:{line['divides']}: python block 'divides' raised " \
           "ZeroDivisionError: division by zero" in log
    assert f'File "docs/index.md", line {line["divides"] + 2}' in log
    assert f"docs/index.md:{line['claims'] + 1}: console block 'claims' does not print" in log
    assert f"docs/index.md:{line['warns']}: python block 'warns' wrote to stderr" in log
    assert "RuntimeWarning: odd rate" in log
    assert "3 failure(s)" in log
    assert not (project / ".cache").exists()


@pytest.mark.build
def test_a_cached_build_after_the_step_only_reads_its_results(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", {"index.md": CLEAN})
    result = run_step(project)
    assert result.returncode == 0, result.stderr
    assert "3 blocks in 2 sessions" in result.stderr and "0 failure(s)" in result.stderr
    built = build(project, tmp_path / "site", LRTUTOR_CACHE="on")
    assert built.returncode == 0, built.stderr
    assert re.search(r"exec cache: 0 blocks executed, 3 reused", built.stderr), built.stderr
    page = re.sub(r"<[^>]+>", "", (tmp_path / "site" / "index.html").read_text("utf-8"))
    assert "21" in page and "&gt;&gt;&gt; 2 + 2" in page
