"""Find every number a page states in its prose, and the numbers its code takes as input.

The rule that ``tests/content/test_prose_numbers.py`` enforces, and ``tests/content/test_drift.py``
mutates against: every number in the prose of a page (``docs/*.md``, and the Markdown
cells of a jupytext notebook ``docs/*.py``) is

* **pinned**: followed by a pin comment (``8<!-- = n -->``, see ``docs/conftest.py``),
  which pytest evaluates against the code (only a number the pin reads whole: not
  ``20,000`` or ``10^100``); or
* an **input**: a parameter of that page's code (an argument, an assigned value, a
  loop's values; see ``code_literals``) written exactly so (``0.25``, not ``0.250`` or
  ``1/4``). The page's code is the source lines of its console (``pycon``) examples,
  its executed ``python`` blocks and the snippet files they include with ``--8<--``,
  or a notebook's code cells. These are the numbers the reader is told; or
* **exempt**: listed, with a reason, in ``EXEMPT`` in ``tests/support/exemptions.py``.

*Prose* is what markdown-it-py (a maintained CommonMark parser; mdit-py-plugins add
admonitions and ``$``-math the way pymdownx writes them; content tabs are read as
admonitions) leaves as text: not math
(``$...$``, ``$$...$$``), inline or fenced code, HTML comments (pins included), link
and image targets, autolinks, or raw HTML tags and attributes. The text *inside* raw
HTML elements is prose too (the standard library's ``html.parser`` reads it), except
inside ``code``, ``pre``, ``script``, ``style``, ``svg`` and ``math``.

What counts as a number (``NUMBER``): digits with an optional decimal part and
exponent (``0.25``, ``1e-7``, ``2.6e15``), a sign (``-`` or the typographic ``−``)
when it stands before the digits, thousands groups (``20,000``) and powers written
``10^100``. Digits that continue a word (``float64``, ``x0``) are part of a name, not
a number. Digits *followed* by letters or a slash do count: ``2x``, ``2/L``, ``64-bit``
and ``1/3`` state numbers (``2/L`` gives ``2`` and the letter is not a number). A
formula belongs in math (``$2/L$``), where the numbers are the formula's own; written
as prose its numbers must be pinned, inputs or exempt like any other.

Why not Python-Markdown, which builds the site? It keeps no source positions, and
the rule must name page and line. So the page is also rendered with the site's own
Python-Markdown configuration (``misread_numbers``) and every number the site shows as
prose that markdown-it did not read as prose is reported too (issue 19: prose indented
six spaces under a list item is a paragraph on the site, indented code to CommonMark). markdown-it-py keeps the line span of every block;
within a block we find each text piece in the page text in order, so every number
gets its exact offset (``tests/content/test_drift.py`` changes the digit at that offset).
``test_prose_numbers.py`` has tests for each construct.
"""

from __future__ import annotations

import ast
import doctest
import functools
import re
import textwrap
from dataclasses import dataclass
from decimal import Decimal, localcontext
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SNIPPETS = DOCS / "snippets"  # pymdownx.snippets' base_path in mkdocs.yml

#: A number in prose; see the module docstring for what counts.
NUMBER = re.compile(
    r"(?<![\w.\\])"  # not the tail of a name (x0, float64) or of a longer number
    r"(?P<sign>[-+\u2212](?=\.?\d))?"
    r"(?P<body>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<exponent>[eE][-+\u2212]?\d+)?"
    r"(?:\^(?P<power>[-+\u2212]?\d+))?"
)

#: The pin comment of docs/conftest.py, as it follows a number (kept in step by a test).
PIN_COMMENT = re.compile(r"<!--\s*[=~]\s*.+?\s*-->")
#: The numbers a pin can check whole (docs/conftest.py's ``PIN`` reads no ``20,000``,
#: ``10^100`` or ``.5``); any other number before a pin comment is not pinned.
PINNABLE = re.compile(r"[-+\u2212]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")

