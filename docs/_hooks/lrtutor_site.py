"""MkDocs hooks for the lrtutor site (named in mkdocs.yml under ``hooks:``).

Gaps that no maintained plugin fills, each kept small:

1. **Checked console examples.** markdown-exec runs a ``pycon`` block as a script, so a
   bare expression prints nothing and the expected output written in the page is never
   compared. We register a ``pycon`` formatter with markdown-exec (its public
   ``formatters`` table) that runs the examples with the standard library's
   :mod:`doctest` runner, shows what each line printed *in this build*, and fails the
   block (a markdown-exec warning, fatal under ``--strict``) when that differs from
   the expected output in the page. pytest checks the same examples with sybil
   (``docs/conftest.py``); which blocks are checked, the doctest flags and the NumPy
   print style come from ``lrtutor_blocks.py``, shared by both.
2. **Failures that say where.** markdown-exec names a failing block by id only and
   drops what a ``python`` block wrote before raising. Every markdown-exec formatter is
   wrapped so that its log messages (through markdown-exec's public ``patch_loggers``)
   start with the page and the line of the block's fence; ``python`` blocks run in our
   formatter, which keeps their stdout and stderr and puts both in the failure.
   After each page, the blocks the build ran are compared with those ``lrtutor_blocks``
   finds (what pytest checks): a block one side runs and the other does not fails the
   build at its line.
3. **Math without network.** pymdownx.arithmatex (generic mode) finds the TeX;
   ``lrtutor_math.py``, a Python-Markdown extension that we add to the configuration
   here (MkDocs reads ``markdown_extensions`` before it loads hooks, which put this
   directory on the import path), turns it into MathML at build time with latex2mathml,
   on the Markdown pages and in the notebook's Markdown cells. No script, no font, no
   CDN.
4. **Honest live reload.** ``mkdocs serve`` keeps imported modules cached, so an edit
   to lrtutor would not show. Before each build we drop lrtutor from ``sys.modules``
   and clear the sessions, so every build runs the current code.
5. **Linkable figures.** MkDocs collects a page's anchors from the Markdown tree, which
   does not hold the HTML that markdown-exec stashes (figure ids). We add the ids the
   rendered page holds to ``page.present_anchor_ids`` (the set MkDocs' anchor
   validation reads), so ``[the figure](#fig-x)`` passes and a missing id still fails.
6. **A light, downloadable notebook page.** mkdocs-jupyter renders ``docs/playground.py``
   (executed, failing on any error). Its template inlines JupyterLab's 600 KB stylesheet
   and links MathJax and Mermaid from a CDN, and no plugin option turns that off, so we
   put our own template first on nbconvert's template path (``JUPYTER_PATH``, the
   documented way to add templates; see ``jupyter/nbconvert/templates/``). The
   plugin's download option copies the source as it is (here a ``.py``) and Material
   shows no link for it, so we add the ``.ipynb`` to the site and a button to the page.
7. **Two cores, not one.** markdown-exec runs every block in the build's process, one
   after another. Before the pages are rendered we predict each page's Python and
   console blocks and run them in worker processes (``lrtutor_pool.py``); a block uses
   a worker's output only if the worker ran this very code, cleanly, after the same
   earlier blocks, and runs here otherwise.
"""

from __future__ import annotations

import functools
import html
import logging
import os
import posixpath
import re
import sys
import traceback
from collections.abc import Callable, MutableMapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jupytext
import markdown_exec
from markdown_exec import ExecutionError, base_format
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from mkdocs_jupyter.plugin import NotebookFile

# MkDocs loads a hook by its path; its sibling modules are imported from this directory,
# afresh each time (`mkdocs serve` loads the hook again on every rebuild).
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))
for _sibling in ("lrtutor_blocks", "lrtutor_math", "lrtutor_pool"):
    sys.modules.pop(_sibling, None)
import lrtutor_blocks  # noqa: E402
import lrtutor_math  # noqa: E402
import lrtutor_pool  # noqa: E402

#: The page being built: its source path for messages (``docs/x.md``), the page line
#: of each executed block's fence by id, and the blocks markdown-exec ran on it.
_page: dict[str, Any] = {"src": "", "path": "", "lines": {}, "expected": [], "ran": []}
_where: list[str] = []  # the block being run (nested for Markdown blocks that run code)


def _block_line(block_id: str) -> int | None:
    return _page["lines"].get(block_id)


# -- 1. checked console examples ------------------------------------------------------

