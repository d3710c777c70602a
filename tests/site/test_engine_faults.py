"""The eight faults of issue 16, each built as a small site of its own.

Every session of executed blocks runs in a worker process that starts clean; the build's
own process never runs page code (lrtutor_site/engine.py). Each test builds a tiny
``docs/`` folder with the site's own mkdocs.yml (nav dropped), so it checks the
configuration the site really uses, in a few seconds.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ..support.helpers import ROOT, project_env

pytestmark = pytest.mark.build


def tiny_project(root: Path, pages: dict[str, str]) -> Path:
    """A project with the site's mkdocs.yml (no nav) and the given pages."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?ms)^nav:\n.*?\n\n", "", config)
    docs = root / "docs"
    for folder in ("_hooks", "_overrides", "snippets"):
        if (ROOT / "docs" / folder).is_dir():
            shutil.copytree(ROOT / "docs" / folder, docs / folder,
                            ignore=shutil.ignore_patterns("__pycache__"))
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "lrtutor").symlink_to(ROOT / "lrtutor")  # mkdocs.yml watches it
    return root


def build(project: Path, site: Path, *extra: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**project_env(project), "LRTUTOR_CACHE": "0", **env}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site), *extra],
        cwd=project, env=environment, capture_output=True, text=True, timeout=300,
    )


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


# -- 1. process state does not leak from one page to another -------------------------

CHANGES_STATE = '''\
# {name}

```python exec="on" result="text" id="change-{name}"
import os
import matplotlib
import numpy as np
np.set_printoptions(precision=3)
matplotlib.rcParams["lines.linewidth"] = 9.0
os.environ["LRTUTOR_TEST_LEAK"] = "{name}"
print("changed")
```

```pycon id="console-change-{name}"
>>> import numpy as np
>>> np.set_printoptions(precision=2)

```
'''
READS_STATE = '''\
# Reads

```python exec="on" result="text" id="read"
import os
import matplotlib
import numpy as np
print(np.array([1 / 3, 2 / 3]))
print(matplotlib.rcParams["lines.linewidth"])
print(os.environ.get("LRTUTOR_TEST_LEAK", "unset"))
```

```pycon id="console-read"
>>> import numpy as np
>>> print(np.array([1 / 3, 2 / 3]))
[0.33333333 0.66666667]

```
'''


@pytest.mark.parametrize("workers", ["0", "1", "2"])
def test_process_state_does_not_leak_between_pages(tmp_path: Path, workers: str) -> None:
    project = tiny_project(tmp_path / "p", {
        "a.md": CHANGES_STATE.format(name="a"), "b.md": READS_STATE,
        "c.md": CHANGES_STATE.format(name="c"),
    })
    result = build(project, tmp_path / "site", LRTUTOR_WORKERS=workers)
    assert result.returncode == 0, result.stderr
    page = text_of((tmp_path / "site" / "b" / "index.html").read_text(encoding="utf-8"))
    assert "[0.33333333 0.66666667]\n1.5\nunset" in page


# -- 2. a worker killed mid-build is replaced and its session re-run ----------------

SLOW = '''\
# Slow

```python exec="on" result="text" id="slow"
import os, pathlib, time
marker = pathlib.Path(os.environ["LRTUTOR_TEST_PIDS"])
with marker.open("a") as out:
    out.write(f"{os.getpid()}\\n")
time.sleep(4)
print("slow block done")
```
'''


def test_killed_worker_is_replaced_and_its_session_rerun(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", {
        "a.md": "# First\n\nProse.\n", "z.md": SLOW,
    })
    pids = tmp_path / "pids"
    environment = {**project_env(project), "LRTUTOR_CACHE": "0", "LRTUTOR_WORKERS": "1",
                   "LRTUTOR_TEST_PIDS": str(pids)}
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-v", "-d",
         str(tmp_path / "site")],
        cwd=project, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not (pids.is_file() and pids.read_text().strip()):
        assert time.monotonic() < deadline and process.poll() is None, process.communicate()
        time.sleep(0.05)
    victim = int(pids.read_text().split()[0])
    assert victim != process.pid, "the block ran in the build's own process"
    os.kill(victim, signal.SIGKILL)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "slow block done" in (tmp_path / "site" / "z" / "index.html").read_text()
    assert len(pids.read_text().split()) == 2  # run once more, in a new worker
    assert re.search(r"INFO .*worker .*(died|killed).*re-?run", err), err
    assert "Exception in thread" not in err and "InvalidStateError" not in err


# -- 3. a build started from a script without a __main__ guard ----------------------

UNGUARDED = '''\
from mkdocs.commands.build import build
from mkdocs.config import load_config

build(load_config("mkdocs.yml", site_dir={site!r}, strict=True))
print("built once")
'''


def test_build_from_an_unguarded_script_works_or_says_what_to_add(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", {
        "a.md": READS_STATE, "b.md": CHANGES_STATE.format(name="b"),
    })
    site = tmp_path / "site"
    (project / "build.py").write_text(UNGUARDED.format(site=str(site)))
    result = subprocess.run(
        [sys.executable, "build.py"], cwd=project, capture_output=True, text=True,
        timeout=300, env={**project_env(project), "LRTUTOR_CACHE": "0",
                          "LRTUTOR_WORKERS": "2"},
    )
    # No second build in a worker (which spawn's re-import of the script would start).
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode == 0:
        assert result.stdout.count("built once") == 1, result.stdout
        assert "[0.33333333" in (site / "a" / "index.html").read_text()
    else:
        assert 'if __name__ == "__main__":' in result.stderr
        assert result.stderr.count("Building documentation") <= 1


# -- 4. objects defined in a block pickle ---------------------------------------------

