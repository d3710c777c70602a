"""The execution cache: session results kept in ``.cache/lrtutor/`` between builds.

Plain Python (``plugin.py`` calls it). Rebuilding a page re-runs its sessions
(``engine.py``) and, on the notebook page, every cell. While an author edits prose,
none of that output can change, so ``mkdocs serve`` keeps it here and serves it again
when nothing it depends on changed. ``mkdocs build`` never uses it (unless the plugin's
``cache`` option, ``LRTUTOR_CACHE``, says ``on``): CI and the published site execute
everything.

**The key** of a session is a SHA-256 of the *environment* (the cache's format, Python's
version, the sources of the ``lrtutor`` package and of this package, lrtutor's
``__version__`` and ``SOURCE_DATE_EPOCH``), the page, the session and each block's
code as markdown-exec receives it (snippets included), file name and line.

**An entry is used only if what the session read is unchanged.** A worker returns the
top-level names of every module the session had imported when it ended and the SHA-256
of every data file it opened (scikit-learn's shipped CSVs that ``lrtutor.data`` reads,
Matplotlib's fonts, ...). The entry records them, the names mapped to installed
distributions and their versions by ``importlib.metadata.packages_distributions`` (no
hand-kept list); a version that differs now (``pip install -U scipy`` under
``mkdocs serve``), a distribution gone or a data file changed makes the entry stale: it
is deleted and the session runs.

**Entries are checked before use.** Each is written to a temporary file and renamed
into place, and holds its key, the environment, lrtutor's version and a SHA-256 of its
result; one that does not parse or match is deleted and its session runs. A session
with a failing block or anything on stderr is never stored.

**The notebook** uses mkdocs-jupyter's own cache (a JSON file per notebook, keyed by the
notebook's text and the plugin's options), in a folder named after the environment and
the versions of the notebook's tools (:data:`NOTEBOOK_VERSIONED`: the kernel is not ours
to instrument). After each build we record the files' SHA-256 in a manifest; before the
next, a file the manifest does not vouch for is deleted (and the notebook runs).

**Dirty reload** (``mkdocs serve --dirty``) rebuilds only pages whose own file changed;
:func:`page_inputs_digest` also counts lrtutor, this package, ``mkdocs.yml`` and the
snippets a page includes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lrtutor_site.engine import Example, Job, Outcome, SessionResult

log = logging.getLogger("mkdocs.plugins.lrtutor_site.cache")

#: Bump when the layout of an entry or the meaning of a key changes.
FORMAT = 2
#: The notebook runs in a Jupyter kernel: its cache folder is named after these too.
NOTEBOOK_VERSIONED = (
    "numpy", "matplotlib", "scipy", "scikit-learn", "mkdocs-jupyter", "nbconvert",
    "ipykernel", "jupytext",
)
_VERSION = re.compile(r'^__version__\s*=\s*["\']([^"\']+)["\']', re.M)


def cache_wanted(command: str | None, setting: str | bool | int | None) -> bool:
    """Whether a run of ``mkdocs <command>`` uses the cache, given the ``cache`` option.

    ``auto`` (or unset), only ``serve`` uses it; ``1``/``on``/``yes``/``true`` turn it on
    and any other value off.
    """
    if setting is None or str(setting).strip().lower() in ("", "auto"):
        return command == "serve"
    return str(setting).strip().lower() in ("1", "on", "yes", "true")


def lrtutor_package() -> Path:
    """The folder of the ``lrtutor`` package that the build imports."""
    spec = importlib.util.find_spec("lrtutor")
    if spec is None or spec.origin is None:
        raise RuntimeError("the lrtutor package cannot be found")
    return Path(spec.origin).parent


def lrtutor_version(package: Path) -> str:
    """``__version__`` as written in the package's ``__init__.py`` (not imported)."""
    match = _VERSION.search((package / "__init__.py").read_text(encoding="utf-8"))
    return match[1] if match else "unknown"


def _hash_tree(hasher: Any, folder: Path, label: str) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            hasher.update(f"{label}/{path.relative_to(folder).as_posix()}\0".encode())
            hasher.update(path.read_bytes())
            hasher.update(b"\0")


