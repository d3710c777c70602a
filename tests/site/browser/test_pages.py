"""The built site in a real browser: every page in nav, both palettes, a phone, the explorer.

Headless Chromium (Debian's ``/usr/bin/chromium``, or ``LRTUTOR_CHROMIUM``) driven by
Playwright's sync API serves the strict build of ``built_site`` from a local
``http.server``. For every page in ``mkdocs.yml``'s nav (nested sections included) it
checks: no request leaves 127.0.0.1, no console error, every figure has a text
alternative, math is MathML and no raw TeX shows, headings do not skip a level, axe-core
finds no serious or critical violation (light and dark palette), and nothing overflows
sideways on a 390 or a 320 px wide screen (figures also at 360 px). The explorer's
numbers are compared with ``lrtutor`` in test_explorer.py.

Without Chromium or Playwright these tests skip, saying why; with
``LRTUTOR_REQUIRE_BROWSER=1`` (as in CI) they fail instead. axe-core's script comes from
the ``axe-playwright-python`` package (the ``test`` extra); ``LRTUTOR_AXE_JS`` may name
another ``axe.min.js``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ...support.helpers import ROOT
from .harness import (
    EXPLORER,
    PAGES,
    assert_axe_clean,
    check_figures,
    check_headings,
    check_math,
    source_has_math,
)

pytestmark = pytest.mark.browser


# -- every page -----------------------------------------------------------------------------


def test_nav_pages_are_found_and_built(built_site: Path) -> None:
    assert "" in PAGES and EXPLORER in PAGES, sorted(PAGES)
    for path in PAGES:
        assert (built_site / path / "index.html").is_file(), f"nav page {path} was not built"


@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "home")
def test_page_light(visit: Any, axe_js: str, path: str) -> None:
    where = f"/{path} (light)"
    view = visit(color_scheme="light")
    page = view.goto(path)
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default", where
    check_figures(page, where)
    check_math(page, PAGES[path], where)
    check_headings(page, where)
    assert_axe_clean(page, axe_js, where)
    view.assert_clean(where)


@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "home")
def test_page_dark(visit: Any, axe_js: str, path: str) -> None:
    where = f"/{path} (dark)"
    view = visit(color_scheme="dark")
    page = view.goto(path)
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate", where
    filters = page.evaluate(
        "() => Array.from(document.querySelectorAll('svg.lr-figure'), "
        "svg => getComputedStyle(svg).filter)"
    )
    for value in filters:  # matplotlib's dark ink on a dark page: inverted to light
        assert "invert" in value, f"{where}: a figure is not inverted in the dark palette"
    assert_axe_clean(page, axe_js, where)
    view.assert_clean(where)


#: Phone widths every layout check covers: a common phone, a small one, and 320 px,
#: the narrowest phone still sold.
PHONES = [390, 360, 320]


@pytest.mark.parametrize("width", [390, 320])
@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "home")
def test_page_fits_a_phone(visit: Any, axe_js: str, path: str, width: int) -> None:
    where = f"/{path} ({width} px)"
    view = visit(viewport={"width": width, "height": 844}, is_mobile=True, has_touch=True)
    page = view.goto(path)
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{where}: the page is {widths[0]} px wide, overflowing"
    # Narrow screens make wide tables scroll sideways: those must stay accessible.
    page.wait_for_timeout(100)  # let the page's scripts mark scrolling tables
    assert_axe_clean(page, axe_js, where)
    view.assert_clean(where)


#: Every figure panel (svg.lr-figure): its box, its smallest text in CSS px, and any
#: ancestor that scrolls sideways (which would hide part of it).
_PANELS = """() => Array.from(document.querySelectorAll("svg.lr-figure")).map(svg => {
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  const sizes = Array.from(svg.querySelectorAll("text"))
    .filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  let scroller = null;
  for (let el = svg.parentElement; el && el !== document.body; el = el.parentElement) {
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1) {
      scroller = el.tagName + "." + el.className;
    }
  }
  const cut = Array.from(svg.querySelectorAll("text")).filter(t => {
    const r = t.getBoundingClientRect();
    return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1
                           || r.top < box.top - 1 || r.bottom > box.bottom + 1);
  }).map(t => t.textContent);
  return {id: svg.id, left: box.left, right: box.right, width: box.width,
          smallest: Math.min(...sizes), texts: sizes.length, scroller: scroller, cut: cut};
})"""

#: Every table box that scrolls sideways, and the cue a reader sees above it.
_SCROLLING_TABLES = """() => Array.from(document.querySelectorAll(".md-typeset__scrollwrap"))
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .map(box => [box.querySelector("th") ? box.querySelector("th").textContent : "?",
               getComputedStyle(box, "::before").content])"""

FIGURE_PAGES = [path for path, source in PAGES.items()
                if source.endswith(".md")
                and "--8<-- \"fig_" in (ROOT / "docs" / source).read_text(encoding="utf-8")]


@pytest.mark.parametrize("width", PHONES)
@pytest.mark.parametrize("path", FIGURE_PAGES, ids=lambda p: p or "home")
def test_figures_fit_a_phone_and_stay_legible(visit: Any, path: str, width: int) -> None:
    """Each panel lies inside the screen, in no sideways-scrolling box, with text >= 12 px."""
    where = f"/{path} ({width} px)"
    view = visit(viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True)
    page = view.goto(path)
    page.wait_for_timeout(100)
    viewport = page.evaluate("document.documentElement.clientWidth")
    panels = page.evaluate(_PANELS)
    assert panels, f"{where}: no figure"
    for panel in panels:
        name = f"{where}: {panel['id']}"
        assert panel["left"] >= 0 and panel["right"] <= viewport, (
            f"{name} spans {panel['left']:.0f}..{panel['right']:.0f} px, screen {viewport} px")
        assert panel["scroller"] is None, f"{name} sits in a sideways-scrolling {panel['scroller']}"
        assert panel["texts"] > 0 and panel["smallest"] >= 12, (
            f"{name}: text of {panel['smallest']:.1f} px")
        assert not panel["cut"], f"{name}: text cut off at the edge: {panel['cut'][:3]}"
    for header, cue in page.evaluate(_SCROLLING_TABLES):
        assert "scroll sideways" in cue, f"{where}: table {header!r} scrolls with no cue"
    view.assert_clean(where)


@pytest.mark.parametrize("width", [360, 320])
def test_wide_table_shows_a_scroll_cue(visit: Any, width: int) -> None:
    """The API reference's parameter tables are wider than a phone: each says so."""
    view = visit(viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True)
    page = view.goto("reference/")
    page.wait_for_timeout(100)
    tables = page.evaluate(_SCROLLING_TABLES)
    assert tables, f"expected a wide table on the API reference at {width} px"
    for header, cue in tables:
        assert "scroll sideways" in cue, f"table {header!r} scrolls with no cue"
    view.assert_clean(f"reference ({width} px)")


