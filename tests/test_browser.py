"""The built site in a real browser: every page in nav, both palettes, a phone, the explorer.

Headless Chromium (Debian's ``/usr/bin/chromium``, or ``LRTUTOR_CHROMIUM``) driven by
Playwright's sync API serves the strict build of ``built_site`` from a local
``http.server``. For every page in ``mkdocs.yml``'s nav (nested sections included) it
checks: no request leaves 127.0.0.1, no console error, every figure has a text
alternative, math is MathML and no raw TeX shows, headings do not skip a level, axe-core
finds no serious or critical violation (light and dark palette), and nothing overflows
sideways on a 390 or a 320 px wide screen (figures also at 360 px). The explorer's numbers are compared with ``lrtutor``.

Without Chromium or Playwright these tests skip, saying why; with
``LRTUTOR_REQUIRE_BROWSER=1`` (as in CI) they fail instead. axe-core's script comes from
the ``axe-playwright-python`` package (the ``test`` extra); ``LRTUTOR_AXE_JS`` may name
another ``axe.min.js``.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import json
import os
import re
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from lrtutor import (
    SQUARE,
    cosine_decay_schedule,
    exponential_decay,
    momentum_critical_learning_rate,
    regime,
    run_adam,
    run_gradient_descent,
    run_momentum_descent,
    steps_to_tolerance,
)

from .helpers import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("LRTUTOR_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRED = os.environ.get("LRTUTOR_REQUIRE_BROWSER") == "1"
EXPLORER = "explorer/"


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"LRTUTOR_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (set LRTUTOR_REQUIRE_BROWSER=1 to fail)")


# -- the pages in nav ---------------------------------------------------------------------


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring tags such as !ENV or !!python/name that nav never uses."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _nav_sources(entries: Any) -> Iterator[str]:
    """Source paths of every page in a nav (strings, {title: path}, nested sections)."""
    if isinstance(entries, str):
        if "://" not in entries and not entries.startswith(("/", "#")):
            yield entries
    elif isinstance(entries, list):
        for entry in entries:
            yield from _nav_sources(entry)
    elif isinstance(entries, dict):
        for value in entries.values():
            yield from _nav_sources(value)


def _url_path(source: str) -> str:
    """Site path of a page source with directory URLs: slope.md -> slope/."""
    stem = source.rsplit(".", 1)[0]
    parent, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return f"{parent}/" if parent else ""
    return f"{stem}/"


CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
SITE_URL = CONFIG.get("site_url") or ""


def nav_pages() -> dict[str, str]:
    """Site path -> source path (under docs/) of every page in nav, in nav order."""
    return {_url_path(source): source for source in _nav_sources(CONFIG["nav"])}


PAGES = nav_pages()

_FENCED = re.compile(r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.M | re.S)
_TEX = re.compile(r"\$\$|(?<![\\$])\$[^\s$][^$\n]*\$")


def source_has_math(source: str) -> bool:
    """Whether a Markdown page writes TeX math ($...$ or $$...$$) outside code."""
    if not source.endswith(".md"):
        return False
    text = _FENCED.sub("", (ROOT / "docs" / source).read_text(encoding="utf-8"))
    text = re.sub(r"`[^`\n]*`", "", text)
    return bool(_TEX.search(text))


# -- browser, server, axe -----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).is_file():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_js() -> str:
    path = os.environ.get("LRTUTOR_AXE_JS")
    if path:
        return Path(path).read_text(encoding="utf-8")
    try:
        return (resources.files("axe_playwright_python") / "axe.min.js").read_text(
            encoding="utf-8"
        )
    except (ModuleNotFoundError, FileNotFoundError):
        _unavailable("axe-core is missing (pip install -e '.[test]' installs "
                     "axe-playwright-python, which bundles it)")
        raise  # unreachable: _unavailable raises


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site(browser: Any, built_site: Path) -> Iterator[str]:
    """Base URL of the built site, served on 127.0.0.1 at an ephemeral port."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


class Visit:
    """A browser context and page that record requests off 127.0.0.1 and console errors.

    Requests to any other host are recorded and aborted, so nothing leaves the machine.
    """

    def __init__(
        self, browser: Any, base: str, *, instant: bool = False, **context_options: Any
    ) -> None:
        self.base = base
        self.instant = instant
        self.context = browser.new_context(**context_options)
        self.external: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.context.on("request", self._request)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _local(self, url: str) -> bool:
        return url.startswith(self.base) or url.startswith(("data:", "blob:", "about:"))

    def _request(self, request: Any) -> None:
        if not self._local(request.url) and request.url not in self.external:
            self.external.append(request.url)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url == self.base + "sitemap.xml" and self.instant and SITE_URL:
            # Material's instant navigation maps the sitemap's site_url to the current
            # protocol and host but keeps the default port: serve it as if deployed here.
            response = route.fetch()
            route.fulfill(response=response,
                          body=response.text().replace(SITE_URL.rstrip("/") + "/", self.base))
        elif self._local(url):
            route.continue_()
        else:
            self._request(route.request)
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text} ({message.location})")

    def goto(self, path: str) -> Any:
        self.page.goto(self.base + path, wait_until="load")
        return self.page

    def assert_clean(self, what: str) -> None:
        assert not self.external, f"{what}: requests left 127.0.0.1: {self.external[:5]}"
        assert not self.errors, f"{what}: {self.errors[:5]}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any, site: str) -> Iterator[Any]:
    """``visit(**context_options)`` opens a fresh context; all are closed afterwards."""
    opened: list[Visit] = []

    def open_visit(**options: Any) -> Visit:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        opened.append(Visit(browser, site, **options))
        return opened[-1]

    yield open_visit
    for one in opened:
        one.close()


