"""MkDocs hook (named in mkdocs.yml after lrtutor_site.py): the execution cache.

Rebuilding a page re-runs its console (``pycon``) blocks, its figure blocks
(markdown-exec's ``python`` with ``exec="on"``) and, on the notebook page, every cell.
While an author edits prose, none of that output can change, so this hook keeps it in
``.cache/lrtutor/`` at the project's root (git-ignored) and serves it again when
nothing it depends on changed.

**When it is on.** ``mkdocs serve`` uses it; ``mkdocs build`` does not, unless
``LRTUTOR_CACHE=1`` is set (``LRTUTOR_CACHE=0`` turns it off under ``serve`` too). CI,
the tests' builds and the published site therefore always execute everything.

**The key** of a block is a SHA-256 of:

* the *environment*: the cache's format, the sources of the ``lrtutor`` package that
  the build imports (every file, so any change to lrtutor re-runs every block), its
  ``__version__``, the versions of Python, NumPy, Matplotlib, markdown-exec, Markdown,
  pymdown-extensions and Pygments, the hooks and template in ``docs/_hooks/``,
  ``mkdocs.yml`` and ``SOURCE_DATE_EPOCH``;
* the page, the language, the block's options (id, session, html, ...);
* the block's code, as markdown-exec receives it: with the ``docs/snippets/`` files
  that pymdownx.snippets included, so a changed snippet re-runs its figure;
* the keys of every earlier block of the same session (a session's later block depends
  on what the earlier ones defined), so a change re-runs the rest of the session.

**A session partly served from the cache** still runs correctly: a block that must run
after blocks that were served from the cache first replays those blocks (their output
discarded) in order, so its namespace is exactly the one a full build gives it.

**Entries are checked before use.** Each is written to a temporary file and renamed
into place (a killed build leaves no half-written entry under a real name), and holds
its key, the environment, lrtutor's version and a SHA-256 of its HTML. An entry that
does not parse, names another key, environment or lrtutor version, or whose HTML does
not match its hash is deleted and its block runs. A block whose run logged a warning or
an error (markdown-exec reports a failing block that way) is never stored, so it fails
again on the next build.

**The notebook** uses mkdocs-jupyter's own cache (a JSON file per notebook, keyed by
the notebook's text and the plugin's options). Its key ignores lrtutor, so we give the
plugin a cache directory named after the environment above: a change to lrtutor, to a
version or to the notebook template selects an empty directory and the notebook runs.
The plugin writes its files without a checksum and not atomically, so after each build
we record their SHA-256 in a manifest; before the next build, a file the manifest does
not list, or whose content does not match, is deleted (and the notebook runs).

**Dirty reload** (``mkdocs serve --dirty``, the README's command) rebuilds only pages
whose own file changed. A page's output also depends on lrtutor, the hooks,
``mkdocs.yml`` and the snippets it includes, so this hook keeps a digest of those per
page and marks a page modified when its digest changed (every page counts as depending
on lrtutor, hooks and ``mkdocs.yml``; each on its own snippets).

markdown-exec itself has no cache (1.12: its formatters run every block on every
build), hence this glue: it wraps the registered ``pycon`` and ``python`` formatters
and leaves them otherwise untouched.
"""

from __future__ import annotations

import functools
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

import jinja2
import markdown_exec
from markupsafe import Markup

log = logging.getLogger("mkdocs.hooks.exec_cache")

#: Bump when the layout of an entry or the meaning of a key changes.
FORMAT = 1
#: Languages whose formatters are cached (both execute Python in named sessions).
LANGUAGES = ("pycon", "python")
#: Distributions whose versions enter the key.
VERSIONED = (
    "numpy", "matplotlib", "markdown-exec", "markdown", "pymdown-extensions", "pygments",
    "mkdocs-jupyter", "nbconvert", "ipykernel", "jupytext",
)
_VERSION = re.compile(r'^__version__\s*=\s*["\']([^"\']+)["\']', re.M)


