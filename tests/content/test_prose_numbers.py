"""Every number in a page's prose is pinned, an input of the page's code, or exempt.

The rule (``tests/support/prose_numbers.py`` finds the numbers and says what prose is): a
number the prose states is either pinned (``8<!-- = n -->``: pytest checks it against
the code), or a number literal of that page's own code (a parameter the reader is
told, such as the learning rate 0.25 of a console example), or listed in ``EXEMPT``
(``tests/support/exemptions.py``) with the reason it needs no check.
``tests/content/test_drift.py`` changes every one of these numbers in turn and expects
this rule or a pin to fail at its line.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ..support.doc_checks import CHECKS
from ..support.exemptions import EXEMPT, exemptions
from ..support.prose_numbers import (
    NUMBER,
    PIN_COMMENT,
    PINNABLE,
    ROOT,
    code_literals,
    exempt_spans,
    number_value,
    page_inputs,
    prose_numbers,
    section_inputs,
    unchecked_numbers,
)
from ..support.prose_numbers import checked_pages as _checked_pages

PAGES = _checked_pages()
PAGE_IDS = [page.name for page in PAGES]


def offenders(text: str, page: Path) -> list[str]:
    """``page:line: number`` for every prose number of ``text`` that nothing checks."""
    lines = text.splitlines()
    return [
        f"{number.where()}: {number.text}  ({lines[number.line - 1].strip()})"
        for number in unchecked_numbers(text, page, exemptions(page))
    ]


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_prose_number_is_pinned_an_input_or_exempt(page: Path) -> None:
    found = offenders(page.read_text(encoding="utf-8"), page)
    assert not found, (
        "numbers in the prose that no check ties to the code; pin each "
        "(NUMBER<!-- = expr -->, an expression of the code above it), or, for a "
        "parameter the prose restates, make it a parameter of the code of its own "
        "section (from its # or ## heading to the next: a parameter of another "
        "section's code no longer counts), or exempt it in tests/support/exemptions.py "
        "with a reason. A number the site shows as prose but markdown-it reads as code "
        "(prose indented 6+ spaces under a list item) cannot be pinned there: indent it "
        "as its item's text, or fence it if it is code:\n" + "\n".join(found)
    )


def test_pages_include_every_markdown_page_and_the_notebook() -> None:
    names = {page.name for page in PAGES}
    assert {path.name for path in (ROOT / "docs").glob("*.md")} <= names
    assert "playground.py" in names
    assert "conftest.py" not in names


def test_every_exemption_is_used_and_explained() -> None:
    for name, phrases in EXEMPT.items():
        page = ROOT / "docs" / name
        text = page.read_text(encoding="utf-8")
        spans, _ = exempt_spans(text, phrases)
        numbers = {(number.offset, number.end) for number in prose_numbers(text, page)}
        for phrase, reason in phrases.items():
            assert reason.strip(), f"{name}: exemption {phrase!r} gives no reason"
            assert spans[phrase], f"{name}: exemption {phrase!r} is not in the page"
            assert set(spans[phrase]) <= numbers, (
                f"{name}: exemption {phrase!r} marks text the scanner reads as no number"
            )


def test_pin_comment_matches_the_doc_checks_pins() -> None:
    """The scanner's idea of a pin is docs/conftest.py's PIN, after the number."""
    for comment in ("<!-- = n -->", "<!--~run.final_x-->", "<!-- = f(1, 2) -->"):
        assert PIN_COMMENT.fullmatch(comment)
        assert CHECKS.PIN.fullmatch("2" + comment)
    assert not PIN_COMMENT.fullmatch("<!-- a note -->")
    assert PINNABLE.pattern in CHECKS.PIN.pattern


def test_a_pin_covers_only_a_number_it_reads_whole() -> None:
    assert found("Here 20,000<!-- = n -->, 10^2<!-- = 2 --> and 3<!-- = 3 -->.\n") == [
        (1, "20,000", False), (1, "10^2", False), (1, "3", True)
    ]


def test_autoref_targets_and_attribute_lists_are_not_prose() -> None:
    text = "See [step 1][lrtutor.v2.step3] and 4.\n\n## Head 5 { #sec-6 .w7 }\n"
    assert found(text) == [(1, "1", False), (1, "4", False), (3, "5", False)]


def test_front_matter_is_not_prose() -> None:
    text = "---\nsearch:\n  boost: 0.5\n---\n\n# Page 2\n"
    assert found(text) == [(6, "2", False)]


def test_tabs_are_read_like_admonitions() -> None:
    text = '=== "Rate 1"\n\n    Inside a tab, 2.\n\n===+ "Rate 3"\n    Also 4.\n'
    assert found(text) == [(1, "1", False), (3, "2", False), (5, "3", False), (6, "4", False)]


# -- what the scanner reads as prose and as a number ------------------------------------

SAMPLE = """\
# Take 3 steps