def assert_axe_clean(page: Any, axe_js: str, where: str) -> None:
    violations = axe_violations(page, axe_js)
    assert not violations, f"{where}: axe found\n" + "\n".join(violations)


def axe_violations(page: Any, axe_js: str) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_js)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


_VISIBLE_TEXT = """() => {
  const root = document.querySelector("article") || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("pre, code, script, style, annotation, annotation-xml")) {
      continue;
    }
    if (parent.checkVisibility && !parent.checkVisibility()) continue;
    parts.push(node.data);
  }
  return parts.join(" ");
}"""

_HEADINGS = """() => Array.from(
  (document.querySelector("article") || document.body).querySelectorAll("h1, h2, h3, h4, h5, h6")
).map(h => [Number(h.tagName[1]), h.textContent.trim()])"""

_FIGURE_LABELS = """() => Array.from(document.querySelectorAll("svg.lr-figure, svg[role=img]"))
  .map(svg => [svg.id || svg.getAttribute("data-lrx") || "?",
               svg.getAttribute("aria-label") || "",
               svg.matches(".lr-figure")])"""


def check_figures(page: Any, where: str) -> int:
    figures = page.evaluate(_FIGURE_LABELS)
    for name, label, _ in figures:
        assert len(label.split()) >= 8, f"{where}: figure {name} lacks a text alternative"
    return sum(is_lr_figure for *_, is_lr_figure in figures)


def check_math(page: Any, source: str, where: str) -> None:
    text = page.evaluate(_VISIBLE_TEXT)
    for raw in ("\\(", "\\)", "\\[", "\\]", "$$", "\\frac", "\\text"):
        assert raw not in text, f"{where}: raw TeX {raw!r} in the visible text"
    unrendered = page.locator("article .arithmatex:not(:has(math))").count()
    assert unrendered == 0, f"{where}: {unrendered} formulas were not turned into MathML"
    if source_has_math(source):
        maths = page.locator("article math")
        assert maths.count() > 0, f"{where}: the source has math but the page shows no <math>"
        box = maths.first.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, f"{where}: math not drawn"


def check_headings(page: Any, where: str) -> None:
    headings = page.evaluate(_HEADINGS)
    assert headings, f"{where}: no headings"
    assert headings[0][0] == 1, f"{where}: the first heading is {headings[0]}, not an h1"
    assert sum(level == 1 for level, _ in headings) == 1, f"{where}: more than one h1"
    for (before, _), (level, text) in itertools.pairwise(headings):
        assert level <= before + 1, f"{where}: h{before} followed by h{level} ({text!r})"


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


# -- the explorer ------------------------------------------------------------------------------

FIELDS = {  # control (data-lrx) -> key in a setting
    "x0": "x0",
    "steps": "steps",
    "decay-rate": "decay_rate",
    "transition-steps": "transition_steps",
    "decay-steps": "decay_steps",
    "alpha": "alpha",
    "momentum": "momentum",
}


def lrtutor_rate(setting: dict[str, str]) -> Any:
    """The learning rate or schedule lrtutor runs for an explorer setting."""
    lr = float(setting["lr"])
    kind = setting.get("schedule", "constant")
    if kind == "constant":
        return lr
    if kind in ("exponential", "step"):
        return exponential_decay(
            lr,
            transition_steps=int(setting["transition_steps"]),
            decay_rate=float(setting["decay_rate"]),
            staircase=kind == "step",
        )
    if kind == "cosine":
        return cosine_decay_schedule(
            lr, decay_steps=int(setting["decay_steps"]), alpha=float(setting["alpha"])
        )
    raise ValueError(kind)


def optimiser_of(setting: dict[str, str]) -> str:
    """The explorer's optimiser: "gd", "momentum" (the heavy ball) or "adam"."""
    return setting.get("optimiser", "momentum" if "momentum" in setting else "gd")


def momentum_of(setting: dict[str, str]) -> float:
    """The heavy ball's momentum; the momentum field counts only for that optimiser."""
    if optimiser_of(setting) != "momentum":
        return 0.0
    return float(setting.get("momentum", "0"))


