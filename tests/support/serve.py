"""Talking to a running ``mkdocs serve``: its command line, a free port, a page's text."""

from __future__ import annotations

import html
import re
import socket
import urllib.error
import urllib.request

#: The README's command (after ``mkdocs``) for reading the site while editing it.
SERVE_ARGS = ["serve", "--dirty"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    """The page's text (tags stripped), or ``None`` if it is not served (yet)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            raw = response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None
    return html.unescape(re.sub(r"<[^>]+>", "", raw))
