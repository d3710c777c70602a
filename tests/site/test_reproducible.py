"""Two builds of the same sources with the same SOURCE_DATE_EPOCH are byte-identical.

The sources are copied twice, to two different directories, and both copies are built
at the same time, so the test also catches absolute paths, dates, random ids, set
ordering (each build runs with its own hash seed) and kernel or run metadata leaking
into the site (the build machine's folder on a page: issue 16's fault 7). Every
session runs in a clean worker process of its own (lrtutor_site/engine.py); the first
build runs them one at a time (``LRTUTOR_WORKERS=1``), the second three at a time
(``LRTUTOR_WORKERS=3``): the number of workers changes nothing in the site.
"""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import pytest

from ..support.helpers import copy_project, mkdocs_build, project_env

pytestmark = pytest.mark.build

#: 2023-11-14T22:13:20Z.
EPOCH = 1_700_000_000


def files_of(site: Path) -> dict[str, Path]:
    return {path.relative_to(site).as_posix(): path for path in site.rglob("*") if path.is_file()}


def first_difference(a: bytes, b: bytes, context: int = 40) -> str:
    pairs = enumerate(zip(a, b, strict=False))
    at = next((i for i, (x, y) in pairs if x != y), min(len(a), len(b)))
    start = max(0, at - context)
    return (
        f"first difference at byte {at} (sizes {len(a)} and {len(b)}):\n"
        f"    {a[start:at + context]!r}\n    {b[start:at + context]!r}"
    )


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = copy_project(tmp_path / "a" / "project", copy_package=True)
    second = tmp_path / "b" / "project"
    shutil.copytree(first, second, symlinks=True)
    sites = [tmp_path / "a" / "site", tmp_path / "b" / "site"]
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(
            lambda job: mkdocs_build(
                job[0], job[1],
                env=project_env(job[0], SOURCE_DATE_EPOCH=str(EPOCH), LRTUTOR_WORKERS=job[2]),
            ),
            zip([first, second], sites, ["1", "3"], strict=True),
        ))
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
    for result in results:
        served = re.search(r"lrtutor: (\d+) blocks ran in worker processes", result.stderr)
        assert served and int(served[1]) > 0, "a build ran no block in a worker"

    a, b = files_of(sites[0]), files_of(sites[1])
    assert a.keys() == b.keys(), f"only in one build: {sorted(a.keys() ^ b.keys())}"
    different = [
        f"{name}: {first_difference(a[name].read_bytes(), b[name].read_bytes())}"
        for name in sorted(a)
        if a[name].read_bytes() != b[name].read_bytes()
    ]
    assert not different, "the builds differ:\n" + "\n".join(different)

    # The build date comes from SOURCE_DATE_EPOCH, not from the clock.
    sitemap = a.get("sitemap.xml")
    if sitemap is not None:
        day = datetime.fromtimestamp(EPOCH, tz=timezone.utc).date().isoformat()
        dates = set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap.read_text()))
        assert dates <= {day}, dates