#: Adam has no critical rate on x**2 (its step is bounded: ADAM_STEP_BOUND), so the
#: explorer names no gradient-descent regime for it.
ADAM_REGIME = "no critical rate"
B1, B2 = 0.9, 0.999  # optax's defaults, which the explorer uses
#: Cauchy-Schwarz: |m_hat| / sqrt(v_hat) <= (1 - b1) / sqrt((1 - b2) (1 - b1**2 / b2)).
ADAM_STEP_BOUND = (1 - B1) / ((1 - B2) * (1 - B1**2 / B2)) ** 0.5


def regime_for(rate: float, momentum: float, optimiser: str = "gd") -> str:
    """lrtutor's regime; with momentum, the rate against the heavy ball's critical rate."""
    if optimiser == "adam":
        return ADAM_REGIME
    if momentum == 0:
        return regime(SQUARE, rate)
    edge = momentum_critical_learning_rate(SQUARE, momentum)
    return "diverging" if rate > edge else "bouncing" if rate == edge else "converging"


def run_for(setting: dict[str, str], n_steps: int) -> Any:
    """lrtutor's run for an explorer setting: plain descent, or the heavy ball."""
    x0, rate, momentum = float(setting["x0"]), lrtutor_rate(setting), momentum_of(setting)
    if optimiser_of(setting) == "adam":
        return run_adam(SQUARE, x0, rate, n_steps)  # optax's defaults
    if momentum == 0:
        return run_gradient_descent(SQUARE, x0, rate, n_steps)
    return run_momentum_descent(SQUARE, x0, rate, momentum, n_steps)


@functools.cache
def _reached(setting: tuple[tuple[str, str], ...]) -> int | None:
    """lrtutor's steps_to_tolerance (up to a million updates, so worth keeping); with
    momentum, the step from which a heavy-ball run of a million updates stays within 0.01
    (``Trajectory.steps_to_tolerance``); the same for Adam."""
    options = dict(setting)
    if momentum_of(options) > 0 or optimiser_of(options) == "adam":
        return run_for(options, 1_000_000).steps_to_tolerance(0.01)
    return steps_to_tolerance(SQUARE, float(options["x0"]), lrtutor_rate(options), tol=0.01)


def reached_by_lrtutor(setting: dict[str, str]) -> int | None:
    return _reached(tuple(sorted(setting.items())))


def expected(setting: dict[str, str]) -> dict[str, str]:
    """What the explorer must show for a setting, computed with lrtutor."""
    rate = lrtutor_rate(setting)
    run = run_for(setting, int(setting["steps"]))
    reached = reached_by_lrtutor(setting)
    momentum = momentum_of(setting)
    if optimiser_of(setting) == "adam":
        name = ADAM_REGIME
    elif callable(rate):
        first = rate(0)
        name = regime_for(first, momentum) if first > 0 else "stopped (rate 0)"
    else:
        name = regime_for(rate, momentum)
    return {
        "final-x": f"{run.final_x:.6g}",
        "final-loss": f"{run.final_loss:.6g}",
        "steps-tol": "not reached" if reached is None else f"{reached:,}",
        "regime": name,
        "diverged": str(run.diverged),
    }


def shown(page: Any) -> dict[str, str]:
    def text(name: str) -> str:
        return page.locator(f"[data-lrx={name}]").inner_text().strip()

    return {
        "final-x": text("final-x"),
        "final-loss": text("final-loss"),
        "steps-tol": text("steps-tol"),
        "regime": page.locator("[data-lrx=regime]").get_attribute("data-regime"),
        "diverged": str("diverged" in text("note")),
    }


def apply(page: Any, setting: dict[str, str]) -> None:
    """Set the explorer's controls as a person would: choose, then type into each box."""
    page.locator("[data-lrx=reset]").click()
    page.locator("[data-lrx=schedule]").select_option(setting.get("schedule", "constant"))
    if "momentum" in setting:  # the field shows for the heavy ball only
        page.locator("[data-lrx=optimiser]").select_option("momentum")
    page.locator("[data-lrx=lr]").fill(setting["lr"])
    for control, key in FIELDS.items():
        if key in setting:
            page.locator(f"[data-lrx={control}]").fill(setting[key])
    page.locator("[data-lrx=optimiser]").select_option(optimiser_of(setting))