#: pymdownx.tabbed's ``=== "Title"`` blocks hold Markdown indented under a title, as
#: admonitions do; read as admonitions (same length, so offsets stay) rather than as
#: a title followed by indented code.
_TABS = re.compile(r"^(?P<indent>[ \t]*)===(?P<open>\+?)(?= )", re.M)

#: Arithmatex (generic mode) reads ``$x$`` only without a space inside the dollars.
#: A page's YAML front matter (MkDocs' page meta, such as ``search: boost``) is not
#: shown: front_matter_plugin makes it one token, which the scanner passes over.
_MARKDOWN = (
    MarkdownIt("commonmark")
    .use(front_matter_plugin)
    .enable("table")
    .use(admon_plugin)
    .use(dollarmath_plugin, allow_space=False, allow_digits=True, double_inline=True)
)

#: What markdown-it leaves in text but the site does not show as prose: the target of
#: an mkdocs-autorefs link (``[text][lrtutor.losses.Loss]``, which CommonMark cannot
#: resolve) and an attr_list (``{ #fig-2 .wide }``).
_NOT_PROSE_IN_TEXT = re.compile(r"\]\[[^\]\s]+\]|\{:?\s*[#.][^}\n]*\}")

#: Raw HTML elements whose text is code, math or drawing, not prose.
_NOT_PROSE_ELEMENTS = {"code", "pre", "script", "style", "svg", "math", "kbd", "samp"}


@dataclass(frozen=True)
class ProseNumber:
    """One number stated in a page's prose."""

    path: Path
    offset: int  # of its first character (the sign, if any) in the page text
    line: int  # 1-based
    text: str  # as written
    pinned: bool

    @property
    def value(self) -> Decimal:
        return number_value(self.text)

    @property
    def end(self) -> int:
        return self.offset + len(self.text)

    def where(self) -> str:
        try:
            name = self.path.relative_to(ROOT)
        except ValueError:
            name = self.path
        return f"{name}:{self.line}"


def number_value(text: str) -> Decimal:
    """The value of a number as the prose writes it (``10^100``, ``−2``, ``20,000``)."""
    match = NUMBER.fullmatch(text)
    if match is None:
        raise ValueError(f"not a number: {text!r}")
    sign = "-" if match["sign"] in ("-", "\u2212") else ""
    exponent = (match["exponent"] or "").replace("\u2212", "-")
    mantissa = Decimal(sign + match["body"].replace(",", "") + exponent)
    if match["power"] is None:
        return mantissa
    with localcontext() as context:
        context.prec = 1000  # 10^100 exactly
        return mantissa ** int(match["power"].replace("\u2212", "-"))


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


# -- prose ------------------------------------------------------------------------------


