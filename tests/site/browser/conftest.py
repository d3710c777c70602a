"""Fixtures of the browser tests: Chromium, axe-core, the built site served on 127.0.0.1,
fresh visits, and one explorer page shared by a module."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest


from .explorer_model import EXPLORER_READY
from .harness import CHROMIUM, EXPLORER, LAUNCH_ARGS, Visit, _unavailable


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


@pytest.fixture(scope="module")
def explorer(browser: Any, site: str) -> Iterator[Visit]:
    view = Visit(browser, site, viewport={"width": 1280, "height": 900})
    view.goto(EXPLORER).wait_for_function(EXPLORER_READY)
    yield view
    view.close()