_sessions: dict[str, dict[str, Any]] = {}


def _stderr_note(stderr: str) -> str:
    return f"It wrote to stderr:\n\n```text\n{stderr.rstrip()}\n```\n" if stderr else ""


def _via_pool(
    language: str, code: str, session: str | None, id: str,
    run_here: Callable[[str, str | None, str], str],
) -> str:
    """What a block prints: a worker's output (``lrtutor_pool.py``) if it may be used,
    else ``run_here``'s, after running here the blocks of its session served before
    (so that the namespace holds what they defined)."""
    if _pool is not None:
        chain = lrtutor_pool.chain_key(language, _page["src"], session, id)
        printed = _pool.take(chain, id, code)
        if printed is not None:
            return printed
        for earlier in _pool.fall_back(chain):
            run_here(earlier.code, session, earlier.block_id)
    return run_here(code, session, id)


def _run_checked_pycon(code: str, session: str | None = None, id: str = "", **_: Any) -> str:
    return _via_pool("pycon", code, session, id, _console_here)


def _console_here(code: str, session: str | None, id: str) -> str:
    globs = _sessions.setdefault(f"{_page['src']}::{session or ''}", {"__name__": "__main__"})
    name = id or "pycon"
    records, stderr = lrtutor_pool.run_console(code, globs, name, _page["path"])
    fence = _block_line(id)
    problems = [
        (f"page line {fence + 1 + example.lineno}: " if fence else
         f"line {example.lineno + 1} of the block: ") + problem
        for example, _got, problem in records
        if problem
    ]
    if problems:
        raise ExecutionError(
            f"console block '{name}' does not print what the page says.\n"
            + "\n".join(problems) + "\n" + _stderr_note(stderr)
        )
    if stderr:
        _logger("markdown_exec").warning(
            f"console block '{name}' wrote to stderr:\n{stderr.rstrip()}"
        )
    return lrtutor_pool.transcript(records)


def _format_checked_pycon(**kwargs: Any) -> Any:
    # "python-console" is Pygments' other name for the pycon lexer. Using it for the
    # transcript keeps markdown-exec from executing the rendered output once more.
    kwargs["result"] = "python-console"
    kwargs["source"] = ""
    return base_format(language="pycon", run=_run_checked_pycon, **kwargs)


# -- 2. python blocks that report what they wrote, and failures that say where ----------

_python_sessions: dict[str, dict[str, Any]] = {}
#: Worker processes running this build's Python and console blocks ahead
#: (``lrtutor_pool.py``).
_pool: lrtutor_pool.Pool | None = None
_dirty = {"dirty": False}  # mkdocs serve --dirty: only modified pages are rendered


def _run_python(
    code: str, returncode: int | None = None, session: str | None = None, id: str = "",
    **_: Any,
) -> str:
    """Run a ``python exec`` block: its stdout is the output, stderr goes to the log.

    Like markdown-exec's own runner (one namespace per session, a module object named
    after the block so that dataclasses and pickling work), but sessions are per page
    and what the block wrote to stdout and stderr before raising is kept. A worker
    process may have run the block already (``lrtutor_pool.py``): its output is used
    only if it ran this very code, cleanly, after the same earlier blocks.
    """
    return _via_pool("python", code, session, id, _run_here)


def _run_here(code: str, session: str | None, id: str) -> str:
    filename, first_line = _code_origin(code, id)
    if session:
        globs = _python_sessions.setdefault(f"{_page['src']}::{session}", {})
    else:
        globs = {}
    stdout, stderr, error = lrtutor_pool.execute(
        code, filename, first_line, lrtutor_pool.module_name(_page["src"], id), globs
    )
    if error is not None:
        # From the block's own frame on (not this function's).
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename == lrtutor_pool.__file__:
            tb = tb.tb_next
        trace = "".join(traceback.format_exception(type(error), error, tb))
        raise ExecutionError(
            f"{type(error).__name__}: {error}\n\n"
            + _stderr_note(stderr)
            + (f"It printed:\n\n```text\n{stdout.rstrip()}\n```\n" if stdout else "")
            + f"Traceback:\n\n```pytb\n{trace.rstrip()}\n```"
        ) from error
    if stderr:
        _logger("markdown_exec").warning(
            f"python block '{id}' wrote to stderr:\n{stderr.rstrip()}"
        )
    return stdout


_SNIPPET_LINE = re.compile(r"""[ \t]*-{1,}8<-{1,}[ \t]+["']([^"']+)["'][ \t]*""")