class _HtmlText(HTMLParser):
    """Numbers in the text of a raw HTML block (not in tags, attributes or comments)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.skip: list[str] = []
        self.found: list[tuple[int, int, re.Match[str]]] = []  # (line, column, match)

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _NOT_PROSE_ELEMENTS:
            self.skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skip:
            while self.skip and self.skip.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        line, column = self.getpos()
        for match in NUMBER.finditer(data):
            self.found.append((line, column, match))


class _Locator:
    """Walks the page text in step with markdown-it's tokens, to place each number."""

    def __init__(self, text: str, path: Path) -> None:
        self.text = text
        self.path = path
        self.line_starts = [0]
        for line in text.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.cursor = 0
        self.numbers: list[ProseNumber] = []

    def fail(self, what: str) -> AssertionError:
        line = _line_of(self.text, self.cursor)
        return AssertionError(f"{self.path}:{line}: cannot find {what} in the page text")

    def add(self, start: int, end: int) -> None:
        written = self.text[start:end]
        pinned = PIN_COMMENT.match(self.text, end) is not None and \
            PINNABLE.fullmatch(written) is not None
        self.numbers.append(
            ProseNumber(self.path, start, _line_of(self.text, start), written, pinned)
        )

    def find(self, needle: str) -> int:
        at = self.text.find(needle, self.cursor)
        if at < 0:
            raise self.fail(repr(needle))
        return at

    def text_piece(self, content: str, end: int) -> None:
        at = self.text.find(content, self.cursor, end)
        content = _NOT_PROSE_IN_TEXT.sub(lambda m: " " * len(m[0]), content)
        if at >= 0:  # the usual case: the text is written as it reads
            for match in NUMBER.finditer(content):
                self.add(at + match.start(), at + match.end())
            self.cursor = at + len(content)
            return
        # Escapes or entities changed the text: place each number by its digits.
        for match in NUMBER.finditer(content):
            for candidate in NUMBER.finditer(self.text, self.cursor, end):
                if candidate["body"] == match["body"]:
                    self.add(candidate.start(), candidate.end())
                    self.cursor = candidate.end()
                    break
            else:
                raise self.fail(f"the number {match[0]!r}")

    def skip_code_span(self, markup: str) -> None:
        opening = self.find(markup)
        at = opening + len(markup)
        while True:
            at = self.text.find(markup, at)
            if at < 0:
                raise self.fail("the end of a code span")
            run = len(markup)
            while self.text.startswith("`", at + run):
                run += 1
            if run == len(markup):
                self.cursor = at + run
                return
            at += run

    def skip_link_target(self) -> None:
        """From the end of a link's text, past ``](target)`` or ``][label]``."""
        at = self.find("]") + 1
        if self.text.startswith("(", at):
            depth = 0
            for index in range(at, len(self.text)):
                char = self.text[index]
                if char == "\\":
                    continue
                depth += char == "("
                depth -= char == ")"
                if depth == 0:
                    self.cursor = index + 1
                    return
            raise self.fail("the end of a link target")
        if self.text.startswith("[", at):
            self.cursor = self.text.index("]", at) + 1
        else:
            self.cursor = at

    def inline(self, token: Token) -> None:
        assert token.map is not None
        self.cursor = max(self.cursor, self.line_starts[token.map[0]])
        end = self.line_starts[min(token.map[1], len(self.line_starts) - 1)]
        children = token.children or []
        skipping = 0  # inside an autolink or an image: its text is a URL or alt text
        for child in children:
            kind = child.type
            if kind == "link_open" and child.markup == "autolink":
                self.cursor = self.find("<") + 1
                skipping += 1
            elif kind == "link_close" and child.markup == "autolink":
                self.cursor = self.find(">") + 1
                skipping -= 1
            elif skipping:
                continue
            elif kind == "text":
                self.text_piece(child.content, end)
            elif kind == "code_inline":
                self.skip_code_span(child.markup)
            elif kind == "html_inline":
                self.cursor = self.find(child.content) + len(child.content)
            elif kind in ("math_inline", "math_inline_double"):
                at = self.find(child.markup)
                at = self.text.find(child.markup, at + len(child.markup) + len(child.content))
                if at < 0:
                    raise self.fail("the end of inline math")
                self.cursor = at + len(child.markup)
            elif kind == "link_close":
                self.skip_link_target()
            elif kind == "image":
                self.cursor = self.find("![") + 2
                depth = 1
                while depth:  # the alt text may hold brackets
                    char = self.text[self.cursor]
                    depth += (char == "[") - (char == "]")
                    self.cursor += 1
                self.cursor -= 1
                self.skip_link_target()

    def html_block(self, token: Token) -> None:
        assert token.map is not None
        first = token.map[0]
        block = self.text[self.line_starts[first] : self.line_starts[token.map[1]]]
        parser = _HtmlText()
        parser.feed(block)
        parser.close()
        for line, column, match in parser.found:
            start = self.line_starts[first + line - 1] + column
            self.add(start + match.start(), start + match.end())
        self.cursor = max(self.cursor, self.line_starts[token.map[1]])


