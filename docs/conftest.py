"""Doc checks: pytest runs every console example and every pinned number in docs/*.md.

Collected by sybil (a maintained library for testing examples in documentation):

* every fenced ``pycon`` block is a doctest; sybil runs its examples in page order in
  one namespace per page and reports a mismatch as ``docs/<page>.md`` with the line;
* every *pinned number* in the prose is checked against the code. A pin is an HTML
  comment right after the number, invisible on the page::

      the loss grows to 4.00040001<!-- = up.after --> when ...
      it stops at about 2e-13<!-- ~ run.final_x --> ...

  The expression is evaluated in the page's namespace (after the console blocks above
  it ran). With ``=`` its value must *equal* the number as written (a float by its
  shortest repr, so ``0.1`` matches the float 0.1 but ``4`` does not match 4.4); with
  ``~`` it must *round* (half to even) to the digits written, for numbers the prose
  rounds on purpose ("about 2e-13"). Pins name their page and line.

The same console blocks are executed during the site build by
``lrtutor_site/plugin.py``. Which blocks those are, the doctest option flags and
the NumPy print style come from one module, ``lrtutor_site/blocks.py``, so that
the build and pytest cannot read a page differently; a construct the build refuses (a
fence opened on a list-marker line, an executed block without id, ...) fails here too,
at its page line.
"""

from __future__ import annotations

import decimal
import re
import sys
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from sybil import Document, Example, Region, Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser

from lrtutor_site.blocks import OPTIONFLAGS, numpy_print_style, scan

_DOCTEST = DocTestEvaluator(OPTIONFLAGS)


def _evaluate_console(example: Example) -> str:
    with numpy_print_style():
        return _DOCTEST(example)


_DOCTESTS = DocTestStringParser(_evaluate_console)


def _refused(example: Example) -> str:
    return example.parsed


def parse_pycon(document: Document) -> Iterable[Region]:
    """Doctest regions for every ``pycon`` block the build executes, in page order.

    Blocks and refused constructs come from ``lrtutor_blocks.scan``, the build's own
    reading of the page; a refused construct is a region that fails with the reason.
    """
    blocks, problems = scan(document.text)
    line_offsets = [0]
    for line in document.text.splitlines(keepends=True):
        line_offsets.append(line_offsets[-1] + len(line))
    for line, message in problems:
        start = line_offsets[line - 1]
        yield Region(start, start + 1, parsed=message, evaluator=_refused)
    for block in blocks:
        if block.language != "pycon" or not block.executed or not block.closed:
            continue
        source = block.source
        row_starts = [0]
        for text in block.lines:
            row_starts.append(row_starts[-1] + len(text) + 1)

        def on_page(offset: int, block: Any = block, row_starts: list[int] = row_starts) -> int:
            row = max(i for i, start in enumerate(row_starts) if start <= offset)
            if row >= len(block.line_starts):  # the end of the last line
                return block.line_starts[-1] + len(block.lines[-1])
            return block.line_starts[row] + (offset - row_starts[row])

        for region in _DOCTESTS(source, document.path):
            region.start, region.end = on_page(region.start), on_page(region.end)
            yield region


#: A number (optionally signed, with exponent) followed by a pin comment; ``op`` is
#: ``=`` (equal) or ``~`` (rounds to).
PIN = re.compile(
    r"(?P<number>[-+\u2212]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"<!--\s*(?P<op>[=~])\s*(?P<expr>.+?)\s*-->"
)


def _as_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("a pin must evaluate to a number, not a bool")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        with decimal.localcontext() as ctx:
            ctx.prec = 60
            return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))  # the shortest decimal that reads back as the float


def pin_matches(written: str, value: Any, op: str = "=") -> bool:
    """Whether ``value`` equals (``op="="``) or rounds to (``op="~"``) ``written``."""
    shown = Decimal(written.replace("\u2212", "-"))
    actual = _as_decimal(value)
    if op == "=":
        return actual == shown
    with decimal.localcontext() as ctx:
        ctx.prec = 80
        rounded = actual.quantize(Decimal(1).scaleb(shown.as_tuple().exponent))
    return rounded == shown


def evaluate_pin(example: Example) -> str | None:
    written, op, expr = example.parsed
    try:
        value = eval(expr, example.namespace)  # an expression written in our own docs
    except Exception as error:  # report, with the page and line, instead of crashing
        return f"pin {expr!r} raised {type(error).__name__}: {error}"
    try:
        ok = pin_matches(written, value, op)
    except (TypeError, ValueError, decimal.InvalidOperation) as error:
        return f"pin {expr!r} gave {value!r}, which is not a number ({error})"
    if not ok:
        relation = "equal to" if op == "=" else "rounding to"
        return f"the prose says {written} ({relation} {expr}), but {expr} is {value!r}"
    return None


#: An inline code span (a run of backticks, its text, the same run), within a paragraph.
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)


def parse_pins(document: Document) -> Iterable[Region]:
    """Pins in the prose; one in a code block or code span is shown as code, not checked."""
    end = len(document.text)
    spans = [(b.start, b.stop if b.stop >= 0 else end) for b in scan(document.text)[0]]
    spans += [m.span() for m in CODE_SPAN.finditer(document.text)]
    for match in PIN.finditer(document.text):
        if any(start <= match.start() < stop for start, stop in spans):
            continue
        yield Region(
            match.start(),
            match.end(),
            parsed=(match["number"], match["op"], match["expr"]),
            evaluator=evaluate_pin,
        )


class Page(Document):
    """sybil's ``Document``, with each example's column counted from the start of its line.

    sybil 10.1's ``Document.examples()`` looks for the start of the line only after the
    previous example, so the second pin on a line got its offset in the file as its
    column (a pin 27 characters into line 8 was reported at "line 8, column 64"). The
    lines were right. No sybil option changes this; the document type is its extension
    point (``Sybil(document_types=...)``).
    """

    def examples(self) -> Iterable[Example]:
        for _, region in self.regions:
            line = self.text.count("\n", 0, region.start) + 1
            column = region.start - self.text.rfind("\n", 0, region.start)
            yield Example(self, line, column, region, self.namespace)


#: The doc checks; tests/content/test_drift.py runs them in-process on mutated pages.
DOC_CHECKS = Sybil(
    parsers=[parse_pycon, parse_pins],
    patterns=["*.md"],
    document_types={".md": Page},
)

pytest_collect_file = DOC_CHECKS.pytest()
