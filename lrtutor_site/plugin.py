"""The MkDocs plugin ``lrtutor`` (entry point in pyproject.toml; options in config.py).

The only module of lrtutor_site that imports MkDocs. What it adds to MkDocs, markdown-exec
and mkdocs-jupyter, each where no maintained plugin does it:

1. **Every session in a clean worker.** Before the pages render, the Python and console
   blocks of every page to build are read (``blocks.scan`` and ``engine.predict``,
   snippets included) and their sessions handed to :class:`engine.Engine`, one new
   worker process each; markdown-exec's ``python`` and ``pycon`` formatters then only
   read the results. A block whose code is not what was predicted (another plugin
   changed the page) runs with its session's earlier blocks in a new worker, still
   never here. Console blocks are checked with doctest: the example's output must be
   what the page says.
2. **Failures that say where, at any verbosity.** Log messages of markdown-exec start
   with the page and line of the block's fence (``docs/decay.md:152: ...``); a failing
   block's message keeps what it printed and wrote to stderr, and its traceback points
   into the page or snippet. Each failure is also counted here: MkDocs drops warnings
   below its log level before ``--strict`` counts them, so ``on_post_build`` fails a
   strict build itself. After each page, the blocks the build ran are compared with
   those ``blocks.scan`` finds (what pytest checks).
3. **Linkable figures**: the ids the rendered page holds go into
   ``page.present_anchor_ids``, so ``[the figure](#fig-x)`` passes MkDocs' checks.
4. **A light, downloadable, honest notebook page.** Our nbconvert template
   (``jupyter/``) goes first on ``JUPYTER_PATH``; the ``.ipynb`` is added to the site with
   a button; a cell that wrote to stderr fails the build naming its number and text.
5. **The cache** (``cache.py``) under ``mkdocs serve``; dirty reloads rebuild the pages
   whose snippets or lrtutor changed and keep mkdocs-autorefs' anchors of the others.

**Lifetime.** MkDocs keeps a plugin with ``on_startup`` for the whole ``mkdocs serve``
(its config is loaded again for every rebuild). What outlives a build: the command, the
dirty flag, the page digests and autorefs anchors of the last build, and the fork server
(restarted when lrtutor or a preloaded distribution changes). Everything else
(:class:`_Build`: the engine, the sessions, the page being rendered, the failures) is
made in ``on_pre_build`` and dropped in ``on_post_build`` or ``on_build_error``.
"""

from __future__ import annotations

import functools
import hashlib
import html
import logging
import os
import posixpath
import re
import time
from collections.abc import Callable, MutableMapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import jupytext
import markdown_exec
from markdown_exec import ExecutionError, base_format
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from mkdocs_jupyter.plugin import NotebookFile

from lrtutor_site import _private, blocks, cache, engine, execute, mathml
from lrtutor_site.config import LrtutorConfig

log = logging.getLogger("mkdocs.plugins.lrtutor")

#: A Jupyter data directory holding nbconvert/templates/mkdocs_html/notebook.html.j2.
JUPYTER_DATA = str(Path(__file__).parent / "jupyter")
#: Material's "download" icon.
_DOWNLOAD_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
    '<path d="M5 20h14v-2H5m14-9h-4V3H9v6H5l7 7z"/></svg>'
)
_SNIPPET_LINE = re.compile(r"""[ \t]*-{1,}8<-{1,}[ \t]+["']([^"']+)["'][ \t]*""")
#: Our template marks a notebook cell's stderr output (notebook.html.j2).
# A prose pin, ``8<!-- = n -->``: pytest reads it from the page's source; readers never
# see it, so the built page leaves it out (a few KB on a page with many numbers).
_PIN = re.compile(r"<!-- [=~] .*? -->", re.S)
# "13 %" must not break before its "%" (the pages write a space there, as SI style
# does): outside code, scripts, figures and math, that space becomes a no-break space.
_PERCENT_GAP = re.compile(
    r"(<(pre|code|script|style|svg|math|textarea)\b.*?</\2>)|(?<=\d) (?=%)", re.S
)


