"""The doc checks catch drift: change any stated number, or a formula, and they fail.

Mutation testing of the pages' checks (``docs/conftest.py``), run in-process with
sybil's own API on mutated copies of the page text:

* every pinned number (``NUMBER<!-- = expr -->`` or ``~ expr``), every number in the expected
  output of every ``pycon`` example, and every other number in the prose of every page
  (found by ``tests/support/prose_numbers.py``, the notebook's Markdown cells included) is
  changed, one at a time: its last significant digit goes up by one (9 goes down to
  8), so the format stays the same. The checks must fail at that page and that line:
  a pin names its own line; a console example names its ``>>>`` line and quotes the
  changed line under "Expected"; an unpinned prose number (an input of the page's
  code, or exempt) must be reported at its line by the prose-number rule
  (``tests/content/test_prose_numbers.py``): the changed value is no input and no exempt
  phrase. Every number the prose scanner calls pinned must be a pin the doc checks
  collect.
* the instances of issue 9 (one-word edits to results in the prose that no check
  caught) each fail the checks at their page and line.
* ``SQUARE``'s slope off by 10 % (``2.2*x``), and ``exponential_decay`` evaluated one
  step late, must make the checks of every page that uses them fail.

Speed: a mutation changes the text of one example only, so everything before it
runs as on the unmutated page. Each page is therefore run once; before each example,
its mutated versions are evaluated on a copy of the namespace at that point. Parsing
the mutated page must give the same regions, so the unmutated examples are the same
text and pass as they did. A changed unpinned prose number runs no code: only the
prose-number rule reads the changed page.
"""

from __future__ import annotations

import copy
import dataclasses
import doctest
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sybil import Document, Example
from sybil.example import SybilFailure

import lrtutor
from lrtutor import losses, schedules

from ..support import prose_numbers
from ..support.doc_checks import CHECKS, SYBIL, checked_pages, parse, start_namespace
from ..support.exemptions import exemptions
from ..support.helpers import ROOT

DOCS = ROOT / "docs"


