"""Which fenced blocks of a page are executed, shared by the build and by pytest.

The build (Python-Markdown with pymdownx.superfences and markdown-exec) and the doc
checks (sybil, ``docs/conftest.py``) must agree on which ``pycon`` blocks are checked.
A generic fence lexer (sybil's) does not know superfences' rules: a fence shown inside
a longer fence (the README's "add a page" example) is text for the build, and a fence
opened on a list-marker line (``- ```pycon``) is not a fence to superfences at all. No
maintained library exposes superfences' block finding without rendering the page, so
:func:`scan` follows its line rules (``SuperFencesBlockPreprocessor.search_nested``):

* an opening fence is three or more backticks or tildes after optional spaces, tabs
  and ``>`` (its *prefix*), with the info string after it;
* inside an open fence nothing opens: an inner fence is content, shown, never run;
* the fence closes at a line holding the *same* fence (same character and length),
  after the same prefix; a non-blank content line indented less than the opening
  abandons the fence (superfences then shows the lines as text);
* anything else before the fence on its line (a list marker, text) makes it text.

Constructs where the build would not run a block that looks executable, or where the
two could read it differently, are returned as problems; the build refuses them and
pytest fails on them, both naming the page line. The build also compares the blocks it
actually ran with this list (``lrtutor_site/plugin.py``), so a construct these
rules miss fails the build instead of being silently skipped by one side.

The module also holds what both runners of console examples share: the doctest option
flags and the NumPy print style (:func:`numpy_print_style`).
"""

from __future__ import annotations

import contextlib
import doctest
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

#: Doctest flags of both runners (build and sybil).
OPTIONFLAGS = doctest.NORMALIZE_WHITESPACE

#: Languages markdown-exec always executes here (``pycon``: every console block is
#: checked) and those whose output is Markdown by design (not printed text).
AUTO_EXECUTED = {"pycon"}
MARKDOWN_OUTPUT = {"md", "markdown", "tree", "pyodide"}
ALWAYS_EXECUTED = {"tree", "pyodide"}  # markdown-exec runs these without exec="on"