def cache_wanted(command: str | None, setting: str | None) -> bool:
    """Whether a run of ``mkdocs <command>`` uses the cache, given ``LRTUTOR_CACHE``.

    Unset, only ``serve`` uses it; ``1``/``on``/``yes``/``true`` turn it on and any other
    non-empty value off.
    """
    if setting is None or setting.strip() == "":
        return command == "serve"
    return setting.strip().lower() in ("1", "on", "yes", "true")


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


@functools.cache
def _versions() -> str:
    """Versions of Python and of :data:`VERSIONED`, once per process (the modules a
    process imported stay the same while it runs, whatever is installed meanwhile)."""
    versions = [f"lrtutor exec cache {FORMAT}", sys.version]
    for name in VERSIONED:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return "\0".join(versions)


def environment_key(package: Path, hooks: Path, config_file: Path | None) -> str:
    """SHA-256 of everything, beyond a block's own code, that its output depends on."""
    hasher = hashlib.sha256(_versions().encode())
    hasher.update(f"lrtutor={lrtutor_version(package)}\0".encode())
    _hash_tree(hasher, package, "lrtutor")
    _hash_tree(hasher, hooks, "hooks")
    if config_file is not None:
        hasher.update(Path(config_file).read_bytes())
    hasher.update(f"SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    return hasher.hexdigest()


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
class BlockStore:
    """Cached HTML of executed blocks, one checked JSON file per key."""

    folder: Path  # holds the entries of one environment
    environment: str
    version: str  # lrtutor's __version__
    used: set[str] = field(default_factory=set)
    rejected: int = 0

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def load(self, key: str) -> str | None:
        """The HTML stored under ``key``, or ``None`` (an unusable entry is deleted)."""
        path = self.path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, ValueError):
            entry = None
        if not (
            isinstance(entry, dict)
            and entry.get("format") == FORMAT
            and entry.get("key") == key
            and entry.get("environment") == self.environment
            and entry.get("lrtutor") == self.version
            and isinstance(entry.get("html"), str)
            and entry.get("sha256") == _sha256(entry["html"])
        ):
            log.info("exec cache: unusable entry %s deleted; its block runs", path.name)
            self.rejected += 1
            path.unlink(missing_ok=True)
            return None
        self.used.add(key)
        return entry["html"]

    def save(self, key: str, html: str) -> None:
        entry = {
            "format": FORMAT, "key": key, "environment": self.environment,
            "lrtutor": self.version, "sha256": _sha256(html), "html": html,
        }
        write_atomically(self.path(key), json.dumps(entry))
        self.used.add(key)

    def evict_unused(self) -> None:
        """Delete entries (and stray temporary files) this build did not use."""
        for path in self.folder.glob("*/*"):
            if path.stem not in self.used or path.suffix != ".json":
                path.unlink(missing_ok=True)


@dataclass
class Session:
    """A chain of blocks sharing a namespace, within one build."""

    digest: str = ""  # hash of the keys of the blocks so far
    pending: list[dict[str, Any]] = field(default_factory=list)  # served, not yet run


