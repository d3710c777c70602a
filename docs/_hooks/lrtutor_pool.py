"""Run the pages' Python and console blocks in worker processes while the build renders.

Imported by ``lrtutor_site.py``. A full build spends about half its time in the code
of executed blocks (figures above all), one block after another in one process, while
a second core stays idle. This module predicts those blocks before any page is
rendered and runs them in worker processes; when the build reaches a block, it uses the
worker's output if the worker ran exactly the code the build has in hand. Workers are
started for a build that executes blocks (not for a warm execution cache, which serves
them, nor under ``LRTUTOR_NO_EXEC``), for the pages that build renders.

**A chain** is what runs in one namespace: the ``python`` blocks of one page that share
a ``session`` (markdown-exec keeps one namespace per session; lrtutor_site.py one per
page and session), a ``python`` block without a session on its own, or the console
(``pycon``) blocks of one page and session, checked with doctest as the build checks
them (:func:`run_console`). A worker runs a chain's blocks in order in a fresh
namespace, as the build would, and returns what each printed.

**The output is the build's own, never a guess.** The worker's output for a block is
used only if

* every earlier block of its chain was served so too,
* the worker ran the very code markdown-exec hands the build for the block (the
  prediction reads the page and the snippet files it includes; a page changed by
  another plugin, or any other mismatch, simply misses), and
* the block ran cleanly there: no exception, nothing written to stderr and, for a
  console block, every example printing what the page says.

Anything else runs in the build's process as before (:meth:`Pool.fall_back` first
returns the blocks of the chain that were served, to be run again so that the namespace
holds what they defined), so failures, warnings and their messages are exactly those of
a build without workers. A worker that dies turns the rest of the build serial.

**Order.** Chains are handed to the workers from the last page to the first while the
build works from the first page on; a chain the build reaches before any worker started
it is taken back (cancelled) and run in the build's process. So the work splits where
the two meet, and the build waits only for a chain a worker is already running.

**Workers** are started with the ``spawn`` method: a fresh interpreter that imports
lrtutor as it is on disk now (``mkdocs serve`` stays honest), with the build's
``sys.path``, working directory and environment. ``LRTUTOR_WORKERS`` sets their number
(``0``: none, the build runs every block itself); by default one fewer than the CPUs
this process may use, at most 3. The standard library's ``concurrent.futures`` does the
process management; this module only predicts and matches (markdown-exec runs blocks
in the build's process and has no such option).
"""

from __future__ import annotations

import doctest
import io
import linecache
import logging
import os
import re
import sys
import time
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from types import ModuleType
from typing import Any

from lrtutor_blocks import OPTIONFLAGS, numpy_print_style

log = logging.getLogger("mkdocs.hooks.lrtutor_pool")

#: Most worker processes started by default (each imports lrtutor and matplotlib).
MAX_DEFAULT_WORKERS = 3
#: The languages of the blocks handed to workers: markdown-exec's names for Python,
#: and console blocks (lrtutor_site.py's checked ``pycon``).
LANGUAGES = ("python", "py", "pycon")

#: Set by exec_cache.py for each build: the execution cache holds entries for this
#: environment, so the blocks are served from it and no worker is started.
CACHE_HAS_ENTRIES = False

_SNIPPET_LINE = re.compile(r"""[ \t]*-{1,}8<-{1,}[ \t]+["']([^"']+)["'][ \t]*""")


def worker_count(setting: str | None = None, cpus: int | None = None) -> int:
    """How many workers to start: ``LRTUTOR_WORKERS`` if set, else CPUs - 1 (<= 3).

    Raises:
        ValueError: If the setting is not a whole number >= 0.
    """
    if setting is not None and setting.strip():
        try:
            count = int(setting)
        except ValueError:
            count = -1
        if count < 0:
            raise ValueError(
                f"LRTUTOR_WORKERS must be a whole number >= 0 (0: no worker processes), "
                f"got {setting!r}"
            )
        return count
    if cpus is None:
        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            cpus = os.cpu_count() or 1
    return max(0, min(cpus - 1, MAX_DEFAULT_WORKERS))


def module_name(page: str, block_id: str) -> str:
    """The ``__name__`` a block runs under (dataclasses and pickling need a module)."""
    return "_lrtutor_block_" + re.sub(r"\W+", "_", f"{page}_{block_id}")


def execute(
    code: str, filename: str, first_line: int, module: str, namespace: dict[str, Any]
) -> tuple[str, str, Exception | None]:
    """Run a block's code in ``namespace``: what it printed, wrote to stderr, raised.

    The one way blocks run, in the build's process and in the workers alike. The code
    is compiled as if it started at ``first_line`` of ``filename`` (the page or the
    snippet file), which is registered with :mod:`linecache` so that tracebacks show
    its lines (doctest registers its examples the same way).
    """
    namespace["__name__"] = module
    sys.modules[module] = ModuleType(module)
    lines = code.splitlines(keepends=True)
    linecache.cache[filename] = (len(code), None, [""] * (first_line - 1) + lines, filename)
    source = "\n" * (first_line - 1) + code  # line numbers of the page or snippet file
    stdout, stderr = io.StringIO(), io.StringIO()
    error: Exception | None = None
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            exec(compile(source, filename, "exec"), namespace)  # code of our own pages
    except Exception as raised:
        error = raised
    return stdout.getvalue(), stderr.getvalue(), error


