"""Kept only for tests/test_browser.py until it moves to tests/site/browser/: the helpers
live in tests/support/helpers.py. Delete this file when nothing imports it."""

from .support.helpers import ROOT

__all__ = ["ROOT"]