def _keep_percent_signs(html: str) -> str:
    return _PERCENT_GAP.sub(lambda m: m[1] or "\u00a0", html)
_NOTEBOOK_STDERR = re.compile(
    r"<!--lrtutor:stderr cell (\d+)-->(.*?)<!--/lrtutor:stderr-->", re.S)
_NOTEBOOK_ERROR = re.compile(
    r"<!--lrtutor:error cell (\d+): (.*?)-->(.*?)<!--/lrtutor:error-->", re.S)


def _stderr_note(stderr: str) -> str:
    return f"It wrote to stderr:\n\n```text\n{stderr.rstrip()}\n```\n" if stderr else ""


@dataclass
class _Session:
    """A session of one build: predicted jobs, their future result, how far the build
    got, and the jobs as the build really met them."""

    jobs: list[engine.Job]
    label: str
    key: str = ""  # cache key ("" when not cached)
    future: Future[engine.SessionResult] | None = None
    result: engine.SessionResult | None = None
    from_cache: bool = False
    taken: int = 0
    in_sync: bool = True
    actual: list[engine.Job] = field(default_factory=list)


@dataclass
class _Page:
    src: str = ""
    path: str = ""  # docs/x.md, for messages
    lines: dict[str, int] = field(default_factory=dict)  # block id -> fence line
    expected: list[blocks.Block] = field(default_factory=list)
    ran: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Build:
    """What one build holds, from on_pre_build to on_post_build."""

    engine: engine.Engine
    store: cache.SessionStore | None
    sessions: dict[str, _Session] = field(default_factory=dict)
    page: _Page = field(default_factory=_Page)
    where: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    waited: float = 0.0
    executed_blocks: int = 0
    reused_blocks: int = 0


