"""Backup and restore of every store a deployment keeps state in (`llmops backup` / `llmops restore`).

What is saved: the Dagster instance (run, event-log and schedule storage: `pg_dump` on Postgres,
the SQLite files otherwise, plus the IO-manager outputs under DAGSTER_HOME that re-execution and
later partial runs load), the MLflow tracking/registry database (`pg_dump` or the SQLite file),
the local MLflow artifact store, the LanceDB index, and the serving files under LLMOPS_HOME (audit
log, feedback, the answers feedback may still rate, API keys). SQLite files are copied with SQLite's
online backup API, so a live server never yields a torn copy. The base-model cache is not saved: it is rebuilt from its package.

Nothing is overwritten silently: a backup goes to a new or empty folder, and a restore refuses
to replace stores that hold data unless asked to (`--force`).

MLflow records artifact locations as absolute URIs (experiments, runs, logged models, model
versions): restored under another home, the registry would still point into the old folder, and
load nothing once that is gone. The manifest keeps the artifact root it was saved from, and a
restore to another local root rewrites those locations to the new one.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from llmops.settings import Settings
from llmops.ops.stack import is_postgres, sqlalchemy_to_libpq

FORMAT = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
# where the MLflow database holds artifact locations (absolute URIs) that a restore elsewhere rewrites
ARTIFACT_COLUMNS = {"experiments": ("artifact_location",), "runs": ("artifact_uri",),
                    "logged_models": ("artifact_location",), "model_versions": ("source", "storage_location")}


@dataclass(frozen=True)
class Stores:
    """Where this deployment's state lives, resolved from the same variables the services read."""

    dagster_home: Path
    dagster_pg_url: str | None
    mlflow_uri: str
    artifact_root: str
    lancedb: str
    files: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Stores:
        from llmops.ops.api_keys import default_keys_path
        from llmops.ops.audit_log import default_audit_path
        from llmops.ops.responses import default_responses_path

        settings = Settings.from_env()
        home = Path(os.environ.get("DAGSTER_HOME", "dagster_home")).resolve()
        return cls(
            dagster_home=home,
            dagster_pg_url=_dagster_pg_url(home),
            mlflow_uri=settings.mlflow_tracking_uri,
            artifact_root=settings.mlflow_artifact_root,
            lancedb=settings.lancedb_uri,
            files={"audit": default_audit_path(settings.home), "feedback": settings.feedback_path,
                   "responses": default_responses_path(settings.home), "api_keys": default_keys_path(settings.home)},
        )


def _dagster_pg_url(home: Path) -> str | None:
    """The Postgres URL of the instance in ``home/dagster.yaml``, or None for SQLite storage."""
    config = yaml.safe_load((home / "dagster.yaml").read_text()) if (home / "dagster.yaml").is_file() else None
    postgres = ((config or {}).get("storage") or {}).get("postgres")
    if not postgres:
        return None
    url = postgres.get("postgres_url")
    if isinstance(url, dict):
        url = os.environ.get(url["env"])
    if not url:
        raise ValueError(f"{home}/dagster.yaml stores runs in Postgres but DAGSTER_PG_URL is not set")
    return url


def _local_path(location: str) -> Path | None:
    """A filesystem path for plain paths and file:// URIs; None for remote stores (s3://, gs://, …)."""
    parts = urlsplit(location)
    if parts.scheme == "file":
        return Path(parts.path)
    return Path(location) if "://" not in location else None


def _is_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == SQLITE_MAGIC


def _copy_file(src: str, dst: str) -> None:
    """copytree's copy function: SQLite files through the online backup API, others byte for byte."""
    if _is_sqlite(Path(src)):
        source, target = sqlite3.connect(f"file:{src}?mode=ro", uri=True), sqlite3.connect(dst)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    else:
        shutil.copy2(src, dst)


def _not_state(folder: Path, name: str) -> bool:
    """Config and lock files, and nested Dagster instances (a sub-folder with its own dagster.yaml)."""
    return name == "dagster.yaml" or name.endswith(".lock") or (folder / name / "dagster.yaml").is_file()


def _copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, copy_function=_copy_file, dirs_exist_ok=True,
                    ignore=lambda folder, names: {name for name in names if _not_state(Path(folder), name)})