def markdown_prose_numbers(text: str, path: Path) -> list[ProseNumber]:
    """Every number in the prose of the Markdown ``text`` (the page at ``path``)."""
    locator = _Locator(text, path)
    tabs_as_admonitions = _TABS.sub(
        lambda m: m["indent"] + ("???+" if m["open"] else "!!!"), text
    )
    for token in _MARKDOWN.parse(tabs_as_admonitions):
        if token.type == "inline":
            locator.inline(token)
        elif token.type == "html_block":
            locator.html_block(token)
    return locator.numbers


# -- notebooks (jupytext percent format) ------------------------------------------------

_CELL = re.compile(r"^# %%(?P<header>.*)$", re.M)


def is_notebook(path: Path) -> bool:
    """Whether ``path`` is a notebook kept as a jupytext percent-format script."""
    if path.suffix != ".py":
        return False
    return _CELL.search(path.read_text(encoding="utf-8")) is not None


def _notebook_cells(text: str) -> list[tuple[str, int, int]]:
    """``(kind, start, end)`` offsets of each cell's body, ``kind`` "markdown" or "code".

    Percent format: a cell starts at a ``# %%`` line (``# %% [markdown]`` for Markdown,
    whose lines are commented out with ``# ``); the text before the first is a header.
    Parsed here rather than with ``jupytext.reads``, which returns cell sources without
    their place in the file, and places are what the rule must report.
    """
    cells = []
    marks = list(_CELL.finditer(text))
    for index, mark in enumerate(marks):
        start = mark.end() + 1
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        kind = "markdown" if "[markdown]" in mark["header"] else "code"
        cells.append((kind, start, end))
    return cells


def notebook_prose_numbers(text: str, path: Path) -> list[ProseNumber]:
    """Every number in the prose of the notebook's Markdown cells.

    A pin comment has no effect in a notebook (pytest evaluates pins only in
    ``docs/*.md``), so a number there counts as pinned never.
    """
    numbers = []
    for kind, start, end in _notebook_cells(text):
        if kind != "markdown":
            continue
        # Uncomment the cell, remembering where each line came from.
        lines, origins = [], []
        offset = start
        for raw in text[start:end].splitlines(keepends=True):
            body = raw[2:] if raw.startswith("# ") else raw[1:] if raw.startswith("#") else raw
            lines.append(body)
            origins.append(offset + len(raw) - len(body))
            offset += len(raw)
        markdown = "".join(lines)
        starts = [0]
        for body in lines:
            starts.append(starts[-1] + len(body))
        for number in markdown_prose_numbers(markdown, path):
            row = markdown.count("\n", 0, number.offset)
            at = origins[row] + number.offset - starts[row]
            numbers.append(ProseNumber(path, at, _line_of(text, at), number.text, False))
    return numbers


# -- the site's own reading: Python-Markdown with mkdocs.yml's extensions --------------


@functools.lru_cache(maxsize=1)
def _site_markdown():  # type: ignore[no-untyped-def]
    """A Python-Markdown converter configured as ``mkdocs.yml`` configures the site's.

    MkDocs always adds ``toc``, ``tables`` and ``fenced_code``; the site's hooks add
    the MathML step, which only changes what math looks like, and markdown-exec runs
    blocks, which are code either way. ``!ENV`` and other tags are read as nothing.
    """
    import markdown
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    names, configs = ["toc", "tables", "fenced_code"], {}
    for entry in config.get("markdown_extensions", []):
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name not in names:
            names.append(name)
        configs[name] = dict(options or {})
    if "pymdownx.snippets" in configs:  # its base path is relative to the project root
        configs["pymdownx.snippets"]["base_path"] = [str(SNIPPETS)]
    # markdown-exec gives every fence options (``id="..." session="..."``) through custom
    # fences; without them superfences would refuse such a fence and show it as text.
    import html as _html

    configs.setdefault("pymdownx.superfences", {})["custom_fences"] = [{
        "name": "*", "class": "",
        "validator": lambda language, inputs, options, attrs, md: True,
        "format": lambda source, *args, **kwargs: f"<pre><code>{_html.escape(source)}</code></pre>",
    }]
    return markdown.Markdown(extensions=names, extension_configs=configs)


