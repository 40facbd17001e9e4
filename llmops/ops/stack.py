"""The production stack on one machine without Docker: `make up` / `make down` / `make status`.

Postgres (the machine's own cluster, started if it is down) holds Dagster's run, event-log and
schedule storage and MLflow's tracking and registry; `mlflow server`, `dagster-webserver`,
`dagster-daemon` and `llmops serve` run as background processes, each in its own process group so
that stopping one PID also stops the children it spawned (gRPC code servers, gunicorn/uvicorn
workers). PID files, logs and a sourceable env file live under ``$LLMOPS_HOME/stack``.

Serving needs a champion in the registry; until one exists it is reported, not started, so the
rest of the stack (where the first pipeline run is launched from) still comes up.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psutil

from llmops.settings import Settings

REPO = Path(__file__).resolve().parents[2]
PG_INSTANCE = REPO / "dagster_home" / "postgres"
LOCAL_PG = "postgresql+psycopg2://postgres@127.0.0.1:5432"
# Variables the stack's processes share and that `stack.env` hands to `make run` and friends.
SHARED_VARS = ("DAGSTER_HOME", "DAGSTER_PG_URL", "MLFLOW_TRACKING_URI", "MLFLOW_ARTIFACT_ROOT", "LLMOPS_HOME")
NO_CHAMPION = "no champion"


@dataclass(frozen=True)
class Service:
    """One background process and the HTTP URL (if any) that answers 200 once it is ready."""

    name: str
    command: list[str]
    health_url: str | None
    ui_url: str | None = None


def stack_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every stack process gets: Postgres stores unless the caller chose others."""
    env = dict(os.environ if environ is None else environ)
    env.setdefault("LLMOPS_HOME", str(REPO / ".llmops"))
    env.setdefault("DAGSTER_PG_URL", f"{LOCAL_PG}/llmops_dagster")
    env.setdefault("MLFLOW_TRACKING_URI", f"{LOCAL_PG}/llmops_mlflow")
    env.setdefault("MLFLOW_ARTIFACT_ROOT", str(Path(env["LLMOPS_HOME"]) / "mlflow" / "artifacts"))
    home = Path(env.get("DAGSTER_HOME", PG_INSTANCE))
    # the stack is Postgres mode by definition: a SQLite DAGSTER_HOME (the Makefile default) is replaced
    env["DAGSTER_HOME"] = str(home if "postgres" in _read(home / "dagster.yaml") else PG_INSTANCE)
    return env


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def services(env: dict[str, str]) -> list[Service]:
    """What `make up` runs, in start order; ports come from LLMOPS_{MLFLOW,DAGSTER,SERVE}_PORT."""
    bin_dir = Path(sys.executable).parent
    mlflow_port = env.get("LLMOPS_MLFLOW_PORT", "5000")
    dagster_port = env.get("LLMOPS_DAGSTER_PORT", "3000")
    serve_port = env.get("LLMOPS_SERVE_PORT", "8000")
    artifacts = env["MLFLOW_ARTIFACT_ROOT"]
    if "://" not in artifacts:
        artifacts = Path(artifacts).resolve().as_uri()
    workspace = str(REPO / "workspace.yaml")
    return [
        Service("mlflow", [str(bin_dir / "mlflow"), "server", "--backend-store-uri", env["MLFLOW_TRACKING_URI"],
                           "--default-artifact-root", artifacts, "--host", "127.0.0.1", "--port", mlflow_port],
                f"http://127.0.0.1:{mlflow_port}/health", f"http://127.0.0.1:{mlflow_port}"),
        Service("dagster-webserver", [str(bin_dir / "dagster-webserver"), "-w", workspace, "-h", "127.0.0.1",
                                      "-p", dagster_port],
                f"http://127.0.0.1:{dagster_port}/server_info", f"http://127.0.0.1:{dagster_port}"),
        Service("dagster-daemon", [str(bin_dir / "dagster-daemon"), "run", "-w", workspace], None),
        Service("serve", [str(bin_dir / "llmops"), "serve", "--port", serve_port],
                f"http://127.0.0.1:{serve_port}/healthz", f"http://127.0.0.1:{serve_port}/v1/chat/completions"),
    ]