class _LocatingAdapter(logging.LoggerAdapter):
    """markdown-exec's log messages, starting with the page line of the block running,
    each warning or error counted as a failure of the site (whatever the log level)."""

    def __init__(self, logger: logging.Logger, prefix: str, plugin: LrtutorPlugin) -> None:
        super().__init__(logger, {"prefix": prefix})
        self.plugin = plugin

    def log(self, level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
        if level >= logging.WARNING:
            self.plugin.count_failure(str(msg))
        super().log(level, msg, *args, **kwargs)

    def process(self, msg: str, kwargs: MutableMapping[str, Any]) -> tuple[str, Any]:
        return f"{self.extra['prefix']}: {self.plugin.where()}{msg}", kwargs


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value and (key == "id" or (key == "name" and tag == "a")):
                self.ids.add(value)


class LrtutorPlugin(BasePlugin[LrtutorConfig]):
    """Runs the pages' code in clean workers and checks it (see the module's text)."""

    def __init__(self) -> None:
        # Outlive a build under `mkdocs serve`:
        self.command: str | None = None
        self.dirty = False
        self.page_digests: dict[str, str] = {}
        self.anchors: tuple[dict[str, Any], ...] | None = None
        # Reset per build:
        self.build: _Build | None = None
        self.root = Path(".")
        self.snippet_dirs: list[str] = []
        self.notebooks: dict[str, File] = {}
        self.cache_on = False

    # -- where the build is, and what failed -------------------------------------------

    def where(self) -> str:
        build = self.build
        return f"{build.where[-1]}: " if build and build.where and build.where[-1] else ""

    def count_failure(self, message: str) -> None:
        if self.build is not None:
            first = message.strip().splitlines()[0] if message.strip() else "failed"
            self.build.failures.append(f"{self.where()}{first}")

    def _warn(self, message: str) -> None:
        self.count_failure(message)
        logging.getLogger("mkdocs.plugins.markdown_exec").warning(
            f"markdown_exec: {self.where()}{message}")

    # -- MkDocs events ---------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty

    def on_config(self, config: Any) -> Any:
        superfences = (config.mdx_configs or {}).get("pymdownx.superfences", {})
        for fence in superfences.get("custom_fences", []):  # markdown-exec's, from its on_config
            if fence.get("format") is markdown_exec.formatter and "validator" in fence:
                fence["validator"] = self._recording(fence["validator"])
        self.root = Path(config.config_file_path or ".").resolve().parent
        snippets = (config.mdx_configs or {}).get("pymdownx.snippets", {})
        bases = snippets.get("base_path", ["."])
        self.snippet_dirs = [str(self.root / base)
                             for base in ([bases] if isinstance(bases, str) else bases)]
        self.cache_on = cache.cache_wanted(self.command, self.config.cache)
        markdown_exec.patch_loggers(
            lambda name: _LocatingAdapter(logging.getLogger(f"mkdocs.plugins.{name}"),
                                          name.split(".", 1)[0], self))
        markdown_exec.formatters["pycon"] = self._format_pycon
        markdown_exec.formatters["python"] = markdown_exec.formatters["py"] = self._format_python
        for language, formatter in list(markdown_exec.formatters.items()):
            markdown_exec.formatters[language] = self._located(
                getattr(formatter, "__wrapped__", formatter))
        if self.config.execute == "all":
            if "pycon" not in markdown_exec.MARKDOWN_EXEC_AUTO:
                # Every pycon block on the site is executed and checked.
                markdown_exec.MARKDOWN_EXEC_AUTO.append("pycon")
        elif "pycon" in markdown_exec.MARKDOWN_EXEC_AUTO:
            markdown_exec.MARKDOWN_EXEC_AUTO.remove("pycon")
        notebook = config.plugins.get("mkdocs-jupyter")
        if notebook is not None:
            if self.config.execute == "none":
                notebook.config["execute"] = False
            if "mathjax_version" in notebook.config:
                # mkdocs-jupyter 0.27 appends a MathJax 3/4 loader (from a CDN) to every
                # page; for MathJax 2 it relies on the template's header, which ours drops.
                notebook.config["mathjax_version"] = 2
            if not self.cache_on:
                notebook.config["cache"] = False
        # The notebook's kernel is started with the build's environment: a caller's
        # PYTHONWARNINGS (the tests set "ignore") would hide what a cell warns, and the
        # page would differ with the caller. The kernel gets Python's defaults, as the
        # workers do (engine.python_default_warnings).
        if os.environ.pop("PYTHONWARNINGS", None) is not None:
            log.debug("lrtutor: PYTHONWARNINGS left out of the notebook kernel's environment")
        paths = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
        if JUPYTER_DATA not in paths:
            os.environ["JUPYTER_PATH"] = os.pathsep.join([JUPYTER_DATA, *filter(None, paths)])
        return config

    def on_pre_build(self, *, config: Any) -> None:
        self._close()
        package = cache.lrtutor_package()
        environment = cache.environment_key(package)
        engine.ensure_fresh(environment + cache.versions_of(tuple(engine.PRELOAD_DISTRIBUTIONS)))
        store = None
        if self.cache_on:
            folder = self.root / ".cache" / "lrtutor" / "blocks" / environment[:20]
            store = cache.SessionStore(folder, environment, cache.lrtutor_version(package))
            self._notebook_cache(config, environment)
        self.build = _Build(engine.Engine(self.config.workers, float(self.config.timeout)),
                            store)
        mathml.install_notebook_math()

    def _notebook_cache(self, config: Any, environment: str) -> None:
        notebook = config.plugins.get("mkdocs-jupyter")
        if notebook is None:
            return
        name = hashlib.sha256(
            (environment + cache.versions_of(cache.NOTEBOOK_VERSIONED)).encode()
        ).hexdigest()[:20]
        folder = self.root / ".cache" / "lrtutor" / "notebook" / name
        folder.mkdir(parents=True, exist_ok=True)
        cache.verify_notebook_cache(folder)
        notebook.config["cache"] = True
        notebook.config["cache_dir"] = str(folder)
        if self.dirty:
            # mkdocs-jupyter deletes every entry its build did not read, and a dirty
            # rebuild of another page does not render the notebook: keep what is there.
            used = _private.notebook_used_cache_paths(notebook)
            if used is not None:
                used.update(folder.glob("*.json"))

    def on_files(self, files: Any, *, config: Any) -> Any:
        self.notebooks.clear()
        for file in list(files):
            if isinstance(file, NotebookFile) and not file.src_uri.endswith(".ipynb"):
                self.notebooks[file.src_uri] = self._ipynb(config, file)
                files.append(self.notebooks[file.src_uri])
        if self.dirty:
            self._mark_dirty_pages(files, config)
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        """Hand every session of the pages to render to the engine (cached ones aside)."""
        build = self.build
        if build is None or self.config.execute != "all":
            return nav
        for file in files.documentation_pages():
            if not file.src_uri.endswith(".md") or (self.dirty and not file.is_modified()):
                continue
            try:  # the execution step's own reading (python -m lrtutor_site execute)
                path, _, chains = execute.page_chains(file.src_uri, file.abs_src_path,
                                                      self.root, self.snippet_dirs)
            except (OSError, TypeError, UnicodeDecodeError):
                continue
            for chain, jobs in chains.items():
                session = _Session(jobs, f"{path} {chain.split('::', 1)[1]!r}")
                if build.store is not None:
                    session.key = cache.session_key(build.store.environment, chain, jobs)
                    session.result = build.store.load(session.key)
                    session.from_cache = session.result is not None
                if session.result is None:
                    session.future = build.engine.submit(jobs, session.label)
                build.sessions[chain] = session
        return nav

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        mathml.set_page(self._page_path(page.file), markdown)  # for errors naming page:line
        if self.build is None:
            return markdown
        found, problems = blocks.scan(markdown)
        self.build.page = _Page(page.file.src_uri, self._page_path(page.file))
        if problems:
            raise PluginError("\n".join(f"{self.build.page.path}:{line}: {text}"
                                        for line, text in problems))
        executed = [b for b in found if b.executed and b.closed]
        self.build.page.lines = {b.id: b.line for b in executed}
        self.build.page.expected = executed
        if self.config.execute != "all":  # executed blocks become plain code blocks
            markdown = _plain_fences(markdown)
        return markdown

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        build = self.build
        if build is not None and self.config.execute == "all" \
                and page.file.src_uri == build.page.src:
            self._check_ran_as_expected()
        if build is not None and page.file.src_uri in self.notebooks:
            html = self._notebook_stderr(html, page)
        if page.file.src_uri in self.notebooks:  # its math came from nbconvert, formula by formula
            html = mathml.hold_punctuation(html)
        html = _keep_percent_signs(_PIN.sub("", html))
        if page.present_anchor_ids is not None:
            parser = _Ids()
            parser.feed(html)
            parser.close()
            page.present_anchor_ids |= parser.ids
        return self._download_button(html, page)

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        """Keep the theme's compiled templates between rebuilds (when the cache is on),
        and give mkdocs-autorefs the anchors of pages a dirty rebuild did not render."""
        if self.cache_on:
            folder = self.root / ".cache" / "lrtutor" / "jinja"
            folder.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
        autorefs = config.plugins.get("autorefs")
        if autorefs is not None and self.dirty and self.anchors is not None:
            for name, old in zip(_private.AUTOREFS_MAPS, self.anchors, strict=True):
                current = getattr(autorefs, name, None)
                if isinstance(current, dict):
                    for identifier, url in old.items():
                        current.setdefault(identifier, url)
        return env

    def on_post_build(self, *, config: Any) -> None:
        self._save_anchors(config)
        build = self.build
        if build is None:
            return
        self._close()
        if build.store is not None:
            for session in build.sessions.values():
                result = session.result
                if (session.key and not session.from_cache and result is not None
                        and result.failure is None and session.in_sync
                        and all(o.clean for o in result.outcomes)):
                    build.store.save(session.key, result)
            folder = build.store.folder
            if not self.dirty:
                build.store.evict_unused()
            cache._prune(folder.parent, folder.name)
            notebook = config.plugins.get("mkdocs-jupyter")
            if notebook is not None and notebook.config.get("cache_dir"):
                notebook_folder = Path(notebook.config["cache_dir"])
                cache.write_manifest(notebook_folder)
                cache._prune(notebook_folder.parent, notebook_folder.name)
            log.info("exec cache: %d blocks executed, %d reused, 0 replayed, "
                     "%d entries rejected", build.executed_blocks, build.reused_blocks,
                     build.store.rejected)
        ran = [s for s in build.sessions.values() if not s.from_cache]
        if build.sessions:
            log.info("lrtutor: %d blocks ran in worker processes, in %d sessions "
                     "(%.2f s of page code), %d replaced workers; the build waited "
                     "%.2f s for workers", sum(len(s.jobs) for s in ran), len(ran),
                     build.engine.seconds, build.engine.restarts, build.waited)
        if build.failures and config.strict:
            shown = "\n".join(f"  {f}" for f in build.failures[:20])
            raise PluginError(
                f"lrtutor: {len(build.failures)} failure(s) of the site's own checks "
                f"(a raising block, a console mismatch, stderr):\n{shown}")

    def on_build_error(self, *, error: Exception) -> None:
        self._close()

    def on_shutdown(self) -> None:
        self._close()

    def _close(self) -> None:
        if self.build is not None:
            self.build.engine.close()

    # -- running blocks: read the engine's results --------------------------------------

    def _recording(self, validator: Callable[..., bool]) -> Callable[..., bool]:
        """markdown-exec's fence validator, noting each block it accepts for execution."""

        @functools.wraps(validator)
        def validate(language: str, inputs: dict[str, str], options: dict[str, Any],
                     *args: Any, **kwargs: Any) -> bool:
            accepted = validator(language, inputs, options, *args, **kwargs)
            if accepted and self.build is not None:
                self.build.page.ran.append((language, options.get("id", "")))
            return accepted

        return validate

    def _located(self, formatter: Callable[..., Any]) -> Callable[..., Any]:
        """``formatter`` with the block's page and line known to the log while it runs."""

        @functools.wraps(formatter)
        def run(**kwargs: Any) -> Any:
            build = self.build
            if build is None:
                return formatter(**kwargs)
            line = build.page.lines.get(kwargs.get("id", ""))
            build.where.append(f"{build.page.path}:{line}" if line else build.page.path)
            try:
                return formatter(**kwargs)
            finally:
                build.where.pop()

        return run

    def _format_python(self, **kwargs: Any) -> Any:
        return base_format(language="python", run=self._run_python, **kwargs)

    def _format_pycon(self, **kwargs: Any) -> Any:
        # "python-console" is Pygments' other name for the pycon lexer: markdown-exec
        # does not execute the rendered transcript once more.
        kwargs["result"] = "python-console"
        kwargs["source"] = ""
        return base_format(language="pycon", run=self._run_pycon, **kwargs)

    def _run_python(self, code: str, returncode: int | None = None,
                    session: str | None = None, id: str = "", **_: Any) -> str:
        outcome = self._outcome("python", code, session, id)
        if outcome.error is not None:
            raise ExecutionError(
                f"{outcome.error}\n\n"
                + _stderr_note(outcome.stderr)
                + (f"It printed:\n\n```text\n{outcome.stdout.rstrip()}\n```\n"
                   if outcome.stdout else "")
                + (f"Traceback:\n\n```pytb\n{outcome.traceback}\n```" if outcome.traceback
                   else "")
            )
        if outcome.stderr:
            self._warn(f"python block '{id}' wrote to stderr:\n{outcome.stderr.rstrip()}")
        return outcome.stdout

    def _run_pycon(self, code: str, session: str | None = None, id: str = "",
                   **_: Any) -> str:
        outcome = self._outcome("pycon", code, session, id)
        name = id or "pycon"
        if outcome.error is not None:
            raise ExecutionError(f"console block '{name}': {outcome.error}")
        assert self.build is not None
        fence = self.build.page.lines.get(id)
        problems = [
            (f"page line {fence + 1 + example.lineno}: " if fence else
             f"line {example.lineno + 1} of the block: ") + example.problem
            for example in outcome.examples if example.problem
        ]
        if problems:
            raise ExecutionError(
                f"console block '{name}' does not print what the page says.\n"
                + "\n".join(problems) + "\n" + _stderr_note(outcome.stderr))
        if outcome.stderr:
            self._warn(f"console block '{name}' wrote to stderr:\n{outcome.stderr.rstrip()}")
        return engine.transcript(outcome.examples)

    def _outcome(self, language: str, code: str, session: str | None,
                 block_id: str) -> engine.Outcome:
        """What the block did: its session's result, or a run of the session as met."""
        build = self.build
        assert build is not None
        chain = engine.chain_key(language, build.page.src, session, block_id)
        state = build.sessions.get(chain)
        if state is None:
            state = build.sessions[chain] = _Session([], f"{build.page.path} {chain}",
                                                     in_sync=False)
        index = state.taken
        state.taken += 1
        predicted = state.jobs[index] if index < len(state.jobs) else None
        if (state.in_sync and predicted is not None and predicted.block_id == block_id
                and predicted.code.rstrip("\n") == code.rstrip("\n")):
            state.actual.append(predicted)
            result = self._result(state)
            if result.failure is not None:
                return engine.Outcome(error=f"WorkerError: {result.failure}")
            if state.from_cache:
                build.reused_blocks += 1
            else:
                build.executed_blocks += 1
            return result.outcomes[index]
        if state.in_sync:
            log.debug("lrtutor: block %s of %s is not as predicted; its session runs as met",
                      block_id, chain)
        state.in_sync = False
        state.actual.append(self._job(language, code, block_id))
        result = build.engine.run(list(state.actual), state.label)
        build.executed_blocks += 1
        if result.failure is not None:
            return engine.Outcome(error=f"WorkerError: {result.failure}")
        return result.outcomes[-1]

    def _result(self, state: _Session) -> engine.SessionResult:
        if state.result is None:
            assert state.future is not None and self.build is not None
            start = time.perf_counter()
            state.result = state.future.result()
            self.build.waited += time.perf_counter() - start
        return state.result

    def _job(self, language: str, code: str, block_id: str) -> engine.Job:
        """A block as the build met it: where its code comes from, for tracebacks."""
        assert self.build is not None
        page = self.build.page
        module = engine.module_name(page.src, block_id)
        if language == "pycon":
            return engine.Job(block_id, code, page.path, 0, module, "pycon")
        block = next((b for b in page.expected if b.id == block_id), None)
        filename, first_line = f"<{page.path} block {block_id or 'python'}>", 1
        if block is not None:
            if block.source.rstrip("\n") == code.rstrip("\n"):
                filename, first_line = page.path, block.line + 1
            else:
                included = [m[1] for line in block.lines
                            if (m := _SNIPPET_LINE.fullmatch(line))]
                if len(included) == 1 and len([ln for ln in block.lines if ln.strip()]) == 1:
                    for base in self.snippet_dirs:
                        path = Path(base) / included[0]
                        if path.is_file() and \
                                path.read_text("utf-8").rstrip("\n") == code.rstrip("\n"):
                            filename = Path(os.path.relpath(path, self.root)).as_posix()
                            break
        return engine.Job(block_id, code, filename, first_line, module, language)

    def _check_ran_as_expected(self) -> None:
        """The blocks markdown-exec ran on the page are those blocks.scan found."""
        assert self.build is not None
        page = self.build.page
        ran = {block_id for _, block_id in page.ran}
        found = {b.id for b in page.expected}
        messages = [
            f"{page.path}:{b.line}: the build did not run {b.language} block '{b.id}', "
            "though it reads as an executed block (and pytest runs console blocks): "
            "Markdown shows it as text here. Put the fence on a line of its own, "
            "indented like the text around it."
            for b in page.expected if b.id not in ran
        ] + [
            f"{page.path}: the build ran a {language} block '{block_id}' that is not a "
            "fence of this page (included from a snippet, or nested in a construct the "
            "checks do not read), so pytest does not check it; write it in the page itself"
            for language, block_id in page.ran if block_id not in found
        ]
        if messages:
            raise PluginError("\n".join(messages))

    # -- the notebook page ----------------------------------------------------------------

    def _ipynb(self, config: Any, page_file: NotebookFile) -> File:
        """The notebook as .ipynb (cells without outputs), next to the page's HTML."""
        notebook = jupytext.read(page_file.abs_src_path)
        for number, cell in enumerate(notebook.cells, 1):
            cell.id = f"cell-{number}"  # the same file from one build to the next
        name = posixpath.splitext(posixpath.basename(page_file.src_uri))[0] + ".ipynb"
        return File.generated(
            config, posixpath.join(posixpath.dirname(page_file.dest_uri), name),
            content=jupytext.writes(notebook, fmt="ipynb"),
        )

    def _notebook_stderr(self, page_html: str, page: Any) -> str:
        """A cell that wrote to stderr fails the build, like a console block; a cell
        that raised stops it, naming the page and the cell.

        Our template marks both with the cell's number. mkdocs-jupyter renders a raising
        cell when ``allow_errors`` is true (its default); with ``false`` nbconvert stops
        the build itself, with the cell's code and traceback but neither page nor cell
        number, so mkdocs.yml sets ``true`` and lets this check stop it.
        """
        assert self.build is not None
        path = self._page_path(page.file)
        for number, text in _NOTEBOOK_STDERR.findall(page_html):
            written = html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
            message = f"{path}: notebook cell {number} wrote to stderr:\n{written}"
            self.build.failures.append(message.splitlines()[0])
            log.warning(message)
        raised = [f"{path}: notebook cell {number} raised {html.unescape(error)}"
                  for number, error, _ in _NOTEBOOK_ERROR.findall(page_html)]
        if raised:  # as with allow_errors: false, at any verbosity and without --strict
            raise PluginError("\n".join(raised))
        return _NOTEBOOK_STDERR.sub(lambda m: m[2], page_html)

    def _download_button(self, page_html: str, page: Any) -> str:
        notebook = self.notebooks.get(page.file.src_uri)
        if notebook is None:
            return page_html
        href = html.escape(get_relative_url(notebook.url, page.url))
        name = html.escape(posixpath.basename(notebook.src_uri))
        return (
            f'<a href="{href}" download class="md-content__button md-icon" '
            f'title="Download the notebook ({name})">{_DOWNLOAD_ICON}</a>' + page_html
        )

    # -- dirty reloads ----------------------------------------------------------------

    def _mark_dirty_pages(self, files: Any, config: Any) -> None:
        """Under ``--dirty``, rebuild every page whose lrtutor, machinery or snippets
        changed (MkDocs rebuilds only pages whose own file is newer than its output)."""
        environment = cache.environment_key(cache.lrtutor_package(),
                                            config_file=config.config_file_path)
        snippets = cache._snippet_folder(config)
        for file in files.documentation_pages():
            try:
                text = Path(file.abs_src_path).read_text(encoding="utf-8")
            except (OSError, TypeError, UnicodeDecodeError):
                continue
            digest = cache.page_inputs_digest(text, environment, snippets)
            if self.page_digests.get(file.src_uri) != digest:
                file.is_modified = lambda: True  # this build only: files are new each build
            self.page_digests[file.src_uri] = digest

    def _save_anchors(self, config: Any) -> None:
        autorefs = config.plugins.get("autorefs")
        maps = [getattr(autorefs, n, None) for n in _private.AUTOREFS_MAPS]
        if autorefs is None or not all(isinstance(m, dict) for m in maps):
            self.anchors = None
            return
        self.anchors = tuple(
            {key: (list(value) if isinstance(value, list) else value)
             for key, value in m.items()}
            for m in maps
        )

    def _page_path(self, file: Any) -> str:
        return Path(os.path.relpath(file.abs_src_path, self.root)).as_posix()


def _plain_fences(markdown: str) -> str:
    """Executed blocks as plain code blocks of their language (execute: notebook/none).

    Each keeps its block id as the code block's id, so that a link to a figure by the id
    of its block still finds an anchor when the figure is not drawn.
    """
    for block in reversed(blocks.executed_blocks(markdown)):
        anchor = f" #{block.id}" if re.fullmatch(r"[A-Za-z][\w-]*", block.id) else ""
        plain = f"{block.prefix}{block.fence}{{.{block.language}{anchor}}}"
        markdown = markdown[: block.start] + plain + markdown[block.end :]
    return markdown