class _SiteText(HTMLParser):
    """The numbers of rendered HTML's prose (not code, math, comments or attributes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip: list[str] = []
        self.numbers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in _NOT_PROSE_ELEMENTS or "arithmatex" in classes or self.skip:
            if tag not in ("br", "img", "hr", "input"):
                self.skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            data = _NOT_PROSE_IN_TEXT.sub(lambda m: " " * len(m[0]), data)
            self.numbers.extend(literal_key(m[0]) for m in NUMBER.finditer(data))


def misread_numbers(text: str, path: Path) -> list[ProseNumber]:
    """Numbers the site shows as prose that the rule's reading (markdown-it) does not.

    Python-Markdown builds the site, markdown-it (which keeps source positions) reads
    it for the rule; where they disagree (prose indented six spaces under a list item
    is a paragraph to Python-Markdown and indented code to CommonMark; list
    continuations; nested fences) a number could go unchecked. The page is rendered
    with the site's configuration and the two sets of numbers compared; each number
    the site shows more often than the rule saw is reported at every place in the page
    text where it is written and the rule did not see it. Notebooks are rendered by
    nbconvert, not Python-Markdown, and are not compared.
    """
    if path.suffix == ".py":
        return []
    if not any(t.type == "code_block" for t in _MARKDOWN.parse(text)):
        # Only indented code hides text from markdown-it that Python-Markdown may show
        # (fences the two read differently are refused by the build, see
        # lrtutor_site/blocks.py): without it, skip the render (test_drift calls
        # this for every number of every page).
        return []
    from collections import Counter

    site = _SiteText()
    # MkDocs takes a page's YAML front matter off before Markdown sees the page.
    shown = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    site.feed(_site_markdown().reset().convert(shown))
    site.close()
    seen = prose_numbers(text, path)
    missing = Counter(site.numbers) - Counter(literal_key(n.text) for n in seen)
    if not missing:
        return []
    taken = {n.offset for n in seen}
    found = []
    for match in NUMBER.finditer(text):
        if match.start() not in taken and literal_key(match[0]) in missing:
            found.append(ProseNumber(path, match.start(), _line_of(text, match.start()),
                                     match[0], False))
    return found


def prose_numbers(text: str, path: Path) -> list[ProseNumber]:
    """Every number in the prose of a page or notebook (``text`` is its content)."""
    if path.suffix == ".py":
        return notebook_prose_numbers(text, path)
    return markdown_prose_numbers(text, path)


# -- inputs: the numbers the page's code is written with --------------------------------

_SNIPPET = re.compile(r"^\s*-+8<-+\s*(?P<quote>[\"'])(?P<name>.+?)(?P=quote)\s*$", re.M)
_EXECUTED = re.compile(r"""\bexec=(?P<q>["']?)(?:on|1|true|yes)(?P=q)(?:\s|$)""")


def literal_key(written: str) -> str:
    """A number as written, in the spelling inputs are compared by (``−2`` -> ``-2``)."""
    return written.replace("\u2212", "-").replace(",", "").replace("_", "").lstrip("+")


def code_literals(source: str) -> set[str]:
    """The numbers Python ``source`` takes as parameters, as written.

    A parameter is a number literal (or a string holding only a number, such as
    ``nudge(SQUARE, "2", "0.0001")``) given as an argument of a call, assigned to a
    name, or listed in a tuple, list, set or dict that is itself one of these or the
    iterable of a ``for`` loop or comprehension (``for lr in (0.1, 0.25)``). A literal inside an
    index or slice (``positions[0]``) or an arithmetic or comparison
    (``1 - 2 * lr``) is part of how the code computes, not a parameter the reader is
    told, and does not count. ``-2.0`` counts as written, sign included.

    Inputs are compared *as written*: ``1.0`` gives ``1.0``, not ``1``. Were ``1`` to
    match ``1.0``, a page with ``2.0`` in its code could turn a stated 1 into 2
    unnoticed. Source that does not parse contributes nothing.
    """
    code = textwrap.dedent(source)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    found: set[str] = set()

    def written(node: ast.AST) -> str | None:
        """The number ``node`` is, as the code spells it, or ``None``."""
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            inner = written(node.operand)
            sign = "-" if isinstance(node.op, ast.USub) else ""
            return None if inner is None or inner.startswith("-") else sign + inner
        if not isinstance(node, ast.Constant) or isinstance(node.value, bool):
            return None
        if isinstance(node.value, int | float):
            spelled = literal_key(ast.get_source_segment(code, node) or repr(node.value))
        elif isinstance(node.value, str):
            spelled = literal_key(node.value.strip())
        else:
            return None
        return spelled if NUMBER.fullmatch(spelled) else None

    def visit(node: ast.AST, parameter: bool) -> None:
        number = written(node)
        if number is not None:
            if parameter:
                found.add(number)
            return
        if isinstance(node, ast.Call):
            visit(node.func, False)
            for argument in node.args:
                visit(argument, True)
            for keyword in node.keywords:
                visit(keyword.value, True)
            return
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            for target in getattr(node, "targets", [getattr(node, "target", None)]):
                if target is not None:
                    visit(target, False)
            if node.value is not None:
                visit(node.value, True)
            return
        if isinstance(node, ast.For | ast.comprehension):
            visit(node.target, False)
            visit(node.iter, True)
            for child in getattr(node, "body", []) + getattr(node, "orelse", []) + \
                    getattr(node, "ifs", []):
                visit(child, False)
            return
        if isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Starred):
            for child in ast.iter_child_nodes(node):
                visit(child, parameter)
            return
        if isinstance(node, ast.Dict):
            for child in [*node.keys, *node.values]:
                if child is not None:
                    visit(child, parameter)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, False)

    visit(tree, False)
    return found


