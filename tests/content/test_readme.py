"""The README fits one screen and says what CI runs; its folder map and fast loops exist."""

from __future__ import annotations

import re

from ..support.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
TEST_COMMAND = (
    'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest'
)


def test_readme_fits_one_screen() -> None:
    assert len(README.splitlines()) <= 80


def test_readme_test_command_is_what_ci_runs() -> None:
    assert f"\n{TEST_COMMAND}\n" in README
    suite = CI[CI.index("\nsuite() {"):CI.index("\n}", CI.index("\nsuite() {"))]
    assert f"#   {TEST_COMMAND}" in suite
    # The same pytest run, without arguments, in CI's own environment instead of .venv.
    assert re.search(r'"\$envs/main/bin/python" -m pytest$', suite, flags=re.M), suite


def test_readme_paths_exist() -> None:
    folder_map = README[README.index("```text"):README.index("```", README.index("```text") + 3)]
    named = re.findall(r"^([\w./-]+)\s", folder_map.split("\n", 1)[1], flags=re.M)
    loops = re.findall(r"-m pytest ([\w./ -]+?)`", README)
    paths = named + [p for loop in loops for p in loop.split() if p != "docs/my-page.md"]
    assert len(named) >= 10 and len(loops) >= 4
    missing = [p for p in paths if not (ROOT / p).exists()]
    assert not missing, missing


def test_readme_links_contributing_which_warns_about_autoref_pins() -> None:
    assert "(CONTRIBUTING.md)" in README
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert 'never `x["a"][0]`: mkdocs-autorefs reads' in contributing
