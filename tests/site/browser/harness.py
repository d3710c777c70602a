"""The browser tests' harness: Chromium's whereabouts, the pages in nav, a recording visit
and the page checks (axe-core, figures, math, headings). Fixtures are in conftest.py."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml


from ...support.helpers import ROOT


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
