"""Worker processes run figure blocks ahead of the build (docs/_hooks/lrtutor_pool.py).

The pool's output may replace the build's own only when it is exactly what the build
would print: the same code, after the same earlier blocks, run cleanly. These tests
drive the pool directly with real worker processes; tests/site/test_reproducible.py builds
the whole site with and without workers and compares the bytes, and the failing-block
tests of tests/content/test_authoring.py run with workers on (the default).
"""

from __future__ import annotations

import logging
import sys
import textwrap
from pathlib import Path

import pytest

from ..support.helpers import ROOT, mkdocs_build

sys.path.insert(0, str(ROOT / "docs" / "_hooks"))
import lrtutor_blocks
import lrtutor_pool
from lrtutor_pool import Job, Pool


def job(block_id: str, code: str) -> Job:
    """A python block of chain "page.md::s"."""
    return Job(block_id, textwrap.dedent(code), f"<test {block_id}>", 1,
               lrtutor_pool.module_name("page.md", block_id))


@pytest.fixture
def pool() -> Pool:
    made = Pool(1)
    yield made
    made.close()


@pytest.mark.parametrize(
    ("setting", "cpus", "expected"),
    [("0", 8, 0), ("2", 1, 2), (" 3 ", 2, 3), (None, 1, 0), ("", 2, 1), (None, 4, 3),
     (None, 64, lrtutor_pool.MAX_DEFAULT_WORKERS)],
)
def test_worker_count(setting: str | None, cpus: int, expected: int) -> None:
    assert lrtutor_pool.worker_count(setting, cpus=cpus) == expected


@pytest.mark.parametrize("setting", ["-1", "two", "1.5"])
def test_worker_count_refuses_bad_settings(setting: str) -> None:
    with pytest.raises(ValueError, match=r"LRTUTOR_WORKERS must be a whole number >= 0.*"
                       + repr(setting).replace(".", r"\.")):
        lrtutor_pool.worker_count(setting)


def test_a_session_is_served_in_order(pool: Pool) -> None:
    pool.start({"page.md::s": [job("a", "x = 20\nprint(x)\n"), job("b", "print(x + 1)\n")]})
    assert pool.take("page.md::s", "a", "x = 20\nprint(x)\n") == "20\n"
    assert pool.take("page.md::s", "b", "print(x + 1)\n") == "21\n"
    assert pool.fall_back("page.md::s") == [job("a", "x = 20\nprint(x)\n"),
                                            job("b", "print(x + 1)\n")]
    assert (pool.served, pool.ran_here) == (2, 0)


def test_code_other_than_predicted_runs_here_after_a_replay(pool: Pool) -> None:
    first = job("a", "x = 20\nprint(x)\n")
    pool.start({"page.md::s": [first, job("b", "print(x + 1)\n"), job("c", "print(x)\n")]})
    assert pool.take("page.md::s", "a", first.code) == "20\n"
    # The build has other code for b (a plugin changed the page): b runs here, after a
    # is run here again to define x; c, though predicted right, follows b here.
    assert pool.take("page.md::s", "b", "print(x + 2)\n") is None
    assert pool.fall_back("page.md::s") == [first]
    assert pool.take("page.md::s", "c", "print(x)\n") is None
    assert pool.fall_back("page.md::s") == []
    assert (pool.served, pool.ran_here) == (1, 2)


@pytest.mark.parametrize(
    "code",
    ["raise ValueError('no')\n", "import sys\nprint('careful', file=sys.stderr)\nprint(1)\n"],
    ids=["raises", "writes-to-stderr"],
)
def test_a_block_that_is_not_clean_runs_here(pool: Pool, code: str) -> None:
    pool.start({"page.md::s": [job("a", "print(1)\n"), job("b", code), job("c", "print(2)\n")]})
    assert pool.take("page.md::s", "a", "print(1)\n") == "1\n"
    assert pool.take("page.md::s", "b", textwrap.dedent(code)) is None  # here: it reports
    assert pool.take("page.md::s", "c", "print(2)\n") is None  # the worker stopped at b