SETTINGS = {
    "creeping-0.0001": {"lr": "0.0001", "x0": "2", "steps": "30"},
    "one-step-0.5": {"lr": "0.5", "x0": "2", "steps": "30"},
    "bouncing-1": {"lr": "1", "x0": "2", "steps": "30"},
    "diverging-1.1": {"lr": "1.1", "x0": "2", "steps": "1000"},
    "oscillating-0.9": {"lr": "0.9", "x0": "-3", "steps": "50"},
    "already-close": {"lr": "0.25", "x0": "0.005", "steps": "10"},
    "long-run": {"lr": "0.001", "x0": "1000", "steps": "20000"},
    "exponential-rescue": {"lr": "1", "x0": "2", "steps": "60", "schedule": "exponential",
                           "decay_rate": "0.7", "transition_steps": "10"},
    "cosine": {"lr": "1.2", "x0": "5", "steps": "40", "schedule": "cosine",
               "decay_steps": "30", "alpha": "0.05"},
    "cosine-to-zero": {"lr": "0.3", "x0": "2", "steps": "10", "schedule": "cosine",
                       "decay_steps": "5", "alpha": "0"},
    "step-decay": {"lr": "0.95", "x0": "-2", "steps": "40", "schedule": "step",
                   "decay_rate": "0.5", "transition_steps": "5"},
    "momentum-0.5": {"lr": "0.1", "x0": "2", "steps": "30", "momentum": "0.5"},
    "momentum-widens-1.4": {"lr": "1.4", "x0": "2", "steps": "200", "momentum": "0.5"},
    "momentum-edge-1.5": {"lr": "1.5", "x0": "2", "steps": "100", "momentum": "0.5"},
    "momentum-diverging-1.5": {"lr": "1.5", "x0": "2", "steps": "1000", "momentum": "0.4"},
    "momentum-0.99": {"lr": "0.01", "x0": "-3", "steps": "500", "momentum": "0.99"},
    # x_1 = 0 is inside the band, x_2 = -1 is not: the count is where it stays (16).
    "momentum-leaves-the-band": {"lr": "0.5", "x0": "2", "steps": "40", "momentum": "0.5"},
    # Rates above 1.5 are open with momentum: 1.9 converges at 0.99 (limit 1.99).
    "momentum-0.99-rate-1.9": {"lr": "1.9", "x0": "2", "steps": "2000", "momentum": "0.99"},
    "momentum-cosine": {"lr": "1.2", "x0": "5", "steps": "40", "schedule": "cosine",
                        "decay_steps": "30", "alpha": "0.05", "momentum": "0.3"},
    # Exact ties at the sixth digit: Python rounds them to even, JavaScript's toFixed up.
    "tie-0.001953125": {"lr": "0.25", "x0": "1", "steps": "9"},  # Python: 0.00195312
    "tie-0.0009765625": {"lr": "0.25", "x0": "-1", "steps": "10"},  # 0.000976562
    "tie-123456.5": {"lr": "0.0001", "x0": "123456.5", "steps": "0"},  # 123456
    "cosine-same-regime": {"lr": "0.3", "x0": "2", "steps": "10", "schedule": "cosine",
                           "decay_steps": "20", "alpha": "0.1"},
    # Adam (optax's defaults): a swing of about a quarter of the rate fits in 0.01 at 0.01
    # (inside from step 16268), not at 0.1 (a stay found only at the end of the count).
    "adam-0.01": {"lr": "0.01", "x0": "2", "steps": "300", "optimiser": "adam"},
    "adam-0.1-swings": {"lr": "0.1", "x0": "2", "steps": "100", "optimiser": "adam"},
    "adam-cap-10": {"lr": "10", "x0": "2", "steps": "50", "optimiser": "adam"},
    "adam-far-start": {"lr": "0.5", "x0": "-1000", "steps": "3000", "optimiser": "adam"},
    "adam-exponential": {"lr": "1", "x0": "2", "steps": "60", "schedule": "exponential",
                         "decay_rate": "0.7", "transition_steps": "10", "optimiser": "adam"},
    "adam-cosine": {"lr": "1.2", "x0": "5", "steps": "40", "schedule": "cosine",
                    "decay_steps": "30", "alpha": "0.05", "optimiser": "adam"},
    # The momentum field is ignored unless the optimiser is the heavy ball.
    "adam-ignores-momentum": {"lr": "0.2", "x0": "2", "steps": "30", "optimiser": "adam",
                              "momentum": "0.9"},
}


#: True once the explorer on the current page has been set up and shows numbers.
EXPLORER_READY = """() => {
  const root = document.querySelector("[data-lrx-explorer]");
  return root !== null && root.dataset.lrxReady === "true"
    && root.querySelector("[data-lrx=final-x]").textContent !== "\u2013";
}"""


@pytest.fixture(scope="module")
def explorer(browser: Any, site: str) -> Iterator[Visit]:
    view = Visit(browser, site, viewport={"width": 1280, "height": 900})
    view.goto(EXPLORER).wait_for_function(EXPLORER_READY)
    yield view
    view.close()


def test_explorer_defaults_match_lrtutor_and_the_page(explorer: Visit) -> None:
    page = explorer.page
    page.locator("[data-lrx=reset]").click()
    setting = {"lr": page.locator("[data-lrx=lr]").input_value(),
               "schedule": page.locator("[data-lrx=schedule]").input_value(),
               "optimiser": page.locator("[data-lrx=optimiser]").input_value()}
    assert setting["optimiser"] == "gd"
    for control, key in FIELDS.items():
        setting[key] = page.locator(f"[data-lrx={control}]").input_value()
    want = expected(setting)
    assert shown(page) == want
    console = " ".join(page.locator("article .highlight").all_inner_texts())
    for key in ("final-x", "final-loss"):  # the reader can compare with the console block
        assert want[key] in console, f"the page's console block does not show {want[key]}"
    explorer.assert_clean("explorer defaults")