_PREFIX_CHARS = " \t>"
_OPENING = re.compile(r"(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
_LIST_MARKER_FENCE = re.compile(
    r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$"
)
_OPTION = re.compile(r"""([A-Za-z][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))""")


@dataclass
class Block:
    """One fenced block of a page, as superfences reads it."""

    line: int  #: page line (1-based) of the opening fence
    fence: str
    prefix: str  #: what precedes the fence on its line (indent, ``>``)
    language: str
    options: dict[str, str]
    start: int = 0  #: page offset of the opening fence line
    end: int = 0  #: page offset just after the opening line's text
    lines: list[str] = field(default_factory=list)  #: content lines, prefix removed
    line_starts: list[int] = field(default_factory=list)  #: page offset of each content line
    closed: bool = False
    stop: int = -1  #: page offset after the closing fence line (-1: the page's end)

    @property
    def id(self) -> str:
        return self.options.get("id", "")

    @property
    def executed(self) -> bool:
        return _executed(self.language, self.options)

    @property
    def source(self) -> str:
        """The block's content as the build sees it (the prefix removed)."""
        return "".join(line + "\n" for line in self.lines)


def _info(info: str) -> tuple[str, dict[str, str]]:
    info = info.strip()
    if info.startswith("{"):  # attribute form: {.pycon #id key="value"}
        body = info.strip("{}")
        language = next((w[1:] for w in body.split() if w.startswith(".")), "")
        options = {k: a or b or c for k, a, b, c in _OPTION.findall(body)}
        ident = next((w[1:] for w in body.split() if w.startswith("#")), "")
        if ident:
            options.setdefault("id", ident)
        return language, options
    language = info.split(None, 1)[0].lstrip(".") if info else ""
    return language, {k: a or b or c for k, a, b, c in _OPTION.findall(info)}


def _truthy(value: str) -> bool:
    return value.lower() not in {"", "no", "off", "false", "0"}


def _executed(language: str, options: dict[str, str]) -> bool:
    return (
        language in AUTO_EXECUTED
        or language in ALWAYS_EXECUTED
        or _truthy(options.get("exec", ""))
    )


def _lines(markdown: str) -> Iterator[tuple[int, int, str]]:
    """(1-based line number, offset, text without the newline) of every line."""
    offset = 0
    for number, line in enumerate(markdown.splitlines(keepends=True), 1):
        yield number, offset, line.rstrip("\r\n")
        offset += len(line)


def _prefix(line: str) -> str:
    return line[: len(line) - len(line.lstrip(_PREFIX_CHARS))]


def scan(markdown: str) -> tuple[list[Block], list[tuple[int, str]]]:
    """Every fenced block of ``markdown``, and the problems (page line, message) found.

    Blocks are returned in page order, nested display-only fences excluded (they are
    content of the block around them).
    """
    blocks: list[Block] = []
    problems: list[tuple[int, str]] = []
    current: Block | None = None
    for number, offset, line in _lines(markdown):
        if current is not None:
            content = line[len(current.prefix):] if line.startswith(current.prefix) else None
            if not line.strip(_PREFIX_CHARS):
                current.lines.append("")
                current.line_starts.append(offset + len(line))
            elif content is None:
                if current.executed:
                    problems.append((current.line, (
                        f"line {number} of this {current.language} block is indented less "
                        "than its opening fence, so the build shows the block as text; "
                        "indent every line of the block like its fence"
                    )))
                current.stop = offset
                blocks.append(current)
                current = None
            elif re.fullmatch(re.escape(current.fence) + r"[ \t]*", content):
                current.closed = True
                current.stop = offset + len(line)
                blocks.append(current)
                current = None
            else:
                current.lines.append(content)
                current.line_starts.append(offset + len(current.prefix))
            continue
        prefix = _prefix(line)
        opening = _OPENING.match(line, len(prefix))
        if opening:
            language, options = _info(opening["info"])
            current = Block(number, opening["fence"], prefix, language, options,
                            start=offset, end=offset + len(line))
            continue
        listed = _LIST_MARKER_FENCE.match(line)
        if listed:
            language, options = _info(listed["info"])
            if _executed(language, options):
                problems.append((number, (
                    f"a {language} fence opened on a list-marker line is shown as text by "
                    "the build (Markdown does not start a fence there) but would be read "
                    "as a block by other tools; put the fence on a line of its own, "
                    "indented under the list item"
                )))
    if current is not None:
        blocks.append(current)
        if current.executed:
            problems.append((current.line, (
                f"this {current.language} block is never closed (no line holding "
                f"{current.fence} alone after it), so the build shows it as text"
            )))
    problems.extend(_rule_problems(blocks))
    problems.sort()
    return blocks, problems


def _rule_problems(blocks: list[Block]) -> Iterator[tuple[int, str]]:
    seen: dict[str, int] = {}
    for block in blocks:
        if not block.executed or not block.closed:
            continue
        if not block.id:
            yield block.line, (
                f"executed {block.language} block has no id; add id=\"...\" so that a "
                "failure can name it"
            )
            continue
        if block.id in seen:
            yield block.line, (
                f"id '{block.id}' is already used by the block at line {seen[block.id]}; "
                "ids must be unique on a page so that a failure names one block"
            )
        seen.setdefault(block.id, block.line)
        if (
            block.language not in AUTO_EXECUTED | MARKDOWN_OUTPUT
            and not _truthy(block.options.get("html", ""))
            and not block.options.get("result")
        ):
            yield block.line, (
                f"{block.language} block '{block.id}' would have its printed output read as "
                "Markdown, which runs lines together; add html=\"on\" if it prints HTML "
                "(a figure), or result=\"text\" to show what it prints as text"
            )


def executed_blocks(markdown: str) -> list[Block]:
    """The blocks of ``markdown`` that the build executes (closed, with their fence)."""
    return [b for b in scan(markdown)[0] if b.executed and b.closed]


@contextlib.contextmanager
def numpy_print_style() -> Iterator[None]:
    """Show NumPy scalars as under NumPy 1.x (``1.0``, not ``np.float64(1.0)``).

    NumPy 2 changed the repr of scalars (NEP 51) and documents
    ``np.printoptions(legacy="1.25")`` as the way to get the old form back; NumPy 1.x
    already prints that way (and warns about a legacy value it does not know), so
    there the options are left alone. Both runners of console examples use this, so
    a page reads the same under both NumPy versions.
    """
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a dependency of lrtutor
        yield
        return
    if np.lib.NumpyVersion(np.__version__) < "2.0.0":
        yield
        return
    with np.printoptions(legacy="1.25"):
        yield