class _RecordingRunner(doctest.DocTestRunner):
    """A doctest runner that keeps what every example printed."""

    def __init__(self) -> None:
        super().__init__(verbose=False, optionflags=OPTIONFLAGS)
        self.records: list[tuple[doctest.Example, str, str | None]] = []

    def report_start(self, out: Any, test: Any, example: doctest.Example) -> None:
        pass

    def report_success(self, out: Any, test: Any, example: doctest.Example, got: str) -> None:
        self.records.append((example, got, None))

    def report_failure(self, out: Any, test: Any, example: doctest.Example, got: str) -> None:
        problem = self._checker.output_difference(example, got, self.optionflags)
        self.records.append((example, got, problem))

    def report_unexpected_exception(
        self, out: Any, test: Any, example: doctest.Example, exc_info: Any
    ) -> None:
        got = doctest._exception_traceback(exc_info)  # the traceback text doctest would show
        self.records.append((example, got, f"raised an exception:\n{got}"))


def run_console(
    code: str, namespace: dict[str, Any], name: str, path: str
) -> tuple[list[tuple[doctest.Example, str, str | None]], str]:
    """Run a console block's examples in ``namespace`` with doctest, checking each.

    The one way console blocks run, in the build's process and in the workers alike
    (pytest's sybil checks use the same flags and print style, from lrtutor_blocks).
    Returns ``(example, what it printed, problem or None)`` per example, and what the
    block wrote to stderr.
    """
    test = doctest.DocTestParser().get_doctest(code, namespace, name, path, 0)
    runner = _RecordingRunner()
    stderr = io.StringIO()
    with numpy_print_style(), redirect_stderr(stderr):
        runner.run(test, clear_globs=False, out=lambda _text: None)
    namespace.update(test.globs)
    return runner.records, stderr.getvalue()


def transcript(records: list[tuple[doctest.Example, str, str | None]]) -> str:
    """The console session as shown: each example's prompt lines and what it printed."""
    parts = []
    for example, got, _ in records:
        lines = example.source.rstrip("\n").split("\n")
        text = "\n".join((">>> " if i == 0 else "... ") + line for i, line in enumerate(lines))
        parts.append(text + "\n" + got if got else text + "\n")
    return "".join(parts)


@dataclass(frozen=True)
class Job:
    """One block of a chain, as the prediction expects the build to run it."""

    block_id: str
    code: str
    filename: str
    first_line: int
    module: str
    language: str = "python"  # or "pycon"


def run_chain(jobs: list[Job]) -> list[tuple[str, bool]]:
    """(stdout, clean) of each block of a chain, run in order in one namespace.

    Runs in a worker. The chain stops at the first block that raises or writes to
    stderr (the build runs that one itself, to report it).
    """
    namespace: dict[str, Any] = {}
    results: list[tuple[str, bool]] = []
    for job in jobs:
        if job.language == "pycon":
            namespace.setdefault("__name__", "__main__")
            records, stderr = run_console(job.code, namespace, job.block_id or "pycon",
                                          job.filename)
            stdout, clean = transcript(records), not stderr and not any(r[2] for r in records)
        else:
            stdout, stderr, error = execute(job.code, job.filename, job.first_line,
                                            job.module, namespace)
            clean = error is None and not stderr
        results.append((stdout if clean else "", clean))
        if not clean:
            break
    return results


def predict(
    page: str, page_path: str, markdown: str, blocks: Iterable[Any], snippet_dirs: list[str],
    root: str,
) -> dict[str, list[Job]]:
    """The chains of a page's executed Python and console blocks, by :func:`chain_key`.

    ``blocks`` are ``lrtutor_blocks.Block``s of ``markdown`` (the page's source). A block
    made of ``--8<--`` snippet lines and code gets the snippet files' text in their
    place, as pymdownx.snippets includes them; a block whose snippet cannot be read is
    left out, with the rest of its chain (the build runs it).
    """
    chains: dict[str, list[Job]] = {}
    broken: set[str] = set()
    for block in blocks:
        if block.language not in LANGUAGES or not block.executed or not block.closed:
            continue
        language = "pycon" if block.language == "pycon" else "python"
        session = block.options.get("session", "")
        key = chain_key(language, page, session, block.id)
        parts, origin = [], None
        for line in block.lines:
            match = _SNIPPET_LINE.fullmatch(line)
            if not match:
                parts.append(line + "\n")
                continue
            found = next((Path(base) / match[1] for base in snippet_dirs
                          if (Path(base) / match[1]).is_file()), None)
            if found is None:
                broken.add(key)
                break
            text = found.read_text(encoding="utf-8")
            parts.append(text if text.endswith("\n") else text + "\n")
            origin = Path(os.path.relpath(found, root)).as_posix()
        code = "".join(parts)
        snippet_only = origin is not None and len([ln for ln in block.lines if ln.strip()]) == 1
        filename, first_line = (
            (page_path, 0) if language == "pycon" else  # doctest's name for the page
            (origin, 1) if snippet_only else
            (page_path, block.line + 1) if origin is None else
            (f"<{page_path} block {block.id or 'python'}>", 1)
        )
        chains.setdefault(key, []).append(
            Job(block.id, code, str(filename), first_line, module_name(page, block.id),
                language)
        )
    return {key: jobs for key, jobs in chains.items() if key not in broken}


