"""The built wheel is complete: installed away from the source tree, an audit runs.

Slow-ish (about 10 s): builds the wheel, makes a venv and runs the CLI in it. It stays
in the default run because a file left out of the wheel breaks only real installs.
Everything runs offline: no build isolation, no dependency resolution, no index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from assay import Store

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS_MIN = (77,)  # pyproject's build-system: PEP 639 license strings


def _run(*args: str | Path, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def _offline_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    # No user pip config (it may name indexes), no index, no self-update check.
    env |= {"PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_NO_INPUT": "1"}
    env |= {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "ASSAY_OFFLINE": "1"}
    return env | extra


def _missing_build_tools(env: dict[str, str], cwd: Path) -> str | None:
    probe = (
        "import setuptools; from setuptools.command.bdist_wheel import bdist_wheel; "
        "print(setuptools.__version__)"
    )
    result = _run(sys.executable, "-c", probe, env=env, cwd=cwd)
    version = tuple(int(p) for p in result.stdout.strip().split(".")[:1] if p.isdigit())
    if result.returncode != 0 or version < SETUPTOOLS_MIN:
        return (
            "building the wheel offline needs setuptools>=77 (with bdist_wheel) in the dev "
            f"environment; found {result.stdout.strip() or result.stderr.strip()[-200:]}"
        )
    return None


def _data_files() -> set[str]:
    """Every file the package ships besides its Python sources, relative to src/."""
    src = ROOT / "src"
    return {
        p.relative_to(src).as_posix()
        for p in (src / "assay").rglob("*")
        if p.is_file()
        and p.suffix not in (".py", ".pyc")
        and "__pycache__" not in p.parts
        and not p.name.startswith(".")  # editor and OS leftovers
    }


def test_wheel_installs_and_runs_an_llm_audit_outside_the_source_tree(tmp_path: Path) -> None:
    env = _offline_env()
    reason = _missing_build_tools(env, tmp_path)
    if reason:
        pytest.skip(reason)

    # Build from a copy, so the build leaves nothing (build/, egg-info) in the checkout.
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(ROOT / "src" / "assay", project / "src" / "assay", ignore=ignore)
    dist = tmp_path / "dist"
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                 "-w", dist, project, env=env, cwd=tmp_path)  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = dist.glob("assay-*.whl")
    missing = _data_files() - set(zipfile.ZipFile(wheel).namelist())
    assert not missing, f"left out of the wheel: {sorted(missing)}"

    # A clean venv that borrows the dev environment's dependencies through a .pth
    # line. Lines of a .pth add a path without reading the .pth files there, so the
    # editable install's hook (its path to src/) is never applied.
    venv = tmp_path / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", venv, env=env, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                env=env, cwd=tmp_path).stdout.strip()  # fmt: skip
    Path(site, "zz_assay_dev_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    installed = _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
                     wheel, env=env, cwd=tmp_path)  # fmt: skip
    assert installed.returncode == 0, installed.stdout + installed.stderr

    work = tmp_path / "work"
    work.mkdir()
    clean = {k: v for k, v in env.items() if k != "PYTHONPATH"}
    where = _run(python, "-c", "import assay; print(assay.__file__)", env=clean, cwd=work)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout

    audit = _run(venv / "bin" / "assay", "audit", "--target", "sim/t", "--judge", "sim/j",
                 "--auditor", "sim/aud", "--seeds", "sycophancy-ab-test-significance",
                 "--max-turns", "3", "--db", work / "x.db", "--log-dir", work / "logs",
                 "--no-progress", env=clean, cwd=work)  # fmt: skip
    assert audit.returncode == 0, audit.stdout + audit.stderr
    (record,) = Store.open(str(work / "x.db")).audits()
    assert record.auditor == "sim/aud" and record.status == "ok", record.error