def _state_entries(folder: Path) -> list[Path]:
    """What a restore replaces in a folder (everything but config, locks and nested instances)."""
    return [entry for entry in folder.iterdir() if not _not_state(folder, entry.name)] if folder.is_dir() else []


class BackupError(ValueError):
    """A store could not be saved or restored (the tool's own message is included)."""


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools are needed)") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()}") from exc


def _pg_dump(url: str, target: Path) -> None:
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", sqlalchemy_to_libpq(url)])


def _pg_restore(url: str, dump: Path) -> None:
    """Recreate the database empty, then load the dump (connections to it are closed first)."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(sqlalchemy_to_libpq(url))
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(parts._replace(path="/postgres").geturl(), connect_timeout=10)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()
    _run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={sqlalchemy_to_libpq(url)}", str(dump)])


def _pg_has_tables(url: str) -> bool:
    import psycopg2

    try:
        connection = psycopg2.connect(sqlalchemy_to_libpq(url), connect_timeout=10)
    except psycopg2.OperationalError:
        return False  # no such database yet
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        count = cursor.fetchone()[0]
    connection.close()
    return count > 0


def _mlflow_sqlite_path(uri: str) -> Path:
    if not uri.startswith("sqlite:///"):
        raise ValueError(f"MLFLOW_TRACKING_URI {uri!r} is neither Postgres nor a SQLite file: point it at the "
                         "tracking server's backend database to back it up")
    return Path(uri.removeprefix("sqlite:///"))


def _relocate_artifacts(mlflow_uri: str, old: Path, new: Path) -> int:
    """Rewrite the MLflow database's artifact locations under ``old`` (as file URIs or plain paths) to
    lie under ``new``; return how many rows changed. One pass per column, so ``new`` may lie inside ``old``."""
    import sqlalchemy

    moves = {old.as_uri(): new.as_uri(), f"file://{old}": f"file://{new}", str(old): str(new)}
    engine = sqlalchemy.create_engine(mlflow_uri)
    changed = 0
    try:
        with engine.begin() as db:
            tables = set(sqlalchemy.inspect(db).get_table_names())
            for table, columns in ARTIFACT_COLUMNS.items():
                if table not in tables:
                    continue
                for column in columns:
                    params: dict[str, str | int] = {}
                    cases, matches = [], []
                    for i, (before, after) in enumerate(moves.items()):
                        match = f"({column} = :b{i} OR substr({column}, 1, :n{i}) = :b{i} || '/')"
                        params |= {f"b{i}": before, f"a{i}": after, f"n{i}": len(before) + 1}
                        cases.append(f"WHEN {match} THEN :a{i} || substr({column}, :n{i})")
                        matches.append(match)
                    statement = f"UPDATE {table} SET {column} = CASE {' '.join(cases)} ELSE {column} END " \
                                f"WHERE {' OR '.join(matches)}"
                    changed += db.execute(sqlalchemy.text(statement), params).rowcount
    finally:
        engine.dispose()
    return changed


def backup(target: Path, stores: Stores) -> dict:
    """Write every store into ``target`` (new or empty) with a manifest; return the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise ValueError(f"backup folder {target} is not empty: choose a new one (old backups are never overwritten)")
    target.mkdir(parents=True, exist_ok=True)
    items: list[dict] = []
    skipped: list[str] = []

    def saved(name: str, kind: str, path: Path) -> None:
        size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size
        items.append({"name": name, "kind": kind, "path": str(path.relative_to(target)), "bytes": size})

    if stores.dagster_pg_url:
        _pg_dump(stores.dagster_pg_url, target / "dagster.pgdump")
        saved("dagster_storage", "pg_dump", target / "dagster.pgdump")
    if stores.dagster_home.is_dir():
        _copy_tree(stores.dagster_home, target / "dagster_home")
        saved("dagster_home", "tree", target / "dagster_home")

    if is_postgres(stores.mlflow_uri):
        _pg_dump(stores.mlflow_uri, target / "mlflow.pgdump")
        saved("mlflow_db", "pg_dump", target / "mlflow.pgdump")
    else:
        source = _mlflow_sqlite_path(stores.mlflow_uri)
        if source.is_file():
            _copy_file(str(source), str(target / "mlflow.db"))
            saved("mlflow_db", "sqlite", target / "mlflow.db")

    for name, location in (("mlflow_artifacts", stores.artifact_root), ("lancedb", stores.lancedb)):
        path = _local_path(location)
        if path is None:
            skipped.append(f"{name}: remote store {location} (use the store's own versioning/replication)")
        elif path.is_dir():
            _copy_tree(path, target / name)
            saved(name, "tree", target / name)

    for name, path in stores.files.items():
        if path.is_file():
            (target / "files").mkdir(exist_ok=True)
            _copy_file(str(path), str(target / "files" / name))
            saved(name, "file", target / "files" / name)

    root = _local_path(stores.artifact_root)  # where the saved artifacts were, for a restore elsewhere
    manifest = {"format": FORMAT, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "items": items, "skipped": skipped, "artifact_root": str(root.resolve()) if root else None}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _occupied(stores: Stores, names: set[str]) -> list[str]:
    """The restore targets that already hold data (and would be replaced)."""
    busy = []
    if "dagster_storage" in names and stores.dagster_pg_url and _pg_has_tables(stores.dagster_pg_url):
        busy.append(f"Dagster database {stores.dagster_pg_url}")
    if "dagster_home" in names and _state_entries(stores.dagster_home):
        busy.append(f"Dagster home {stores.dagster_home}")
    if "mlflow_db" in names:
        if is_postgres(stores.mlflow_uri):
            if _pg_has_tables(stores.mlflow_uri):
                busy.append(f"MLflow database {stores.mlflow_uri}")
        elif _mlflow_sqlite_path(stores.mlflow_uri).is_file():
            busy.append(f"MLflow database {stores.mlflow_uri}")
    for name, location in (("mlflow_artifacts", stores.artifact_root), ("lancedb", stores.lancedb)):
        path = _local_path(location)
        if name in names and path is not None and path.is_dir() and any(path.iterdir()):
            busy.append(f"{name} {path}")
    busy += [f"{name} {path}" for name, path in stores.files.items() if name in names and path.is_file()]
    return busy


