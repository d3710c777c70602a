"""MkDocs hooks for the lrtutor site (named in mkdocs.yml under ``hooks:``).

Four gaps that no maintained plugin fills, each kept small:

1. **Checked console examples.** markdown-exec runs a ``pycon`` block as a script, so a
   bare expression prints nothing and the expected output written in the page is never
   compared. We register a ``pycon`` formatter with markdown-exec (its public
   ``formatters`` table) that runs the examples with the standard library's
   :mod:`doctest` runner, shows what each line printed *in this build*, and fails the
   block (a markdown-exec warning naming the block id, fatal under ``--strict``) when
   that differs from the expected output in the page. pytest checks the same examples
   with sybil (``docs/conftest.py``).
2. **Math without network.** pymdownx.arithmatex (generic mode) finds the TeX; we turn
   it into MathML at build time with latex2mathml, which browsers render natively.
   No script, no font, no CDN.
3. **Honest live reload.** ``mkdocs serve`` keeps imported modules cached, so an edit
   to lrtutor would not show. Before each build we drop lrtutor from ``sys.modules``
   and clear the console sessions, so every build runs the current code.
4. **A light, downloadable notebook page.** mkdocs-jupyter renders ``docs/playground.py``
   (executed, failing on any error). Its template inlines JupyterLab's 600 KB stylesheet
   and links MathJax and Mermaid from a CDN, and no plugin option turns that off, so we
   put our own template first on nbconvert's template path (``JUPYTER_PATH``, the
   documented way to add templates; see ``jupyter/nbconvert/templates/``). The
   plugin's download option copies the source as it is (here a ``.py``) and Material
   shows no link for it, so we add the ``.ipynb`` to the site and a button to the page.
"""

from __future__ import annotations

import doctest
import html
import os
import posixpath
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jupytext
import markdown_exec
from latex2mathml.converter import convert as latex_to_mathml
from markdown_exec import ExecutionError, base_format
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from mkdocs_jupyter.plugin import NotebookFile

# -- 1. checked console examples ------------------------------------------------------

#: Doctest flags shared with docs/conftest.py so both checks agree.
OPTIONFLAGS = doctest.NORMALIZE_WHITESPACE

_sessions: dict[str, dict[str, Any]] = {}
_page = {"src": ""}


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


def _console(example: doctest.Example, got: str) -> str:
    lines = example.source.rstrip("\n").split("\n")
    text = "\n".join(
        (">>> " if i == 0 else "... ") + line for i, line in enumerate(lines)
    )
    return text + "\n" + got if got else text + "\n"


def _run_checked_pycon(code: str, session: str | None = None, id: str = "", **_: Any) -> str:
    key = f"{_page['src']}::{session or ''}"
    globs = _sessions.setdefault(key, {"__name__": "__main__"})
    name = id or "pycon"
    test = doctest.DocTestParser().get_doctest(code, globs, name, _page["src"], 0)
    runner = _RecordingRunner()
    runner.run(test, clear_globs=False, out=lambda _text: None)
    globs.update(test.globs)
    problems = [
        f"line {example.lineno + 1} of the block: {problem}"
        for example, _got, problem in runner.records
        if problem
    ]
    if problems:
        raise ExecutionError(
            f"{_page['src']}: console block '{name}' does not print what the page says.\n"
            + "\n".join(problems)
        )
    return "".join(_console(example, got) for example, got, _ in runner.records)


def _format_checked_pycon(**kwargs: Any) -> Any:
    # "python-console" is Pygments' other name for the pycon lexer. Using it for the
    # transcript keeps markdown-exec from executing the rendered output once more.
    kwargs["result"] = "python-console"
    kwargs["source"] = ""
    return base_format(language="pycon", run=_run_checked_pycon, **kwargs)


#: ``LRTUTOR_NO_EXEC=1`` builds the same pages without running their code, for
#: tests/benchmark.py to compare: console and ``exec`` blocks show as plain code.
#: ``LRTUTOR_NO_EXEC=all`` does not execute the notebook either.
NO_EXEC = os.environ.get("LRTUTOR_NO_EXEC", "") not in ("", "0")

markdown_exec.formatters["pycon"] = _format_checked_pycon
if "pycon" not in markdown_exec.MARKDOWN_EXEC_AUTO and not NO_EXEC:
    # Every pycon block on the site is executed and checked; none is decoration.
    markdown_exec.MARKDOWN_EXEC_AUTO.append("pycon")

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)$", re.M)


def _executed_fences(markdown: str) -> Iterator[tuple[re.Match[str], str]]:
    """Opening fences of executed blocks (not those inside other blocks), with language."""
    open_fence = None
    for match in _FENCE.finditer(markdown):
        if open_fence is not None:
            if match["fence"].startswith(open_fence) and not match["info"].strip():
                open_fence = None
            continue
        open_fence = match["fence"]
        info = match["info"].strip()
        language = info.split(" ", 1)[0].strip("{.")
        if language == "pycon" or re.search(r'\bexec="(on|1|yes|true)"', info):
            yield match, language


def _check_fences(markdown: str, src: str) -> None:
    """Every executed block must carry an id, so that a failure names it."""
    for match, _ in _executed_fences(markdown):
        if not re.search(r'\bid="[^"]+"', match["info"]):
            line = markdown.count("\n", 0, match.start()) + 1
            raise PluginError(
                f"{src}:{line}: executed code block has no id; add id=\"...\" so that a "
                "failure can name it"
            )


def _plain_fences(markdown: str) -> str:
    """Executed blocks as plain code blocks of their language (for ``NO_EXEC``)."""
    for match, language in reversed(list(_executed_fences(markdown))):
        plain = f"{match['indent']}{match['fence']}{language}"
        markdown = markdown[: match.start()] + plain + markdown[match.end() :]
    return markdown


# -- 2. math to MathML -----------------------------------------------------------------

_INLINE_MATH = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.S)
_BLOCK_MATH = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.S)


def _mathml(latex: str, display: str) -> str:
    return latex_to_mathml(html.unescape(latex).strip(), display=display)


def math_to_mathml(page_html: str) -> str:
    """Replace arithmatex's generic TeX spans and divs with MathML."""
    page_html = _BLOCK_MATH.sub(
        lambda m: f'<div class="arithmatex">{_mathml(m[1], "block")}</div>', page_html
    )
    return _INLINE_MATH.sub(
        lambda m: f'<span class="arithmatex">{_mathml(m[1], "inline")}</span>', page_html
    )


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


def on_pre_build(config: Any) -> None:
    for name in [m for m in sys.modules if m == "lrtutor" or m.startswith("lrtutor.")]:
        del sys.modules[name]
    _sessions.clear()


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    _page["src"] = page.file.src_uri
    _check_fences(markdown, page.file.src_uri)
    if NO_EXEC:  # executed blocks become plain code blocks of their language
        markdown = _plain_fences(markdown)
    return markdown


def on_page_content(page_html: str, page: Any, config: Any, files: Any) -> str:
    return _download_button(math_to_mathml(page_html), page)