def _code_origin(code: str, block_id: str) -> tuple[str, int]:
    """The file and first line that ``code`` has there, for tracebacks.

    The page itself (line after the fence) when the block is written in the page, the
    snippet file when the block only includes one (``--8<-- "fig_x.py"``), else a name
    for the block.
    """
    block = next((b for b in _page["expected"] if b.id == block_id), None)
    if block is not None:
        if block.source.rstrip("\n") == code.rstrip("\n"):
            return _page["path"], block.line + 1
        included = [m[1] for line in block.lines if (m := _SNIPPET_LINE.fullmatch(line))]
        if len(included) == 1 and len([line for line in block.lines if line.strip()]) == 1:
            for base in _page.get("snippet_dirs", []):
                path = Path(base) / included[0]
                if path.is_file() and path.read_text("utf-8").rstrip("\n") == code.rstrip("\n"):
                    return Path(os.path.relpath(path, _page["root"])).as_posix(), 1
    return f"<{_page['path']} block {block_id or 'python'}>", 1


def _format_python(**kwargs: Any) -> Any:
    return base_format(language="python", run=_run_python, **kwargs)


def _located(language: str, formatter: Callable[..., Any]) -> Callable[..., Any]:
    """``formatter`` with the block's page and line known to the log while it runs."""

    @functools.wraps(formatter)
    def run(**kwargs: Any) -> Any:
        block_id = kwargs.get("id", "")
        line = _block_line(block_id)
        _where.append(f"{_page['path']}:{line}" if line else _page["path"])
        try:
            return formatter(**kwargs)
        finally:
            _where.pop()

    return run


def _recording(validator: Callable[..., bool]) -> Callable[..., bool]:
    """markdown-exec's fence validator, noting each block it accepts for execution.

    The validator decides which fences markdown-exec executes; noting them here, rather
    than in a formatter, also counts blocks that the execution cache (exec_cache.py,
    which wraps the formatters) serves without running them.
    """
    if getattr(validator, "lrtutor_recording", False):
        return validator

    @functools.wraps(validator)
    def validate(language: str, inputs: dict[str, str], options: dict[str, Any],
                 *args: Any, **kwargs: Any) -> bool:
        accepted = validator(language, inputs, options, *args, **kwargs)
        if accepted:
            _page["ran"].append((language, options.get("id", "")))
        return accepted

    validate.lrtutor_recording = True  # type: ignore[attr-defined]
    return validate


class _LocatingAdapter(logging.LoggerAdapter):
    """markdown-exec's log messages, starting with the page line of the block running."""

    def process(self, msg: str, kwargs: MutableMapping[str, Any]) -> tuple[str, Any]:
        where = f"{_where[-1]}: " if _where and _where[-1] else ""
        return f"{self.extra['prefix']}: {where}{msg}", kwargs


def _logger(name: str) -> _LocatingAdapter:
    # Under "mkdocs.plugins." like markdown-exec's own adapter, so --strict counts it.
    return _LocatingAdapter(
        logging.getLogger(f"mkdocs.plugins.{name}"), {"prefix": name.split(".", 1)[0]}
    )


markdown_exec.patch_loggers(_logger)

#: ``LRTUTOR_NO_EXEC=1`` builds the same pages without running their code, for
#: tests/benchmark.py to compare: console and ``exec`` blocks show as plain code.
#: ``LRTUTOR_NO_EXEC=all`` does not execute the notebook either.
NO_EXEC = os.environ.get("LRTUTOR_NO_EXEC", "") not in ("", "0")

markdown_exec.formatters["pycon"] = _format_checked_pycon
markdown_exec.formatters["python"] = markdown_exec.formatters["py"] = _format_python
for _language, _formatter in list(markdown_exec.formatters.items()):
    # Unwrap first: `mkdocs serve` loads this module again on every rebuild.
    markdown_exec.formatters[_language] = _located(
        _language, getattr(_formatter, "__wrapped__", _formatter)
    )
if "pycon" not in markdown_exec.MARKDOWN_EXEC_AUTO and not NO_EXEC:
    # Every pycon block on the site is executed and checked; none is decoration.
    markdown_exec.MARKDOWN_EXEC_AUTO.append("pycon")


