"""The installed wheel finds its ontology files without the source checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_wheel_carries_and_finds_the_ontology(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(REPO)],
        capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("impactkg-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for required in ("ontology/impact.ttl", "ontology/shapes.ttl", "ontology/reference/agenda-stad.ttl",
                     "ontology/queries/werkzame-elementen.rq", "webapp/templates/index.html",
                     "webapp/templates/macros/chain.html", "webapp/static/app.css", "webapp/static/app.js",
                     "webapp/static/favicon.svg"):
        assert required in names, required
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); import kg.ontology as o; "
             "print(o.ontology_dir()); print(len(o.canned_queries()))")
    done = subprocess.run([sys.executable, "-c", probe, str(target)], capture_output=True,
                          text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    folder, count = done.stdout.split()
    assert Path(folder) == target / "ontology"
    assert int(count) >= 5
