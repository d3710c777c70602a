"""Authoring slips caught by the strict build, on a modified copy of the site.

Three builds of a copy of the site, each with additions to ``decay.md`` (and the
notebook) written as an author would:

* one that must pass: a link to a figure, math with HTML-special text, upright letters
  and absolute values, a console block shown inside a longer fence (display only), a
  console block in an admonition, a bare NumPy scalar, a ``python`` block printing
  several lines as text, math in a notebook Markdown cell;
* one that must fail, naming page and line for each failing kind of executed block
  (``python``, ``bash``) with what it wrote to stderr, and a link to a missing anchor;
* one the build must refuse: a fence opened on a list-marker line and a ``python``
  block whose printed lines would be read as Markdown.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from ..support.helpers import copy_project, mkdocs_build
from ..support.page_html import page_problems

pytestmark = pytest.mark.build

GOOD = '''

## Authoring checks

See [the first figure](#fig-schedules) and [the schedules table](#fig-more-schedules).

### Keep $\\eta < 2/L$ in the table of contents too

Math: $\\text{x<y & "q"}$, $\\mathrm{d}x$ and $\\mathrm{e}^{-t}$, $|x| < 0.01$.

````markdown
```pycon id="shown-only" session="decay"
>>> print(undefined_name)
8

```
````

!!! note "Checked inside a note"

    ```pycon id="in-note" session="decay"
    >>> print(step_decay(50) * 4)
    1.0

    ```

```pycon id="bare-scalar" session="decay"
>>> run_gradient_descent(SQUARE, 2.0, 0.25, 3).positions[1]
1.0

```

```python exec="on" result="text" id="three-lines" session="decay-figures"
for n in (1, 2, 3):
    print(f"line {n}")
```
'''

NOTEBOOK_CELL = '''

# %% [markdown]
# The rate is stable for $$0 < \\eta < \\frac{2}{L}$$ and the run stops once $|x| < 0.01$.
'''


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("good")
    project = copy_project(tmp / "project")
    page = project / "docs" / "decay.md"
    page.write_text(page.read_text() + GOOD)
    notebook = project / "docs" / "playground.py"
    notebook.write_text(notebook.read_text() + NOTEBOOK_CELL)
    result = mkdocs_build(project, tmp / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp / "site"


def decay_html(site: Path) -> str:
    return (site / "decay" / "index.html").read_text(encoding="utf-8")


def test_link_to_a_figure_passes(good_build: Path) -> None:
    assert 'href="#fig-schedules"' in decay_html(good_build)


@pytest.mark.parametrize("execute", ["notebook", "none"])
def test_link_to_a_figure_passes_when_nothing_is_drawn(tmp_path: Path, execute: str) -> None:
    # The builds without execution (benchmark, source-link tests) show the figure's code
    # instead; the code block keeps the block's id, so the link still has its anchor.
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "decay.md"
    page.write_text(page.read_text() + GOOD)
    result = mkdocs_build(project, tmp_path / "site", env={"LRTUTOR_EXECUTE": execute})
    assert result.returncode == 0, result.stdout + result.stderr
    html = decay_html(tmp_path / "site")
    assert 'href="#fig-schedules"' in html and 'id="fig-schedules"' in html
    assert "<svg id=" not in html  # nothing was drawn


def test_math_with_special_text_stays_inside_its_formula(good_build: Path) -> None:
    page = decay_html(good_build)
    assert "<mtext>x&lt;y\u00a0&amp;\u00a0\"q\"</mtext>" in page
    assert '<mi mathvariant="normal">d</mi>' in page
    assert '<mi mathvariant="normal">e</mi>' in page
    assert '<mo fence="true" form="prefix" stretchy="false">|</mo><mi>x</mi>' in page
    # Nothing left as TeX, in the content or in the table of contents (the heading).
    assert page_problems(page)[0] == []
    # The heading's formula is MathML, its entries in the tables of contents are text.
    assert page.count("Keep η&lt;2/L in the table of contents too") == 2


def test_console_block_in_a_longer_fence_is_only_shown(good_build: Path) -> None:
    page = decay_html(good_build)
    assert "print(undefined_name)" in html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "NameError" not in page


def test_console_block_in_a_note_is_run(good_build: Path) -> None:
    text = html.unescape(re.sub(r"<[^>]+>", "", decay_html(good_build)))
    assert ">>> print(step_decay(50) * 4)\n1.0" in text


def test_bare_numpy_scalar_prints_plainly(good_build: Path) -> None:
    text = html.unescape(re.sub(r"<[^>]+>", "", decay_html(good_build)))
    assert ".positions[1]\n1.0" in text and "np.float64" not in text


def test_printed_lines_render_as_lines(good_build: Path) -> None:
    text = html.unescape(re.sub(r"<[^>]+>", "", decay_html(good_build)))
    assert "line 1\nline 2\nline 3" in text


def test_notebook_markdown_math_is_mathml(good_build: Path) -> None:
    page = (good_build / "playground" / "index.html").read_text(encoding="utf-8")
    problems, formulas = page_problems(page)
    assert problems == [] and formulas == 2
    assert "\\frac" not in page and "$$" not in page


FAILING = '''

```python exec="on" html="on" id="wrong-keyword" session="decay-figures"
import sys
print("looking up the tolerance keyword", file=sys.stderr)
from lrtutor import SQUARE, steps_to_tolerance
print(steps_to_tolerance(SQUARE, 2.0, 0.1, tolerance=0.01))
```

```bash exec="on" result="text" id="shell-step"
echo "the shell step failed" >&2
exit 3
```

Broken: [a figure that is not there](#fig-nowhere).
'''

#: Appended to another page: a block failing after an earlier block of its session
#: (every session runs in a worker, lrtutor_site/engine.py); the build names its page
#: and line, what it printed and the traceback into the page.
FAILING_IN_WORKER = '''

```python exec="on" html="on" id="worker-fails" session="stability-figures"
print("about to divide", X0)
print(X0 / 0)
```
'''


@pytest.fixture(scope="module")
def failing_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    tmp = tmp_path_factory.mktemp("failing")
    project = copy_project(tmp / "project")
    page = project / "docs" / "decay.md"
    text = page.read_text() + FAILING
    page.write_text(text)
    last = project / "docs" / "stability.md"
    last_text = last.read_text() + FAILING_IN_WORKER
    last.write_text(last_text)
    result = mkdocs_build(project, tmp / "site", env={"LRTUTOR_WORKERS": "1"})
    assert result.returncode != 0
    return text, result.stdout + result.stderr, last_text


def test_failing_python_block_names_page_line_and_stderr(
    failing_build: tuple[str, str, str],
) -> None:
    text, log, _ = failing_build
    fence = line_of(text, 'id="wrong-keyword"')
    assert f"docs/decay.md:{fence}: Execution of python code block 'wrong-keyword'" in log
    assert "looking up the tolerance keyword" in log
    # The traceback points at the page line of the call.
    call = line_of(text, "tolerance=0.01")
    assert f'File "docs/decay.md", line {call}' in log
    assert "unexpected keyword argument 'tolerance'" in log


def test_failing_shell_block_names_page_line_and_stderr(
    failing_build: tuple[str, str, str],
) -> None:
    text, log, _ = failing_build
    fence = line_of(text, 'id="shell-step"')
    assert f"docs/decay.md:{fence}: Execution of bash code block 'shell-step'" in log
    assert "the shell step failed" in log


def test_verbose_builds_skip_anchor_checks_as_the_readme_warns(tmp_path: Path) -> None:
    # MkDocs 1.6 collects links to anchors only when it logs above DEBUG (Page.render),
    # so `--verbose` lets a broken one through. The README says so; if MkDocs changes
    # this, this test fails and the README's warning can go.
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "decay.md"
    page.write_text(page.read_text() + "\n\nBroken: [nothing here](#fig-nowhere).\n")
    env = {"LRTUTOR_EXECUTE": "none"}
    quiet = mkdocs_build(project, tmp_path / "quiet", env=env)
    verbose = mkdocs_build(project, tmp_path / "verbose", "--verbose", env=env)
    assert quiet.returncode != 0 and "no such anchor" in quiet.stderr
    assert verbose.returncode == 0 and "no such anchor" not in verbose.stderr


def test_block_failing_in_a_worker_is_reported_as_if_run_here(
    failing_build: tuple[str, str, str],
) -> None:
    _, log, text = failing_build
    fence = line_of(text, 'id="worker-fails"')
    assert f"docs/stability.md:{fence}: Execution of python code block 'worker-fails'" in log
    assert "ZeroDivisionError: float division by zero" in log
    assert "about to divide 2.0" in log  # what it printed before failing, X0 from fig-stability
    assert f'File "docs/stability.md", line {line_of(text, "print(X0 / 0)")}' in log
    # The worker ran the session (the figure before it defined X0) and met the failure.
    served = re.search(r"lrtutor: (\d+) blocks ran in worker processes", log)
    assert served and int(served[1]) > 0


def test_link_to_a_missing_anchor_still_fails(failing_build: tuple[str, str, str]) -> None:
    _, log, _ = failing_build
    assert "'#fig-nowhere'" in log and "no such anchor" in log
    assert "#fig-schedules" not in log


REFUSED = '''

Two slips:

```python exec="on" id="markdown-lines" session="decay-figures"
print("a")
print("b")
```

- ```pycon id="listed" session="decay"
  >>> print(1)
  1
  ```
'''


def test_constructs_read_differently_are_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "decay.md"
    text = page.read_text() + REFUSED
    page.write_text(text)
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert f"docs/decay.md:{line_of(text, '- ```pycon')}: a pycon fence opened on a list" in log
    markdown_lines = line_of(text, 'id="markdown-lines"')
    assert f"docs/decay.md:{markdown_lines}: python block 'markdown-lines'" in log
    assert 'result="text"' in log


def test_block_the_checks_do_not_see_is_refused(tmp_path: Path) -> None:
    """A console block that the build runs but pytest cannot see (here, from a snippet)."""
    (tmp_path / "docs" / "parts").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: snippet\n"
        "plugins: [markdown-exec, lrtutor]\n"
        "markdown_extensions:\n"
        "  - pymdownx.superfences\n"
        "  - pymdownx.snippets: {base_path: [docs/parts], check_paths: true}\n"
    )
    (tmp_path / "docs" / "parts" / "part.md").write_text(
        '```pycon id="from-snippet"\n>>> print(2)\n2\n\n```\n'
    )
    (tmp_path / "docs" / "index.md").write_text('# Page\n\n--8<-- "part.md"\n')
    result = mkdocs_build(tmp_path, tmp_path / "site")
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "docs/index.md: the build ran a pycon block 'from-snippet'" in log