@pytest.mark.parametrize("setting", SETTINGS.values(), ids=SETTINGS.keys())
def test_explorer_agrees_with_lrtutor(explorer: Visit, setting: dict[str, str]) -> None:
    page = explorer.page
    apply(page, setting)
    assert page.locator("[data-lrx=error]").is_hidden()
    want, got = expected(setting), shown(page)
    assert got == want
    rate = lrtutor_rate(setting)
    text = page.locator("[data-lrx=regime]").inner_text()
    if optimiser_of(setting) == "adam":
        assert text.startswith(ADAM_REGIME + ": Adam's rate is a step length"), text
    elif callable(rate):
        n = int(setting["steps"])
        last = rate(n - 1)
        last_name = regime_for(last, momentum_of(setting)) if last > 0 else "stopped (rate 0)"
        first_name = want["regime"].removesuffix(" (rate 0)")
        last_name = last_name.removesuffix(" (rate 0)")
        assert text.startswith(f"schedule: {first_name} at the first step (rate "), text
        if last_name == first_name:
            assert " and at the last (rate " in text and "changes" not in text, text
        else:
            assert f", {last_name} at the last (rate " in text, text
            assert text.endswith("the regime changes with the rate"), text
        assert text.count("stopped") <= 1 and "(rate 0) at" not in text, text
    else:
        assert text.startswith(want["regime"] + ":"), text
    for name in ("curve", "loss"):
        label = page.locator(f"svg[data-lrx={name}]").get_attribute("aria-label")
        assert want["final-x" if name == "curve" else "final-loss"] in label, label
    explorer.assert_clean(f"explorer {setting}")


def test_explorer_arithmetic_is_lrtutors_bit_for_bit(explorer: Visit) -> None:
    """The script's runs equal lrtutor's float for float, not just to six digits."""
    for setting in SETTINGS.values():
        x0, n = float(setting["x0"]), int(setting["steps"])
        params = {"decayRate": float(setting.get("decay_rate", 1)),
                  "transitionSteps": int(setting.get("transition_steps", 1)),
                  "decaySteps": int(setting.get("decay_steps", 1)),
                  "alpha": float(setting.get("alpha", 0))}
        got = explorer.page.evaluate(
            """([kind, lr, params, x0, n, momentum, optimiser]) => {
                 const api = window.lrtutorExplorer;
                 const rate = api.makeSchedule(kind, lr, params);
                 const run = api.simulate(x0, rate, n, momentum, optimiser);
                 return {positions: run.positions, rates: run.learningRates,
                         effective: run.effectiveRates || null, diverged: run.diverged,
                         reached: api.stepsToTolerance(x0, rate, 0.01, kind === "constant",
                                                       null, momentum, optimiser)};
               }""",
            [setting.get("schedule", "constant"), float(setting["lr"]), params, x0, n,
             momentum_of(setting), optimiser_of(setting)],
        )
        run = run_for(setting, n)
        assert [float(r) for r in got["rates"]] == run.learning_rates.tolist(), setting
        if optimiser_of(setting) == "adam":
            assert [float(r) for r in got["effective"]] == (
                run.effective_learning_rates.tolist()), setting
        # Playwright hands over whole-valued numbers as ints: compare as floats.
        assert [float(x) for x in got["positions"]] == run.positions.tolist(), setting
        assert got["diverged"] == run.diverged
        assert got["reached"] == reached_by_lrtutor(setting)


#: Values whose sixth (or third) significant digit is followed by an exact tie, and
#: others where float64's exact value decides: Python's format is the reference.
FORMAT_CASES = [0.001953125, -0.001953125, 0.0009765625, 1234565.0, 1234575.0, 2.5,
                0.125, 1e-5, 123456.5, 999999.5, 9999995.0, 1e100, 5e-324, 0.1, 0.3, -0.0,
                0.0, 1.7976931348623157e308, 3.814697265625e-06, 12345.65, 1e16, 1e21]


def test_explorer_formats_numbers_as_python_does(explorer: Visit) -> None:
    """fmt(v) equals format(v, ".6g") and fmt(v, 3) format(v, ".3g"), ties included."""
    cases = FORMAT_CASES + [2.0**-k for k in range(1, 60)] + [3 * 2.0**-k for k in range(60)]
    got = explorer.page.evaluate(
        "values => values.map(v => [window.lrtutorExplorer.fmt(v), "
        "window.lrtutorExplorer.fmt(v, 3)])",
        cases,
    )
    want = [[f"{v:.6g}", f"{v:.3g}"] for v in cases]
    assert got[0] == ["0.00195312", "0.00195"]  # the tie, written out
    assert got == want