class _Warnings(logging.Handler):
    """Notices a warning or error logged while a block runs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True


_WATCHED_LOGGERS = ("mkdocs", "markdown_exec")


@dataclass
class Build:
    """State of one build: the store, the sessions so far, and counts for the log."""

    store: BlockStore
    page: str = ""
    sessions: dict[tuple[str, ...], Session] = field(default_factory=dict)
    executed: int = 0
    reused: int = 0
    replayed: int = 0

    def format(
        self, language: str, formatter: Callable[..., Any], kwargs: dict[str, Any]
    ) -> Any:
        session_name = kwargs.get("session") or ""
        if language == "pycon":  # lrtutor_site keeps pycon namespaces per page
            chain: tuple[str, ...] | None = (language, self.page, session_name)
        else:  # markdown-exec keeps python namespaces per session name; none without
            chain = (language, session_name) if session_name else None
        session = self.sessions.setdefault(chain, Session()) if chain else Session()
        options = {k: v for k, v in kwargs.items() if k not in ("md", "code")}
        key = hashlib.sha256(
            "\0".join([
                self.store.environment, language, self.page, session.digest,
                repr(sorted(options.items(), key=lambda item: item[0])), kwargs["code"],
            ]).encode("utf-8")
        ).hexdigest()
        session.digest = key

        html = self.store.load(key)
        if html is not None:
            self.reused += 1
            session.pending.append(kwargs)
            return Markup(html)

        # The namespace must hold what the blocks served from the cache defined.
        for earlier in session.pending:
            self._run(formatter, earlier)
            self.replayed += 1
        session.pending.clear()
        output, clean = self._run(formatter, kwargs)
        self.executed += 1
        if clean and not re.search(r"<h[1-6]\b", str(output)):  # headings feed the toc
            self.store.save(key, str(output))
        return output

    @staticmethod
    def _run(formatter: Callable[..., Any], kwargs: dict[str, Any]) -> tuple[Any, bool]:
        watcher = _Warnings()
        loggers = [logging.getLogger(name) for name in _WATCHED_LOGGERS]
        for logger in loggers:
            logger.addHandler(watcher)
        try:
            output = formatter(**kwargs)
        finally:
            for logger in loggers:
                logger.removeHandler(watcher)
        return output, not watcher.seen


_state: dict[str, Any] = {
    "command": None, "dirty": False, "enabled": False, "build": None, "root": None,
    "page_digests": {},  # src_uri -> digest of what the page was last built from
    "anchors": None,  # mkdocs-autorefs' URL maps after the last build (see on_env)
}


def _cached(language: str, formatter: Callable[..., Any]) -> Callable[..., Any]:
    if getattr(formatter, "lrtutor_cached", False):
        return formatter

    def cached_formatter(**kwargs: Any) -> Any:
        build = _state["build"]
        if build is None:
            return formatter(**kwargs)
        return build.format(language, formatter, kwargs)

    cached_formatter.lrtutor_cached = True  # type: ignore[attr-defined]
    cached_formatter.__wrapped__ = formatter  # type: ignore[attr-defined]
    return cached_formatter


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


# -- MkDocs events -------------------------------------------------------------------------


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command
    _state["dirty"] = dirty


def on_files(files: Any, config: Any) -> Any:
    """Under ``--dirty``, rebuild every page whose lrtutor, hooks or snippets changed.

    MkDocs' dirty reload rebuilds only the pages whose own file is newer than its
    output; a page also counts as modified here when the digest of its other inputs
    (:func:`page_inputs_digest`) differs from the previous build's, or is unknown.
    """
    if not _state["dirty"]:
        return files
    environment = environment_key(
        lrtutor_package(), Path(__file__).resolve().parent, config.config_file_path
    )
    snippets = _snippet_folder(config)
    digests: dict[str, str] = _state["page_digests"]
    for file in files.documentation_pages():
        try:
            text = Path(file.abs_src_path).read_text(encoding="utf-8")
        except (OSError, TypeError, UnicodeDecodeError):
            continue
        digest = page_inputs_digest(text, environment, snippets)
        if digests.get(file.src_uri) != digest:
            file.is_modified = lambda: True  # this build only: files are new each build
        digests[file.src_uri] = digest
    return files


def on_config(config: Any) -> None:
    for language in LANGUAGES:  # after lrtutor_site.py registered its pycon formatter
        if language in markdown_exec.formatters:
            markdown_exec.formatters[language] = _cached(
                language, markdown_exec.formatters[language]
            )
    _state["enabled"] = cache_wanted(_state["command"], os.environ.get("LRTUTOR_CACHE"))
    _state["root"] = Path(config.config_file_path or ".").resolve().parent / ".cache" / "lrtutor"
    notebook = config.plugins.get("mkdocs-jupyter")
    if notebook is not None and not _state["enabled"]:
        notebook.config["cache"] = False


def on_pre_build(config: Any) -> None:
    _state["build"] = None
    if not _state["enabled"]:
        return
    root: Path = _state["root"]
    package = lrtutor_package()
    environment = environment_key(
        package, Path(__file__).resolve().parent, config.config_file_path
    )
    name = environment[:20]
    _state["build"] = Build(BlockStore(root / "blocks" / name, environment,
                                       lrtutor_version(package)))
    pool = sys.modules.get("lrtutor_pool")  # lrtutor_site.py's worker processes
    if pool is not None:  # a warm cache serves the blocks: no workers to start
        pool.CACHE_HAS_ENTRIES = any((root / "blocks" / name).glob("*/*.json"))
    notebook = config.plugins.get("mkdocs-jupyter")
    if notebook is not None:
        folder = root / "notebook" / name
        folder.mkdir(parents=True, exist_ok=True)
        verify_notebook_cache(folder)
        notebook.config["cache"] = True
        notebook.config["cache_dir"] = str(folder)
        if _state["dirty"]:
            # mkdocs-jupyter deletes every entry its build did not read (its
            # on_post_build), and a dirty rebuild of another page does not render the
            # notebook: keep what is there (verified above). No option turns the
            # eviction off, so we mark the entries as read (a private set, checked).
            used = getattr(notebook, "_used_cache_paths", None)
            if isinstance(used, set):
                used.update(folder.glob("*.json"))


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Keep the theme's compiled templates between rebuilds (when the cache is on).

    MkDocs makes a new Jinja environment for every build, so ``mkdocs serve`` compiled
    Material's templates again after each edit (about a second). Jinja's own bytecode
    cache stores them; it recompiles a template whose source changed.
    """
    if _state["enabled"]:
        folder = _state["root"] / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    _restore_anchors(config)
    return env