def versions_of(names: tuple[str, ...]) -> str:
    versions = []
    for name in names:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return "\0".join(versions)


#: This package's own folder (its engine's behaviour is part of every output).
SITE_PACKAGE = Path(__file__).resolve().parent


def environment_key(package: Path, machinery: Path = SITE_PACKAGE,
                    config_file: Path | None = None) -> str:
    """SHA-256 of what every session's output depends on, beyond its own code and the
    distributions and files it reads (recorded per entry)."""
    hasher = hashlib.sha256(f"lrtutor exec cache {FORMAT}\0{sys.version}".encode())
    hasher.update(f"lrtutor={lrtutor_version(package)}\0".encode())
    _hash_tree(hasher, package, "lrtutor")
    _hash_tree(hasher, machinery, "lrtutor_site")
    if config_file is not None:
        hasher.update(Path(config_file).read_bytes())
    hasher.update(f"SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    return hasher.hexdigest()


def distributions() -> dict[str, list[str]]:
    """Top-level import names -> installed distributions providing them (now)."""
    return {name: sorted(set(dists))
            for name, dists in importlib.metadata.packages_distributions().items()}


def distribution_versions(modules: list[str], providers: dict[str, list[str]]) -> dict[str, str]:
    """The version of every installed distribution providing one of ``modules``."""
    found: dict[str, str] = {}
    for module in modules:
        for dist in providers.get(module, []):
            if dist not in found:
                try:
                    found[dist] = importlib.metadata.version(dist)
                except importlib.metadata.PackageNotFoundError:
                    found[dist] = "absent"
    return dict(sorted(found.items()))


def session_key(environment: str, chain: str, jobs: list[Job]) -> str:
    parts = [environment, chain] + [
        "\0".join([job.language, job.block_id, job.filename, str(job.first_line),
                   job.module, job.code]) for job in jobs
    ]
    return hashlib.sha256("\1".join(parts).encode("utf-8")).hexdigest()


def result_to_json(result: SessionResult) -> str:
    return json.dumps(dataclasses.asdict(result), sort_keys=True)


def result_from_json(text: str) -> SessionResult:
    data = json.loads(text)
    outcomes = [Outcome(**{**o, "examples": [Example(**e) for e in o["examples"]]})
                for o in data["outcomes"]]
    return SessionResult(outcomes, data["modules"], data["files"], data["failure"],
                         data["seconds"])


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass
class SessionStore:
    """Cached results of sessions, one checked JSON file per key."""

    folder: Path  # holds the entries of one environment
    environment: str
    version: str  # lrtutor's __version__
    providers: dict[str, list[str]] = field(default_factory=distributions)
    used: set[str] = field(default_factory=set)
    rejected: int = 0
    _digests: dict[str, str | None] = field(default_factory=dict)

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def _file_digest(self, path: str) -> str | None:
        if path not in self._digests:
            try:
                self._digests[path] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            except OSError:
                self._digests[path] = None
        return self._digests[path]

    def load(self, key: str) -> SessionResult | None:
        """The result stored under ``key``, or ``None`` (an unusable or stale entry is
        deleted)."""
        path = self.path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, ValueError):
            entry = None
        result = None
        if (
            isinstance(entry, dict)
            and entry.get("format") == FORMAT
            and entry.get("key") == key
            and entry.get("environment") == self.environment
            and entry.get("lrtutor") == self.version
            and isinstance(entry.get("result"), str)
            and entry.get("sha256") == _sha256(entry["result"])
        ):
            try:
                result = result_from_json(entry["result"])
            except (KeyError, TypeError, ValueError):
                result = None
        if result is None:
            log.info("exec cache: unusable entry %s deleted; its session runs", path.name)
            self.rejected += 1
            path.unlink(missing_ok=True)
            return None
        stale = self._stale(entry, result)
        if stale:
            log.info("exec cache: entry %s is stale (%s); its session runs", path.name, stale)
            path.unlink(missing_ok=True)
            return None
        self.used.add(key)
        return result

    def _stale(self, entry: dict[str, Any], result: SessionResult) -> str:
        recorded = entry.get("distributions")
        if not isinstance(recorded, dict):
            return "no distributions recorded"
        now = distribution_versions(result.modules, self.providers)
        if now != recorded:
            changed = sorted(set(now.items()) ^ set(recorded.items()))
            return "distributions changed: " + ", ".join(f"{n} {v}" for n, v in changed[:4])
        for name, digest in result.files.items():
            if self._file_digest(name) != digest:
                return f"{name} changed"
        return ""

    def save(self, key: str, result: SessionResult) -> None:
        text = result_to_json(result)
        entry = {
            "format": FORMAT, "key": key, "environment": self.environment,
            "lrtutor": self.version, "sha256": _sha256(text), "result": text,
            "distributions": distribution_versions(result.modules, self.providers),
        }
        write_atomically(self.path(key), json.dumps(entry))
        self.used.add(key)

    def evict_unused(self) -> None:
        """Delete entries (and stray temporary files) this build did not use."""
        for path in self.folder.glob("*/*"):
            if path.stem not in self.used or path.suffix != ".json":
                path.unlink(missing_ok=True)