def test_explorer_clears_plots_on_bad_input_and_keeps_the_slider(explorer: Visit) -> None:
    page = explorer.page
    page.locator("[data-lrx=reset]").click()
    slider = page.locator("[data-lrx=lr-slider]")
    before = slider.input_value()
    assert page.locator("svg[data-lrx=curve] .lrx-line").count() == 1
    page.locator("[data-lrx=lr]").fill("7")  # out of range: refused, slider stays
    assert page.locator("[data-lrx=error]").is_visible()
    assert slider.input_value() == before
    assert slider.get_attribute("aria-valuetext") == "0.1"
    for name in ("curve", "loss"):
        svg = page.locator(f"svg[data-lrx={name}]")
        assert svg.locator("*").count() == 0, f"the {name} plot still shows the last run"
        assert "No plot" in svg.get_attribute("aria-label")
    assert shown(page)["final-x"] == "\u2013"
    page.locator("[data-lrx=lr]").fill("0.25")
    assert page.locator("svg[data-lrx=curve] .lrx-line").count() == 1
    assert shown(page) == expected({"lr": "0.25", "x0": "2", "steps": "30"})
    page.locator("[data-lrx=reset]").click()


def test_explorer_schedule_hint_only_with_a_schedule(explorer: Visit) -> None:
    page = explorer.page
    page.locator("[data-lrx=reset]").click()
    hint = page.locator("#lrx-lr-hint")
    assert page.locator("[data-lrx=schedule]").input_value() == "constant"
    assert hint.is_hidden()
    assert page.locator("[data-lrx=lr]").get_attribute("aria-describedby") is None
    page.locator("[data-lrx=schedule]").select_option("cosine")
    assert hint.is_visible()
    assert page.locator("[data-lrx=lr]").get_attribute("aria-describedby") == "lrx-lr-hint"
    page.locator("[data-lrx=reset]").click()
    assert hint.is_hidden()


def test_explorer_slider_works_by_keyboard(explorer: Visit) -> None:
    page = explorer.page
    page.locator("[data-lrx=reset]").click()
    slider = page.locator("[data-lrx=lr-slider]")
    rates = page.evaluate("window.lrtutorExplorer.rates")
    slider.focus()
    page.keyboard.press("ArrowRight")
    lr = page.locator("[data-lrx=lr]").input_value()
    assert lr == rates[rates.index("0.1") + 1]
    assert slider.get_attribute("aria-valuetext") == lr
    setting = {"lr": lr, "x0": "2", "steps": "30"}
    assert shown(page) == expected(setting)
    page.keyboard.press("End")
    assert page.locator("[data-lrx=lr]").input_value() == "1.5"
    assert shown(page)["regime"] == "diverging"
    page.keyboard.press("Home")
    assert page.locator("[data-lrx=lr]").input_value() == "0.0001"
    assert shown(page) == expected({**setting, "lr": "0.0001"})
    page.locator("[data-lrx=lr]").fill("0.5")  # typing moves the slider too
    assert slider.get_attribute("aria-valuetext") == "0.5"
    assert rates[int(slider.input_value())] == "0.5"


def test_explorer_controls_are_labelled_and_reachable_by_tab(explorer: Visit) -> None:
    page = explorer.page
    page.locator("[data-lrx=reset]").click()
    page.locator("[data-lrx=schedule]").focus()
    page.keyboard.press("ArrowDown")  # keyboard choice of a schedule: exponential decay
    assert page.locator("[data-lrx=schedule]").input_value() == "exponential"
    controls = page.evaluate(
        """() => Array.from(document.querySelectorAll(".lrx input, .lrx select, .lrx button"))
             .filter(c => c.checkVisibility())
             .map(c => [c.dataset.lrx, c.id && document.querySelector(`label[for="${c.id}"]`)
                        ? document.querySelector(`label[for="${c.id}"]`).textContent.trim()
                        : c.textContent.trim()])"""
    )
    assert len(controls) == 9, controls  # with the two fields of exponential decay
    for name, label in controls:
        assert label, f"control {name} has no label"
    page.locator("[data-lrx=lr-slider]").focus()
    reached = [page.evaluate("document.activeElement.dataset.lrx")]
    for _ in controls[1:]:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.dataset.lrx"))
    assert reached == [name for name, _ in controls]
    live = page.locator(".lrx-results")
    assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == "status"
    page.locator("[data-lrx=reset]").click()


def test_explorer_refuses_bad_input(explorer: Visit) -> None:
    page = explorer.page
    page.locator("[data-lrx=reset]").click()
    page.locator("[data-lrx=lr]").fill("2")
    error = page.locator("[data-lrx=error]")
    assert error.is_visible() and "learning rate" in error.inner_text()
    assert page.locator("[data-lrx=lr]").get_attribute("aria-invalid") == "true"
    page.locator("[data-lrx=lr]").fill("0.1")
    page.locator("[data-lrx=steps]").fill("2.5")
    assert "whole number of steps" in error.inner_text()
    page.locator("[data-lrx=steps]").fill("30")
    assert page.locator("[data-lrx=momentum]").is_hidden()  # gradient descent: no momentum
    page.locator("[data-lrx=optimiser]").select_option("momentum")
    page.locator("[data-lrx=momentum]").fill("1")
    assert "momentum from 0 to 0.99" in error.inner_text()
    assert page.locator("[data-lrx=momentum]").get_attribute("aria-invalid") == "true"
    page.locator("[data-lrx=reset]").click()
    assert error.is_hidden()
    assert shown(page)["final-x"] == expected({"lr": "0.1", "x0": "2", "steps": "30"})["final-x"]


