"""Run the pages' code: every session in a worker process of its own, started clean.

A **session** is what shares a namespace: the ``python`` blocks of one page with the same
``session`` option, a ``python`` block without one on its own, or the console
(``pycon``) blocks of one page and session (checked with doctest, as pytest's sybil
checks them). Like a notebook's kernel, each session gets a new process, so no session
sees another's process state (NumPy's print options, ``matplotlib.rcParams``,
``os.environ``, a patched module), whatever the number of workers; the build's own
process never runs page code. Plain Python: no MkDocs here (``plugin.py`` uses it).

**Starting clean, cheaply.** Workers are forked from multiprocessing's fork server, which
imports NumPy, Matplotlib, SciPy and lrtutor once (:data:`PRELOAD`); a fork costs about
16 ms where a spawned interpreter that imports the same costs about 0.45 s (measured on
the 2-core build machine; tests/benchmark.py keeps the figure). The fork server is
restarted when lrtutor's sources or the preloaded distributions change
(:meth:`Engine.ensure_fresh`), so ``mkdocs serve`` runs current code.

**Failures of the machinery are not the pages' failures.** A worker that dies (the OOM
killer's SIGKILL), hangs past :attr:`Engine.timeout` or cannot start is replaced and its
session run again from the start, said at INFO; after :data:`ATTEMPTS` tries the
session's blocks fail with the reason and what the worker wrote to its stderr, which is
a file of its own (never the build's stderr). What a block writes to stderr is captured
in its worker.

**What a session read** is returned with its output: the top-level names of every module
in the worker's ``sys.modules`` after the run (``cache.py`` maps them to installed
distributions and their versions) and the SHA-256 of every data file it opened (found
with an audit hook), so the cache can tell when an output is stale.
"""

from __future__ import annotations

import doctest
import hashlib
import io
import linecache
import logging
import os
import re
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from multiprocessing import connection, get_context
from pathlib import Path
from types import ModuleType
from typing import Any

from lrtutor_site import _private
from lrtutor_site.blocks import OPTIONFLAGS, numpy_print_style

log = logging.getLogger("mkdocs.plugins.lrtutor_site.engine")

#: Most worker processes by default (each runs one session at a time).
MAX_DEFAULT_WORKERS = 3
#: The languages of the blocks run here: markdown-exec's names for Python, and console
#: blocks (checked ``pycon``).
LANGUAGES = ("python", "py", "pycon")
#: Modules the fork server imports once, so that a forked worker starts with them.
PRELOAD = ["numpy", "matplotlib", "matplotlib.pyplot", "scipy.sparse.linalg", "lrtutor",
           "lrtutor.plots", "lrtutor_site.engine", "lrtutor_site._warm"]
#: Distributions among them (a new version restarts the fork server).
PRELOAD_DISTRIBUTIONS = ("numpy", "matplotlib", "scipy")
#: Runs of a session before its blocks fail for a cause outside the page.
ATTEMPTS = 3
#: Seconds a session may run before its worker is taken for hung.
DEFAULT_TIMEOUT = 300.0

_SNIPPET_LINE = re.compile(r"""[ \t]*-{1,}8<-{1,}[ \t]+["']([^"']+)["'][ \t]*""")
#: File names a session's opening of which is not a data dependency.
_NOT_DATA = (".py", ".pyc", ".so", ".pyd", ".pth")


def worker_count(setting: str | int | None = None, cpus: int | None = None) -> int:
    """How many workers run sessions at once: ``setting`` if given, else the CPUs (<= 3).

    The build's own process mostly waits for the workers (it renders pages meanwhile),
    so a worker per CPU keeps every core busy.

    ``0`` is read as 1: there is always a worker (the build's process runs no page code).

    Raises:
        ValueError: If the setting is not a whole number >= 0.
    """
    if setting is not None and str(setting).strip():
        try:
            count = int(str(setting))
        except ValueError:
            count = -1
        if count < 0:
            raise ValueError(
                f"LRTUTOR_WORKERS must be a whole number >= 0 (0 or 1: one worker "
                f"process), got {setting!r}"
            )
        return max(1, count)
    if cpus is None:
        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_WORKERS))


def module_name(page: str, block_id: str) -> str:
    """The ``__name__`` a python block runs under (dataclasses and pickling need one)."""
    return "_lrtutor_block_" + re.sub(r"\W+", "_", f"{page}_{block_id}")


