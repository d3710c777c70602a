"""Helpers for tests that build the site: strict builds and throwaway copies."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def mkdocs_build(
    project: Path, site_dir: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` for ``project`` into ``site_dir``; never raises.

    ``env`` adds to (or overrides) the environment, e.g. ``SOURCE_DATE_EPOCH``. The
    execution cache is off (``LRTUTOR_CACHE=0``) unless ``env`` turns it on: the tests
    check what the code prints now, never what a cache kept.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore",
           "LRTUTOR_CACHE": "0", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir), *extra],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def copy_project(destination: Path, *, copy_package: bool = False) -> Path:
    """A throwaway copy of the site sources (docs/, mkdocs.yml) to break on purpose.

    ``lrtutor/`` (which mkdocs.yml watches) is a symlink to the real package, or with
    ``copy_package=True`` a copy of its own, to edit; run with the copy first on
    ``PYTHONPATH`` (see :func:`project_env`) so that the build imports it.
    """
    shutil.copytree(ROOT / "docs", destination / "docs",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", destination / "mkdocs.yml")
    if copy_package:
        shutil.copytree(ROOT / "lrtutor", destination / "lrtutor",
                        ignore=shutil.ignore_patterns("__pycache__"))
    else:
        (destination / "lrtutor").symlink_to(ROOT / "lrtutor")
    return destination


def project_env(project: Path, **extra: str) -> dict[str, str]:
    """Environment for running mkdocs on ``project``, importing its own ``lrtutor``."""
    path = os.pathsep.join(filter(None, [str(project), os.environ.get("PYTHONPATH", "")]))
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore",
            "PYTHONPATH": path, **extra}


def stop(process: subprocess.Popen) -> None:
    """Terminate a server started by a test; kill it if it does not stop in 30 s."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


#: The site's hooks folder (only theme_a11y.py; the machinery is lrtutor_site/).
HOOKS = ROOT / "docs" / "_hooks"
