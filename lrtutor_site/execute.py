"""The execution step on its own: ``python -m lrtutor_site execute``.

It reads ``mkdocs.yml`` (no MkDocs import: YAML with MkDocs' ``!ENV`` tag), finds every
page's sessions as the plugin does (:func:`page_chains`, which the plugin's ``on_nav``
calls too), runs each in a clean worker (``engine.py``), checks it as the build does (a
block that raises, anything on stderr, a console example that prints other than the
page says), names page and line of every failure and exits non-zero on any. The
results of clean sessions go into the execution cache's store (``cache.py``), under
the keys the plugin computes: a build with the cache on (``mkdocs serve``, or
``LRTUTOR_CACHE=on mkdocs build``) then only reads them. ``mkdocs build`` with the cache
off (its default, CI) runs the same step itself and trusts no stored result.

Other engines (Zensical, which ignores MkDocs plugins) can run this step first, so
that every block is run isolated and checked before they render the pages.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lrtutor_site import blocks, cache, engine


class _Loader(yaml.SafeLoader):
    """YAML as MkDocs reads mkdocs.yml, for the few keys the step needs."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """MkDocs' (pyyaml_env_tag's) ``!ENV VAR`` and ``!ENV [VAR, ..., default]``."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = items[:-1] or items, items[-1] if len(items) > 1 else None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else os.environ[name]
    return default


_Loader.add_constructor("!ENV", _env_tag)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


@dataclass
class Site:
    """What the step needs from mkdocs.yml."""

    root: Path
    docs_dir: Path
    snippet_dirs: list[str]
    exclude: list[str]
    workers: int
    timeout: float


def read_site(config_file: Path) -> Site:
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    root = config_file.resolve().parent
    snippets: dict[str, Any] = {}
    for entry in config.get("markdown_extensions") or []:
        if isinstance(entry, dict) and "pymdownx.snippets" in entry:
            snippets = entry["pymdownx.snippets"] or {}
    bases = snippets.get("base_path", ["."])
    options: dict[str, Any] = {}
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "lrtutor" in entry:
            options = entry["lrtutor"] or {}
    workers = options.get("workers", "auto")
    return Site(
        root=root,
        docs_dir=root / config.get("docs_dir", "docs"),
        snippet_dirs=[str(root / b) for b in ([bases] if isinstance(bases, str) else bases)],
        exclude=[line.strip() for line in str(config.get("exclude_docs") or "").splitlines()
                 if line.strip() and not line.startswith("#")],
        workers=engine.worker_count(None if workers in (None, "auto") else str(workers)),
        timeout=float(options.get("timeout", engine.DEFAULT_TIMEOUT)),
    )


def _excluded(relative: str, patterns: list[str]) -> bool:
    """MkDocs' default exclusions (dot files, ``templates/``) and simple gitignore-style
    ``exclude_docs`` lines: ``folder/`` and file globs (all the site uses)."""
    parts = relative.split("/")
    if any(part.startswith(".") for part in parts) or parts[0] == "templates":
        return True
    for pattern in patterns:
        if pattern.endswith("/"):
            if pattern.strip("/") in parts[:-1]:
                return True
        elif fnmatch.fnmatch(relative, pattern.lstrip("/")) or \
                fnmatch.fnmatch(parts[-1], pattern):
            return True
    return False


def page_chains(src_uri: str, abs_path: str | Path, root: Path,
                snippet_dirs: list[str]) -> tuple[str, str, dict[str, list[engine.Job]]]:
    """(path for messages, page text, sessions by chain key) of one page, as the
    plugin predicts them before rendering."""
    markdown = Path(abs_path).read_text(encoding="utf-8-sig")
    path = Path(os.path.relpath(abs_path, root)).as_posix()
    found = blocks.scan(markdown)[0]
    return path, markdown, engine.predict(src_uri, path, markdown, found, snippet_dirs,
                                          str(root))


def problems(path: str, markdown: str, jobs: list[engine.Job],
             result: engine.SessionResult) -> list[str]:
    """Every failure of a session's result, each starting with page and line."""
    if result.failure is not None:
        return [f"{path}: {jobs[0].block_id or 'a block'} and its session: {result.failure}"]
    lines = {b.id: b.line for b in blocks.scan(markdown)[0] if b.executed}
    found = []
    for job, outcome in zip(jobs, result.outcomes, strict=False):
        fence = lines.get(job.block_id)
        where = f"{path}:{fence}" if fence else path
        kind = "console" if job.language == "pycon" else "python"
        name = job.block_id or kind
        if outcome.error is not None:
            found.append(f"{where}: {kind} block '{name}' raised {outcome.error}\n"
                         f"{outcome.traceback}")
        for example in outcome.examples:
            if example.problem:
                line = f"{path}:{fence + 1 + example.lineno}" if fence else where
                found.append(f"{line}: console block '{name}' does not print what the page "
                             f"says:\n{example.problem}")
        if outcome.stderr:
            found.append(f"{where}: {kind} block '{name}' wrote to stderr:\n"
                         f"{outcome.stderr.rstrip()}")
    return found


def execute(config_file: Path, workers: int | None = None, store_results: bool = True,
            out: Any = sys.stderr) -> int:
    """Run and check every session of the site; return the number of failures."""
    site = read_site(config_file)
    package = cache.lrtutor_package()
    environment = cache.environment_key(package)
    engine.ensure_fresh(environment + cache.versions_of(engine.PRELOAD_DISTRIBUTIONS))
    store = None
    if store_results:
        folder = site.root / ".cache" / "lrtutor" / "blocks" / environment[:20]
        store = cache.SessionStore(folder, environment, cache.lrtutor_version(package))
    runner = engine.Engine(workers or site.workers, site.timeout)
    start = time.perf_counter()
    pending = []
    try:
        for page in sorted(site.docs_dir.rglob("*.md")):
            src_uri = page.relative_to(site.docs_dir).as_posix()
            if _excluded(src_uri, site.exclude):
                continue
            path, markdown, chains = page_chains(src_uri, page, site.root, site.snippet_dirs)
            for chain, jobs in chains.items():
                label = f"{path} {chain.split('::', 1)[1]!r}"
                pending.append((path, markdown, chain, jobs, runner.submit(jobs, label)))
        failures = []
        for path, markdown, chain, jobs, future in pending:
            result = future.result()
            found = problems(path, markdown, jobs, result)
            failures += found
            if store is not None and not found:
                store.save(cache.session_key(environment, chain, jobs), result)
    finally:
        runner.close()
    for failure in failures:
        print(failure, file=out)
    blocks_run = sum(len(jobs) for _, _, _, jobs, _ in pending)
    print(f"lrtutor: {blocks_run} blocks in {len(pending)} sessions ran in "
          f"{runner.workers} worker processes in {time.perf_counter() - start:.2f} s, "
          f"{runner.restarts} replaced workers; {len(failures)} failure(s)"
          + (f"; results in {store.folder.relative_to(site.root)}" if store else ""),
          file=out)
    return len(failures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lrtutor_site",
        description="The site's machinery outside MkDocs.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "execute", help="run and check every page's sessions, each in a clean worker; "
                        "exit 1 on any failure, naming page and line")
    run.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    run.add_argument("--workers", type=int, default=None,
                     help="worker processes at once (default: the lrtutor plugin's option)")
    run.add_argument("--no-store", action="store_true",
                     help="check only; write no results to .cache/lrtutor/")
    args = parser.parse_args(argv)
    return 1 if execute(args.config_file, args.workers, not args.no_store) else 0