@dataclass(frozen=True)
class Job:
    """One block of a session, as a worker runs it."""

    block_id: str
    code: str
    filename: str  #: the page or snippet file, for tracebacks (``docs/x.md``)
    first_line: int  #: line of ``filename`` where the code starts
    module: str
    language: str = "python"  # or "pycon"


@dataclass
class Example:
    """One console example: what it printed, what the page shows, what is wrong."""

    source: str
    lineno: int  #: line of the example in its block (0-based, doctest's)
    got: str
    shown: str  #: as the page shows it: what it printed, or the expected traceback
    problem: str | None = None


@dataclass
class Outcome:
    """What one block did."""

    stdout: str = ""
    stderr: str = ""
    error: str | None = None  #: ``"ZeroDivisionError: float division by zero"``
    traceback: str = ""  #: from the block's own frames on
    examples: list[Example] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.error is None and not self.stderr and not any(
            e.problem for e in self.examples)


@dataclass
class SessionResult:
    """A session's outcomes, in block order, and what it read."""

    outcomes: list[Outcome]
    modules: list[str] = field(default_factory=list)  #: top-level imported names
    files: dict[str, str] = field(default_factory=dict)  #: data file -> SHA-256
    failure: str | None = None  #: why no worker could run it (then no outcomes)
    seconds: float = 0.0


# -- in the worker ------------------------------------------------------------------------


def _own_frames(tb: Any) -> Any:
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return tb


def _run_python(job: Job, module: ModuleType) -> Outcome:
    """Run a block's code in ``module``'s namespace (a real module in sys.modules).

    The code is compiled as if it started at ``first_line`` of ``filename`` (the page or
    the snippet file), registered with :mod:`linecache` so that tracebacks show its
    lines (doctest registers its examples the same way). Every block name of the session
    is an alias of the one module, so objects defined in any block pickle.
    """
    namespace = module.__dict__
    namespace["__name__"] = job.module
    sys.modules[job.module] = module
    lines = job.code.splitlines(keepends=True)
    linecache.cache[job.filename] = (
        len(job.code), None, [""] * (job.first_line - 1) + lines, job.filename)
    source = "\n" * (job.first_line - 1) + job.code  # line numbers of the page or snippet
    stdout, stderr = io.StringIO(), io.StringIO()
    outcome = Outcome()
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):  # the worker's own streams
            exec(compile(source, job.filename, "exec"), namespace)  # code of our own pages
    except Exception as error:
        outcome.error = f"{type(error).__name__}: {error}"
        outcome.traceback = "".join(traceback.format_exception(
            type(error), error, _own_frames(error.__traceback__))).rstrip()
    outcome.stdout, outcome.stderr = stdout.getvalue(), stderr.getvalue()
    return outcome


class _RecordingRunner(doctest.DocTestRunner):
    """A doctest runner that keeps what every example printed."""

    def __init__(self) -> None:
        super().__init__(verbose=False, optionflags=OPTIONFLAGS)
        self.examples: list[Example] = []

    def report_start(self, out: Any, test: Any, example: doctest.Example) -> None:
        pass

    def report_success(self, out: Any, test: Any, example: doctest.Example, got: str) -> None:
        # An expected exception shows as the author wrote it ("..." stays "..."): the
        # traceback it really printed holds the build machine's paths.
        shown = example.want if example.exc_msg is not None else got
        self.examples.append(Example(example.source, example.lineno, got, shown))

    def report_failure(self, out: Any, test: Any, example: doctest.Example, got: str) -> None:
        problem = self._checker.output_difference(example, got, self.optionflags)
        self.examples.append(Example(example.source, example.lineno, got, got, problem))

    def report_unexpected_exception(
        self, out: Any, test: Any, example: doctest.Example, exc_info: Any
    ) -> None:
        got = _private.doctest_exception_text(exc_info)
        self.examples.append(Example(example.source, example.lineno, got, got,
                                     f"raised an exception:\n{got}"))


def _run_console(job: Job, module: ModuleType) -> Outcome:
    """Run a console block's examples with doctest in ``module``'s namespace."""
    namespace = module.__dict__
    test = doctest.DocTestParser().get_doctest(job.code, namespace, job.block_id or "pycon",
                                               job.filename, 0)
    test.globs = namespace  # the module's own dict, not doctest's copy (pickling)
    runner = _RecordingRunner()
    stderr = io.StringIO()
    with numpy_print_style(), redirect_stderr(stderr):
        runner.run(test, clear_globs=False, out=lambda _text: None)
    return Outcome(stderr=stderr.getvalue(), examples=runner.examples)