def test_a_block_nobody_predicted_runs_here(pool: Pool) -> None:
    pool.start({"page.md::s": [job("a", "print(1)\n")]})
    assert pool.take("page.md::other", "z", "print(3)\n") is None
    assert pool.take("page.md::s", "a", "print(1)\n") == "1\n"
    assert pool.take("page.md::s", "extra", "print(4)\n") is None  # past the prediction


def test_a_chain_no_worker_started_is_taken_back(pool: Pool) -> None:
    # Chains go to the worker last page first: "slow" first, then "middle" (queued for
    # the worker), then "first", which is still waiting when the build asks for it.
    pool.start({
        "first.md::s": [job("a", "print('first')\n")],
        "middle.md::s": [job("b", "print('middle')\n")],
        "slow.md::s": [job("c", "import time\ntime.sleep(3)\nprint('slow')\n")],
    })
    assert pool.take("first.md::s", "a", "print('first')\n") is None
    assert pool.take("slow.md::s", "c", "import time\ntime.sleep(3)\nprint('slow')\n") == "slow\n"


def test_a_dead_worker_turns_the_rest_serial(
    pool: Pool, caplog: pytest.LogCaptureFixture
) -> None:
    crash = "import multiprocessing, os\nif multiprocessing.parent_process():\n    os._exit(3)\n"
    pool.start({"a.md::s": [job("a", "print(1)\n")], "b.md::s": [job("b", crash)]})
    with caplog.at_level(logging.DEBUG, logger="mkdocs.hooks.lrtutor_pool"):
        assert pool.take("b.md::s", "b", crash) is None
        assert pool.broken
        assert pool.take("a.md::s", "a", "print(1)\n") is None
    # Said, but not as a warning: the output is still right, and --strict would fail.
    (said,) = [r for r in caplog.records if "worker process died" in r.getMessage()]
    assert said.levelno == logging.INFO


def test_a_bad_worker_setting_fails_the_build_naming_it(tmp_path: Path) -> None:
    result = mkdocs_build(ROOT, tmp_path / "site", env={"LRTUTOR_WORKERS": "two"})
    assert result.returncode != 0
    assert "LRTUTOR_WORKERS must be a whole number >= 0" in result.stderr
    assert "'two'" in result.stderr and "Traceback" not in result.stderr


def test_no_workers_no_processes() -> None:
    idle = Pool(0)
    idle.start({"page.md::s": [job("a", "print(1)\n")]})
    assert idle.executor is None and idle.take("page.md::s", "a", "print(1)\n") is None


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
    chains = lrtutor_pool.predict("p.md", "docs/p.md", PAGE, blocks, [str(snippets)],
                                  str(tmp_path))
    assert list(chains) == [  # the block with a missing snippet is left out
        "python:p.md::figs", "pycon:p.md::", "python:p.md::#alone"]
    one, inline = chains["python:p.md::figs"]
    assert (one.block_id, one.code, one.filename, one.first_line) == (
        "fig-one", "X = 1\nprint(X)\n", "docs/snippets/fig_one.py", 1)
    line = PAGE.splitlines().index("print(X + 1)") + 1
    assert (inline.code, inline.filename, inline.first_line) == (
        "print(X + 1)\n", "docs/p.md", line)
    assert inline.module == lrtutor_pool.module_name("p.md", "inline")
    assert chains["python:p.md::#alone"][0].code == 'print("alone")\n'
    (console,) = chains["pycon:p.md::"]
    assert (console.language, console.code) == ("pycon", ">>> 1 + 1\n2\n\n")


def test_console_blocks_are_checked_in_the_worker(pool: Pool) -> None:
    session = [Job("a", ">>> x = 0.1 + 0.2\n>>> x\n0.30000000000000004\n", "docs/p.md", 0,
                   "m", "pycon"),
               Job("b", ">>> round(x, 2)\n0.3\n", "docs/p.md", 0, "m", "pycon"),
               Job("c", ">>> x\n0.3\n", "docs/p.md", 0, "m", "pycon")]
    pool.start({"pycon:p.md::": session})
    assert pool.take("pycon:p.md::", "a", session[0].code) == session[0].code
    assert pool.take("pycon:p.md::", "b", session[1].code) == session[1].code
    # The page claims the wrong output: the build runs it itself, to report it.
    assert pool.take("pycon:p.md::", "c", session[2].code) is None