# -- the notebook: mkdocs-jupyter's cache, in a folder per environment ------------------

MANIFEST = "MANIFEST"  # no .json suffix: mkdocs-jupyter evicts *.json it did not use


def verify_notebook_cache(folder: Path) -> int:
    """Delete files in ``folder`` the manifest does not vouch for; return their count."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            manifest = {}
    except (OSError, ValueError):
        manifest = {}
    deleted = 0
    for path in folder.glob("*"):
        if path.name == MANIFEST or not path.is_file():
            continue
        try:
            good = manifest.get(path.name) == hashlib.sha256(path.read_bytes()).hexdigest()
            good = good and isinstance(json.loads(path.read_text(encoding="utf-8")), dict)
        except (OSError, ValueError):
            good = False
        if not good:
            log.info("exec cache: unverified notebook entry %s deleted", path.name)
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def write_manifest(folder: Path) -> None:
    if not folder.is_dir():
        return
    manifest = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.glob("*.json"))
    }
    write_atomically(folder / MANIFEST, json.dumps(manifest, indent=1))


#: Folders of other environments kept besides the current one (undoing an edit to
#: lrtutor finds its entries again); older ones are deleted.
KEEP_OTHER_ENVIRONMENTS = 2


def _prune(parent: Path, current: str) -> None:
    """Delete all but the current and the most recently used folders under ``parent``."""
    if not parent.is_dir():
        return
    if (parent / current).is_dir():
        os.utime(parent / current)
    others = sorted(
        (folder for folder in parent.iterdir() if folder.is_dir() and folder.name != current),
        key=lambda folder: folder.stat().st_mtime, reverse=True,
    )
    for folder in others[KEEP_OTHER_ENVIRONMENTS:]:
        shutil.rmtree(folder, ignore_errors=True)


# -- dirty reload: pages whose inputs outside the page changed -------------------------

_SNIPPET = re.compile(r"""-{1,}8<-{1,}\s+["']([^"'\n]+)["']""")


def page_inputs_digest(markdown: str, environment: str, snippets: Path) -> str:
    """Digest of what a page's output depends on beyond its own file.

    That is the environment (lrtutor, the hooks, mkdocs.yml, the versions: every page
    counts as depending on lrtutor, which over-approximates) and the content of every
    snippet file the page includes.
    """
    hasher = hashlib.sha256(environment.encode())
    for name in sorted(set(_SNIPPET.findall(markdown))):
        path = snippets / name
        hasher.update(f"\0{name}\0".encode())
        hasher.update(path.read_bytes() if path.is_file() else b"missing")
    return hasher.hexdigest()


def _snippet_folder(config: Any) -> Path:
    options = config.mdx_configs.get("pymdownx.snippets", {})
    base = options.get("base_path", ["."])
    base = [base] if isinstance(base, str) else list(base)
    folder = Path(base[0]) if base else Path(".")
    if not folder.is_absolute():
        folder = Path(config.config_file_path or ".").resolve().parent / folder
    return folder