def restore(source: Path, stores: Stores, force: bool = False) -> dict:
    """Put a backup back into the configured stores; return its manifest."""
    manifest_path = Path(source) / "manifest.json"
    if not manifest_path.is_file():
        raise FileNotFoundError(f"{source} is not a backup folder (no manifest.json)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise ValueError(f"backup format {manifest.get('format')!r} is not supported (expected {FORMAT})")
    items = {item["name"]: Path(source) / item["path"] for item in manifest["items"]}
    if "dagster_storage" in items and not stores.dagster_pg_url:
        raise ValueError("the backup holds a Postgres Dagster instance but DAGSTER_HOME is a SQLite one")
    if "mlflow_db" in items and is_postgres(stores.mlflow_uri) != (items["mlflow_db"].suffix == ".pgdump"):
        raise ValueError(f"the backup's MLflow database ({items['mlflow_db'].name}) does not match "
                         f"MLFLOW_TRACKING_URI {stores.mlflow_uri}")
    busy = _occupied(stores, set(items))
    if busy and not force:
        raise ValueError("these stores already hold data and would be replaced (use --force): " + "; ".join(busy))

    if "dagster_storage" in items:
        _pg_restore(stores.dagster_pg_url, items["dagster_storage"])
    if "dagster_home" in items:
        for entry in _state_entries(stores.dagster_home):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        _copy_tree(items["dagster_home"], stores.dagster_home)
    if "mlflow_db" in items:
        if is_postgres(stores.mlflow_uri):
            _pg_restore(stores.mlflow_uri, items["mlflow_db"])
        else:
            target = _mlflow_sqlite_path(stores.mlflow_uri)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            _copy_file(str(items["mlflow_db"]), str(target))
    for name, location in (("mlflow_artifacts", stores.artifact_root), ("lancedb", stores.lancedb)):
        path = _local_path(location)
        if name in items and path is not None:
            shutil.rmtree(path, ignore_errors=True)
            shutil.copytree(items[name], path, copy_function=_copy_file)
    old_root, new_root = manifest.get("artifact_root"), _local_path(stores.artifact_root)
    new_root = new_root.resolve() if new_root is not None else None
    if "mlflow_db" in items and "mlflow_artifacts" in items and old_root and new_root and Path(old_root) != new_root:
        rows = _relocate_artifacts(stores.mlflow_uri, Path(old_root), new_root)
        manifest["relocated"] = {"from": old_root, "to": str(new_root), "rows": rows}
    for name, path in stores.files.items():
        if name in items:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(items[name], path)
    return manifest