def chain_key(language: str, page: str, session: str | None, block_id: str) -> str:
    """The namespace a block runs in.

    Console blocks: one per page and session, the blocks without a session sharing
    one (lrtutor_site.py); ``python`` blocks: one per page and session, and a block
    without a session alone (as markdown-exec runs them).
    """
    if language == "pycon":
        return f"pycon:{page}::{session or ''}"
    return f"python:{page}::{session}" if session else f"python:{page}::#{block_id}"


@dataclass
class _Chain:
    jobs: list[Job]
    future: Future[list[tuple[str, bool]]]
    taken: int = 0  # blocks the build has asked for so far
    in_sync: bool = True  # every block asked for so far was served from the worker
    served: list[Job] = field(default_factory=list)  # served, not yet run here


class Pool:
    """Worker processes running predicted chains, and the matching of their output."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.executor: ProcessPoolExecutor | None = None
        self.chains: dict[str, _Chain] = {}
        self.served = 0
        self.ran_here = 0
        self.broken = False
        self.waited = 0.0  # seconds the build spent waiting for a worker

    def start(self, chains: dict[str, list[Job]]) -> None:
        """Hand ``chains`` (in page order) to the workers, the last page's first."""
        if self.workers < 1 or not chains:
            return
        # A spawned worker gets this process's sys.path as it is when the worker starts
        # (at the first submit), and must import this module from it; MkDocs takes the
        # hooks' folder off sys.path again once it has loaded a hook.
        here = str(Path(__file__).resolve().parent)
        saved = sys.path[:]
        sys.path.insert(0, here)
        try:
            self.executor = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))
            for key, jobs in reversed(list(chains.items())):
                self.chains[key] = _Chain(jobs, self.executor.submit(run_chain, jobs))
        finally:
            sys.path[:] = saved

    def take(self, key: str, block_id: str, code: str) -> str | None:
        """The worker's output for the build's next block of chain ``key``, or ``None``.

        ``None`` means: run the block here, after the blocks :meth:`fall_back` returns.
        """
        chain = self.chains.get(key)
        if chain is None or not chain.in_sync:
            self.ran_here += 1
            return None
        index = chain.taken
        chain.taken += 1
        job = chain.jobs[index] if index < len(chain.jobs) else None
        results = self._results(chain) if job is not None else None
        if (
            job is None or results is None or index >= len(results)
            or not results[index][1] or job.block_id != block_id
            or job.code.rstrip("\n") != code.rstrip("\n")
        ):
            log.debug("lrtutor: block %s of %s runs in the build's process (%s)", block_id,
                      key, "not started by a worker" if results is None and job else
                      "not as predicted or not clean")
            chain.in_sync = False
            self.ran_here += 1
            return None
        chain.served.append(job)
        self.served += 1
        return results[index][0]

    def fall_back(self, key: str) -> list[Job]:
        """The blocks of chain ``key`` served from a worker, to be run here now.

        Called before running a block here, so that the namespace holds what they
        defined; each block is returned once.
        """
        chain = self.chains.get(key)
        if chain is None:
            return []
        served, chain.served = chain.served, []
        return served

    def _results(self, chain: _Chain) -> list[tuple[str, bool]] | None:
        if chain.future.cancel():  # no worker started it: the build runs it itself
            return None
        start = time.perf_counter()
        try:
            return chain.future.result()
        except BrokenProcessPool:
            if not self.broken:  # the output stays right: not a warning, which --strict
                # would turn into a failed build for a cause outside the pages
                log.info("lrtutor: a worker process died; the build runs the rest of the "
                         "blocks itself")
            self.broken = True
            return None
        except Exception as error:  # the worker could not even start the chain
            log.debug("lrtutor: a worker failed on a chain (%s); run here", error)
            return None
        finally:
            self.waited += time.perf_counter() - start

    def close(self) -> None:
        """Stop the workers (cancelling chains no page asked for)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
        if self.chains:
            log.info("lrtutor: %d blocks ran in worker processes, %d in the build's; "
                     "the build waited %.2f s for workers", self.served, self.ran_here,
                     self.waited)
        self.chains.clear()