At rate 0.25 the loss is $x^2 = 4$ and $$\\eta < 2$$ holds; `run(7)` runs.
It needs 8<!-- = n --> steps and 1e-7 is tiny; 10^100 is huge, −2 is negative.
A [link to 9](page.md#step-11) and [ref][api.v12] and <https://x.org/13>.
<!-- a comment with 14 -->
<span title="15">16 in HTML</span> x0 float64 2/L 20,000 1.5e+3

$$
17 + 18
$$

```pycon id="a"
>>> f(19, "0.5", -2.0)
20

```

!!! note "A title with 21"
    Inside an admonition, 22.

    ```python
    23
    ```

| rate | steps |
|---|---|
| 0.1 | 24 |

<div class="x" data-n="25">
<p>Text 26 and <code>27</code> <b>28</b></p>
</div>
"""


def found(text: str) -> list[tuple[int, str, bool]]:
    return [(n.line, n.text, n.pinned) for n in prose_numbers(text, Path("sample.md"))]


def test_scanner_finds_prose_numbers_with_their_lines() -> None:
    assert found(SAMPLE) == [
        (1, "3", False),
        (3, "0.25", False),
        (4, "8", True),
        (4, "1e-7", False),
        (4, "10^100", False),
        (4, "\u22122", False),
        (5, "9", False),
        (7, "16", False),
        (7, "2", False),  # of 2/L: a formula term in prose still states a number
        (7, "20,000", False),
        (7, "1.5e+3", False),
        (19, "21", False),
        (20, "22", False),
        (28, "0.1", False),
        (28, "24", False),
        (31, "26", False),
        (31, "28", False),
    ]


def test_scanner_offsets_point_at_the_number() -> None:
    for number in prose_numbers(SAMPLE, Path("sample.md")):
        assert SAMPLE[number.offset : number.end] == number.text
        assert SAMPLE.count("\n", 0, number.offset) + 1 == number.line


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("4", Decimal(4)),
        ("0.25", Decimal("0.25")),
        ("1e-7", Decimal("1e-7")),
        ("2.6e15", Decimal("2.6e15")),
        ("\u22120.0001", Decimal("-0.0001")),
        ("-2", Decimal(-2)),
        ("10^100", Decimal(10**100)),
        ("2.5^2", Decimal("6.25")),
        ("10^\u22122", Decimal("0.01")),
        ("20,000", Decimal(20000)),
    ],
)
def test_number_values(written: str, value: Decimal) -> None:
    assert NUMBER.fullmatch(written)
    assert number_value(written) == value


@pytest.mark.parametrize("text", ["x0", "float64", "v1", "a_2", "x-", "e5"])
def test_digits_in_names_are_not_numbers(text: str) -> None:
    assert found(f"Call {text} now.\n") == []


def test_a_sign_belongs_to_a_number_only_before_it() -> None:
    assert found("from 2 to -2, x-3 and (−4, 5)\n") == [
        (1, "2", False), (1, "-2", False), (1, "3", False), (1, "\u22124", False),
        (1, "5", False),
    ]


def test_code_literals_are_the_parameters_as_written() -> None:
    source = (
        'run(SQUARE, "2", 0.0001, 1e-15, n=20_000)\n'
        "x = f(-2.0, +3)  # 7\n"
        "for lr in (0.1, 0.25):\n"
        "    print(lr, run.positions[0], 1 - 2 * lr, 1.5 > lr, rates[-4:])\n"
        "d = {30: 0.5}\n"
        "[g(lr) for lr in (0.24, 0.26) if lr > 0.1]\n"
    )
    assert code_literals(source) == {
        "2", "0.0001", "1e-15", "20000", "-2.0", "3", "0.1", "0.25", "30", "0.5", "0.24",
        "0.26",
    }
    assert code_literals("x = 2.0 - 1.0\n") == set()  # arithmetic, not a parameter
    assert code_literals("    indented(4)\n") == {"4"}
    assert code_literals("not python (\n") == set()


def test_inputs_come_from_console_sources_exec_blocks_and_snippets() -> None:
    page = ROOT / "docs" / "sample.md"
    text = (
        '```pycon id="a"\n>>> f(0.3)\n0.7\n\n```\n\n'
        '```python exec="on" id="b"\nprint(0.4)\n--8<-- "fig_summary.py"\n```\n\n'
        '```python\nprint(0.6)\n```\n'
    )
    inputs = page_inputs(text, page)
    assert "0.3" in inputs and "0.4" in inputs
    assert "0.7" not in inputs  # expected output is a result, not an input
    assert "0.6" not in inputs  # shown, not run
    snippet = (ROOT / "docs" / "snippets" / "fig_summary.py").read_text(encoding="utf-8")
    assert code_literals(snippet) <= inputs


def test_rule_reports_page_line_and_number() -> None:
    page = ROOT / "docs" / "sample.md"
    text = (
        '```pycon id="a"\n>>> f(0.3)\n0.7\n\n```\n\n'
        "At 0.3 it gives 0.7, pinned 0.7<!-- = 0.7 -->; 0.7 is exempt here; 0.30 is not.\n"
        "And 0.3 is exempt here.\n"
    )
    assert [(n.line, n.text) for n in unchecked_numbers(text, page, {})] == [
        (7, "0.7"), (7, "0.7"), (7, "0.30")
    ]
    exempt = {"[0.7] is exempt": "a test", "And [0.4] is": "changed"}
    assert [(n.line, n.text) for n in unchecked_numbers(text, page, exempt)] == [
        (7, "0.7"), (7, "0.30"), (8, "0.3")  # an input, but the exempt words hold 0.4
    ]


def test_notebook_markdown_cells_are_prose() -> None:
    page = ROOT / "docs" / "nb.py"
    text = (
        "# ---\n# jupyter: 3\n# ---\n\n# %% [markdown]\n# Try 0.9 and `f(4)`,\n"
        "# then 5.\n\n# %%\nrun(0.9)  # 6\n"
    )
    assert [(n.line, n.text, n.pinned) for n in prose_numbers(text, page)] == [
        (6, "0.9", False), (7, "5", False)
    ]
    assert [(n.line, n.text) for n in unchecked_numbers(text, page, {})] == [(7, "5")]
    for number in prose_numbers(text, page):
        assert text[number.offset : number.end] == number.text


def test_a_restated_parameter_must_be_in_its_own_sections_code() -> None:
    """Issue 19: decay.md's "0.7 every 10 steps" edited to "0.8" passed, 0.8 being then a
    parameter of another block of the page. Here: edited to each parameter of the page's
    other sections (not of its own), every one must now be reported at that line."""
    page = ROOT / "docs" / "decay.md"
    text = page.read_text(encoding="utf-8")
    phrase = "multiply it by 0.7 every 10 steps"
    at = text.index(phrase)
    line = text[:at].count("\n") + 1
    own = next(v for start, end, v in section_inputs(text, page) if start <= at < end)
    others = sorted(v for v in page_inputs(text, page) - own if "." in v)
    assert others  # the page has such parameters: the instance is real
    for value in others:
        mutated = text.replace(phrase, phrase.replace("0.7", value))
        found = [(n.line, n.text) for n in unchecked_numbers(mutated, page, {})]
        assert (line, value) in found, value


def test_sections_start_at_page_headings() -> None:
    page = ROOT / "docs" / "sample.md"
    text = (
        "# Title\n\n```pycon id=\"a\"\n>>> f(0.3)\n\n```\n\nAt 0.3 here.\n\n"
        "### Sub\n\nStill 0.3.\n\n## Next\n\nNow 0.3 is another section's.\n\n"
        "```pycon id=\"b\"\n>>> f(0.4)\n\n```\n\nBut 0.4 is its own.\n"
    )
    assert [(n.line, n.text) for n in unchecked_numbers(text, page, {})] == [(16, "0.3")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Issue 19: a paragraph to Python-Markdown (the site), indented code to CommonMark.
        ("- A bullet\n\n      17 steps here\n", [(3, "17")]),
        ("- a\n    - b\n\n          nested 9\n", [(4, "9")]),  # nested list, 6 past the item
        ("- item\n\n\n      two blanks 12\n", [(4, "12")]),
        ("Text\n\n- item\n\n    ```\n    code 5\n    ```\n", []),
        ("- A bullet\n\n    17 steps, continued\n", [(3, "17")]),  # a paragraph to both
    ],
)
def test_the_rule_reads_the_page_as_the_site_does(
    text: str, expected: list[tuple[int, str]]
) -> None:
    page = ROOT / "docs" / "sample.md"
    assert [(n.line, n.text) for n in unchecked_numbers(text, page, {})] == expected


def test_no_page_is_listed_twice_in_the_exemptions() -> None:
    """A dict literal keeps only the last of two equal keys, silently: two ``EXEMPT``
    entries for one page (as two merged branches once wrote) drop the first's phrases."""
    import ast

    tree = ast.parse((ROOT / "tests" / "support" / "exemptions.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict):
            target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            if getattr(target, "id", None) != "EXEMPT":
                continue
            keys = [k.value for k in node.value.keys if isinstance(k, ast.Constant)]
            assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
            return
    raise AssertionError("EXEMPT not found as a dict literal")