#: Contrast ratio (WCAG) of an element's colour property against the page background.
CONTRAST = """([selector, prop]) => {
      const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map(v => {
        v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
      const bg = parse(getComputedStyle(document.body).backgroundColor);
      const fg = parse(getComputedStyle(document.querySelector(selector))[prop]);
      const a = fg.length > 3 ? fg[3] : 1;
      const mixed = [0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a));
      const [hi, lo] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    }"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_explorer_plots_are_legible_in_both_palettes(visit: Any, scheme: str) -> None:
    view = visit(color_scheme=scheme)
    page = view.goto(EXPLORER)
    page.wait_for_function(EXPLORER_READY)
    assert page.locator("svg[data-lrx=curve] .lrx-line").count() == 1
    assert page.evaluate("getComputedStyle(document.querySelector('svg[data-lrx=curve]')).filter"
                         ) == "none"
    for selector, prop, least in [
        (".lrx-ticklabel text", "fill", 4.5),  # text
        (".lrx-axislabel", "fill", 4.5),
        (".lrx-line", "stroke", 3.0),  # graphics (WCAG 1.4.11)
        (".lrx-curve", "stroke", 3.0),
        (".lrx-start", "fill", 3.0),
    ]:
        ratio = page.evaluate(CONTRAST, [f"svg[data-lrx=curve] {selector}", prop])
        assert ratio >= least, f"{scheme}: {selector} has contrast {ratio:.2f} < {least}"
    view.assert_clean(f"explorer ({scheme})")


def test_explorer_starts_after_instant_navigation(visit: Any) -> None:
    view = visit(instant=True)
    page = view.goto("")
    page.wait_for_load_state("networkidle")  # Material's instant loading is set up
    page.evaluate("window.__notReloaded = true")
    page.locator(f"nav.md-nav--primary a[href$='{EXPLORER}']").first.click()
    page.wait_for_url(view.base + EXPLORER)
    page.wait_for_function(EXPLORER_READY)
    assert page.evaluate("window.__notReloaded === true"), "navigation reloaded the page"
    assert shown(page) == expected({"lr": "0.1", "x0": "2", "steps": "30"})
    page.go_back()  # and forth again: the script sets up each new page, once
    page.wait_for_function("document.querySelector('[data-lrx-explorer]') === null")
    page.go_forward()
    page.wait_for_function(EXPLORER_READY)
    page.wait_for_load_state("networkidle")
    page.locator("[data-lrx=lr]").fill("0.25")
    assert shown(page) == expected({"lr": "0.25", "x0": "2", "steps": "30"})
    view.assert_clean("explorer after instant navigation")


def test_explorer_counts_where_the_run_stays_inside(explorer: Visit) -> None:
    """Rate 0.5, momentum 0.5: x passes through 0 at step 1, is -1 at step 2, and stays
    within 0.01 only from step 16, the number shown (not 1, its first entry)."""
    page = explorer.page
    apply(page, {"lr": "0.5", "x0": "2", "steps": "40", "momentum": "0.5"})
    run = run_momentum_descent(SQUARE, 2.0, 0.5, 0.5, 40)
    assert run.positions[1] == 0.0 and run.positions[2] == -1.0
    assert shown(page)["steps-tol"] == "16" == str(run.steps_to_tolerance(0.01))
    label = page.locator("[data-lrx=steps-tol]").locator("xpath=..").inner_text()
    assert "from step" in label, label
    page.locator("[data-lrx=reset]").click()


def test_explorer_rate_cap_follows_the_momentum(explorer: Visit) -> None:
    """The largest rate is 1.5 times the heavy ball's critical rate 2 (1 + b) / L."""
    page = explorer.page
    error = page.locator("[data-lrx=error]")
    for beta, top, over in [("0", "1.5", "1.51"), ("0.5", "2.25", "2.26"),
                            ("0.99", "2.985", "2.99")]:
        want = 1.5 * momentum_critical_learning_rate(SQUARE, float(beta))
        assert float(top) == pytest.approx(want, rel=1e-12)
        page.locator("[data-lrx=reset]").click()
        page.locator("[data-lrx=optimiser]").select_option("momentum")
        page.locator("[data-lrx=momentum]").fill(beta)
        page.locator("[data-lrx=lr]").fill(top)
        assert error.is_hidden(), (beta, top, error.inner_text())
        page.locator("[data-lrx=lr]").fill(over)
        assert error.is_visible() and f"to {top}" in error.inner_text(), error.inner_text()
    # The slider reaches past 1.5 only with momentum, and stops at the cap.
    page.locator("[data-lrx=reset]").click()
    page.locator("[data-lrx=optimiser]").select_option("momentum")
    page.locator("[data-lrx=momentum]").fill("0.99")
    page.locator("[data-lrx=lr-slider]").focus()
    page.keyboard.press("End")
    assert page.locator("[data-lrx=lr]").input_value() == "2.8"
    assert error.is_hidden()
    page.locator("[data-lrx=reset]").click()
    page.locator("[data-lrx=lr-slider]").focus()
    page.keyboard.press("End")
    assert page.locator("[data-lrx=lr]").input_value() == "1.5"
    page.locator("[data-lrx=reset]").click()