def _located_code(text: str, path: Path) -> list[tuple[int, str]]:
    """``(page offset, source)`` of every piece of Python the page runs."""
    if path.suffix == ".py":
        return [(start, text[start:end])
                for kind, start, end in _notebook_cells(text) if kind == "code"]
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    sources = []
    for token in _MARKDOWN.parse(text):
        if token.type != "fence":
            continue
        assert token.map is not None
        at = starts[token.map[0]]
        language, _, attributes = token.info.partition(" ")
        if language == "pycon":
            examples = doctest.DocTestParser().get_examples(token.content)
            sources.extend((at, example.source) for example in examples)
        elif language in ("python", "py") and _EXECUTED.search(attributes):
            for include in _SNIPPET.finditer(token.content):
                sources.append((at, (SNIPPETS / include["name"]).read_text(encoding="utf-8")))
            sources.append((at, _SNIPPET.sub("", token.content)))
    return sources


def page_code(text: str, path: Path) -> list[str]:
    """The Python a page runs: console example sources, executed blocks, snippets."""
    return [source for _, source in _located_code(text, path)]


def page_inputs(text: str, path: Path) -> set[str]:
    """Every number the page's code is written with (see ``code_literals``)."""
    values: set[str] = set()
    for source in page_code(text, path):
        values |= code_literals(source)
    return values


#: The headings that start a section for ``section_inputs``: ``#`` and ``##``. A
#: ``###`` subsection belongs to its ``##`` section, whose code it usually discusses.
SECTION_LEVELS = ("h1", "h2")


