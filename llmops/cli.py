"""The `llmops` command: corpus generation, batch scrubbing and the serving job."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

from llmops.ingest.access import EVERYONE, join_groups, parse_groups, readable, record_removal, removals_register
from llmops.ops.api_keys import DEFAULT_ROLE_LIMITS, ROLES
from llmops.ops.audit_log import DEFAULT_RETENTION_DAYS
from llmops.ops.responses import DEFAULT_CAPACITY, DEFAULT_WINDOW_HOURS
from llmops.retrieval.rerank import RERANKER_ENV, configured_reranker
from llmops.retrieval.search import MODES, SearchSettings
from llmops.serving.quotas import QueueSettings
from llmops.train.base_model import PRECISIONS
from llmops.settings import Settings


def _generate_corpus(args: argparse.Namespace) -> int:
    from llmops.sample.catalog import write_manifest
    from llmops.sample.corpus import generate_corpus

    manifest = generate_corpus(Path(args.out), n_docs=args.docs, seed=args.seed)
    if args.manifest:
        write_manifest(manifest, Path(args.manifest))
    print(f"wrote {manifest.n_docs} documents in {len(manifest.files)} files to {args.out}")
    return 0


def _scrub(args: argparse.Namespace) -> int:
    """JSON lines in, the same lines with ``text`` scrubbed out; bad lines go to a rejects file."""
    from llmops.pii.config import pipeline_config
    from llmops.pii.scrubber import Scrubber

    rows: list[dict] = []
    rejects: list[dict] = []
    with open(args.input, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                rejects.append({"line": number, "reason": f"invalid JSON: {exc.msg}", "content": line.rstrip("\n")})
                continue
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                rejects.append({"line": number, "reason": "missing string field 'text'", "content": line.rstrip("\n")})
                continue
            rows.append(row)
    # the pipeline's configuration (shipped allow-list unless --allow-list names another), so the
    # command scrubs a text exactly as the scrubbed_corpus asset does
    allow_list = Path(args.allow_list) if args.allow_list else None
    scrubber = Scrubber(pipeline_config(allow_list, operator=args.operator, encryption_key=args.key))
    results = scrubber.scrub_many([row["text"] for row in rows])
    totals: Counter[str] = Counter()
    with open(args.output, "w", encoding="utf-8") as out:
        for row, result in zip(rows, results):
            totals.update(result.entities)
            out.write(json.dumps({**row, "text": result.text}, ensure_ascii=False) + "\n")
    rejects_path = Path(args.rejects or f"{args.output}.rejects.jsonl")
    if rejects:
        rejects_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rejects), encoding="utf-8")
        for reject in rejects:
            print(f"line {reject['line']}: {reject['reason']}", file=sys.stderr)
    print(f"scrubbed {len(rows)} lines, rejected {len(rejects)}" + (f" (see {rejects_path})" if rejects else ""))
    for entity, count in sorted(totals.items()):
        print(f"  {entity}: {count}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from llmops.ops.audit_log import AuditLog
    from llmops.ops.responses import default_responses_path
    from llmops.monitor.feedback import FeedbackStore
    from llmops.pii.config import pipeline_config
    from llmops.pii.scrubber import Scrubber
    from llmops.serving.app import create_app
    from llmops.serving.models import load_served_models
    from llmops.serving.oidc import OidcSettings, OidcVerifier
    from llmops.serving.schemas import Limits
    from llmops.serving.state import ServerConfig

    settings = Settings.from_env()
    keys = _key_store(args)
    if not keys.keys():
        print(f"warning: no API keys in {keys.path} or $LLMOPS_API_KEYS: every API call will get 401; "
              "create one with `llmops keys create --role reader`", file=sys.stderr)
    scrubber = Scrubber(pipeline_config(Path(args.allow_list) if args.allow_list else None))
    served = load_served_models(args.model_name or settings.model_name, settings.mlflow_tracking_uri, settings.lancedb_uri,
                                args.table, scrubber, args.canary_share, args.backend, args.precision,
                                SearchSettings(mode=args.search_mode), configured_reranker(args.reranker),
                                tuple(args.model_languages.split(",")))
    oidc = OidcSettings.from_env(os.environ)  # LLMOPS_OIDC_*: sign-in with the company's identity provider
    config = ServerConfig(
        keys=keys, oidc=OidcVerifier(oidc) if oidc else None, audit=AuditLog(_audit_path(args, settings), args.audit_retention_days),
        feedback=FeedbackStore(settings.feedback_path), poll_interval_s=args.poll_interval if args.poll_interval != 0 else None,
        responses_path=Path(args.responses_file) if args.responses_file else default_responses_path(settings.home),
        feedback_window_hours=args.feedback_window_hours, remembered_responses=args.feedback_max_responses,
        limits=Limits(max_body_bytes=args.max_body_bytes, max_new_tokens=args.max_new_tokens), api_docs=args.api_docs,
        queue=QueueSettings(slots=args.generation_slots, active_per_key=args.slots_per_key,
                            queued_per_key=args.queued_per_key, queued=args.queued, wait_s=args.queue_wait_s))
    print(f"serving {served.champion.model_id} on http://{args.host}:{args.port}/ (chat page) and /v1/chat/completions")
    uvicorn.run(create_app(served, config), host=args.host, port=args.port, log_level="info")
    return 0


def _audit_path(args: argparse.Namespace, settings: Settings) -> Path:
    from llmops.ops.audit_log import default_audit_path

    return Path(args.audit_log) if args.audit_log else default_audit_path(settings.home)


def _key_store(args: argparse.Namespace):
    from llmops.ops.api_keys import KeyStore, default_keys_path

    return KeyStore.from_env(Path(args.keys_file) if args.keys_file else default_keys_path(Settings.from_env().home))


def _keys_create(args: argparse.Namespace) -> int:
    store = _key_store(args)
    key, secret = store.create(args.role, args.name or "", args.rpm, args.tpm, parse_groups(args.groups or ""))
    print(f"created {key.role} key {key.id}{f' ({key.name})' if key.name else ''}"
          f"{f' of groups {join_groups(key.groups)}' if key.groups else ''} in {store.path}; "
          f"it is shown only now: {secret}")
    return 0


def _keys_list(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    def when(ts: float | None) -> str:
        return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d %H:%M") if ts else "-"

    print(f"{'id':14} {'role':8} {'state':24} {'created':16} {'from':4} {'rpm':>6} {'tpm':>8}  {'groups':20} name")
    for key in _key_store(args).keys():
        state = f"revoked {when(key.revoked_at)}" if key.revoked_at else "active"
        limits = key.limits()
        rpm, tpm = (f"{value}{'' if own else '*'}" for value, own in ((limits.rpm, key.rpm), (limits.tpm, key.tpm)))
        groups = "(all)" if key.reads_all else join_groups(key.groups) or "-"
        print(f"{key.id:14} {key.role:8} {state:24} {when(key.created_at):16} {key.source:4} {rpm:>6} {tpm:>8}  "
              f"{groups:20} {key.name}")
    print("* the role's default (llmops keys create --rpm/--tpm sets a key's own)")
    return 0


def _keys_revoke(args: argparse.Namespace) -> int:
    key = _key_store(args).revoke(args.id)
    print(f"revoked {key.id} ({key.role}); requests with it now get 401")
    return 0


def _audited(args: argparse.Namespace, groups: list[str], key_id: str | None = None, role: str | None = None) -> None:
    """An `llmops access` change as an audit record, beside the API's requests."""
    import time
    import uuid

    from llmops.ops.audit_log import AuditLog, AuditRecord

    AuditLog(_audit_path(args, Settings.from_env())).append(AuditRecord(
        ts=time.time(), request_id=uuid.uuid4().hex, method="CLI", endpoint=f"access {args.access_command}", status=0,
        latency_ms=0.0, key_id=key_id, role=role, groups=groups))


