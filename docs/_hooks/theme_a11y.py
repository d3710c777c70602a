"""MkDocs hook (named in mkdocs.yml): give Material's search dialog an accessible name.

Material renders its search box as ``<div class="md-search" ... role="dialog">`` with no
name, which axe-core reports as a serious violation (aria-dialog-name; WCAG 4.1.2) on
every page. No theme option sets it, and overriding the whole search partial would pin
a copy of the theme's template, so we add the name to the built HTML. A theme that no
longer renders that markup is left alone (tests/site/browser/test_pages.py runs axe on every page).
"""

from __future__ import annotations

from typing import Any

_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_NAMED = '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'


def on_post_page(output: str, page: Any, config: Any) -> str:
    return output.replace(_SEARCH_DIALOG, _NAMED, 1)
