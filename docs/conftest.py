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
``docs/_hooks/lrtutor_site.py``, with the same doctest option flags.
"""

from __future__ import annotations

import decimal
import doctest
import re
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sybil import Document, Example, Region, Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer

OPTIONFLAGS = doctest.NORMALIZE_WHITESPACE  # keep in step with docs/_hooks/lrtutor_site.py

_PYCON_LEXER = RawFencedCodeBlockLexer(info_pattern=re.compile(r"pycon\b[^\n]*$\n", re.M))
_DOCTESTS = DocTestStringParser(DocTestEvaluator(OPTIONFLAGS))


def parse_pycon(document: Document) -> Iterable[Region]:
    """Doctest regions for every fenced ``pycon`` block, whatever its attributes."""
    for block in _PYCON_LEXER(document):
        source = block.lexemes["source"]
        # The lexer dedents an indented block (one in an admonition, say), so offsets in
        # ``source`` are short by the indent of every line before them; Region.adjust
        # would then name the wrong line. Map them to the page line by line instead.
        first = block.start + source.offset
        page_lines = document.text[first:].splitlines(keepends=True)
        starts = [first]
        for line in page_lines[: source.count("\n")]:
            starts.append(starts[-1] + len(line))
        dedented = source.splitlines()
        indents = [
            len(page.rstrip("\r\n")) - len(line)
            for page, line in zip(page_lines, dedented, strict=False)
        ]

        def on_page(offset: int, source: str = source, starts: list[int] = starts,
                    indents: list[int] = indents) -> int:
            row = source.count("\n", 0, offset)
            column = offset - (source.rfind("\n", 0, offset) + 1)
            return starts[row] + (column + indents[row] if column else 0)

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


def parse_pins(document: Document) -> Iterable[Region]:
    for match in PIN.finditer(document.text):
        yield Region(
            match.start(),
            match.end(),
            parsed=(match["number"], match["op"], match["expr"]),
            evaluator=evaluate_pin,
        )


#: The doc checks; tests/test_drift.py runs them in-process on mutated pages.
DOC_CHECKS = Sybil(
    parsers=[parse_pycon, parse_pins],
    patterns=["*.md"],
)

pytest_collect_file = DOC_CHECKS.pytest()
