"""Build-time and page-weight figures for the site, with its budgets (run by hand).

    python tests/benchmark.py [--runs 3]

Prints medians over ``--runs`` runs of

* the full strict build (every console block, figure and the notebook executed), with
  the worker processes the build starts by default (``lrtutor_site/engine.py``; their
  number is printed) and, for comparison, with one (``LRTUTOR_WORKERS=1``);
* the same pages built with execution off (``LRTUTOR_EXECUTE=notebook``: console and
  ``exec`` blocks shown as plain code), and the ratio of the two; the budget applies
  to this ratio. For comparison, also with the notebook not executed either
  (``LRTUTOR_EXECUTE=none``);
* the cost of isolation: seconds to start a clean worker and run an empty session in
  it (forked from the fork server, which preloads NumPy, Matplotlib, SciPy and lrtutor;
  budget 0.05 s), the fork server's own start (once per build), and for comparison a
  worker started by ``spawn`` that imports the same;
* the execution cache (``lrtutor_site/cache.py``), in a throwaway copy of the
  project so that the cache starts empty: a cold build (``LRTUTOR_CACHE=1``, empty
  cache) and a warm one (cache filled, nothing changed), against the budgets
  cold / not executed <= 2.0 and warm / nothing executed (``LRTUTOR_EXECUTE=none``) <= 1.3;
* the rebuild after a one-page prose edit under ``mkdocs serve`` as the README runs it
  (``--dirty``, cache on): from saving the page to the new text being served (budget
  <= 1.5 s), the build time that serve logs, and for comparison from saving an edit to
  lrtutor to the new number being served;

the execution time of the real-model pages' code (console blocks and figure snippets,
``MODEL_PAGES``), each page in a fresh namespace after what the build has already done
for the other pages (importing lrtutor, drawing a first figure; timed apart); budget:
3 s for the pages together, added to the full build; likewise the code of the adaptive
and progress pages (``ADAPTIVE_PAGES``, issue 18), budget 2 s together, and of the
noise and mini-batch pages (``NOISE_PAGES``, issue 17), budget 2 s together;

the wall time of ``pytest tests/lrtutor`` (budget: 30 s) and of the whole suite (once);

and, per page of the nav, its own HTML bytes and the count and bytes of its figures
(inline ``<svg role="img">`` and ``<img>`` in the article). Then PASS or MISS per
budget: those above, a tutorial page <= 120 KB, the notebook page <= 150 KB
(1 KB = 1000 bytes). The API reference page has no budget.

Not a test (pytest does not collect it): timings belong in figures, not assertions.
"""

from __future__ import annotations

import argparse
import doctest
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make "tests" importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml

from lrtutor_site import engine

from tests.support.helpers import ROOT, copy_project, mkdocs_build, project_env, stop
from tests.support.serve import SERVE_ARGS, fetch, free_port

BUDGET_RATIO = 2.0
BUDGET_COLD = 2.0  # cold cached build / build with blocks not executed
BUDGET_WARM = 1.3  # warm cached build / build with nothing executed
BUDGET_SERVE_EDIT = 1.5  # seconds from saving a prose edit to serving it
BUDGET_TUTORIAL = 120_000
BUDGET_NOTEBOOK = 150_000
BUDGET_MODEL_PAGES = 3.0
BUDGET_PACKAGE_TESTS = 30.0  # seconds for pytest tests/lrtutor (issue 20)
BUDGET_SESSION_START = 0.05  # seconds to start a clean worker and run an empty session
BUDGET_ADAPTIVE_PAGES = 2.0
BUDGET_NOISE_PAGES = 2.0

#: The pages that train models on real data (issue 8); their code is timed on its own.
MODEL_PAGES = ("real-regression.md", "range-test.md", "logistic.md", "edge-of-stability.md")
#: The pages of issue 18 (adaptive methods, rates from progress); timed like MODEL_PAGES.
ADAPTIVE_PAGES = ("adaptive.md", "progress.md")
#: The pages of noisy gradients (issue 17); their code is timed on its own too.
NOISE_PAGES = ("noise.md", "mini-batches.md")
_FENCE = re.compile(r"^```(pycon|python)\b([^\n]*)\n(.*?)^```", re.S | re.M)
_SNIPPET = re.compile(r'^--8<-- "([^"]+)"$', re.M)
_TIME_PAGES = '''
import contextlib, io, json, sys, time
t = time.perf_counter()
import lrtutor, lrtutor.plots
# A worker is forked from a fork server that has imported these and drawn a figure
# (lrtutor_site._warm): warm up likewise.
import lrtutor_site._warm
times = {"shared: imports, a first figure": time.perf_counter() - t}
for name, code in json.loads(sys.stdin.read()).items():
    t = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # what the page prints is not timed output
        exec(compile(code, name, "exec"), {"__name__": "__page__"})
    times[name] = time.perf_counter() - t
print(json.dumps(times))
'''