def _access_change(args: argparse.Namespace) -> int:
    """Grant or revoke groups of a key (audited)."""
    wanted = set(parse_groups(args.groups))
    grant = args.access_command == "grant"
    before, after = _key_store(args).set_groups(args.id, lambda groups: set(groups) | wanted if grant else set(groups) - wanted)
    _audited(args, list(after.groups), after.id, after.role)
    print(f"{after.id}: groups {join_groups(before.groups) or '-'} -> {join_groups(after.groups) or '-'}"
          f"{' (an admin reads every group anyway)' if after.reads_all else ''}")
    return 0


def _access_remove(args: argparse.Namespace) -> int:
    """Remove a group's documents from the index now and from the corpus at the next ingestion (audited)."""
    from llmops.retrieval.index import remove_groups

    settings = Settings.from_env()
    group = parse_groups([args.group])[0]
    removed = remove_groups(settings.lancedb_uri, [group])
    register = removals_register(settings.home)
    own = _registry()[1].group_models().get(group)
    versions = own.delete() if own else 0  # the group's own model learnt its documents
    record_removal(register, group, args.reason, removed["documents"], removed["chunks"], versions)
    _audited(args, [group])
    print(f"removed {removed['documents']} documents ({removed['chunks']} chunks) of group {group} from the index "
          f"(live version {removed['version']}, older versions dropped) and {versions} versions of its own model; "
          f"recorded in {register}. Ingestion now quarantines them: the next raw_documents run (ingest_new_data) "
          "rewrites the corpus without them.")
    return 0