#: mkdocs-autorefs' maps from identifiers (``lrtutor.schedules``) to URLs.
_ANCHOR_MAPS = ("_primary_url_map", "_secondary_url_map", "_abs_url_map")


def _restore_anchors(config: Any) -> None:
    """Under ``--dirty``, give mkdocs-autorefs the anchors of the pages not rebuilt.

    mkdocs-autorefs resolves ``[text][lrtutor.x]`` links in its own ``on_env`` (priority
    -50, after this hook) from the anchors registered by the pages rendered *in this
    build*. A dirty rebuild renders only the edited pages, so their links into the API
    reference would stay unresolved ("Could not find cross-reference target"). No
    option of the plugin keeps its maps across builds (it is made anew each build), so
    we keep a copy of them after every build and add back what this build lacks. A page
    whose anchors changed is rebuilt, and its fresh anchors win over the copy.
    """
    plugin = config.plugins.get("autorefs")
    saved = _state["anchors"]
    if plugin is None or not _state["dirty"] or saved is None:
        return
    for name, old in zip(_ANCHOR_MAPS, saved, strict=True):
        current = getattr(plugin, name, None)
        if isinstance(current, dict):
            for identifier, url in old.items():
                current.setdefault(identifier, url)


def _save_anchors(config: Any) -> None:
    plugin = config.plugins.get("autorefs")
    if plugin is None or not all(isinstance(getattr(plugin, n, None), dict)
                                 for n in _ANCHOR_MAPS):
        _state["anchors"] = None
        return
    _state["anchors"] = tuple(
        {key: (list(value) if isinstance(value, list) else value)
         for key, value in getattr(plugin, name).items()}
        for name in _ANCHOR_MAPS
    )


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if _state["build"] is not None:
        _state["build"].page = page.file.src_uri
    return markdown


def on_post_build(config: Any) -> None:
    _save_anchors(config)
    build: Build | None = _state["build"]
    if build is None:
        return
    _state["build"] = None
    root: Path = _state["root"]
    name = build.store.folder.name
    if (build.executed or build.reused) and not _state["dirty"]:  # every page was built
        build.store.evict_unused()
    write_manifest(root / "notebook" / name)
    _prune(root / "blocks", name)
    _prune(root / "notebook", name)
    log.info(
        "exec cache: %d blocks executed, %d reused, %d replayed, %d entries rejected",
        build.executed, build.reused, build.replayed, build.store.rejected,
    )