def test_search_finds_a_prose_page_first(visit: Any) -> None:
    """The site's own search (mkdocs-material's lunr in a worker) ranks a lesson first."""
    view = visit()
    page = view.goto("")
    page.wait_for_load_state("networkidle")  # the search worker has its index
    search = page.locator(".md-search__input")
    search.focus()
    search.press_sequentially("learning rate")  # key by key, as a reader types
    first = page.locator(".md-search-result__item > a").first
    first.wait_for(timeout=15000)
    href = first.get_attribute("href")
    target = href.split("#")[0].removeprefix(view.base).lstrip("./")  # "../x/" -> "x/"
    assert target in PAGES, href
    assert PAGES[target].endswith(".md") and target != "reference/", (
        f"searching 'learning rate' finds {href} ({PAGES[target]}) first, not a lesson")
    # The API reference, demoted for ideas, still answers a search for a name.
    search.fill("")
    search.press_sequentially("exponential_decay")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.md-search-result__item > a'))"
        ".some(a => a.href.includes('/reference/'))", timeout=15000)
    view.assert_clean("search")


def test_palette_toggle_switches_to_dark_and_sticks(visit: Any) -> None:
    view = visit(color_scheme="light")
    page = view.goto("")
    for _ in range(3):  # system preference -> light -> dark
        if page.evaluate("document.body.dataset.mdColorScheme") == "slate":
            break
        page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert "invert" in page.evaluate(
        "getComputedStyle(document.querySelector('svg.lr-figure')).filter"
    )
    page.goto(view.base + EXPLORER)  # a full load: the choice is remembered
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    view.assert_clean("palette toggle")


def test_math_renders_after_instant_navigation(visit: Any) -> None:
    targets = [p for p, source in PAGES.items() if p and source_has_math(source)]
    assert targets, "no page in nav has math"
    view = visit(instant=True)
    page = view.goto("")
    page.wait_for_load_state("networkidle")  # Material's instant loading is set up
    page.evaluate("window.__notReloaded = true")
    page.locator(f"nav.md-nav--primary a[href$='{targets[0]}']").first.click()
    page.wait_for_url(view.base + targets[0])
    page.wait_for_selector("article math")
    assert page.evaluate("window.__notReloaded === true"), "navigation reloaded the page"
    assert page.locator("article math").count() > 0
    check_math(page, PAGES[targets[0]], f"/{targets[0]} after instant navigation")
    view.assert_clean("instant navigation")


def test_notebook_download_button_gives_the_notebook(visit: Any) -> None:
    notebooks = [p for p, source in PAGES.items() if source.endswith((".py", ".ipynb"))]
    assert notebooks, "no notebook page in nav"
    view = visit(accept_downloads=True)
    page = view.goto(notebooks[0])
    button = page.locator("a.md-content__button[download]")
    assert button.count() == 1, "the notebook page has no download button"
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".ipynb")
    notebook = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    sources = ["".join(cell["source"]) for cell in notebook["cells"]]
    assert any("run_gradient_descent" in source for source in sources)
    view.assert_clean("notebook download")
