"""Every session runs in a clean worker process (lrtutor_site/engine.py).

These tests drive the engine directly with real worker processes, and the plugin's
reading of its results (``LrtutorPlugin._outcome``) without a site build:
tests/site/test_reproducible.py builds the whole site with one worker and with several and
compares the bytes, tests/site/test_engine_faults.py builds small sites for the faults of
issue 16 (a real SIGKILL among them), and the failing-block tests of
tests/content/test_authoring.py run through the same engine.
"""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from lrtutor_site import blocks as lrtutor_blocks
from lrtutor_site import engine
from lrtutor_site.engine import Engine, Job
from lrtutor_site.plugin import LrtutorPlugin, _Build, _Page, _Session

from ..support.helpers import ROOT, mkdocs_build


def job(block_id: str, code: str) -> Job:
    """A python block of page.md."""
    return Job(block_id, textwrap.dedent(code), f"<test {block_id}>", 1,
               engine.module_name("page.md", block_id))


@pytest.fixture
def pool() -> Iterator[Engine]:
    made = Engine(1, timeout=60)
    yield made
    made.close()


def stdouts(result: engine.SessionResult) -> list[str]:
    return [outcome.stdout for outcome in result.outcomes]


@pytest.mark.parametrize(
    ("setting", "cpus", "expected"),
    [("0", 8, 1), ("1", 8, 1), ("2", 1, 2), (" 3 ", 2, 3), (None, 1, 1), ("", 2, 2),
     (None, 4, 3), (None, 64, engine.MAX_DEFAULT_WORKERS)],
)
def test_worker_count(setting: str | None, cpus: int, expected: int) -> None:
    """0 reads as one worker: the build's own process never runs page code."""
    assert engine.worker_count(setting, cpus=cpus) == expected


@pytest.mark.parametrize("setting", ["-1", "two", "1.5"])
def test_worker_count_refuses_bad_settings(setting: str) -> None:
    with pytest.raises(ValueError, match=r"LRTUTOR_WORKERS must be a whole number >= 0.*"
                       + repr(setting).replace(".", r"\.")):
        engine.worker_count(setting)


def test_a_session_runs_in_order_in_one_namespace(pool: Engine) -> None:
    result = pool.run([job("a", "x = 20\nprint(x)\n"), job("b", "print(x + 1)\n")])
    assert result.failure is None
    assert stdouts(result) == ["20\n", "21\n"]
    assert (pool.sessions, pool.restarts) == (1, 0)


def test_sessions_do_not_share_process_state(pool: Engine) -> None:
    """What one session changes (print options, os.environ) the next never sees, with
    one worker for both."""
    changes = job("a", "import os, numpy as np\nnp.set_printoptions(precision=3)\n"
                       "os.environ['LRTUTOR_PROBE'] = '1'\nprint(np.array([1/3]))\n")
    reads = job("b", "import os, numpy as np\nprint(np.array([1/3]), "
                     "os.environ.get('LRTUTOR_PROBE'))\n")
    first, second = pool.submit([changes]), pool.submit([reads])
    assert stdouts(first.result()) == ["[0.333]\n"]
    assert stdouts(second.result()) == ["[0.33333333] None\n"]


@pytest.mark.parametrize(
    ("code", "error", "stderr"),
    [("raise ValueError('no')\n", "ValueError: no", ""),
     ("import sys\nprint('careful', file=sys.stderr)\nprint(1)\n", None, "careful\n"),
     ("import warnings\nwarnings.warn('odd rate', RuntimeWarning)\n", None,
      "RuntimeWarning: odd rate")],
    ids=["raises", "writes-to-stderr", "warns"],
)
def test_a_block_that_is_not_clean_says_so_and_the_rest_still_run(
    pool: Engine, code: str, error: str | None, stderr: str
) -> None:
    """A warning reaches the block's stderr whatever the build's own warning filters
    (pytest turns them into errors here; PYTHONWARNINGS=ignore in the tests' builds)."""
    result = pool.run([job("a", "print(1)\n"), job("b", code), job("c", "print(2)\n")])
    a, b, c = result.outcomes
    assert (a.stdout, a.clean, c.stdout, c.clean) == ("1\n", True, "2\n", True)
    assert not b.clean and b.error == error and stderr in b.stderr
    if error:
        assert b.traceback.startswith("Traceback") and "engine.py" not in b.traceback