class Stack:
    """PID files, logs and health of the stack's processes under ``<LLMOPS_HOME>/stack``."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.root = Path(env["LLMOPS_HOME"]) / "stack"
        self.services = services(env)

    def pid_file(self, name: str) -> Path:
        return self.root / "pids" / f"{name}.pid"

    def log_file(self, name: str) -> Path:
        return self.root / "logs" / f"{name}.log"

    def running(self, service: Service) -> psutil.Process | None:
        """The live process a PID file names, if it is still ours (a reused PID runs something else)."""
        try:
            process = psutil.Process(int(self.pid_file(service.name).read_text()))
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE and \
                    Path(service.command[0]).name in " ".join(process.cmdline()):
                return process
        except (FileNotFoundError, ValueError, psutil.Error):
            pass
        return None

    def start(self, service: Service) -> int:
        """Start in a new session so the PID is also a process-group id covering its children."""
        for folder in (self.pid_file("x").parent, self.log_file("x").parent):
            folder.mkdir(parents=True, exist_ok=True)
        with self.log_file(service.name).open("ab") as log:
            log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} {shlex.join(service.command)}\n".encode())
            log.flush()
            process = subprocess.Popen(service.command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        self.pid_file(service.name).write_text(str(process.pid))
        return process.pid

    def stop(self, service: Service, timeout: float = 30.0) -> bool:
        """SIGTERM the service's process group, SIGKILL what is left after ``timeout``."""
        process = self.running(service)
        self.pid_file(service.name).unlink(missing_ok=True)
        if process is None:
            return False
        group = [process, *process.children(recursive=True)]
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return False
        _, alive = psutil.wait_procs(group, timeout=timeout)
        for leftover in alive:
            leftover.kill()
        return True

    def healthy(self, service: Service) -> bool:
        if self.running(service) is None:
            return False
        if service.health_url is None:
            return daemon_healthy(self.env)
        try:
            return httpx.get(service.health_url, timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_healthy(self, service: Service, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.healthy(service):
                return True
            if self.running(service) is None:
                return False
            time.sleep(1)
        return False

    def write_env_file(self) -> Path:
        """`source` it so `make run`, `llmops summary` etc. use the stack's stores."""
        path = self.root / "stack.env"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"export {key}={shlex.quote(self.env[key])}\n" for key in SHARED_VARS), encoding="utf-8")
        return path


def daemon_healthy(env: dict[str, str]) -> bool:
    """Every configured daemon has a recent heartbeat in the instance, as `dagster-daemon liveness-check`
    reads it (a command, so llmops itself imports no Dagster). The instance yaml reads DAGSTER_PG_URL
    from the environment, which `main` fills from the stack env."""
    check = [str(Path(sys.executable).parent / "dagster-daemon"), "liveness-check"]
    try:
        return subprocess.run(check, env=env, capture_output=True, timeout=120).returncode == 0
    except (OSError, subprocess.TimeoutExpired):  # no daemon binary or a hung store: unhealthy, not a crash
        return False


def sqlalchemy_to_libpq(url: str) -> str:
    """`postgresql+psycopg2://…` (SQLAlchemy) → `postgresql://…` (psql, pg_dump, psycopg2)."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql", *parts[1:]))


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme.split("+")[0] in ("postgresql", "postgres")


def ensure_postgres(url: str, timeout: float = 30.0) -> None:
    """Start the machine's cluster if a local URL does not answer, then create the database if missing."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(sqlalchemy_to_libpq(url))
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    try:
        connection = psycopg2.connect(admin, connect_timeout=3)
    except psycopg2.OperationalError:
        if parts.hostname not in ("127.0.0.1", "localhost") or shutil.which("pg_ctlcluster") is None:
            raise
        _start_local_cluster()
        deadline = time.monotonic() + timeout
        while True:
            try:
                connection = psycopg2.connect(admin, connect_timeout=3)
                break
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
    connection.autocommit = True
    name = parts.path.lstrip("/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def _start_local_cluster() -> None:
    """Debian's wrapper: `pg_ctlcluster VERSION main start` for each installed version."""
    for version in sorted(os.listdir("/etc/postgresql")):
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False,
                       capture_output=True, timeout=60)


