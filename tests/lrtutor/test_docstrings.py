"""The Examples in lrtutor's docstrings run and print what they say (stdlib doctest)."""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil

import pytest

import lrtutor

# Every module, subpackages' modules included (doctest only finds the examples of
# functions defined in the module it is given).
MODULES = sorted(m.name for m in pkgutil.walk_packages(lrtutor.__path__, "lrtutor."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    report = io.StringIO()
    examples = 0
    for test in finder.find(module, name, globs=vars(lrtutor) | vars(module)):
        runner.run(test, out=report.write)
        examples += len(test.examples)
    assert runner.failures == 0, report.getvalue()
    # The figure helpers have no console examples; schedules._base holds only the types.
    if name not in {"lrtutor.plots", "lrtutor.schedules._base"}:
        assert examples > 0, f"{name} has no docstring examples"
