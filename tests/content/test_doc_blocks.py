"""Which blocks are checked: the build's reading of fences (lrtutor_site/blocks.py)
and pytest's (docs/conftest.py, sybil) are one and the same, for every way Markdown nests
a fence; constructs they could read differently fail with their page line.

The build's side of each case is in tests/content/test_authoring.py (strict builds of a
modified copy of the site).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lrtutor_site import blocks as lrtutor_blocks
from lrtutor_site.blocks import scan
from sybil.example import SybilFailure

from ..support.doc_checks import parse
from ..support.helpers import ROOT

PAGE = Path(ROOT / "docs" / "scratch.md")


def run_checks(text: str) -> tuple[int, list[tuple[int, str]]]:
    """Run the doc checks on ``text``: (examples run, failures as (line, message))."""
    document = parse(text, PAGE)
    failures = []
    examples = list(document.examples())
    for example in examples:
        try:
            example.evaluate()
        except SybilFailure as failure:
            failures.append((example.line, str(failure)))
    return len(examples), failures


NESTED_DISPLAY = '''\
# Add a page

````markdown
```pycon id="my-count" session="my-page"
>>> print(undefined_name)
8

```
````
'''


def test_fence_inside_a_longer_fence_is_display_only() -> None:
    blocks, problems = scan(NESTED_DISPLAY)
    assert problems == []
    assert [(b.language, b.executed) for b in blocks] == [("markdown", False)]
    assert run_checks(NESTED_DISPLAY) == (0, [])


def test_fence_inside_a_tilde_fence_is_display_only() -> None:
    text = NESTED_DISPLAY.replace("````", "~~~")
    assert [(b.language, b.executed) for b in scan(text)[0]] == [("markdown", False)]
    assert run_checks(text) == (0, [])


def test_pin_in_a_code_block_is_shown_not_checked() -> None:
    text = (
        "Write `the run needs 8<!-- = n --> steps` like this:\n\n"
        "````markdown\nthe run needs 8<!-- = n --> steps\n````\n\n"
        "Checked: 4<!-- = 2 + 2 --> and 5<!-- = 2 + 2 -->.\n"
    )
    count, failures = run_checks(text)
    # The prose pins are read; those in the code span and in the fence are not.
    assert count == 2
    assert [line for line, _ in failures] == [7]
    assert "the prose says 5" in failures[0][1]


LIST_MARKER = '''\
Steps:

- ```pycon id="v1"
  >>> print(1)
  1
  ```
'''


def test_fence_on_a_list_marker_line_is_refused_at_its_line() -> None:
    _, problems = scan(LIST_MARKER)
    assert [line for line, _ in problems] == [3]
    assert "list-marker line" in problems[0][1]
    _, failures = run_checks(LIST_MARKER)
    assert [line for line, _ in failures] == [3] and "list-marker line" in failures[0][1]


@pytest.mark.parametrize("marker", ["*", "+", "1.", "2)"])
def test_every_list_marker_is_refused(marker: str) -> None:
    assert [line for line, _ in scan(LIST_MARKER.replace("- ", f"{marker} "))[1]] == [3]


NESTED_IN_CONTAINERS = '''\
# Containers

!!! note "In an admonition"

    ```pycon id="in-note" session="p"
    >>> x = 2
    >>> print(x + 1)
    3

    ```

=== "In a tab"

    ```pycon id="in-tab" session="p"
    >>> print(x * 10)
    20

    ```

??? tip "In details"

    ```pycon id="in-details" session="p"
    >>> print(x - 1)
    1

    ```

1. In a list item:

    ```pycon id="in-list" session="p"
    >>> print(x ** 3)
    8

    ```
'''


def test_blocks_indented_in_containers_run_in_page_order() -> None:
    blocks, problems = scan(NESTED_IN_CONTAINERS)
    assert problems == []
    assert [b.id for b in blocks] == ["in-note", "in-tab", "in-details", "in-list"]
    assert blocks[0].lines[:2] == [">>> x = 2", ">>> print(x + 1)"]
    assert run_checks(NESTED_IN_CONTAINERS) == (5, [])


@pytest.mark.parametrize(
    ("wrong", "right"), [("    3\n", "    4\n"), ("    20\n", "    21\n"), ("    8\n", "    9\n")]
)
def test_failure_in_an_indented_block_names_its_page_line(wrong: str, right: str) -> None:
    text = NESTED_IN_CONTAINERS.replace(wrong, right, 1)
    _, failures = run_checks(text)
    lines = text.splitlines()
    expected_line = lines.index(right.rstrip("\n")) + 1 - 1  # the >>> line above it
    assert [line for line, _ in failures] == [expected_line], failures
    assert right.strip() in failures[0][1]


def test_content_indented_less_than_its_fence_is_refused() -> None:
    text = '!!! note\n\n    ```pycon id="short"\n    >>> print(1)\n1\n    ```\n'
    _, problems = scan(text)
    assert [line for line, _ in problems] == [3] and "indented less" in problems[0][1]


def test_unclosed_executed_fence_is_refused() -> None:
    problems = scan('```pycon id="open"\n>>> print(1)\n1\n')[1]
    assert [line for line, _ in problems] == [1] and "never closed" in problems[0][1]


def test_closing_fence_must_match_the_opening() -> None:
    # superfences closes a fence only with the same fence: ```` does not close ```.
    text = '```pycon id="a"\n>>> print(1)\n1\n````\n\n```\n'
    (block,) = scan(text)[0]
    assert block.lines == [">>> print(1)", "1", "````", ""] and block.closed


def test_duplicate_ids_and_missing_ids_are_refused() -> None:
    text = (
        '```pycon id="same"\n>>> 1\n1\n```\n\n```pycon id="same"\n>>> 2\n2\n```\n\n'
        '```python exec="on" html="on"\nprint(1)\n```\n'
    )
    problems = scan(text)[1]
    assert [line for line, _ in problems] == [6, 11]
    assert "already used by the block at line 1" in problems[0][1]
    assert "has no id" in problems[1][1]


@pytest.mark.parametrize(
    ("info", "refused"),
    [
        ('python exec="on" id="p"', True),  # its prints would be read as Markdown
        ('python exec="1" id="p"', True),
        ('python exec="on" html="on" id="p"', False),
        ('python exec="on" result="text" id="p"', False),
        ('bash exec="on" id="p"', True),
        ('markdown exec="on" id="p"', False),  # Markdown output on purpose
        ('python id="p"', False),  # not executed
        ('python exec="off" id="p"', False),
    ],
)
def test_plain_printed_output_must_be_html_or_text(info: str, refused: bool) -> None:
    problems = scan(f"```{info}\nprint('a')\nprint('b')\n```\n")[1]
    assert bool(problems) is refused, problems
    if refused:
        assert 'result="text"' in problems[0][1]


def test_every_page_agrees_with_the_checks() -> None:
    """No page of the site has a construct the build refuses; every pycon block is run."""
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        blocks, problems = scan(text)
        assert problems == [], (page.name, problems)
        document = parse(text, page)
        checked_lines = {example.line for example in document.examples()}
        for block in blocks:
            if block.language == "pycon" and block.executed:
                assert block.line + 1 in checked_lines, (page.name, block.id)


SCALARS = '''\
```pycon id="scalar" session="s"
>>> import numpy as np
>>> from lrtutor import SQUARE, run_gradient_descent
>>> run = run_gradient_descent(SQUARE, 2.0, 0.25, 3)
>>> run.positions[1]
1.0
>>> np.float64(0.1) + np.float64(0.2)
0.30000000000000004
>>> np.int64(3), np.bool_(True)
(3, True)
>>> run.positions[:2]
array([2., 1.])

```
'''


def test_numpy_scalars_print_one_way_on_every_numpy() -> None:
    assert run_checks(SCALARS) == (7, [])


def test_numpy_print_style_is_restored_after_use() -> None:
    import numpy as np

    before = np.get_printoptions()
    with lrtutor_blocks.numpy_print_style():
        assert repr(np.float64(1.0)) == "1.0"
    assert np.get_printoptions() == before


def test_every_pin_is_named_by_its_own_line_and_column() -> None:
    row = "We have 8<!-- = n --> and 9<!-- = n --> here."
    text = f'# T\n\n```pycon id="a"\n>>> n = 8\n\n```\n\n{row}\n'
    examples = list(parse(text, PAGE).examples())
    pins = [(e.line, e.column) for e in examples if isinstance(e.parsed, tuple)]
    line = text.splitlines().index(row) + 1
    assert pins == [(line, row.index("8<") + 1), (line, row.index("9<") + 1)]