def transcript(examples: Iterable[Example]) -> str:
    """The console session as shown: each example's prompt lines and what it printed."""
    parts = []
    for example in examples:
        lines = example.source.rstrip("\n").split("\n")
        text = "\n".join((">>> " if i == 0 else "... ") + line for i, line in enumerate(lines))
        parts.append(text + "\n" + example.shown if example.shown else text + "\n")
    return "".join(parts)


class _Reads:
    """Files a session opens for reading (an audit hook; hooks cannot be removed, and
    the worker ends with its session)."""

    def __init__(self) -> None:
        self.paths: set[str] = set()
        self.active = True

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if event != "open" or not self.active:
            return
        path, mode = args[0], args[1]
        if isinstance(path, (str, bytes, os.PathLike)) and (mode is None or "r" in str(mode)) \
                and not any(c in str(mode or "") for c in "wax+"):
            self.paths.add(os.fsdecode(path))


def _data_files(paths: Iterable[str]) -> dict[str, str]:
    found = {}
    for name in sorted(paths):
        path = os.path.realpath(name)
        if (path.endswith(_NOT_DATA) or path.startswith(("/proc/", "/dev/", "/sys/"))
                or not os.path.isfile(path)):
            continue
        try:
            with open(path, "rb") as data:
                found[path] = hashlib.sha256(data.read()).hexdigest()
        except OSError:
            continue
    return found


#: Python's own warning filters (a release build started without ``-W`` or
#: ``PYTHONWARNINGS``), in order; see the "Default Warning Filter" in the warnings docs.
DEFAULT_WARNING_FILTERS = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)


def python_default_warnings() -> None:
    """Python's default warning filters, whatever the build was started with: a block
    that warns writes to its stderr (and fails) also when the caller set
    ``PYTHONWARNINGS=ignore`` (the fork server inherits the build's ``-W`` options)."""
    warnings.resetwarnings()
    for action, category, module in DEFAULT_WARNING_FILTERS:
        warnings.filterwarnings(action, category=category, module=module, append=True)


def run_session(jobs: list[Job], sender: Any, stderr_path: str) -> None:
    """The worker's whole life: run ``jobs`` in order, send a :class:`SessionResult`.

    Every block runs, also after one that failed (as markdown-exec runs a page).
    """
    fd = os.open(stderr_path, os.O_WRONLY | os.O_APPEND)
    os.dup2(fd, 2)  # this worker's stderr, read by the build if the worker dies
    os.close(fd)
    python_default_warnings()
    reads = _Reads()
    sys.addaudithook(reads)
    python = ModuleType(jobs[0].module if jobs else "_lrtutor_block")
    console = ModuleType("__main__")  # console examples run "at the prompt"
    sys.modules["__main__"] = console  # this process is the session's: pickling finds it
    start = time.perf_counter()
    outcomes = [
        _run_console(job, console) if job.language == "pycon" else _run_python(job, python)
        for job in jobs
    ]
    seconds = time.perf_counter() - start
    reads.active = False
    modules = sorted({name.partition(".")[0] for name in list(sys.modules)})
    sender.send(SessionResult(outcomes, modules, _data_files(reads.paths), seconds=seconds))
    sender.close()


# -- in the build's process ---------------------------------------------------------------