def test_a_worker_that_dies_is_replaced_and_its_session_rerun(
    pool: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    marker = tmp_path / "died-once"
    crash = (f"import os, pathlib\nmarker = pathlib.Path({str(marker)!r})\n"
             "if not marker.exists():\n    marker.touch()\n    os._exit(3)\nprint('ran')\n")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.lrtutor_site.engine"):
        result = pool.run([job("a", crash)], "docs/a.md 'a'")
    assert stdouts(result) == ["ran\n"] and pool.restarts == 1
    # Said, but not as a warning: the output is still right, and --strict would fail.
    (said,) = [r for r in caplog.records if "exited with status 3" in r.getMessage()]
    assert said.levelno == logging.INFO and "docs/a.md 'a'" in said.getMessage()


def test_a_worker_that_always_dies_fails_its_session_with_the_reason() -> None:
    made = Engine(1, timeout=60, attempts=2)
    try:
        # What the process writes to its file descriptor 2 (a block's sys.stderr is
        # captured with the block) lands in the worker's own file, read here.
        result = made.run([job("a", "import os\nos.write(2, b'bye')\nos._exit(3)\n")])
    finally:
        made.close()
    assert result.outcomes == [] and made.restarts == 2
    assert result.failure is not None
    assert "2 worker processes in a row" in result.failure
    assert "exited with status 3" in result.failure and "bye" in result.failure


def test_a_hung_worker_is_killed_after_the_timeout() -> None:
    made = Engine(1, timeout=1, attempts=1)
    try:
        result = made.run([job("a", "import time\ntime.sleep(60)\n")])
    finally:
        made.close()
    assert result.failure is not None and "hung for more than 1 s" in result.failure


def test_a_bad_worker_setting_fails_the_build_naming_it(tmp_path: Path) -> None:
    result = mkdocs_build(ROOT, tmp_path / "site", env={"LRTUTOR_WORKERS": "two"})
    assert result.returncode != 0
    assert "LRTUTOR_WORKERS must be a whole number >= 0" in result.stderr
    assert "'two'" in result.stderr and "Traceback" not in result.stderr


# -- the plugin reads the engine's results -------------------------------------------


@pytest.fixture
def plugin(pool: Engine) -> Iterator[LrtutorPlugin]:
    made = LrtutorPlugin()
    made.build = _Build(pool, None)
    made.build.page = _Page("page.md", "docs/page.md")
    yield made
    made.build = None


def predicted(plugin: LrtutorPlugin, chain: str, jobs: list[Job]) -> None:
    assert plugin.build is not None
    plugin.build.sessions[chain] = _Session(
        jobs, chain, future=plugin.build.engine.submit(jobs, chain))


def test_the_build_takes_a_predicted_session_in_order(plugin: LrtutorPlugin) -> None:
    predicted(plugin, "python:page.md::s", [job("a", "x = 20\nprint(x)\n"),
                                            job("b", "print(x + 1)\n")])
    assert plugin._outcome("python", "x = 20\nprint(x)\n", "s", "a").stdout == "20\n"
    assert plugin._outcome("python", "print(x + 1)\n", "s", "b").stdout == "21\n"
    assert plugin.build is not None and plugin.build.executed_blocks == 2


def test_code_other_than_predicted_runs_with_its_session_in_a_new_worker(
    plugin: LrtutorPlugin,
) -> None:
    first = job("a", "x = 20\nprint(x)\n")
    predicted(plugin, "python:page.md::s", [first, job("b", "print(x + 1)\n"),
                                            job("c", "print(x)\n")])
    assert plugin._outcome("python", first.code, "s", "a").stdout == "20\n"
    # The build has other code for b (a plugin changed the page): b runs after a, in a
    # new worker (never in the build's process); c, though predicted right, follows it.
    assert plugin._outcome("python", "x += 2\nprint(x)\n", "s", "b").stdout == "22\n"
    assert plugin._outcome("python", "print(x)\n", "s", "c").stdout == "22\n"
    assert plugin.build is not None
    assert not plugin.build.sessions["python:page.md::s"].in_sync


def test_a_block_nobody_predicted_runs_in_a_worker(plugin: LrtutorPlugin) -> None:
    outcome = plugin._outcome("python", "import os\nprint(os.getpid())\n", None, "z")
    assert outcome.clean and int(outcome.stdout) != __import__("os").getpid()


PAGE = '''\
# A page

```python exec="on" html="on" id="fig-one" session="figs"
--8<-- "fig_one.py"
```

```pycon
>>> 1 + 1
2

```

```python exec="on" id="inline" session="figs" result="text"
print(X + 1)
```

```python exec="on" id="alone" result="text"
print("alone")
```

```python exec="on" id="lost" session="gone" result="text"
--8<-- "missing.py"
```

```python id="shown-only"
print("not executed")
```
'''


def test_predict_reads_blocks_and_snippets_as_the_build_does(tmp_path: Path) -> None:
    snippets = tmp_path / "docs" / "snippets"
    snippets.mkdir(parents=True)
    (snippets / "fig_one.py").write_text("X = 1\nprint(X)")
    blocks = lrtutor_blocks.scan(PAGE)[0]
    chains = engine.predict("p.md", "docs/p.md", PAGE, blocks, [str(snippets)],
                            str(tmp_path))
    assert list(chains) == [  # the block with a missing snippet is left out
        "python:p.md::figs", "pycon:p.md::", "python:p.md::#alone"]
    one, inline = chains["python:p.md::figs"]
    assert (one.block_id, one.code, one.filename, one.first_line) == (
        "fig-one", "X = 1\nprint(X)\n", "docs/snippets/fig_one.py", 1)
    line = PAGE.splitlines().index("print(X + 1)") + 1
    assert (inline.code, inline.filename, inline.first_line) == (
        "print(X + 1)\n", "docs/p.md", line)
    assert inline.module == engine.module_name("p.md", "inline")
    assert chains["python:p.md::#alone"][0].code == 'print("alone")\n'
    (console,) = chains["pycon:p.md::"]
    assert (console.language, console.code) == ("pycon", ">>> 1 + 1\n2\n\n")


def test_console_blocks_are_checked_in_the_worker(pool: Engine) -> None:
    session = [Job("a", ">>> x = 0.1 + 0.2\n>>> x\n0.30000000000000004\n", "docs/p.md", 0,
                   "m", "pycon"),
               Job("b", ">>> round(x, 2)\n0.3\n", "docs/p.md", 0, "m", "pycon"),
               Job("c", ">>> x\n0.3\n", "docs/p.md", 0, "m", "pycon")]
    a, b, c = pool.run(session).outcomes
    assert engine.transcript(a.examples) == session[0].code
    assert engine.transcript(b.examples) == session[1].code
    # The page claims the wrong output: the problem names what it printed.
    assert a.clean and b.clean and not c.clean
    (example,) = c.examples
    assert example.got == "0.30000000000000004\n" and "Expected:" in (example.problem or "")