def _index_groups(where: str | None = None) -> list[dict]:
    """(doc_id, source, groups) of the live index's documents, one row per document."""
    import lancedb

    from llmops.retrieval.index import DEFAULT_TABLE

    table = lancedb.connect(Settings.from_env().lancedb_uri).open_table(DEFAULT_TABLE)
    query = table.search().select(["doc_id", "source", "groups"]).limit(None)
    rows = (query.where(where) if where else query).to_list()
    return list({row["doc_id"]: row for row in rows}.values())


def _access_groups(args: argparse.Namespace) -> int:
    from collections import Counter

    documents = Counter(group for row in _index_groups() for group in row["groups"])
    keys = Counter(group for key in _key_store(args).keys() if key.active for group in key.groups)
    print(f"{'group':24} {'documents':>9} {'keys':>5}")
    for group in sorted({*documents, *keys}):
        print(f"{group:24} {documents[group]:>9} {keys[group]:>5}")
    print(f"({EVERYONE!r} documents are readable by every key; admin keys read every group)")
    return 0


def _access_who(args: argparse.Namespace) -> int:
    from llmops.retrieval.filters import sql_string

    found = _index_groups(f"doc_id = {sql_string(args.document)} OR source = {sql_string(args.document)}")
    if not found:
        print(f"no document {args.document!r} (a doc_id or source) in the index", file=sys.stderr)
        return 1
    active = [key for key in _key_store(args).keys() if key.active]
    for row in found:
        keys = [k.id for k in active if k.reads_all or readable(row["groups"], k.groups)]
        print(f"{row['source']} ({row['doc_id']}): groups {', '.join(row['groups'])}; keys {', '.join(keys) or 'none'}")
    return 0


