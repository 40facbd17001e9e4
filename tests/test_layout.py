"""Guards of the code layout: the Definitions graph changes only on purpose, imports run one way
(Dagster folders -> llmops, each llmops package only into what its docstring allows), the model
URI scheme lives in the registry package, and no module grows past a readable size."""

from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

SNAPSHOT = Path(__file__).parent / "data" / "definitions_snapshot.json"
DAGSTER_FOLDERS = ("assets", "jobs", "sensors", "orchestration")
DEFINITIONS_MODULE = REPO / "orchestration" / "definitions.py"
MAX_MODULE_LINES = 520  # "no module over ~500 lines"


def definitions_snapshot() -> dict:
    """What the Dagster UI shows of the project, as plain data: assets (group, deps, kinds), checks,
    jobs with their selections, schedules, sensors and resource keys."""
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    assets = {}
    for key in sorted(graph.get_all_asset_keys()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "deps": sorted(dep.to_user_string() for dep in node.parent_keys),
            "kinds": sorted(node.kinds),
            "checks": sorted(check.name for check in node.check_keys),
        }
    checks = {}
    for check_key in sorted(graph.asset_check_keys, key=lambda k: (k.asset_key.to_user_string(), k.name)):
        spec = graph.get_check_spec(check_key)
        checks[f"{check_key.asset_key.to_user_string()}:{check_key.name}"] = {"blocking": spec.blocking}
    jobs = {}
    for job in sorted(defs.resolve_all_job_defs(), key=lambda j: j.name):
        if job.name.startswith("__"):
            continue
        selected = job.asset_layer.selected_asset_keys if job.asset_layer else set()
        jobs[job.name] = sorted(key.to_user_string() for key in selected) or sorted(job.graph.node_dict)
    schedules = {s.name: {"job": s.job_name, "cron": s.cron_schedule, "default_status": s.default_status.value}
                 for s in defs.schedules or []}
    sensors = {s.name: {"jobs": sorted(j.name for j in s.jobs) if s.has_jobs else [],
                        "default_status": s.default_status.value} for s in defs.sensors or []}
    return {"assets": assets, "asset_checks": checks, "jobs": jobs, "schedules": dict(sorted(schedules.items())),
            "sensors": dict(sorted(sensors.items())), "resources": sorted(defs.resources or {})}


def test_definitions_match_the_snapshot() -> None:
    """A renamed asset, a lost dependency or a job that selects more than before fails here. After an
    intended change: LLMOPS_UPDATE_SNAPSHOT=1 pytest tests/test_layout.py, and review the diff."""
    current = definitions_snapshot()
    if os.environ.get("LLMOPS_UPDATE_SNAPSHOT") == "1":
        SNAPSHOT.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    assert current == json.loads(SNAPSHOT.read_text())


def _imports(path: Path) -> list[str]:
    """Every module name a file imports, at any depth (lazy imports in functions count too)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


def _python_files(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


def test_llmops_imports_no_dagster() -> None:
    """The domain library is plain Python: usable from the CLI, tests and serving without Dagster."""
    offenders = [f"{path.relative_to(REPO)} imports {name}" for path in _python_files("llmops") for name in _imports(path)
                 if name.split(".")[0] in (*DAGSTER_FOLDERS, "dagster") or name.startswith("dagster_")]
    assert offenders == []


def _allowed(package: Path) -> list[str]:
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8"))) or ""
    found = re.search(r"^May import: (.+)$", doc, re.M)
    assert found, f"{package.relative_to(REPO)}/__init__.py has no 'May import:' line"
    return [name.strip() for name in found.group(1).split(",")]


PACKAGES = sorted(p for p in (REPO / "llmops").iterdir() if (p / "__init__.py").is_file())


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_stage_packages_import_only_what_they_declare(package: Path) -> None:
    """Each stage package uses another only where its docstring says so (a module or a whole package)."""
    allowed = _allowed(package)
    own = f"llmops.{package.name}"
    offenders = []
    for path in sorted(package.rglob("*.py")):
        for name in _imports(path):
            if name == "llmops" or not name.startswith("llmops.") or name == own or name.startswith(own + "."):
                continue
            if not any(name == ok or name.startswith(ok + ".") for ok in allowed):
                offenders.append(f"{path.relative_to(REPO)} imports {name}")
    assert offenders == [], f"allowed: {allowed}"


def test_dagster_folders_import_each_other_only_through_the_definitions_module() -> None:
    """assets/, jobs/ and sensors/ take llmops and orchestration's resources and config; a sensor may
    import the job it targets; only orchestration/definitions.py assembles them."""
    offenders = []
    for folder in DAGSTER_FOLDERS:
        for path in _python_files(folder):
            if path == DEFINITIONS_MODULE:
                continue
            for name in _imports(path):
                top = name.split(".")[0]
                allowed = top == folder or (folder == "sensors" and top == "jobs") or \
                    (top == "orchestration" and name != "orchestration.definitions")
                if top in DAGSTER_FOLDERS and not allowed:
                    offenders.append(f"{path.relative_to(REPO)} imports {name}")
    importers = [str(path.relative_to(REPO)) for folder in ("llmops", *DAGSTER_FOLDERS) for path in _python_files(folder)
                 if "orchestration.definitions" in _imports(path)]
    assert offenders == [] and importers == []


def test_model_uris_are_spelt_in_the_registry_package_only() -> None:
    spelt = [str(path.relative_to(REPO)) for folder in ("llmops", *DAGSTER_FOLDERS, "bench") for path in _python_files(folder)
             if "models:/" in path.read_text(encoding="utf-8") and (REPO / "llmops" / "registry") not in path.parents]
    assert spelt == []


def test_no_module_is_past_a_readable_size() -> None:
    long = {str(path.relative_to(REPO)): n for path in _python_files("llmops")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}