PICKLES = '''\
# Pickles

```python exec="on" result="text" id="define" session="p"
import dataclasses
import pickle

def double(x):
    return 2 * x

@dataclasses.dataclass
class Point:
    x: float

print(pickle.loads(pickle.dumps(double))(21))
```

```python exec="on" result="text" id="use" session="p"
print(pickle.loads(pickle.dumps(Point(2.5))))
print(pickle.loads(pickle.dumps(double))(4))
```

```pycon id="console"
>>> import pickle
>>> def triple(x):
...     return 3 * x
>>> pickle.loads(pickle.dumps(triple))(2)
6

```
'''


def test_objects_defined_in_blocks_pickle(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", {"index.md": PICKLES})
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = text_of((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert "42" in page and "Point(x=2.5)" in page and "\n8" in page


# -- 5. the cache notices every distribution and data file a session reads -----------

DISTRIBUTION = "lrtutor-test-dist"
USES_DIST = '''\
# Uses a distribution

```python exec="on" result="text" id="dist"
import lrtutor_test_dist
from pathlib import Path
print("value", lrtutor_test_dist.VALUE)
print("data", (Path(lrtutor_test_dist.__file__).parent / "table.csv").read_text().strip())
```
'''


def install_fake_distribution(folder: Path, version: str, value: int, data: str) -> None:
    package = folder / "lrtutor_test_dist"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(f"VALUE = {value}\n")
    (package / "table.csv").write_text(data)
    for old in folder.glob("lrtutor_test_dist-*.dist-info"):
        shutil.rmtree(old)
    info = folder / f"lrtutor_test_dist-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {DISTRIBUTION}\nVersion: {version}\n")
    (info / "top_level.txt").write_text("lrtutor_test_dist\n")
    (info / "RECORD").write_text("")


def test_cache_notices_versions_and_data_files_the_session_reads(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", {"index.md": USES_DIST})
    installed = tmp_path / "installed"
    install_fake_distribution(installed, "1.0", 1, "a,1\n")
    environment = {**project_env(project), "LRTUTOR_CACHE": "1"}
    environment["PYTHONPATH"] = os.pathsep.join([str(installed), environment["PYTHONPATH"]])

    def shown(n: int) -> str:
        site = tmp_path / f"site{n}"
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
            cwd=project, env=environment, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return text_of((site / "index.html").read_text(encoding="utf-8"))

    assert "value 1" in shown(1) and "data a,1" in shown(2)  # the second from the cache
    install_fake_distribution(installed, "2.0", 2, "a,1\n")  # pip install -U
    assert "value 2" in shown(3)
    (installed / "lrtutor_test_dist" / "table.csv").write_text("a,2\n")  # a data file
    assert "data a,2" in shown(4)


# -- 6. a notebook cell writing to stderr fails the build ------------------------------

NOTEBOOK = '''\
# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Notebook

# %%
print("fine")

# %%
import numpy as np
np.exp(np.array([1000.0]))
'''


def test_notebook_cell_writing_to_stderr_fails_the_build(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", {"index.md": "# Home\n", "playground.py": NOTEBOOK})
    result = build(project, tmp_path / "site")
    assert result.returncode != 0, result.stderr
    log = result.stdout + result.stderr
    assert "playground.py" in log and re.search(r"cell 3\b", log), log
    assert "RuntimeWarning: overflow" in log


def test_notebook_cell_that_raises_stops_the_build_naming_page_and_cell(
    tmp_path: Path,
) -> None:
    """mkdocs-jupyter renders a raising cell (allow_errors); the build stops on it,
    with --strict or without."""
    notebook = NOTEBOOK.replace('print("fine")', 'raise ValueError("no such rate")')
    project = tiny_project(tmp_path / "p", {"index.md": "# Home\n", "playground.py": notebook})
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
        cwd=project, env={**project_env(project), "LRTUTOR_CACHE": "0"},
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0, result.stderr
    assert "docs/playground.py: notebook cell 2 raised ValueError: no such rate" \
        in result.stdout + result.stderr


# -- 7. an expected exception shows what the author wrote ------------------------------

EXPECTS_ERROR = '''\
# Raises

```pycon id="raises"
>>> from lrtutor import steps_to_tolerance, SQUARE
>>> steps_to_tolerance(SQUARE, 2.0, 0.1, tolerance=0.01)
Traceback (most recent call last):
    ...
TypeError: steps_to_tolerance() got an unexpected keyword argument 'tolerance'

```
'''


def test_expected_exception_shows_as_written_and_the_same_from_any_folder(
    tmp_path: Path,
) -> None:
    pages = []
    for folder in ("one", "two-elsewhere"):
        project = tiny_project(tmp_path / folder, {"index.md": EXPECTS_ERROR})
        result = build(project, tmp_path / folder / "site", SOURCE_DATE_EPOCH="1700000000")
        assert result.returncode == 0, result.stderr
        pages.append((tmp_path / folder / "site" / "index.html").read_bytes())
    assert pages[0] == pages[1]
    text = text_of(pages[0].decode())
    assert "Traceback (most recent call last):\n    ...\nTypeError" in text
    assert 'File "' not in text and str(tmp_path) not in text


# -- 8. the site's own failures fail the build at any verbosity -------------------------

RAISES = '''\
# Raises

Prose.

```python exec="on" result="text" id="broken"
print(1 / 0)
```
'''


@pytest.mark.parametrize("verbosity", ["-q", None, "-v"])
def test_raising_block_fails_a_strict_build_at_any_verbosity(
    tmp_path: Path, verbosity: str | None,
) -> None:
    project = tiny_project(tmp_path / "p", {"index.md": RAISES})
    result = build(project, tmp_path / "site", *filter(None, [verbosity]))
    assert result.returncode != 0
    assert "docs/index.md:5:" in result.stdout + result.stderr