def _audit_show(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from llmops.ops.audit_log import AuditLog, parse_since

    log = AuditLog(_audit_path(args, Settings.from_env()))
    for r in log.records(parse_since(args.since) if args.since else None, args.key, args.limit):
        print(json.dumps({"time": r.time, **{k: v for k, v in asdict(r).items() if v is not None}}, ensure_ascii=False))
    return 0


def _audit_prune(args: argparse.Namespace) -> int:
    from llmops.ops.audit_log import AuditLog

    log = AuditLog(_audit_path(args, Settings.from_env()), args.retention_days)
    print(f"pruned {log.prune()} records older than {args.retention_days:g} days from {log.path}")
    return 0


def _registry(model_name: str | None = None):
    from llmops.registry.models import ModelRegistry

    settings = Settings.from_env()
    return settings, ModelRegistry.at(settings.mlflow_tracking_uri, model_name or settings.model_name)


def _promote(args: argparse.Namespace) -> int:
    from llmops.registry.promotion import promote_version

    _, registry = _registry(args.model_name)
    outcome = promote_version(registry, args.version, args.reason)
    print(f"champion is now v{outcome['champion']} (previous: v{outcome['previous']})")
    return 0


def _rollback(args: argparse.Namespace) -> int:
    from llmops.registry.promotion import rollback

    _, registry = _registry(args.model_name)
    outcome = rollback(registry, args.reason)
    print(f"rolled back: champion is now v{outcome['champion']}, v{outcome['rolled_back']} tagged rolled_back")
    return 0


def _index_summary(settings: Settings) -> None:
    """The live index version and what the latest retrieval evaluation measured and decided."""
    import lancedb
    import mlflow

    from llmops.retrieval.index import DEFAULT_TABLE
    from llmops.retrieval.live import live_version

    db = lancedb.connect(settings.lancedb_uri)
    if DEFAULT_TABLE not in db.list_tables().tables:
        return
    table = db.open_table(DEFAULT_TABLE)
    live = live_version(table)
    print(f"\nRetrieval index ({settings.lancedb_uri}): {DEFAULT_TABLE} v{table.version}, "
          + (f"serving v{live}" if live is not None else "no live version yet (serving reads the latest)"))
    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    runs = mlflow.search_runs(search_all_experiments=True, filter_string="tags.stage = 'retrieval_evaluation'",
                              order_by=["attributes.start_time DESC"], max_results=1)
    if len(runs):
        run, mode = runs.iloc[0], SearchSettings().mode
        figures = ", ".join(f"{name} {run.get(f'metrics.candidate_{mode}_{key}', float('nan')):.3f}"
                            for name, key in (("hit@1", "hit_at_1"), ("hit@5", "hit_at_5"), ("MRR", "mrr")))
        print(f"  last evaluation ({run['params.questions']} questions, {mode}): {figures}; {run['tags.reason']}")


def _summary(args: argparse.Namespace) -> int:
    """Where to look after a pipeline run: registry state, UIs and how to call the served model."""
    from llmops.registry.models import ALIASES

    settings, registry = _registry()
    versions = registry.versions()
    aliases: dict[str, list[str]] = {}
    for alias in ALIASES:
        holder = registry.aliased(alias) if versions else None
        if holder is not None:
            aliases.setdefault(holder.version, []).append(alias)
    print(f"\nModel registry ({settings.mlflow_tracking_uri}): {settings.model_name}")
    for version in versions:
        marks = ", ".join(aliases.get(version.version, []))
        print(f"  v{version.version} {version.tags.get('promotion_decision', '?'):9} "
              f"{('[' + marks + '] ') if marks else ''}{version.tags.get('promotion_reason', '')}")
    _index_summary(settings)
    print(f"""
Where to look:
  Dagster UI (runs, assets, checks):  make dev       -> http://127.0.0.1:3000
  MLflow UI (runs, metrics, registry): make mlflow-ui -> http://127.0.0.1:5000
  Serve the champion:                  make serve     -> http://127.0.0.1:8000
  Ask it (chat page at http://127.0.0.1:8000/):
    KEY=$(.venv/bin/llmops keys create --role reader | awk '{{print $NF}}')
    curl -s http://127.0.0.1:8000/v1/chat/completions -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \\
      -d '{{"messages": [{{"role": "user", "content": "How do I reset my thermostat?"}}]}}'
  Quarantined input and run state: {settings.home}/quarantine""")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from llmops.ops.backup import Stores, backup

    manifest = backup(Path(args.dir), Stores.from_env())
    for item in manifest["items"]:
        print(f"  {item['name']:17} {item['kind']:7} {item['bytes']:>14,} bytes  {item['path']}")
    for line in manifest["skipped"]:
        print(f"  not saved: {line}")
    print(f"backup written to {args.dir}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from llmops.ops.backup import Stores, restore

    manifest = restore(Path(args.dir), Stores.from_env(), force=args.force)
    print(f"restored the backup of {manifest['created']}: {', '.join(i['name'] for i in manifest['items'])}")
    if "relocated" in manifest:
        moved = manifest["relocated"]
        print(f"MLflow artifact locations moved from {moved['from']} to {moved['to']} ({moved['rows']} records)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="llmops", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    gen = commands.add_parser("generate-corpus", help="write a synthetic enterprise corpus with planted PII")
    gen.add_argument("--docs", type=int, default=180, help="number of documents")
    gen.add_argument("--out", default="data/generated", help="output folder")
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--manifest", help="also write the planted PII and facts as JSON here")
    gen.set_defaults(func=_generate_corpus)

    scrub = commands.add_parser("scrub", help="remove PII from the `text` field of a JSON-lines file")
    scrub.add_argument("input")
    scrub.add_argument("output")
    scrub.add_argument("--operator", default="placeholder", choices=["placeholder", "mask", "hash", "encrypt"])
    scrub.add_argument("--key", help="encryption key (16/24/32 characters) for --operator encrypt")
    scrub.add_argument("--rejects", help="where bad lines go (default OUTPUT.rejects.jsonl)")
    scrub.add_argument("--allow-list",
                       help="file of regexes never treated as PII, one per line (default $LLMOPS_ALLOW_LIST or the "
                            "shipped llmops/pii/allow_list.txt, as the pipeline uses)")
    scrub.set_defaults(func=_scrub)

    serve = commands.add_parser("serve", help="serve the registry's champion over an OpenAI-compatible API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--model-name", help="registered model name (default $LLMOPS_MODEL_NAME)")
    serve.add_argument("--table", default="corpus_chunks", help="LanceDB table to retrieve from")
    serve.add_argument("--search-mode", choices=MODES, default=SearchSettings().mode,
                       help="hybrid (full text + vectors, fused), vector or fulltext")
    serve.add_argument("--reranker", help=f"folder of a cross-encoder that reorders the hybrid candidates "
                                          f"(default ${RERANKER_ENV}; none when unset)")
    serve.add_argument("--allow-list",
                       help="file of regexes never scrubbed from answers (brand and product names; "
                            "default $LLMOPS_ALLOW_LIST or the shipped llmops/pii/allow_list.txt)")
    serve.add_argument("--keys-file", help="API key file (default $LLMOPS_API_KEYS_FILE or $LLMOPS_HOME/api_keys.json)")
    serve.add_argument("--audit-log", help="audit JSON lines (default $LLMOPS_AUDIT_PATH or $LLMOPS_HOME/audit/audit.jsonl)")
    serve.add_argument("--audit-retention-days", type=float, default=DEFAULT_RETENTION_DAYS,
                       help="audit records older than this are pruned at startup")
    serve.add_argument("--responses-file",
                       help="answers feedback may still rate, kept across restarts (default $LLMOPS_RESPONSES_PATH or "
                            "$LLMOPS_HOME/feedback/responses.jsonl)")
    serve.add_argument("--feedback-window-hours", type=float, default=DEFAULT_WINDOW_HOURS,
                       help="how long an answer can be rated; older ones are dropped from the responses file")
    serve.add_argument("--feedback-max-responses", type=int, default=DEFAULT_CAPACITY,
                       help="at most this many of the newest answers can be rated")
    serve.add_argument("--poll-interval", type=float, default=30.0,
                       help="seconds between checks of the registry's champion alias (0: never; POST /admin/reload still works)")
    serve.add_argument("--canary-share", type=float, default=0.0,
                       help="share of chat requests (0..1) answered by the 'challenger' alias when it exists")
    serve.add_argument("--max-body-bytes", type=int, default=1_000_000, help="larger requests get 413")
    serve.add_argument("--max-new-tokens", type=int, default=512, help="cap on generated tokens per answer")
    queue = QueueSettings()
    serve.add_argument("--generation-slots", type=int, default=queue.slots,
                       help="chat requests generating at once (the decoding batch); the rest wait in a fair queue")
    serve.add_argument("--slots-per-key", type=int, default=queue.active_per_key,
                       help="slots one API key may hold at once, so one busy key cannot take the whole batch")
    serve.add_argument("--queued-per-key", type=int, default=queue.queued_per_key,
                       help="requests of one key that may wait for a slot; more get 429 at once")
    serve.add_argument("--queued", type=int, default=queue.queued,
                       help="requests that may wait for a slot in all; more get 503 at once")
    serve.add_argument("--queue-wait-s", type=float, default=queue.wait_s,
                       help="a chat request that has no slot after this many seconds gets 503")
    serve.add_argument("--model-languages", default=os.environ.get("LLMOPS_MODEL_LANGUAGES", "en"),
                       help="languages the served model writes well, comma-separated: en (default: SmolLM2) or en,zh "
                            "(e.g. a Qwen2.5 base); questions in Chinese to an en-only model are answered by quoting the passages")
    serve.add_argument("--api-docs", action=argparse.BooleanOptionalAction,
                       default=os.environ.get("LLMOPS_API_DOCS", "1") not in ("0", "false", "no"),
                       help="serve /docs and /openapi.json (default on; --no-api-docs or LLMOPS_API_DOCS=0 for production)")
    serve.add_argument("--backend", default=os.environ.get("LLMOPS_BACKEND"),
                       help="generation engine: transformers (default, batched) or llamacpp (GGUF export)")
    serve.add_argument("--precision", default=os.environ.get("LLMOPS_SERVE_PRECISION", "fp32"), choices=PRECISIONS,
                       help="transformers engine weights: fp32 (default: as evaluated, greedy answers independent of the "
                            "load) or bf16 / auto (bf16 where the CPU or GPU has it: ~2x faster, answers may vary with the load)")
    serve.set_defaults(func=_serve)

    keys = commands.add_parser("keys", help="manage API keys for `llmops serve` (stored hashed)")
    keys.add_argument("--keys-file", help="key file (default $LLMOPS_API_KEYS_FILE or $LLMOPS_HOME/api_keys.json)")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    create = key_commands.add_parser("create", help="create a key; the key is the last word printed")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--name", help="who or what uses it")
    create.add_argument("--rpm", type=int, help="requests per minute (default: the role's, "
                        f"{', '.join(f'{r} {l.rpm}' for r, l in DEFAULT_ROLE_LIMITS.items())})")
    create.add_argument("--tpm", type=int, help="generated tokens per minute (default: the role's, "
                        f"{', '.join(f'{r} {l.tpm}' for r, l in DEFAULT_ROLE_LIMITS.items())})")
    create.add_argument("--groups", help="access groups whose documents it reads besides everyone's, e.g. hr,finance")
    create.set_defaults(func=_keys_create)
    key_commands.add_parser("list", help="list keys (ids, roles, state; never the keys)").set_defaults(func=_keys_list)
    revoke = key_commands.add_parser("revoke", help="revoke a key by id (takes effect without restarting the server)")
    revoke.add_argument("id")
    revoke.set_defaults(func=_keys_revoke)

    access = commands.add_parser("access", help="who reads which documents: groups, keys' groups (audited)")
    access.add_argument("--keys-file", help="key file (default $LLMOPS_API_KEYS_FILE or $LLMOPS_HOME/api_keys.json)")
    access.add_argument("--audit-log", help="audit JSON lines (default $LLMOPS_AUDIT_PATH or $LLMOPS_HOME/audit/audit.jsonl)")
    access_commands = access.add_subparsers(dest="access_command", required=True)
    access_commands.add_parser("groups", help="each group with its documents in the index and its keys").set_defaults(
        func=_access_groups)
    for name, verb in (("grant", "add groups to"), ("revoke", "remove groups from")):
        change = access_commands.add_parser(name, help=f"{verb} a key (takes effect without restarting the server)")
        change.add_argument("id")
        change.add_argument("groups", nargs="+")
        change.set_defaults(func=_access_change)
    remove = access_commands.add_parser("remove", help="remove a group's documents from the index and corpus (recorded)")
    remove.add_argument("group")
    remove.add_argument("--reason", required=True, help="why, for the record")
    remove.set_defaults(func=_access_remove)
    who = access_commands.add_parser("who-can-read", help="a document's groups and the keys that may read it")
    who.add_argument("document", help="a doc_id or source path")
    who.set_defaults(func=_access_who)

    audit = commands.add_parser("audit", help="read or prune the serving audit log")
    audit.add_argument("--audit-log", help="audit JSON lines (default $LLMOPS_AUDIT_PATH or $LLMOPS_HOME/audit/audit.jsonl)")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    show = audit_commands.add_parser("show", help="print records as JSON lines, oldest first")
    show.add_argument("--since", help="e.g. 7d, 12h, 30m or an ISO date/time (UTC)")
    show.add_argument("--key", help="only this key id")
    show.add_argument("--limit", type=int, help="only the newest N records")
    show.set_defaults(func=_audit_show)
    prune = audit_commands.add_parser("prune", help="drop records older than the retention period")
    prune.add_argument("--retention-days", type=float, default=DEFAULT_RETENTION_DAYS)
    prune.set_defaults(func=_audit_prune)

    promote = commands.add_parser("promote", help="make a registered model version the champion")
    promote.add_argument("version", type=int)
    promote.add_argument("--reason", default="manual promotion", help="recorded on the version")
    promote.add_argument("--model-name", help="registered model name (default $LLMOPS_MODEL_NAME)")
    promote.set_defaults(func=_promote)

    back = commands.add_parser("rollback", help="make the previous champion the champion again")
    back.add_argument("--reason", default="manual rollback", help="recorded on the demoted version")
    back.add_argument("--model-name", help="registered model name (default $LLMOPS_MODEL_NAME)")
    back.set_defaults(func=_rollback)

    summary = commands.add_parser("summary", help="print the registry state and where to look after a run")
    summary.set_defaults(func=_summary)

    save = commands.add_parser("backup", help="save Dagster and MLflow storage, artifacts, the index and serving files")
    save.add_argument("dir", help="a new or empty folder")
    save.set_defaults(func=_backup)
    load = commands.add_parser("restore", help="put a backup made by `llmops backup` back into the configured stores")
    load.add_argument("dir")
    load.add_argument("--force", action="store_true", help="replace stores that already hold data")
    load.set_defaults(func=_restore)
    return parser


def main(argv: list[str] | None = None) -> int:
    from mlflow.exceptions import MlflowException

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, LookupError, ValueError, MlflowException) as exc:
        print(f"llmops {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