def _check_blocks(markdown: str) -> None:
    """Refuse constructs the build and pytest would read differently, or that hide."""
    blocks, problems = lrtutor_blocks.scan(markdown)
    if problems:
        raise PluginError("\n".join(f"{_page['path']}:{line}: {text}" for line, text in problems))
    executed = [b for b in blocks if b.executed and b.closed]
    _page["lines"] = {b.id: b.line for b in executed}
    _page["expected"] = executed
    _page["ran"] = []


def _check_ran_as_expected() -> None:
    """The blocks markdown-exec ran on the page are those lrtutor_blocks found."""
    ran = {block_id for _, block_id in _page["ran"]}
    missing = [b for b in _page["expected"] if b.id not in ran]
    found = {b.id for b in _page["expected"]}
    extra = [(language, i) for language, i in _page["ran"] if i not in found]
    messages = [
        f"{_page['path']}:{b.line}: the build did not run {b.language} block '{b.id}', though "
        "it reads as an executed block (and pytest runs console blocks): Markdown shows it "
        "as text here. Put the fence on a line of its own, indented like the text around it."
        for b in missing
    ] + [
        f"{_page['path']}: the build ran a {language} block '{block_id}' that is not a fence "
        "of this page (included from a snippet, or nested in a construct the checks do not "
        "read), so pytest does not check it; write it in the page itself"
        for language, block_id in extra
    ]
    if messages:
        raise PluginError("\n".join(messages))


def _plain_fences(markdown: str) -> str:
    """Executed blocks as plain code blocks of their language (for ``NO_EXEC``).

    Each keeps its block id as the code block's id, so that a link to a figure by the id
    of its block (``[the figure](#fig-x)``, block ``id="fig-x"``) still finds an anchor
    when the figure is not drawn.
    """
    for block in reversed(lrtutor_blocks.executed_blocks(markdown)):
        anchor = f" #{block.id}" if re.fullmatch(r"[A-Za-z][\w-]*", block.id) else ""
        plain = f"{block.prefix}{block.fence}{{.{block.language}{anchor}}}"
        markdown = markdown[: block.start] + plain + markdown[block.end :]
    return markdown


# -- 5. linkable figures -----------------------------------------------------------------


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value and (key == "id" or (key == "name" and tag == "a")):
                self.ids.add(value)


def _register_anchors(page_html: str, page: Any) -> None:
    if page.present_anchor_ids is None:
        return
    parser = _Ids()
    parser.feed(page_html)
    parser.close()
    page.present_anchor_ids |= parser.ids


# -- 4. notebook page -------------------------------------------------------------------

#: A Jupyter data directory holding nbconvert/templates/mkdocs_html/notebook.html.j2.
JUPYTER_DATA = str(Path(__file__).parent / "jupyter")
#: Material's "download" icon.
_DOWNLOAD_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
    '<path d="M5 20h14v-2H5m14-9h-4V3H9v6H5l7 7z"/></svg>'
)
_notebooks: dict[str, File] = {}  # notebook page's src_uri -> its generated .ipynb


def _ipynb(config: Any, page_file: NotebookFile) -> File:
    """The notebook as .ipynb (cells without outputs), next to the page's HTML."""
    notebook = jupytext.read(page_file.abs_src_path)
    for number, cell in enumerate(notebook.cells, 1):
        cell.id = f"cell-{number}"  # the same file from one build to the next
    name = posixpath.splitext(posixpath.basename(page_file.src_uri))[0] + ".ipynb"
    return File.generated(
        config,
        posixpath.join(posixpath.dirname(page_file.dest_uri), name),
        content=jupytext.writes(notebook, fmt="ipynb"),
    )


def _download_button(page_html: str, page: Any) -> str:
    notebook = _notebooks.get(page.file.src_uri)
    if notebook is None:
        return page_html
    href = html.escape(get_relative_url(notebook.url, page.url))
    name = html.escape(posixpath.basename(notebook.src_uri))
    return (
        f'<a href="{href}" download class="md-content__button md-icon" '
        f'title="Download the notebook ({name})">{_DOWNLOAD_ICON}</a>' + page_html
    )


# -- MkDocs events -----------------------------------------------------------------------