class Engine:
    """Sessions run in forked workers, ``workers`` at a time.

    ``submit`` queues a session (first come, first run) and returns a future of its
    :class:`SessionResult`; ``close`` cancels what did not start and kills what runs.
    """

    def __init__(self, workers: int, timeout: float = DEFAULT_TIMEOUT,
                 attempts: int = ATTEMPTS) -> None:
        self.workers = max(1, workers)
        self.timeout = timeout
        self.attempts = attempts
        self.context = get_context("forkserver")
        self.context.set_forkserver_preload(PRELOAD)
        self._threads = ThreadPoolExecutor(self.workers, thread_name_prefix="lrtutor-session")
        self._live: set[Any] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.sessions = 0
        self.restarts = 0
        self.seconds = 0.0  # worker time spent in page code

    def submit(self, jobs: list[Job], label: str = "a session") -> Future[SessionResult]:
        return self._threads.submit(self.run, jobs, label)

    def run(self, jobs: list[Job], label: str = "a session") -> SessionResult:
        """Run a session in a new worker, replacing a worker that dies or hangs."""
        reason = ""
        for attempt in range(1, self.attempts + 1):
            if self._closed:
                return SessionResult([], failure="the build stopped")
            result, reason = self._attempt(jobs)
            if result is not None:
                with self._lock:
                    self.sessions += 1
                    self.seconds += result.seconds
                return result
            more = attempt < self.attempts
            with self._lock:
                self.restarts += 1
            log.info("lrtutor: the worker running %s %s; %s", label, reason,
                     f"the session is re-run in a new worker (attempt {attempt + 1} of "
                     f"{self.attempts})" if more else "giving up")
        return SessionResult([], failure=f"{self.attempts} worker processes in a row "
                             f"could not run it; the last {reason}")

    def _attempt(self, jobs: list[Job]) -> tuple[SessionResult | None, str]:
        fd, stderr_path = tempfile.mkstemp(prefix="lrtutor-worker-", suffix=".stderr")
        os.close(fd)
        receiver, sender = self.context.Pipe(duplex=False)
        process = self.context.Process(target=run_session, args=(jobs, sender, stderr_path),
                                       daemon=True)
        try:
            try:
                with _private.main_not_reimported():
                    process.start()
            except Exception as error:  # fork server gone, no memory, ...
                return None, f"could not start ({type(error).__name__}: {error})"
            with self._lock:
                self._live.add(process)
            sender.close()
            ready = connection.wait([receiver, process.sentinel], self.timeout)
            result = None
            if receiver in ready:
                try:
                    result = receiver.recv()
                except (EOFError, OSError):
                    result = None
            if result is None and not ready:
                process.kill()
                process.join()
                return None, f"hung for more than {self.timeout:g} s and was killed"
            if result is not None:
                # Not joined: the worker's exit (tearing down a process that holds NumPy,
                # Matplotlib and SciPy) would hold this slot for most of a session's
                # cost; the fork server reaps it, and close() kills any left.
                return result, ""
            process.join(30)
            code = process.exitcode
            how = (f"was killed by signal {-code}" if code is not None and code < 0
                   else f"exited with status {code}")
            written = Path(stderr_path).read_text(encoding="utf-8", errors="replace").strip()
            return None, f"died ({how})" + (f"; it wrote:\n{written}" if written else "")
        finally:
            with self._lock:
                self._live.discard(process)
            receiver.close()
            Path(stderr_path).unlink(missing_ok=True)

    def close(self) -> None:
        """Cancel sessions not started, kill the workers still running."""
        self._closed = True
        self._threads.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            live = list(self._live)
        for process in live:
            process.kill()
        self._threads.shutdown(wait=True)


def ensure_fresh(fingerprint: str) -> None:
    """Restart the fork server if what it preloaded changed since it started."""
    _private.restart_forkserver_unless(fingerprint)


def predict(
    page: str, page_path: str, markdown: str, blocks: Iterable[Any], snippet_dirs: list[str],
    root: str,
) -> dict[str, list[Job]]:
    """The sessions of a page's executed Python and console blocks, by :func:`chain_key`.

    ``blocks`` are :class:`lrtutor_site.blocks.Block` of ``markdown`` (the page's
    source). A block made of ``--8<--`` snippet lines and code gets the snippet files'
    text in their place, as pymdownx.snippets includes them; a block whose snippet
    cannot be read ends its session's prediction (the build runs it as it finds it).
    """
    chains: dict[str, list[Job]] = {}
    broken: set[str] = set()
    for block in blocks:
        if block.language not in LANGUAGES or not block.executed or not block.closed:
            continue
        language = "pycon" if block.language == "pycon" else "python"
        key = chain_key(language, page, block.options.get("session", ""), block.id)
        if key in broken:
            continue
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
        if key in broken:
            continue
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
    return chains


def chain_key(language: str, page: str, session: str | None, block_id: str) -> str:
    """The session a block runs in.

    Console blocks: one per page and session, the blocks without a session sharing one;
    ``python`` blocks: one per page and session, and a block without a session alone.
    """
    if language == "pycon":
        return f"pycon:{page}::{session or ''}"
    return f"python:{page}::{session}" if session else f"python:{page}::#{block_id}"
