"""The site builds strictly, every page holds its figures and the walkthrough's numbers."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml

from ..support.helpers import ROOT, copy_project, mkdocs_build
from ..support.page_html import page_problems

pytestmark = pytest.mark.build

#: Page -> ids of the figures it must show.
FIGURES = {
    "index.html": ["fig-summary"],
    "slope/index.html": ["fig-tangents"],
    "direction/index.html": ["fig-greedy"],
    "learning-rate/index.html": ["fig-fixed-steps", "fig-rates", "fig-loss-history"],
    "stability/index.html": ["fig-stability"],
    "many-parameters/index.html": ["fig-contours"],
    "momentum/index.html": ["fig-momentum"],
    "real-regression/index.html": ["fig-regression-limit"],
    "range-test/index.html": ["fig-range-test"],
    "logistic/index.html": ["fig-logistic-sharpness"],
    "edge-of-stability/index.html": ["fig-edge-of-stability"],
    "decay/index.html": ["fig-schedules", "fig-decay-tames", "fig-more-schedules"],
    "noise/index.html": ["fig-noise-floor"],
    "mini-batches/index.html": ["fig-batch-variance", "fig-batch-rates"],
    "progress/index.html": ["fig-plateau", "fig-line-search", "fig-warmup"],
    "adaptive/index.html": ["fig-adagrad-bowls", "fig-adam-bursts"],
}

#: Page -> text that must appear in its rendered HTML (tags stripped).
NUMBERS = {
    "slope/index.html": [
        "4.00040001", "3.99960001", "4.000400010000001", "15*x**2", "[4.0, -4.0, 10.0]",
    ],
    "direction/index.html": [
        "x = 1, loss 1, slope 2", "x = -4, loss 16, slope -8", "slope 10",
    ],
    "learning-rate/index.html": [
        "20000 1/10000 0", "20000 2.04e-13", "20001 -0.0001", "26489 steps", "263 steps",
        "24 steps", "8 steps", "1 steps", "(True, 627)", "[2.0, -2.0, 2.0, -2.0, 2.0]",
    ],
    "stability/index.html": [
        "1.0 0.5", "0.5  factor  0.00  contraction 0.00  one step",
        "1.0  factor -1.00  contraction 1.00  bouncing",
        "0.0001 formula 26489  simulated 26489", "0.9    formula    24  simulated    24",
    ],
    "many-parameters/index.html": [
        "(1.0, 10.0)", "10.0 2/11 9/11", "rate 0.1818: 34", "'diverging'", "32 25",
    ],
    "decay/index.html": ["60 0.3000 0.1000 0.4300 0.2020 0.4425"],
    "playground/index.html": ["x after 20 steps: 1.90735e-06", "steps until |x| < 0.01: 8"],
}


def page_text(site: Path, page: str) -> str:
    raw = (site / page).read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def nav_pages() -> list[str]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    pages = []
    for entry in config["nav"]:
        (source,) = entry.values()
        pages.append("index.html" if source == "index.md" else source[:-3] + "/index.html")
    return pages


def test_every_nav_page_is_built_and_checked_here(built_site: Path) -> None:
    pages = nav_pages()
    for page in pages:
        assert (built_site / page).is_file(), page
    assert set(FIGURES) <= set(pages)


_FIGURE = re.compile(
    r'<figure id="([^"]+)" class="lr-figure-box lr-figure-group".*?</figure>', re.S
)


@pytest.mark.parametrize(("page", "figure_ids"), FIGURES.items())
def test_page_holds_its_figures(built_site: Path, page: str, figure_ids: list[str]) -> None:
    raw = (built_site / page).read_text(encoding="utf-8")
    groups = {match[1]: match[0] for match in _FIGURE.finditer(raw)}
    for figure_id in figure_ids:
        # One panel (the id on its <svg>) or a group of panels (the id on the <figure>).
        panels = groups.get(figure_id, raw if f'<svg id="{figure_id}"' in raw else "")
        labels = re.findall(r'<svg id="([^"]+)"[^>]*aria-label="([^"]+)"', panels)
        if figure_id not in groups:
            labels = [(i, label) for i, label in labels if i == figure_id]
        assert labels, f"{page} lacks figure {figure_id}"
        for panel, label in labels:
            assert len(label) > 40, f"{panel} needs a text alternative that says what it shows"
    ids = re.findall(r'\bid="([^"]+)"', raw)
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"{page} repeats ids {sorted(duplicates)[:5]}"


def search_index(site: Path) -> dict[str, str]:
    """Page (site path) -> all the text mkdocs-material's search index holds for it."""
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages: dict[str, str] = {}
    for doc in docs["docs"]:
        page = doc["location"].split("#")[0]
        pages[page] = pages.get(page, "") + f" {doc['title']} {html.unescape(doc['text'])}"
    return pages


def test_search_index_holds_prose_not_figure_text(built_site: Path) -> None:
    """Figure bodies (tick labels run together) stay out; captions and prose stay in."""
    index = search_index(built_site)
    checked = 0
    for page in FIGURES:
        raw = (built_site / page).read_text(encoding="utf-8")
        svgs = re.findall(r'<svg\b[^>]*class="lr-figure"[^>]*>.*?</svg>', raw, re.S)
        assert svgs and all("data-search-exclude" in svg[:svg.index(">")] for svg in svgs)
        outside = re.sub(r"<svg\b.*?</svg>", " ", re.sub(r"<!--.*?-->", "", raw, flags=re.S),
                         flags=re.S)
        outside = " ".join(html.unescape(re.sub(r"<[^>]+>", "", outside)).split())
        text = " ".join(index[page.removesuffix("index.html")].split())
        for svg in svgs:
            for label in {html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]+)</text>", svg)}:
                if len(label) >= 5 and label not in outside:  # said only by the figure
                    assert label not in text, f"{page}: figure text {label!r} is in search"
                    checked += 1
        for caption in re.findall(r"<figcaption>([^<]+)</figcaption>", raw):
            assert html.unescape(caption)[:40] in text, f"{page}: caption not searchable"
    assert checked > 20  # the check saw real figure text


