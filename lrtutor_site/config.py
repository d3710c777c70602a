"""The plugin's options, validated by MkDocs (mkdocs.yml, under ``plugins: - lrtutor``)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from lrtutor_site.engine import DEFAULT_TIMEOUT, worker_count


class _Workers(c.BaseConfigOption[int]):
    """``auto`` (CPUs - 1, at most 3) or a whole number >= 0 (0 and 1: one worker)."""

    def __init__(self, default: object = "auto") -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> int:
        try:
            return worker_count(None if value in (None, "auto") else str(value))
        except ValueError as error:
            raise base.ValidationError(str(error)) from None


class _Cache(c.BaseConfigOption[str]):
    """``auto`` (only ``mkdocs serve``), ``on`` or ``off``; YAML's true/false and 1/0 too."""

    def __init__(self, default: object = "auto") -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> str:
        text = str(value).strip().lower() if value is not None else "auto"
        if text in ("auto", ""):
            return "auto"
        if text in ("1", "on", "yes", "true"):
            return "on"
        if text in ("0", "off", "no", "false"):
            return "off"
        raise base.ValidationError(
            f"LRTUTOR_CACHE (the lrtutor plugin's cache option) must be auto, on or off, "
            f"got {value!r}")


class LrtutorConfig(base.Config):
    #: ``all``: run every executed block and the notebook; ``notebook``: show the pages'
    #: blocks as plain code and run only the notebook; ``none``: run nothing.
    execute = c.Choice(("all", "notebook", "none"), default="all")
    cache = _Cache(default="auto")
    workers = _Workers(default="auto")
    #: Seconds a session may run before its worker is taken for hung and replaced.
    timeout = c.Type((int, float), default=DEFAULT_TIMEOUT)