def sections(text: str, path: Path) -> list[tuple[int, int]]:
    """``(start, end)`` page offsets of each section: from a heading to the next one.

    A page's sections start at its ``#`` and ``##`` headings (``SECTION_LEVELS``); the
    text before the first heading is a section too. A notebook is one section (its pins
    are not evaluated, so a restated parameter has nowhere else to be checked).
    """
    if path.suffix == ".py":
        return [(0, len(text))]
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    bounds = [0]
    for token in _MARKDOWN.parse(_TABS.sub(lambda m: m["indent"] + "!!!", text)):
        if token.type == "heading_open" and token.tag in SECTION_LEVELS and token.map:
            if token.level == 0:  # a heading of the page, not one inside a note
                bounds.append(starts[token.map[0]])
    bounds = sorted(set(bounds)) + [len(text)]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def section_inputs(text: str, path: Path) -> list[tuple[int, int, set[str]]]:
    """``(start, end, inputs)``: the numbers each section's own code is written with.

    A parameter restated in the prose must be a parameter of the code of the section
    it is in (issue 19: "0.7 every 10 steps" edited to "0.8" passed because another
    block of the page takes 0.8); else it is pinned.
    """
    code = _located_code(text, path)
    found = []
    for start, end in sections(text, path):
        values: set[str] = set()
        for at, source in code:
            if start <= at < end:
                values |= code_literals(source)
        found.append((start, end, values))
    return found


# -- the rule ---------------------------------------------------------------------------


_MARKED = re.compile(r"\[(?P<number>[^\]]+)\]")
_ANY_NUMBER = (
    r"(?<![\w.])[-+\u2212]?\d[\d,]*(?:\.\d+)?(?:[eE][-+\u2212]?\d+)?(?:\^[-+\u2212]?\d+)?"
)


def exempt_spans(
    text: str, phrases: dict[str, str]
) -> tuple[dict[str, list[tuple[int, int]]], list[tuple[int, int]]]:
    """Where the exempt numbers are, and where an exempt phrase holds another number.

    A phrase marks its numbers in brackets: ``"[175] billion"``. Where the phrase's
    words occur around exactly those numbers, the numbers are exempt (first result,
    per phrase). Where the words occur around *other* numbers (``"176 billion"``),
    those numbers are changed exemptions, and the rule reports them even if they
    happen to be inputs (second result): so a changed exempt number is always caught.
    """
    exempt: dict[str, list[tuple[int, int]]] = {}
    changed: list[tuple[int, int]] = []
    for phrase in phrases:
        parts = _MARKED.split(phrase)
        words, numbers = parts[0::2], parts[1::2]
        if not numbers:
            raise ValueError(f"exemption {phrase!r} marks no number: write it as [number]")
        pattern = "".join(
            re.escape(word) + (f"({_ANY_NUMBER})" if index < len(numbers) else "")
            for index, word in enumerate(words)
        )
        exempt[phrase] = []
        for match in re.finditer(pattern, text):
            for index, number in enumerate(numbers, start=1):
                span = match.span(index)
                if match[index] == number:
                    exempt[phrase].append(span)
                else:
                    changed.append(span)
    return exempt, changed


def unchecked_numbers(
    text: str, path: Path, exemptions: dict[str, str]
) -> list[ProseNumber]:
    """The prose numbers of a page that are neither pinned, nor inputs, nor exempt.

    Args:
        text: The page (Markdown, or a percent-format notebook).
        path: Its path (for the report and to tell a notebook from a page).
        exemptions: Phrase -> reason; the phrase marks its numbers in brackets
            (``"[175] billion"``), see ``exempt_spans``.
    """
    misread = misread_numbers(text, path)
    inputs = section_inputs(text, path)
    exempt, changed = exempt_spans(text, exemptions)
    spans = {span for found in exempt.values() for span in found}
    offenders = []
    for number in prose_numbers(text, path):
        where = (number.offset, number.end)
        own = next((v for start, end, v in inputs if start <= number.offset < end), set())
        if where in changed:
            offenders.append(number)
        elif number.pinned or where in spans or literal_key(number.text) in own:
            continue
        else:
            offenders.append(number)
    return sorted(offenders + misread, key=lambda n: n.offset)


def checked_pages() -> list[Path]:
    """Every page the rule covers: ``docs/*.md`` and the notebooks ``docs/*.py``."""
    return sorted(
        path for path in DOCS.iterdir()
        if path.suffix == ".md" or is_notebook(path)
    )