def on_config(config: Any) -> None:
    superfences = (config.mdx_configs or {}).get("pymdownx.superfences", {})
    for fence in superfences.get("custom_fences", []):  # markdown-exec's, from its on_config
        if fence.get("format") is markdown_exec.formatter and "validator" in fence:
            fence["validator"] = _recording(fence["validator"])
    if not any(isinstance(e, lrtutor_math.MathMLExtension) for e in config.markdown_extensions):
        config.markdown_extensions.append(lrtutor_math.MathMLExtension())
    _page["root"] = str(Path(config.config_file_path or ".").resolve().parent)
    snippets = (config.mdx_configs or {}).get("pymdownx.snippets", {})
    bases = snippets.get("base_path", ["."])
    _page["snippet_dirs"] = [
        str(Path(_page["root"], base)) for base in ([bases] if isinstance(bases, str) else bases)
    ]
    if os.environ.get("LRTUTOR_NO_EXEC") == "all" and "mkdocs-jupyter" in config.plugins:
        config.plugins["mkdocs-jupyter"].config["execute"] = False
    notebook = config.plugins.get("mkdocs-jupyter")
    if notebook is not None and "mathjax_version" in notebook.config:
        # mkdocs-jupyter 0.27 appends a MathJax 3/4 loader (from a CDN) to every page;
        # for MathJax 2 it relies on the template's header instead, which ours drops.
        notebook.config["mathjax_version"] = 2
    paths = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
    if JUPYTER_DATA not in paths:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([JUPYTER_DATA, *filter(None, paths)])


def on_files(files: Any, config: Any) -> Any:
    _notebooks.clear()
    for file in list(files):
        if isinstance(file, NotebookFile) and not file.src_uri.endswith(".ipynb"):
            _notebooks[file.src_uri] = _ipynb(config, file)
            files.append(_notebooks[file.src_uri])
    return files


def on_startup(command: str, dirty: bool) -> None:
    _dirty["dirty"] = dirty


def on_pre_build(config: Any) -> None:
    _close_pool()
    lrtutor_pool.CACHE_HAS_ENTRIES = False  # exec_cache.py's on_pre_build, next, says
    for name in [m for m in sys.modules if m == "lrtutor" or m.startswith("lrtutor.")]:
        del sys.modules[name]
    _sessions.clear()
    _python_sessions.clear()
    lrtutor_math.install_notebook_math()


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    _page["src"] = page.file.src_uri
    _page["path"] = Path(os.path.relpath(page.file.abs_src_path, _page.get("root", "."))).as_posix()
    _check_blocks(markdown)
    lrtutor_math.set_page(_page["path"], markdown)
    if NO_EXEC:  # executed blocks become plain code blocks of their language
        markdown = _plain_fences(markdown)
    return markdown


# A prose pin, ``8<!-- = n -->``: pytest reads it from the page's source; readers never
# see it, so the built page leaves it out (a few KB on a page with many numbers).
_PIN = re.compile(r"<!-- [=~] .*? -->", re.S)


def on_page_content(page_html: str, page: Any, config: Any, files: Any) -> str:
    if not NO_EXEC and page.file.src_uri == _page["src"]:
        _check_ran_as_expected()
    page_html = _PIN.sub("", page_html)
    _register_anchors(page_html, page)
    return _download_button(page_html, page)


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    """Start worker processes on the Python and console blocks of the pages to render.

    Not when nothing is executed, and not when the execution cache holds entries for
    this environment (a warm cache serves the blocks; workers would only compete).
    """
    global _pool
    try:
        count = lrtutor_pool.worker_count(os.environ.get("LRTUTOR_WORKERS"))
    except ValueError as error:
        raise PluginError(str(error)) from None
    if NO_EXEC or count < 1 or lrtutor_pool.CACHE_HAS_ENTRIES:
        return nav
    root = _page.get("root", ".")
    chains: dict[str, list[lrtutor_pool.Job]] = {}
    for file in files.documentation_pages():
        if not file.src_uri.endswith(".md") or (_dirty["dirty"] and not file.is_modified()):
            continue
        try:
            markdown = Path(file.abs_src_path).read_text(encoding="utf-8-sig")
        except (OSError, TypeError, UnicodeDecodeError):
            continue
        path = Path(os.path.relpath(file.abs_src_path, root)).as_posix()
        chains.update(lrtutor_pool.predict(
            file.src_uri, path, markdown, lrtutor_blocks.scan(markdown)[0],
            _page.get("snippet_dirs", []), root,
        ))
    _pool = lrtutor_pool.Pool(count)
    _pool.start(chains)
    return nav


def _close_pool() -> None:
    global _pool
    if _pool is not None:
        _pool.close()
        _pool = None


def on_post_build(config: Any) -> None:
    _close_pool()


def on_build_error(error: Exception) -> None:
    _close_pool()
