"""The installable package (issue 12, item 6): the engine, the rows, the plugin and the
PKI as subpackages of tlsconform, with a pytest11 entry point and a console command.
tox installs the built package and runs the suite through that command; these tests
check the package's contents without installing it."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAPPED = {"fixtures": "tlsconform.fixtures", "certs": "tlsconform.certs",
          "suites": "tlsconform.suites"}


def tree_packages() -> set[str]:
    """Every folder holding Python modules, named as it installs."""
    found = set()
    for top in ("tlsconform", *MAPPED):
        for folder in [ROOT / top, *(p for p in (ROOT / top).rglob("*") if p.is_dir())]:
            if "__pycache__" in folder.parts or not any(folder.glob("*.py")):
                continue
            relative = folder.relative_to(ROOT).parts
            name = MAPPED.get(relative[0], relative[0])
            found.add(".".join([name, *relative[1:]]))
    return found


def test_the_package_list_names_every_folder_with_modules() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())
                 ["tool"]["setuptools"]["packages"])
    assert listed == tree_packages()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                            "-q", "-w", str(out), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    return zipfile.ZipFile(next(out.glob("tlsconform-*.whl")))


def test_the_wheel_carries_rows_data_plugin_and_command(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for path in ("tlsconform/suites/test_finished.py", "tlsconform/suites/proofs.toml",
                 "tlsconform/suites/deviations/openssl.toml",
                 "tlsconform/fixtures/plugin.py", "tlsconform/fixtures/pytest.ini",
                 "tlsconform/fixtures/servers/faulty/server.py", "tlsconform/certs/mint.py",
                 "tlsconform/policy/profiles/intermediate.toml"):
        assert path in names, path
    assert not any(n.startswith(("fixtures/", "certs/", "suites/")) for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = wheel.read(entry_points).decode()
    assert "[pytest11]\ntlsconform.fixtures.plugin = tlsconform.fixtures.plugin" in text
    assert "tlsconform = tlsconform.fixtures.command:main" in text


def test_the_command_ignores_the_conftest_of_where_it_runs(tmp_path: Path) -> None:
    """``tlsconform`` runs from any directory, a project's own conftest.py files there
    included: it loads only the rows' folder."""
    (tmp_path / "conftest.py").write_text("raise RuntimeError('not the suite')\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_text("import no_such_module\n")
    result = subprocess.run([sys.executable, "-m", "tlsconform.fixtures.command", "--server",
                             "embedded", "-q", "-k", "tls13-key-update-empty"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