def test_explorer_adam_takes_step_lengths_up_to_10(explorer: Visit) -> None:
    """Adam's cap is 10 (no critical rate; its rate is a distance in x), by typing and
    by the slider; its hint describes the rate fields, the momentum field is hidden."""
    page = explorer.page
    error = page.locator("[data-lrx=error]")
    page.locator("[data-lrx=reset]").click()
    optimiser = page.locator("[data-lrx=optimiser]")
    optimiser.focus()
    page.keyboard.press("ArrowDown")  # a keyboard choice: momentum, then Adam
    page.keyboard.press("ArrowDown")
    assert optimiser.input_value() == "adam"
    assert page.locator("[data-lrx=momentum]").is_hidden()
    hint = page.locator("#lrx-adam-hint")
    assert hint.is_visible() and "step length" in hint.inner_text()
    assert "lrx-adam-hint" in page.locator("[data-lrx=lr]").get_attribute("aria-describedby")
    page.locator("[data-lrx=lr]").fill("10")
    assert error.is_hidden(), error.inner_text()
    assert shown(page) == expected({"lr": "10", "x0": "2", "steps": "30", "optimiser": "adam"})
    page.locator("[data-lrx=lr]").fill("10.1")
    assert error.is_visible() and "to 10 (Adam" in error.inner_text(), error.inner_text()
    page.locator("[data-lrx=lr]").fill("0.1")
    page.locator("[data-lrx=lr-slider]").focus()
    page.keyboard.press("End")
    assert page.locator("[data-lrx=lr]").input_value() == "10"
    assert page.locator("[data-lrx=lr-slider]").get_attribute("aria-valuetext") == "10"
    note = page.locator("[data-lrx=note]").inner_text()
    assert "keeps swinging" in note, note
    optimiser.select_option("gd")  # back to gradient descent: 10 is refused there
    assert error.is_visible() and "to 1.5." in error.inner_text()
    page.locator("[data-lrx=reset]").click()
    assert hint.is_hidden() and error.is_hidden()


ADAM_SETTINGS = {k: s for k, s in SETTINGS.items() if optimiser_of(s) == "adam"}


@pytest.mark.parametrize("setting", ADAM_SETTINGS.values(), ids=ADAM_SETTINGS.keys())
def test_adam_steps_stay_within_the_bound(setting: dict[str, str]) -> None:
    """What the regime text says: an update moves x by at most ADAM_STEP_BOUND (7.27)
    times its rate, whatever the slope, so Adam does not diverge on x**2."""
    run = run_for(setting, int(setting["steps"]))
    steps = [abs(b - a) / lr for a, b, lr in
             zip(run.positions[:-1], run.positions[1:], run.learning_rates, strict=True) if lr > 0]
    assert not run.diverged and max(steps) <= ADAM_STEP_BOUND, max(steps)
    assert f"{ADAM_STEP_BOUND:.2f}" == "7.27"  # the page states it


@pytest.mark.parametrize("lr", [0.001, 0.1, 10.0])
def test_adam_keeps_swinging_by_about_a_quarter_of_the_rate(lr: float) -> None:
    """What the explorer's note says of a constant rate: over updates 90,000 to 100,000
    |x| still reaches about a quarter of the rate (0.2 to 0.3 of it), from x = 2."""
    run = run_adam(SQUARE, 2.0, lr, 100_000)
    late = max(abs(float(x)) for x in run.positions[-10_000:])
    assert 0.2 * lr <= late <= 0.3 * lr, late / lr


def test_explorer_fits_a_320_px_phone(visit: Any) -> None:
    """At 320 px nothing of the explorer (plots, controls, results, hints) is wider than
    the screen, with each optimiser's fields and hint showing."""
    view = visit(viewport={"width": 320, "height": 700}, is_mobile=True, has_touch=True)
    page = view.goto(EXPLORER)
    page.wait_for_function(EXPLORER_READY)
    width = page.evaluate("document.documentElement.clientWidth")
    for optimiser in ("gd", "momentum", "adam"):
        page.locator("[data-lrx=optimiser]").select_option(optimiser)
        page.wait_for_timeout(100)  # the plots redraw at their width
        spans = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                 ".lrx, .lrx-plot, .lrx-plot svg, .lrx-controls, .lrx-field, .lrx-results,"
                 + " .lrx-hint"))
                 .filter(e => e.getBoundingClientRect().width > 0)
                 .map(e => { const r = e.getBoundingClientRect();
                             return [e.className.baseVal ?? e.className, r.left, r.right]; })"""
        )
        outside = [(name, round(a), round(b)) for name, a, b in spans if a < 0 or b > width]
        assert not outside, f"{optimiser}: wider than the {width} px screen: {outside[:4]}"
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{optimiser}: the page is {widths[0]} px wide at 320 px"
    view.assert_clean("explorer at 320 px")