def test_search_index_holds_the_notebooks_prose_not_its_code_or_output(
    built_site: Path,
) -> None:
    text = search_index(built_site)["playground/"]
    assert "What you will do and learn" in text  # a Markdown cell
    assert "Things to try" in text
    for code_or_output in ("import", "run_gradient_descent(SQUARE", "x after 20 steps",
                           "steps until |x| < 0.01: 8", "¶"):
        assert code_or_output not in text, code_or_output


@pytest.mark.parametrize(("page", "expected"), NUMBERS.items())
def test_page_shows_walkthrough_numbers(built_site: Path, page: str, expected: list[str]) -> None:
    text = page_text(built_site, page)
    for snippet in expected:
        assert snippet in text, f"{page} does not show {snippet!r}"


def test_math_is_mathml_and_no_raw_tex(built_site: Path) -> None:
    """No page shows raw TeX, and no formula swallows what follows it (no browser needed)."""
    formulas = {}
    for page in nav_pages():
        problems, formulas[page] = page_problems((built_site / page).read_text(encoding="utf-8"))
        assert problems == [], (page, problems[:5])
    assert formulas["learning-rate/index.html"] > 0


def test_no_third_party_assets(built_site: Path) -> None:
    for page in nav_pages():
        raw = (built_site / page).read_text(encoding="utf-8")
        assert "fonts.googleapis" not in raw and "cdn.jsdelivr" not in raw, page


def test_raising_block_fails_build_naming_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "slope.md"
    page.write_text(
        page.read_text() + '\n```python exec="on" html="on" id="deliberately-broken"\n1 / 0\n```\n'
    )
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "'deliberately-broken'" in log and "ZeroDivisionError" in log


def test_drifted_console_output_fails_build_naming_page_and_block(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "slope.md"
    text = page.read_text()
    assert "4 -> 4.00040001 up" in text
    text = text.replace("4 -> 4.00040001 up", "4 -> 4.00040002 up")
    page.write_text(text)
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    log = result.stdout + result.stderr
    lines = text.splitlines()
    fence = next(i for i, line in enumerate(lines, 1) if 'id="nudge"' in line)
    drifted = next(i for i, line in enumerate(lines, 1) if "4.00040002 up" in line)
    example = max(i for i in range(fence, drifted) if lines[i - 1].startswith(">>> "))
    assert f"docs/slope.md:{fence}: Execution of pycon code block 'nudge'" in log
    assert "console block 'nudge' does not print what the page says" in log
    assert f"page line {example}:" in log


def test_executed_block_without_id_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "slope.md"
    page.write_text(page.read_text() + '\n```python exec="on"\nprint(1)\n```\n')
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "slope.md:" in result.stdout + result.stderr
    assert "has no id" in result.stdout + result.stderr


REPO_URL = "https://git.example.org/someone/lrtutor"


def source_links(site: Path, page: str) -> set[str]:
    """The hrefs on ``page`` that point into the repository at REPO_URL."""
    raw = (site / page).read_text(encoding="utf-8")
    return {html.unescape(h) for h in re.findall(r'href="([^"]*)"', raw)
            if html.unescape(h).startswith(REPO_URL)}


@pytest.mark.parametrize("with_repo", [True, False], ids=["repo-set", "repo-unset"])
def test_pages_link_their_source_only_when_the_repository_is_known(
    tmp_path: Path, with_repo: bool
) -> None:
    # mkdocs.yml reads repo_url and edit_uri from LRTUTOR_REPO_URL and LRTUTOR_EDIT_URI
    # (set by the Pages workflow). Links only: the pages' code need not run.
    env = {"LRTUTOR_EXECUTE": "none",
           "LRTUTOR_REPO_URL": REPO_URL if with_repo else "",
           "LRTUTOR_EDIT_URI": "edit/main/docs/" if with_repo else ""}
    site = tmp_path / "site"
    result = mkdocs_build(ROOT, site, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    sources = [next(iter(entry.values())) for entry in config["nav"]]
    for page, source in zip(nav_pages(), sources, strict=True):
        raw = (site / page).read_text(encoding="utf-8")
        # Never an empty or placeholder link to the repository or to a page's source.
        assert 'href=""' not in raw, page
        assert 'rel="edit"' not in raw or with_repo, page
        links = source_links(site, page)
        if not with_repo:
            assert not links and 'class="md-source"' not in raw, page
            continue
        # The repository (header and drawer), and this page's own source: edit and view.
        assert REPO_URL in links, page
        assert f"{REPO_URL}/edit/main/docs/{source}" in links, page
        assert f"{REPO_URL}/raw/main/docs/{source}" in links, page
        # Material's script asks the host's API for stars only on this attribute.
        assert 'data-md-component="source"' not in raw, page


def test_home_page_text_links_every_page_in_nav(built_site: Path) -> None:
    # The reading list on the home page, not the navigation: only the article's links.
    raw = (built_site / "index.html").read_text(encoding="utf-8")
    article = raw[raw.index("<article"):raw.index("</article>")]
    hrefs = {h.split("#")[0] for h in re.findall(r'href="([^"]*)"', article)}
    missing = [page for page in nav_pages()
               if page != "index.html" and page.removesuffix("index.html") not in hrefs]
    assert not missing, (
        f"the home page (docs/index.md) does not link {missing}: every page in nav belongs "
        "in its reading list, with a line on what the page teaches"
    )
