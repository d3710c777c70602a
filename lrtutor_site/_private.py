"""Every reach into another package's private state, in one place, with the version
it was checked against (pyproject.toml bounds those packages).

* CPython's :mod:`multiprocessing` (3.10 to 3.13): a worker started by spawn or the fork
  server imports the parent's ``__main__`` script again (as ``__mp_main__``), unless
  ``__main__.__spec__`` names a module called ``__main__`` (``spawn.get_preparation_data``
  and ``_fixup_main_from_name``). Our workers' code lives in ``lrtutor_site.engine``
  and never needs the script; re-running it re-ran a whole build from a script without
  a ``__main__`` guard. The fork server has no public way to stop: ``_forkserver._stop``.
* :mod:`doctest` (3.10 to 3.13): ``_exception_traceback``, the traceback text doctest
  shows for an unexpected exception.
* mkdocs-jupyter 0.26.3 and 0.27: ``_used_cache_paths``, the cache entries its build
  read (it deletes the others).
* mkdocs-autorefs 1.4: ``_primary_url_map``, ``_secondary_url_map``, ``_abs_url_map``.
"""

from __future__ import annotations

import contextlib
import doctest
import sys
import threading
from collections.abc import Iterator
from importlib.machinery import ModuleSpec
from typing import Any

_main_lock = threading.Lock()
_main_users = [0, None]  # how many starts are under way, and the spec to restore


@contextlib.contextmanager
def main_not_reimported() -> Iterator[None]:
    """While a worker starts: the worker does not import ``__main__`` again."""
    main = sys.modules["__main__"]
    with _main_lock:
        if _main_users[0] == 0:
            _main_users[1] = getattr(main, "__spec__", None)
            main.__spec__ = ModuleSpec("__main__", None)
        _main_users[0] += 1
    try:
        yield
    finally:
        with _main_lock:
            _main_users[0] -= 1
            if _main_users[0] == 0:
                main.__spec__ = _main_users[1]


_forkserver_fingerprint: list[str | None] = [None]


def restart_forkserver_unless(fingerprint: str) -> None:
    """Stop multiprocessing's fork server if it preloaded other code than ``fingerprint``
    says (a new one starts, preloading anew, with the next worker)."""
    from multiprocessing import forkserver

    if _forkserver_fingerprint[0] not in (None, fingerprint):
        server = getattr(forkserver, "_forkserver", None)
        stop = getattr(server, "_stop", None)
        if callable(stop):
            stop()
    _forkserver_fingerprint[0] = fingerprint


def doctest_exception_text(exc_info: Any) -> str:
    return doctest._exception_traceback(exc_info)  # type: ignore[attr-defined]


def notebook_used_cache_paths(plugin: Any) -> set[Any] | None:
    used = getattr(plugin, "_used_cache_paths", None)
    return used if isinstance(used, set) else None


AUTOREFS_MAPS = ("_primary_url_map", "_secondary_url_map", "_abs_url_map")