_BUILT_IN = re.compile(r"Documentation built in ([\d.]+) seconds")
_FIGURE = re.compile(r'<svg\b[^>]*\b(?:role="img"|aria-label=)[^>]*>.*?</svg>|<img\b[^>]*>', re.S)


def timed_build(site: Path, project: Path = ROOT, **env: str) -> float:
    """Wall time of one ``mkdocs build --strict`` of ``project`` into ``site``."""
    start = time.perf_counter()
    result = mkdocs_build(project, site, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def nav_pages() -> list[tuple[str, str]]:
    """(source, built HTML path) for every page in the nav, in order."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    pages = []

    def walk(entries: list) -> None:
        for entry in entries:
            value = next(iter(entry.values())) if isinstance(entry, dict) else entry
            if isinstance(value, list):
                walk(value)
            elif not re.match(r"[a-z]+://", value):
                stem = value.rsplit(".", 1)[0]
                pages.append((value, "index.html" if stem == "index" else f"{stem}/index.html"))

    walk(config["nav"])
    return pages


def page_weights(site: Path) -> list[tuple[str, str, int, int, int]]:
    """(source, kind, own bytes, figure count, figure bytes) per nav page."""
    rows = []
    for source, built in nav_pages():
        raw = (site / built).read_text(encoding="utf-8")
        article = re.search(r"<article\b.*</article>", raw, re.S)
        figures = _FIGURE.findall(article[0] if article else raw)
        figure_bytes = 0
        for figure in figures:
            src = re.search(r'<img\b[^>]*\bsrc="([^"]+)"', figure)
            if src and not src[1].startswith("data:"):
                target = (site / built).parent / src[1]
                figure_bytes += target.stat().st_size if target.is_file() else 0
            else:
                figure_bytes += len(figure.encode())
        if not source.endswith(".md"):
            kind = "notebook"
        elif 'class="doc doc-' in raw:
            kind = "reference"
        else:
            kind = "tutorial"
        rows.append((source, kind, len(raw.encode()), len(figures), figure_bytes))
    return rows


def cached_builds(runs: int) -> tuple[list[float], list[float]]:
    """Wall times of cold (empty cache) and warm (filled, nothing changed) cached builds."""
    cold, warm = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            project = copy_project(Path(tmp) / f"project-{run}")
            cold.append(timed_build(Path(tmp) / f"cold-{run}", project, LRTUTOR_CACHE="1"))
            warm.append(timed_build(Path(tmp) / f"warm-{run}", project, LRTUTOR_CACHE="1"))
    return cold, warm


def serve_rebuild(runs: int) -> tuple[list[float], list[float], list[float]]:
    """Seconds from saving an edited page to serving it, serve's logged build times, and
    seconds from saving an edit to lrtutor to serving the new number."""
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project", copy_package=True)
        page = next(
            project / "docs" / source for source, _ in nav_pages()
            if source.endswith(".md") and source != "index.md"
        )
        url = f"/{page.stem}/"
        port = free_port()
        log = Path(tmp) / "serve.log"
        with log.open("w") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", *SERVE_ARGS, "-a", f"127.0.0.1:{port}"],
                cwd=project, env=project_env(project), stdout=out, stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        latencies, builds, code_latencies = [], [], []
        try:
            deadline = time.monotonic() + 300
            while fetch(base + url) is None:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"mkdocs serve did not start:\n{log.read_text()}")
                time.sleep(0.2)
            for run in range(runs):
                marker = f"Benchmark edit number {run} of this page."
                seen = len(_BUILT_IN.findall(log.read_text()))
                start = time.monotonic()
                page.write_text(page.read_text(encoding="utf-8") + f"\n{marker}\n",
                                encoding="utf-8")
                while marker not in (fetch(base + url) or ""):
                    if time.monotonic() - start > 120:
                        sys.exit(f"the edit did not show:\n{log.read_text()}")
                    time.sleep(0.1)
                latencies.append(time.monotonic() - start)
                while len(found := _BUILT_IN.findall(log.read_text())) <= seen:
                    time.sleep(0.1)
                builds.append(float(found[-1]))
            # An edit to lrtutor: CUBIC's slope 15*x**2 becomes 16*x**2 and back; the
            # slope page prints CUBIC.slope(1.0), CUBIC.slope(2.0).
            module = project / "lrtutor" / "losses.py"
            source = module.read_text(encoding="utf-8")
            edits = [source.replace("lambda x: 15 * x**2,", "lambda x: 16 * x**2,"), source]
            for run in range(runs):
                # The page's own text says (15.0, 60.0): wait for the new output to come
                # or, once the edit is undone, to go.
                def served(page: str | None, edited: bool = run % 2 == 0) -> bool:
                    return page is not None and ("(16.0, 64.0)" in page) == edited

                start = time.monotonic()
                module.write_text(edits[run % 2], encoding="utf-8")
                while not served(fetch(base + "/slope/")):
                    if time.monotonic() - start > 180:
                        sys.exit(f"the lrtutor edit did not show:\n{log.read_text()}")
                    time.sleep(0.1)
                code_latencies.append(time.monotonic() - start)
        finally:
            stop(server)
    return latencies, builds, code_latencies


def page_code(source: str) -> str:
    """The Python a page runs: its console examples and its executed snippets, in order."""
    text = (ROOT / "docs" / source).read_text(encoding="utf-8")
    parts = []
    for kind, info, body in _FENCE.findall(text):
        if kind == "pycon":
            parts += [example.source for example in doctest.DocTestParser().get_examples(body)]
        elif 'exec="on"' in info:
            parts.append(_SNIPPET.sub(
                lambda m: (ROOT / "docs" / "snippets" / m[1]).read_text(encoding="utf-8"), body
            ))
    return "\n".join(parts)


def model_page_times(runs: int, pages: tuple[str, ...] = MODEL_PAGES) -> dict[str, float]:
    """Median seconds per page of ``pages`` (and for the shared imports), fresh processes."""
    code = json.dumps({source: page_code(source) for source in pages})
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", _TIME_PAGES], input=code, text=True, capture_output=True,
            cwd=ROOT, env={**os.environ, "MPLBACKEND": "Agg"},
        )
        if result.returncode != 0:
            sys.exit(f"timing the model pages failed:\n{result.stderr}")
        for name, seconds in json.loads(result.stdout).items():
            samples.setdefault(name, []).append(seconds)
    return {name: statistics.median(values) for name, values in samples.items()}


def timed_pytest(*args: str) -> float:
    """Wall time of ``python -m pytest -q ARGS`` from the repository root; it must pass."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                   cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


_SPAWNED = """
import time
t = time.perf_counter()
import numpy, matplotlib, matplotlib.pyplot, scipy.sparse.linalg, lrtutor, lrtutor.plots
print(time.perf_counter() - t)
"""


def session_start_times(sessions: int = 20) -> tuple[float, float, float]:
    """(fork server start with its first session, median seconds per further session,
    a spawned interpreter importing what the fork server preloads)."""
    job = engine.Job("empty", "pass\n", "<benchmark>", 1, "_lrtutor_block_benchmark")
    made = engine.Engine(1, timeout=120)
    try:
        engine.ensure_fresh(f"benchmark {time.time()}")  # a new fork server, timed here
        start = time.perf_counter()
        made.run([job])
        first = time.perf_counter() - start
        each = []
        for _ in range(sessions):
            start = time.perf_counter()
            made.run([job])
            each.append(time.perf_counter() - start)
    finally:
        made.close()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _SPAWNED], check=True, capture_output=True,
                   cwd=ROOT, env={**os.environ, "MPLBACKEND": "Agg"})
    spawned = time.perf_counter() - start
    return first, statistics.median(each), spawned


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per timing (median)")
    runs = parser.parse_args().runs
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")

    with tempfile.TemporaryDirectory() as tmp:
        full = [timed_build(Path(tmp) / f"full-{i}") for i in range(runs)]
        serial = [timed_build(Path(tmp) / f"serial-{i}", LRTUTOR_WORKERS="1")
                  for i in range(runs)]
        plain = [timed_build(Path(tmp) / f"plain-{i}", LRTUTOR_EXECUTE="notebook")
                 for i in range(runs)]
        bare = [timed_build(Path(tmp) / f"bare-{i}", LRTUTOR_EXECUTE="none")
                for i in range(runs)]
        weights = page_weights(Path(tmp) / "full-0")
    cold, warm = cached_builds(runs)
    latencies, builds, code_latencies = serve_rebuild(runs)
    model_times = model_page_times(runs)
    package_tests = statistics.median(timed_pytest("tests/lrtutor") for _ in range(runs))
    suite = timed_pytest()  # the README's test command, once
    server_start, session_start, spawned = session_start_times()
    adaptive_times = model_page_times(runs, ADAPTIVE_PAGES)
    noise_times = model_page_times(runs, NOISE_PAGES)

    full_s, serial_s, plain_s, bare_s, cold_s, warm_s, edit_s = (
        statistics.median(t) for t in (full, serial, plain, bare, cold, warm, latencies)
    )
    ratio = full_s / plain_s
    workers = engine.worker_count(os.environ.get("LRTUTOR_WORKERS"))
    print(f"Medians over {runs} runs (wall time of the whole command):")
    print(f"  full build (execution on)           {full_s:6.2f} s  ({workers} worker processes)")
    print(f"  ... with one worker                 {serial_s:6.2f} s  "
          f"(ratio {serial_s / plain_s:.2f})")
    print(f"  same pages, blocks not executed     {plain_s:6.2f} s")
    print(f"  ratio                               {ratio:6.2f}    budget <= {BUDGET_RATIO}: "
          f"{verdict(ratio <= BUDGET_RATIO)}")
    print(f"  ... nor the notebook                {bare_s:6.2f} s  (ratio {full_s / bare_s:.2f})")
    print(f"  clean session: start and run empty  {session_start:6.3f} s  budget <= "
          f"{BUDGET_SESSION_START} s: {verdict(session_start <= BUDGET_SESSION_START)}")
    print(f"  ... fork server start, 1st session  {server_start:6.2f} s  (once per build)")
    print(f"  ... spawned interpreter, same imports {spawned:5.2f} s  (for comparison)")
    print(f"  cached, cold (empty cache)          {cold_s:6.2f} s  (ratio {cold_s / plain_s:.2f})"
          f"  budget <= {BUDGET_COLD}: {verdict(cold_s / plain_s <= BUDGET_COLD)}")
    print(f"  cached, warm (nothing changed)      {warm_s:6.2f} s  (ratio {warm_s / bare_s:.2f}"
          f" to nothing executed)  budget <= {BUDGET_WARM}: "
          f"{verdict(warm_s / bare_s <= BUDGET_WARM)}")
    print(f"  serve: prose edit saved -> served   {edit_s:6.2f} s  budget <= "
          f"{BUDGET_SERVE_EDIT} s: {verdict(edit_s <= BUDGET_SERVE_EDIT)}")
    print(f"  serve: rebuild (as logged)          {statistics.median(builds):6.2f} s")
    print(f"  serve: lrtutor edit saved -> served {statistics.median(code_latencies):6.2f} s")
    print(f"  (serve runs as the README says: mkdocs {' '.join(SERVE_ARGS)}, cache on)")
    print("  real-model pages' code (fresh process, median):")
    for name, seconds in model_times.items():
        print(f"    {name:<33} {seconds:6.2f} s")
    added = sum(seconds for name, seconds in model_times.items() if name in MODEL_PAGES)
    print(f"    {'total':<33} {added:6.2f} s  budget <= {BUDGET_MODEL_PAGES:g} s: "
          f"{verdict(added <= BUDGET_MODEL_PAGES)}")
    print(f"  pytest tests/lrtutor (package units) {package_tests:6.2f} s  budget <= "
          f"{BUDGET_PACKAGE_TESTS:g} s: {verdict(package_tests <= BUDGET_PACKAGE_TESTS)}")
    print(f"  pytest (the whole suite, one run)    {suite:6.2f} s")
    print("  adaptive + progress pages' code (fresh process, median):")
    for name, seconds in adaptive_times.items():
        print(f"    {name:<33} {seconds:6.2f} s")
    added = sum(seconds for name, seconds in adaptive_times.items() if name in ADAPTIVE_PAGES)
    print(f"    {'adaptive + progress pages adds':<33} {added:6.2f} s  budget <= "
          f"{BUDGET_ADAPTIVE_PAGES:g} s: {verdict(added <= BUDGET_ADAPTIVE_PAGES)}")
    print("  noise + mini-batch pages' code (fresh process, median):")
    for name, seconds in noise_times.items():
        print(f"    {name:<33} {seconds:6.2f} s")
    added = sum(seconds for name, seconds in noise_times.items() if name in NOISE_PAGES)
    print(f"    {'noise + mini-batch pages adds':<33} {added:6.2f} s  budget <= "
          f"{BUDGET_NOISE_PAGES:g} s: {verdict(added <= BUDGET_NOISE_PAGES)}")
    print()
    print(f"  {'page':<24} {'kind':<9} {'own bytes':>10} {'figures':>8} {'fig bytes':>10}  budget")
    for source, kind, own, count, figure_bytes in weights:
        budget = {"tutorial": BUDGET_TUTORIAL, "notebook": BUDGET_NOTEBOOK}.get(kind)
        check = f"<= {budget // 1000} KB: {verdict(own <= budget)}" if budget else "none"
        print(f"  {source:<24} {kind:<9} {own:>10,} {count:>8} {figure_bytes:>10,}  {check}")


if __name__ == "__main__":
    main()