def snapshot(namespace: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``namespace`` that a mutated example cannot change under the page.

    A shallow ``dict(namespace)`` shares its objects: a mutated example that draws from
    the page's random generator, or appends to its list, changes the state the
    unmutated example then runs in, and the page fails for no fault of its own
    (mini-batches.md's seeded draws did). Every value is deep-copied, one memo for the
    whole namespace so shared objects stay shared; what cannot be copied (a module, an
    open file) is kept as is.
    """
    memo: dict[int, Any] = {}
    copied: dict[str, Any] = {}
    for name, value in namespace.items():
        if isinstance(value, ModuleType) or name == "__builtins__":
            copied[name] = value
            continue
        try:
            copied[name] = copy.deepcopy(value, memo)
        except Exception:  # noqa: BLE001 - not copyable: share it, as before
            copied[name] = value
    return copied

# -- mutation sites ---------------------------------------------------------------------

#: A number in expected console output (not the digits of a name such as ``float64``).
CONSOLE_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")


@dataclass(frozen=True)
class Site:
    """One digit to change: the last significant digit of a number on a page."""

    kind: str  # "pin" or "console"
    example: int  # index of the example (region) holding the number
    offset: int  # position of the digit in the page text
    line: int  # 1-based line of the number
    number: str  # the number as written

    def mutate(self, text: str) -> str:
        digit = int(text[self.offset])
        new = digit + 1 if digit < 9 else digit - 1
        return text[: self.offset] + str(new) + text[self.offset + 1 :]


def last_mantissa_digit(number: str) -> int:
    """Index in ``number`` of its last significant digit (before any exponent)."""
    mantissa = re.split(r"[eE]", number)[0]
    return max(i for i, char in enumerate(mantissa) if char.isdigit())


def console_lines(example: doctest.Example) -> tuple[int, int]:
    """Number of source lines and of expected-output lines of a console example."""
    return len(example.source.splitlines()), len(example.want.splitlines())


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def mutation_sites(document: Document) -> Iterator[Site]:
    """Every pinned number and every number of expected console output."""
    text = document.text
    for index, (_, region) in enumerate(document.regions):
        parsed = region.parsed
        if isinstance(parsed, doctest.Example):
            # A console example: its source lines, then the expected output.
            n_source, n_want = console_lines(parsed)
            lines = text[region.start :].splitlines(keepends=True)[: n_source + n_want]
            offset = region.start + sum(len(line) for line in lines[:n_source])
            for line in lines[n_source:]:
                for match in CONSOLE_NUMBER.finditer(line):
                    digit = offset + match.start() + last_mantissa_digit(match[0])
                    yield Site("console", index, digit, line_of(text, digit), match[0])
                offset += len(line)
        else:
            match = CHECKS.PIN.fullmatch(text, region.start, region.end)
            assert match, f"unexpected region {region!r} in {document.path}"
            digit = match.start("number") + last_mantissa_digit(match["number"])
            yield Site("pin", index, digit, line_of(text, digit), match["number"])


# -- running a page ---------------------------------------------------------------------


KINDS = ("pin", "console", "prose")


@dataclass
class PageReport:
    """What happened to one page's mutations."""

    page: str
    caught: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    missed: list[str] = field(default_factory=list)


def catch(example: Example) -> SybilFailure | None:
    try:
        example.evaluate()
    except SybilFailure as failure:
        return failure
    return None


def check_caught(site: Site, mutated: str, failure: SybilFailure | None, page: Path) -> str | None:
    """``None`` if ``failure`` names the page and the mutated line, else what is wrong."""
    where = f"{page.relative_to(ROOT)}:{site.line} ({site.kind} {site.number})"
    if failure is None:
        return f"{where}: changing it made no check fail"
    example = failure.example
    if example.path != str(page):
        return f"{where}: the failure names {example.path}"
    if site.kind == "pin":
        if example.line != site.line:
            return f"{where}: the failure names line {example.line}"
        return None
    last_line = example.line + sum(console_lines(example.parsed)) - 1
    if not example.line <= site.line <= last_line:
        return f"{where}: the failure names the example at line {example.line}"
    changed = mutated.splitlines()[site.line - 1].strip()
    expected = failure.result.split("Got", 1)[0]
    if changed not in expected:
        return f"{where}: the failure does not quote {changed!r}:\n{failure.result}"
    return None


def prose_sites(text: str, page: Path) -> Iterator[Site]:
    """Every number of the prose that is not pinned (pins are mutated as pins)."""
    for number in prose_numbers.prose_numbers(text, page):
        if not number.pinned:
            digit = number.offset + last_mantissa_digit(number.text)
            yield Site("prose", -1, digit, number.line, number.text)


def check_prose_caught(site: Site, page: Path, text: str) -> str | None:
    """``None`` if the prose-number rule reports the changed number at its line."""
    mutated = site.mutate(text)
    where = f"{page.relative_to(ROOT)}:{site.line} (prose {site.number})"
    reported = prose_numbers.unchecked_numbers(mutated, page, exemptions(page))
    if any(number.offset <= site.offset < number.end and number.line == site.line
           for number in reported):
        return None
    start = site.offset - last_mantissa_digit(site.number)
    changed = mutated[start : start + len(site.number)]
    return (f"{where}: changed to {changed}, and the prose-number rule does not report "
            "it (it equals another input of the page: pin it instead)")


def pins_collected(text: str, page: Path, document: Document | None) -> list[str]:
    """Numbers the prose scanner calls pinned that the doc checks do not evaluate."""
    ends = set()
    if document is not None:
        for _, region in document.regions:
            match = CHECKS.PIN.fullmatch(text, region.start, region.end)
            if match:
                ends.add(match.end("number"))
    return [
        f"{number.where()} (pin {number.text}): pinned in the prose, but no doc check "
        "evaluates the pin"
        for number in prose_numbers.prose_numbers(text, page)
        if number.pinned and number.end not in ends
    ]


@cache
def mutate_page(page: Path) -> PageReport:
    """Change each number of ``page`` in turn and record whether the checks caught it."""
    text = page.read_text(encoding="utf-8")
    report = PageReport(str(page.relative_to(ROOT)))
    for site in prose_sites(text, page):
        report.total["prose"] += 1
        problem = check_prose_caught(site, page, text)
        if problem:
            report.missed.append(problem)
        else:
            report.caught["prose"] += 1
    if not SYBIL.should_parse(page):  # the notebook: no pins, no console examples
        report.missed.extend(pins_collected(text, page, None))
        return report
    document = parse(text, page)
    report.missed.extend(pins_collected(text, page, document))
    layout = [(region.start, region.end) for _, region in document.regions]
    sites: dict[int, list[Site]] = {}
    for site in mutation_sites(document):
        sites.setdefault(site.example, []).append(site)
    namespace = start_namespace(document)
    for index, example in enumerate(document.examples()):
        for site in sites.get(index, []):
            report.total[site.kind] += 1
            mutated = site.mutate(text)
            variant = parse(mutated, page)
            assert [(r.start, r.end) for _, r in variant.regions] == layout, site
            variant.namespace = snapshot(namespace)  # the state before this example
            problem = check_caught(site, mutated, catch(list(variant.examples())[index]), page)
            if problem:
                report.missed.append(problem)
            else:
                report.caught[site.kind] += 1
        failure = catch(example)  # the unmutated example, in the page's own namespace
        assert failure is None, f"the unmutated page fails its checks:\n{failure}"
    return report


def run_page(page: Path) -> list[SybilFailure]:
    """Every failing check of ``page`` as it stands on disk, evaluated in order."""
    document = parse(page.read_text(encoding="utf-8"), page)
    start_namespace(document)
    return [failure for example in document.examples() if (failure := catch(example))]


PAGES = checked_pages()
PAGE_IDS = [str(page.relative_to(DOCS)) for page in PAGES]
#: Pages whose prose numbers are changed: the pages above and the notebook.
PROSE_PAGES = sorted(set(PAGES) | set(prose_numbers.checked_pages()))
PROSE_PAGE_IDS = [str(page.relative_to(DOCS)) for page in PROSE_PAGES]


def test_pages_are_found() -> None:
    assert DOCS / "index.md" in PAGES
    assert all(page.suffix == ".md" for page in PAGES)
    assert DOCS / "playground.py" in PROSE_PAGES


@pytest.mark.parametrize("page", PROSE_PAGES, ids=PROSE_PAGE_IDS)
def test_every_changed_number_fails_the_checks_at_its_line(page: Path) -> None:
    report = mutate_page(page)
    assert not report.missed, "\n".join(report.missed)
    assert report.caught == report.total


def test_mutation_summary(capsys: pytest.CaptureFixture[str]) -> None:
    reports = [mutate_page(page) for page in PROSE_PAGES]
    lines = ["", "Numbers changed one at a time, caught by the doc checks at their line:"]
    for report in reports:
        lines.append(
            f"  {report.page:<28} pins {report.caught['pin']}/{report.total['pin']}, "
            f"console numbers {report.caught['console']}/{report.total['console']}, "
            f"other prose numbers {report.caught['prose']}/{report.total['prose']}"
        )
    caught = sum(sum(r.caught.values()) for r in reports)
    total = sum(sum(r.total.values()) for r in reports)
    kinds = {kind: sum(r.total[kind] for r in reports) for kind in KINDS}
    lines.append(
        f"  all pages: {caught}/{total} caught ({kinds['pin']} pins, "
        f"{kinds['console']} console, {kinds['prose']} other prose)"
    )
    with capsys.disabled():
        print("\n".join(lines))
    assert total > 0 and caught == total


# -- changed formulas -------------------------------------------------------------------

#: Pages on which each piece of code ran, recorded by the unmutated runs below.
_used: dict[str, set[Path]] = {}
_current_page: list[Path] = []


def _record(name: str) -> None:
    _used.setdefault(name, set()).add(_current_page[-1])


class _Schedule:
    """A schedule that calls ``rate`` at ``shift`` steps later (``shift=0``: the same)."""

    def __init__(self, rate: Callable[[Any], Any], shift: int, name: str) -> None:
        self._rate, self._shift, self._name = rate, shift, name

    def __call__(self, step: Any) -> Any:
        _record(self._name)
        return self._rate(step + self._shift)

    def __repr__(self) -> str:
        return repr(self._rate)


def square_slope_off(monkeypatch: pytest.MonkeyPatch, on: bool) -> None:
    """SQUARE's slope ``2*x`` becomes ``2.2*x`` (if ``on``); records where it is used.

    Written as ``(11 * slope) / 10`` so that it still takes Fraction and Decimal.
    """
    original = losses.SQUARE.slope

    def slope(x: Any) -> Any:
        _record("SQUARE.slope")
        return (11 * original(x)) / 10 if on else original(x)

    square = dataclasses.replace(losses.SQUARE, slope=slope)
    monkeypatch.setattr(losses, "SQUARE", square)
    monkeypatch.setattr(lrtutor, "SQUARE", square)


def decay_one_step_late(monkeypatch: pytest.MonkeyPatch, on: bool) -> None:
    """exponential_decay's schedules give the rate of ``step + 1`` (if ``on``)."""
    original = schedules.exponential_decay

    def exponential_decay(*args: Any, **kwargs: Any) -> _Schedule:
        return _Schedule(original(*args, **kwargs), int(on), "exponential_decay")

    monkeypatch.setattr(schedules, "exponential_decay", exponential_decay)
    monkeypatch.setattr(lrtutor, "exponential_decay", exponential_decay)


#: name -> (the code it changes, as recorded; the patch).
FORMULA_CHANGES = {
    "SQUARE slope 2.2*x": ("SQUARE.slope", square_slope_off),
    "exponential_decay at step+1": ("exponential_decay", decay_one_step_late),
}


def failures_with(
    change: Callable[[pytest.MonkeyPatch, bool], None], on: bool
) -> dict[Path, list[SybilFailure]]:
    """Run every page with ``change`` applied (``on``) or only recording (not ``on``)."""
    results = {}
    with pytest.MonkeyPatch.context() as monkeypatch:
        change(monkeypatch, on)
        for page in PAGES:
            _current_page.append(page)
            try:
                results[page] = run_page(page)
            finally:
                _current_page.pop()
    return results


@pytest.mark.parametrize("name", FORMULA_CHANGES)
def test_changed_formula_fails_every_page_that_uses_it(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    used, change = FORMULA_CHANGES[name]
    _used.pop(used, None)
    unchanged = failures_with(change, on=False)
    assert not any(unchanged.values()), unchanged  # recording alone changes nothing
    affected = _used.get(used, set())
    assert affected, f"no page uses {used}; choose a formula the pages depend on"
    changed = failures_with(change, on=True)
    silent = sorted(str(page.relative_to(ROOT)) for page in affected if not changed[page])
    assert not silent, (
        f"with {name}, these pages use {used} but none of their checks failed: {silent}"
    )
    lines = [f"{name}: the checks of {len(affected)} pages that use {used} fail:"]
    for page in sorted(affected):
        first = changed[page][0].example
        assert first.path == str(page)
        lines.append(
            f"  {page.relative_to(ROOT)}: {len(changed[page])} failing checks, "
            f"first at line {first.line}"
        )
    with capsys.disabled():
        print("\n" + "\n".join(lines))


# -- the instances of issue 9 -----------------------------------------------------------

#: One-word edits to results in the prose that once passed every check (issue 9, and
#: its "627 steps": the 628th update is the one that passes 10^100). As the reader
#: sees the text: pins left out, line breaks as spaces.
ISSUE_9_EDITS = [
    ("direction.md", "The loss fell from 4 to 1", "The loss fell from 4 to 2"),
    ("decay.md", "multiply it by 0.7 every 10 steps", "multiply it by 0.8 every 10 steps"),
    ("explorer.md", "grows by a factor 1.2 each step", "grows by a factor 1.3 each step"),
    ("learning-rate.md", "0.9 needs as many steps as 0.1", "0.8 needs as many steps as 0.1"),
    ("stability.md", "0.25 and 0.75 both halve", "0.25 and 0.85 both halve"),
    ("learning-rate.md", "the 628th update takes the loss", "the 627th update takes the loss"),
]


def edit_as_read(text: str, old: str, new: str) -> tuple[str, int]:
    """``text`` with ``old`` replaced by ``new`` as a reader sees it; and the changed line.

    ``old`` and ``new`` have the same length and differ in digits only; they are
    matched against the text without its pin comments, with any run of white space
    read as one space.
    """
    assert len(old) == len(new)
    shown, where = [], []  # the visible characters and their offsets in ``text``
    at = 0
    while at < len(text):
        pin = PIN_ONLY.match(text, at)
        if pin:
            at = pin.end()
            continue
        char = text[at]
        if char.isspace():
            if shown and shown[-1] == " ":
                at += 1
                continue
            char = " "
        shown.append(char)
        where.append(at)
        at += 1
    visible = "".join(shown)
    assert visible.count(old) == 1, f"{old!r} is not once in the page"
    start = visible.index(old)
    changed = list(text)
    lines = set()
    for index, (before, after) in enumerate(zip(old, new, strict=True)):
        if before != after:
            changed[where[start + index]] = after
            lines.add(line_of(text, where[start + index]))
    assert len(lines) == 1
    return "".join(changed), lines.pop()


PIN_ONLY = re.compile(r"<!--\s*[=~]\s*.+?\s*-->")


def failures_in(text: str, page: Path) -> list[str]:
    """``page:line: what`` for every check that fails on ``text`` as the page."""
    name = page.relative_to(ROOT)
    found = [
        f"{number.where()}: prose number {number.text} is not checked"
        for number in prose_numbers.unchecked_numbers(text, page, exemptions(page))
    ]
    document = parse(text, page)
    start_namespace(document)
    for example in document.examples():
        failure = catch(example)
        if failure is not None:
            found.append(f"{name}:{failure.example.line}: {failure.result.splitlines()[0]}")
    return found


@pytest.mark.parametrize(("name", "old", "new"), ISSUE_9_EDITS, ids=lambda v: str(v)[:30])
def test_issue_9_edits_fail_the_checks_at_their_line(name: str, old: str, new: str) -> None:
    page = DOCS / name
    text = page.read_text(encoding="utf-8")
    mutated, line = edit_as_read(text, old, new)
    assert failures_in(text, page) == []
    found = failures_in(mutated, page)
    assert any(failure.startswith(f"docs/{name}:{line}:") for failure in found), found