def champion_status(env: dict[str, str]) -> str | None:
    """The champion's version as 'NAME vN', or None when the registry has none yet."""
    from mlflow.exceptions import MlflowException
    from mlflow.tracking import MlflowClient

    uri = env["MLFLOW_TRACKING_URI"]
    if is_postgres(uri) and not pg_reachable(uri):
        return None  # MLflow would retry for minutes against a missing database
    name = env.get("LLMOPS_MODEL_NAME", Settings.from_env().model_name)
    client = MlflowClient(tracking_uri=env["MLFLOW_TRACKING_URI"], registry_uri=env["MLFLOW_TRACKING_URI"])
    try:
        return f"{name} v{client.get_model_version_by_alias(name, 'champion').version}"
    except MlflowException:
        return None


def up(stack: Stack, timeout: float = 180.0) -> int:
    for url in (stack.env["DAGSTER_PG_URL"], stack.env["MLFLOW_TRACKING_URI"]):
        if is_postgres(url):
            ensure_postgres(url)
    champion = champion_status(stack.env)
    started = []
    for service in stack.services:
        if stack.running(service) is not None:
            continue
        if service.name == "serve" and champion is None:
            continue
        print(f"starting {service.name} (log: {stack.log_file(service.name)})")
        stack.start(service)
        started.append(service)
    failed = [s for s in started if not stack.wait_healthy(s, timeout)]
    for service in failed:
        print(f"\n{service.name} did not become healthy; last log lines:", file=sys.stderr)
        print("\n".join(_read(stack.log_file(service.name)).splitlines()[-20:]), file=sys.stderr)
    print(f"env for `make run` on these stores: source {stack.write_env_file()}")
    status(stack)
    return 1 if failed else 0


def down(stack: Stack) -> int:
    for service in reversed(stack.services):
        print(f"{service.name}: {'stopped' if stack.stop(service) else 'was not running'}")
    print("Postgres is the machine's shared cluster and stays up.")
    return 0


def status(stack: Stack) -> int:
    """One line per service; exit 0 only if every service that can run is healthy."""
    champion = champion_status(stack.env)
    print(f"{'service':18} {'state':10} {'pid':>7}  where")
    print(f"{'postgres':18} {'up' if pg_reachable(stack.env['DAGSTER_PG_URL']) else 'unreachable':10} {'-':>7}  "
          f"{_redacted(stack.env['DAGSTER_PG_URL'])}, {_redacted(stack.env['MLFLOW_TRACKING_URI'])}")
    all_ok = True
    for service in stack.services:
        process = stack.running(service)
        if process is None and service.name == "serve" and champion is None:
            state, note = NO_CHAMPION, "not started: the registry has no champion yet; run the pipeline, then `make up`"
        else:
            state = "healthy" if stack.healthy(service) else ("unhealthy" if process else "stopped")
            note = service.ui_url or "heartbeats in the Dagster instance"
            all_ok &= state == "healthy"
        print(f"{service.name:18} {state:10} {process.pid if process else '-':>7}  {note}")
    print(f"champion: {champion or 'none'}; logs and PIDs: {stack.root}")
    return 0 if all_ok else 3


def pg_reachable(url: str) -> bool:
    import psycopg2

    try:
        psycopg2.connect(sqlalchemy_to_libpq(url), connect_timeout=3).close()
        return True
    except psycopg2.OperationalError:
        return False


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit((parts.scheme, netloc, *parts[2:]))
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m llmops.ops.stack", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for each service to be healthy")
    args = parser.parse_args(argv)
    env = stack_env()
    os.environ.update(env)
    stack = Stack(env)
    if args.action == "up":
        return up(stack, args.timeout)
    return down(stack) if args.action == "down" else status(stack)


if __name__ == "__main__":
    sys.exit(main())
