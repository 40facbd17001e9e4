"""Department-level access: labels from the access map and the documents' own metadata, carried into
the index and enforced inside the LanceDB query for search and chat, for three groups of the sample
company (everyone, hr, it); keys with groups and roles; the SFT set kept to trainable documents."""

from __future__ import annotations

import json
import re
from email.message import EmailMessage
from io import BytesIO
from pathlib import Path

import pandas as pd
import pytest
from docx import Document as WordDocument
from fastapi.testclient import TestClient

from llmops import cli
from llmops.ingest.access import (EVERYONE, AccessPolicy, AccessRule, load_access_policy, readable, readable_rows,
                                  trainable_rows)
from llmops.ingest.raw_documents import IngestSettings, read_documents
from llmops.ops.api_keys import KeyStore, RateLimits, hash_key, parse_env_keys
from llmops.registry.models import ModelRegistry
from llmops.ops.audit_log import AuditLog
from llmops.retrieval.embedder import Embedder
from llmops.retrieval.filters import access_scope, parse_filter, scoped
from llmops.retrieval.index import build_index
from llmops.retrieval.search import Retriever
from llmops.serving.answerer import Answerer
from llmops.serving.app import create_app
from llmops.serving.state import ServerConfig
from llmops.train.sft_dataset import build_examples
from tests.conftest import REPO

SAMPLE = REPO / "data" / "sample"


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def _groups(result) -> dict[str, tuple[str, ...]]:
    return {doc.source: doc.groups for doc in result.documents}


# --- labels -----------------------------------------------------------------------------------------

def test_rules_metadata_keywords_and_recipients_label_documents(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _write(raw / "hr" / "payroll" / "2026.md", "# Payroll 2026\n\nSalaries are paid on the 25th.")
    _write(raw / "hr" / "holidays.md", "# Holidays\n\nThe office closes on 24 December.")
    _write(raw / "public" / "about.md", "# About us\n\nWe make heat pumps.")
    _write(raw / "crm" / "accounts.jsonl", "\n".join(json.dumps(r) for r in [
        {"id": "1", "text": "Account Alpha renews in May.", "access": "sales; finance"},
        {"id": "2", "text": "Account Beta renews in June."}]) + "\n")
    word = WordDocument()
    word.add_paragraph("Board minutes: the merger is approved.")
    word.core_properties.keywords = "minutes, access:board"
    buffer = BytesIO()
    word.save(buffer)
    _write(raw / "public" / "minutes.docx", buffer.getvalue())
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Cc"] = "a@corp.example", "payroll@corp.example", "boss@other.example"
    mail["Subject"] = "Bonus table"
    mail.set_content("The bonus table is attached.")
    table = WordDocument()
    table.add_paragraph("Bonus per team: support 5%, sales 7%.")
    attached = BytesIO()
    table.save(attached)
    mail.add_attachment(attached.getvalue(), maintype="application", filename="bonus.docx",
                        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document")
    _write(raw / "public" / "bonus.eml", mail.as_bytes())
    _write(raw / "access.yaml", """
default: [staff]
rules:
  - {path: "hr/*", groups: [hr]}
  - {path: "hr/payroll/*", groups: [payroll, HR]}
  - {path: "crm/**", groups: [sales]}
recipients:
  "@corp.example": [payroll]
""")
    policy = load_access_policy(raw)
    result = read_documents(raw, IngestSettings(access=policy))
    labels = _groups(result)
    assert labels["hr/payroll/2026.md"] == ("hr", "payroll")  # the last matching rule; names lower-cased
    assert labels["hr/holidays.md"] == ("hr",)
    assert labels["public/about.md"] == ("staff",)  # no rule: the default
    assert labels["crm/accounts.jsonl#L1"] == ("finance", "sales")  # the record's own column wins
    assert labels["crm/accounts.jsonl#L2"] == ("sales",)
    assert labels["public/minutes.docx"] == ("board",)  # an access: keyword among the document properties
    mail_docs = [source for source in labels if source.startswith("public/bonus.eml")]
    assert len(mail_docs) == 2 and all(labels[s] == ("payroll",) for s in mail_docs)  # the attachment too
    assert "access.yaml" not in {Path(s).name for s in labels}  # the map is not a document
    frame = result.to_frame()
    assert frame.set_index("source").loc["hr/payroll/2026.md", "groups"] == "hr,payroll"


def test_a_bad_label_quarantines_its_document_only_and_copies_merge_their_groups(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _write(raw / "records.jsonl", "\n".join(json.dumps(r) for r in [
        {"text": "Quarterly numbers for the team.", "access": "hr; R&D"},
        {"text": "Canteen menu for Monday."}]) + "\n")
    _write(raw / "hr" / "copy.txt", "Canteen menu for Monday.")
    policy = AccessPolicy(rules=(AccessRule("hr/*", ("hr",)),))
    result = read_documents(raw, IngestSettings(access=policy))
    assert [q.source for q in result.quarantined] == ["records.jsonl#L1"]
    assert result.quarantined[0].reason.startswith("access label: metadata field 'access': 'R&D' is not a group name")
    assert len(result.documents) == 1 and result.duplicates == 1
    assert result.records_seen == 3
    assert result.documents[0].groups == (EVERYONE, "hr")  # readable by whoever could read either copy


@pytest.mark.parametrize("text, message", [
    ("rules: [{path: 'a/*'}]", "each rule needs 'path' and 'groups'"),
    ("owners: [x]", "keys"),
    ("default: []", "at least one group"),
    ("rules: [{path: 'a/*', groups: ['Bad Name!']}]", "not a group name"),
    (": : :", "not valid YAML"),
    ("adapters: [everyone]", "served by the shared model"),
])
def test_a_broken_access_map_is_refused_with_the_reason(tmp_path: Path, text: str, message: str) -> None:
    _write(tmp_path / "access.yaml", text)
    with pytest.raises(ValueError, match=re.escape(message)):
        load_access_policy(tmp_path)


def test_a_named_access_map_must_exist_and_no_map_means_everyone(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_access_policy(tmp_path, str(tmp_path / "missing.yaml"))
    assert load_access_policy(tmp_path) == AccessPolicy()
    assert AccessPolicy().default == (EVERYONE,)


def test_only_everyone_and_trainable_groups_reach_the_sft_set() -> None:
    corpus = pd.DataFrame([
        {"doc_id": "pub", "doc_type": "faq", "title": "FAQ", "groups": "everyone",
         "text": "# FAQ\n\n## How long is the warranty?\nThe warranty lasts three years from delivery."},
        {"doc_id": "pay", "doc_type": "faq", "title": "Payroll FAQ", "groups": "hr",
         "text": "# Payroll FAQ\n\n## When are salaries paid?\nSalaries are paid on the 25th of each month."},
        {"doc_id": "mix", "doc_type": "faq", "title": "Support FAQ", "groups": "hr,support",
         "text": "# Support FAQ\n\n## Who answers tickets?\nThe second-line team answers escalated tickets."},
    ])
    shared = corpus[trainable_rows(corpus, AccessPolicy())]
    assert list(shared["doc_id"]) == ["pub"]
    with_support = corpus[trainable_rows(corpus, AccessPolicy(trainable=("support",)))]
    assert list(with_support["doc_id"]) == ["pub", "mix"]
    # a group's own model learns what the group may read
    assert list(corpus["doc_id"][readable_rows(corpus, "hr")]) == ["pub", "pay", "mix"]
    assert list(corpus["doc_id"][readable_rows(corpus, "support")]) == ["pub", "mix"]
    used = {row["doc_id"] for rows in build_examples(shared).examples.values() for row in rows}
    assert used == {"pub"}
    assert readable(("hr",), ("hr", "it")) and readable((EVERYONE,), ()) and not readable(("hr",), ("it",))


# --- keys -------------------------------------------------------------------------------------------

def test_keys_carry_groups_from_the_file_the_environment_and_the_cli(tmp_path: Path, capsys, monkeypatch) -> None:
    path = tmp_path / "keys.json"
    store = KeyStore(path)
    key, _ = store.create("reader", "ann", groups=("HR", "it"))
    assert key.groups == ("hr", "it") and KeyStore(path).keys()[0].groups == ("hr", "it")
    with pytest.raises(ValueError, match="not a group name"):
        store.create("reader", groups=("no spaces",))
    env = parse_env_keys(f"bot:operator:{hash_key('s')}:hr+finance")
    assert env[0].groups == ("finance", "hr") and env[0].role == "operator"
    with pytest.raises(ValueError, match="group"):
        parse_env_keys(f"bot:reader:{hash_key('s')}:h r")

    monkeypatch.setenv("LLMOPS_HOME", str(tmp_path))
    audit = tmp_path / "audit.jsonl"
    assert cli.main(["access", "--keys-file", str(path), "--audit-log", str(audit), "grant", key.id, "finance"]) == 0
    assert cli.main(["access", "--keys-file", str(path), "--audit-log", str(audit), "revoke", key.id, "it"]) == 0
    assert KeyStore(path).keys()[0].groups == ("finance", "hr")
    changes = AuditLog(audit).records()
    assert [(r.endpoint, r.key_id, r.groups) for r in changes] == [
        ("access grant", key.id, ["finance", "hr", "it"]), ("access revoke", key.id, ["finance", "hr"])]
    assert cli.main(["keys", "--keys-file", str(path), "create", "--role", "reader", "--groups", "sales,it"]) == 0
    assert "of groups it,sales" in capsys.readouterr().out
    assert cli.main(["keys", "--keys-file", str(path), "list"]) == 0
    assert "finance,hr" in capsys.readouterr().out


# --- enforcement on the sample company --------------------------------------------------------------

SYSTEM = "You are the Lumora assistant."


@pytest.fixture(scope="module")
def company(tmp_path_factory, chat):
    """The sample company's help pages and policies read with its access map (hr, it, everyone),
    indexed, and served with keys of each kind; the index holds the raw text (access is what is under
    test, not scrubbing)."""
    import shutil

    root = tmp_path_factory.mktemp("access")
    raw = root / "raw"
    for folder in ("faq", "policies"):
        shutil.copytree(SAMPLE / folder, raw / folder)
    shutil.copy(SAMPLE / "access.yaml", raw / "access.yaml")
    result = read_documents(raw, IngestSettings(access=load_access_policy(raw)))
    corpus = result.to_frame()
    assert set(corpus["groups"]) == {"everyone", "hr", "it"}
    build_index(corpus, str(root / "lance"), Embedder())
    store = KeyStore(root / "keys.json")
    secrets, ids = {}, {}
    for label, role, groups in [("hr", "reader", ("hr",)), ("it", "reader", ("it",)), ("plain", "reader", ()),
                                ("operator", "operator", ("it",)), ("admin", "admin", ())]:
        key, secret = store.create(role, label, groups=groups)
        secrets[label], ids[label] = secret, key.id
    audit = AuditLog(root / "audit.jsonl")
    answerer = Answerer(chat, Retriever(str(root / "lance"), Embedder()), "base:1", SYSTEM)
    config = ServerConfig(keys=store, audit=audit, role_limits={r: RateLimits(100_000, 10_000_000)
                                                                  for r in ("reader", "operator", "admin")})
    client = TestClient(create_app(answerer, config))
    yield {"client": client, "keys": secrets, "ids": ids, "corpus": corpus, "audit": audit, "root": root,
           "answerer": answerer, "store": store}
    client.close()


def _queries(corpus: pd.DataFrame) -> list[str]:
    """Questions aimed at every restricted document (its title and sentences of it), then the sample's
    own question set."""
    aimed = []
    for row in corpus[corpus["groups"] != EVERYONE].itertuples():
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", row.text) if len(s.strip()) > 40]
        aimed += [row.title, *sentences[:4]]
    questions = [json.loads(line)["question"] for line in (SAMPLE / "questions.jsonl").read_text().splitlines()[:40]]
    return aimed + questions


def _search(company, label: str, query: str, k: int = 8, **extra) -> dict:
    response = company["client"].post("/v1/search", json={"query": query, "k": k, **extra},
                                      headers={"Authorization": f"Bearer {company['keys'][label]}"})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_reader_never_sees_another_groups_chunk_and_top_k_stays_full(company) -> None:
    corpus = company["corpus"]
    groups_of = dict(zip(corpus["doc_id"], corpus["groups"]))
    queries = _queries(corpus)
    assert len(queries) >= 60
    admin_saw_restricted = 0
    for query in queries:
        for label, allowed in (("hr", {"hr", EVERYONE}), ("it", {"it", EVERYONE}), ("plain", {EVERYONE})):
            hits = _search(company, label, query)["data"]
            assert len(hits) == 8, (label, query)  # filled with permitted chunks, not cut after the search
            assert {groups_of[hit["doc_id"]] for hit in hits} <= allowed, (label, query)
        admin_hits = _search(company, "admin", query)["data"]
        admin_saw_restricted += any(groups_of[hit["doc_id"]] != EVERYONE for hit in admin_hits)
    assert admin_saw_restricted >= 15  # the queries do reach the restricted documents when allowed


def test_a_callers_filter_cannot_widen_the_scope(company) -> None:
    corpus = company["corpus"]
    target = corpus[corpus["groups"] == "it"].iloc[0]
    aimed = {"type": "or", "filters": [{"type": "eq", "key": "source", "value": target["source"]},
                                       {"type": "ne", "key": "source", "value": ""}]}
    hr_hits = _search(company, "hr", target["title"], filters=aimed)["data"]
    assert hr_hits and target["doc_id"] not in {hit["doc_id"] for hit in hr_hits}
    only = {"type": "eq", "key": "source", "value": target["source"]}
    assert _search(company, "hr", target["title"], filters=only)["data"] == []
    assert {hit["doc_id"] for hit in _search(company, "it", target["title"], filters=only)["data"]} == {target["doc_id"]}
    assert {hit["doc_id"] for hit in _search(company, "admin", target["title"], filters=only)["data"]} == {target["doc_id"]}
    scope = access_scope(["hr"])
    assert scoped(scope, parse_filter(aimed)).sql.startswith(f"({scope.sql}) AND (")


def test_chat_cites_and_quotes_only_permitted_chunks_and_the_audit_names_them(company) -> None:
    corpus = company["corpus"]
    groups_of = dict(zip(corpus["doc_id"], corpus["groups"]))
    hr_docs = corpus[corpus["groups"] == "hr"]
    client, keys = company["client"], company["keys"]
    for row in hr_docs.itertuples():
        body = {"messages": [{"role": "user", "content": row.title}], "max_tokens": 6, "top_k": 4,
                "answer_mode": "extractive"}
        for label, allowed in (("it", {"it", EVERYONE}), ("hr", {"hr", EVERYONE})):
            reply = client.post("/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {keys[label]}"})
            assert reply.status_code == 200, reply.text
            cited = {source["doc_id"] for source in reply.json()["sources"]}
            assert cited and {groups_of[doc] for doc in cited} <= allowed
            if label == "it":  # nothing of the hr document in the answer either
                hr_text = corpus.set_index("doc_id").loc[row.doc_id, "text"]
                answer = reply.json()["choices"][0]["message"]["content"]
                assert not any(len(line) > 40 and line in answer for line in hr_text.splitlines())
    generated = client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {keys['plain']}"},
                            json={"messages": [{"role": "user", "content": hr_docs.iloc[0]["title"]}], "max_tokens": 6})
    assert generated.status_code == 200 and {groups_of[s["doc_id"]] for s in generated.json()["sources"]} == {EVERYONE}

    records = [r for r in company["audit"].records() if r.endpoint in ("/v1/search", "/v1/chat/completions")]
    assert records and all(r.chunk_ids is not None and r.groups is not None for r in records)
    for record in records:
        if record.groups != ["*"]:
            assert all(readable([groups_of[c.split(":")[0]]], record.groups) for c in record.chunk_ids)
    assert {tuple(r.groups) for r in records} >= {("hr",), ("it",), ("*",)}


def test_roles_unauthenticated_401_forbidden_403(company) -> None:
    client, keys = company["client"], company["keys"]
    assert client.post("/v1/search", json={"query": "warranty"}).status_code == 401
    assert client.post("/v1/search", json={"query": "warranty"}, headers={"Authorization": "Bearer nope"}).status_code == 401
    for label in ("hr", "operator"):
        assert client.get("/admin/feedback", headers={"Authorization": f"Bearer {keys[label]}"}).status_code == 403
    assert client.post("/admin/reload", headers={"Authorization": f"Bearer {keys['hr']}"}).status_code == 403
    assert client.post("/admin/reload", headers={"Authorization": f"Bearer {keys['operator']}"}).status_code != 403
    assert client.get("/admin/feedback", headers={"Authorization": f"Bearer {keys['admin']}"}).status_code != 403


def test_cli_shows_groups_and_who_can_read_a_document(company, capsys, monkeypatch) -> None:
    monkeypatch.setenv("LANCEDB_URI", str(company["root"] / "lance"))
    keys_file = str(company["root"] / "keys.json")
    assert cli.main(["access", "--keys-file", keys_file, "groups"]) == 0
    table = capsys.readouterr().out
    counts = company["corpus"]["groups"].value_counts()
    assert re.search(rf"^hr\s+{counts['hr']}\s+1$", table, re.M) and re.search(rf"^it\s+{counts['it']}\s+2$", table, re.M)
    source = company["corpus"][company["corpus"]["groups"] == "hr"].iloc[0]["source"]
    assert cli.main(["access", "--keys-file", keys_file, "who-can-read", source]) == 0
    line = capsys.readouterr().out
    ids = company["ids"]
    assert ids["hr"] in line and ids["admin"] in line and ids["it"] not in line and ids["plain"] not in line


# --- training ---------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_sft_set_and_corrections_leave_restricted_documents_out(tmp_path: Path) -> None:
    from dagster import asset, materialize

    from assets.feedback import feedback
    from assets.group_models import group_sft_datasets, group_sft_datasets_access
    from assets.sft_dataset import sft_dataset, sft_dataset_access
    from llmops.train.sft_dataset import source_documents
    from llmops.ingest.access import outside
    from llmops.monitor.feedback import FeedbackRecord, FeedbackStore
    from orchestration.resources import PathsResource, ScrubberResource

    raw = _write(tmp_path / "raw" / "access.yaml", "trainable: [support]\nadapters: [hr]\n").parent
    corpus = pd.DataFrame([
        {"doc_id": f"{group}{i}", "doc_type": "faq", "title": f"FAQ {group} {i}", "source": f"faq/{group}{i}.md",
         "format": "md", "metadata": "{}", "groups": group,
         "text": f"# FAQ {i}\n\n## What is rule {i} of {group}?\nRule {i} of the {group} team says to file form {i} on time."}
        for group in ("everyone", "hr", "support") for i in range(10)])

    @asset(name="scrubbed_corpus")
    def corpus_stand_in() -> pd.DataFrame:  # the scrubbed corpus as the real asset would hand it on
        return corpus

    store = FeedbackStore(tmp_path / "feedback.jsonl")
    for group, correction in (("hr", "Rule 1 of the hr team: salaries are reviewed in March."),
                              ("everyone", "Rule 2 says to file form 2 within a week.")):
        store.append(FeedbackRecord(response_id=f"r-{group}", rating=-1, question=f"What is rule of {group}?",
                                    answer="I do not know.", model_version="m:1", created_at=0.0,
                                    correction=correction, source_groups=[group]))
    paths = PathsResource(raw_dir=str(raw), home=str(tmp_path / "home"), feedback_file=str(store.path))
    splits = {"config": {"test_fraction": 0.4, "validation_fraction": 0.0}}
    result = materialize([corpus_stand_in, feedback, sft_dataset, sft_dataset_access, group_sft_datasets,
                          group_sft_datasets_access], resources={"paths": paths, "scrubber": ScrubberResource()},
                         run_config={"ops": {"sft_dataset": splits, "group_sft_datasets": splits}})
    assert result.success
    assert result.asset_materializations_for_node("feedback")[0].metadata["corrections_restricted"].value == 1
    sft_meta = result.asset_materializations_for_node("sft_dataset")[0].metadata
    assert sft_meta["documents_restricted"].value == 10 and sft_meta["feedback_pairs"].value == 1
    check, group_check = sorted(result.get_asset_check_evaluations(), key=lambda c: c.check_name != "sft_dataset_access")
    assert check.passed and check.metadata["restricted_in_dataset"].value == 0
    assert check.metadata["documents_in_dataset"].value > 0
    # hr's own set: everyone's documents and hr's, not support's (trainable for the shared model, unreadable to hr)
    hr = result.output_for_node("group_sft_datasets")["hr"]
    used = source_documents(Path(hr["path"]), hr["counts"])
    assert {doc.rstrip("0123456789") for doc in used} == {"everyone", "hr", "feedback-r-everyone"}
    assert group_check.passed and group_check.metadata["unreadable_in_dataset"].value == 0
    assert outside(["everyone1", "hr2", "support3"], corpus, trainable_rows(corpus, load_access_policy(raw))) == ["hr2"]


# --- removal on request -----------------------------------------------------------------------------

def _register_a_model(registry: ModelRegistry) -> str:
    """A new version of ``registry``'s model (a pyfunc that echoes); returns its MLflow run."""
    import mlflow

    class Echo(mlflow.pyfunc.PythonModel):
        def predict(self, context, model_input):
            return model_input

    mlflow.set_tracking_uri(registry.client.tracking_uri)
    with mlflow.start_run() as run:
        uri = mlflow.pyfunc.log_model(name="model", python_model=Echo()).model_uri
    registry.register(uri)
    return run.info.run_id


def test_removing_a_group_erases_its_chunks_and_keeps_its_documents_out(tmp_path: Path, monkeypatch, capsys) -> None:
    import lancedb

    from orchestration.resources import PathsResource

    raw = tmp_path / "raw"
    for group, topic in (("hr", "salary bands"), ("it", "laptop encryption"), ("public", "office opening hours")):
        for i in range(3):
            _write(raw / group / f"{i}.md", f"# {topic.title()} {i}\n\nNotes {i} on {topic} for the {group} team.")
    _write(raw / "access.yaml", "rules:\n  - {path: 'hr/*', groups: [hr]}\n  - {path: 'it/*', groups: [it, hr]}\n")
    corpus = read_documents(raw, IngestSettings(access=load_access_policy(raw))).to_frame()
    lance = str(tmp_path / "lance")
    build_index(corpus, lance, Embedder())
    home = tmp_path / "home"
    monkeypatch.setenv("LANCEDB_URI", lance)
    monkeypatch.setenv("LLMOPS_HOME", str(home))
    # hr has a model of its own, trained on its documents: it goes too
    tracking = f"sqlite:///{tmp_path}/mlflow.db"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", tracking)
    shared = ModelRegistry.at(tracking, "enterprise-assistant")
    hr_run = _register_a_model(shared.for_group("hr"))
    _register_a_model(shared.for_group("it"))
    audit = tmp_path / "audit.jsonl"
    assert cli.main(["access", "--audit-log", str(audit), "remove", "hr", "--reason", "department closed"]) == 0
    assert "removed 6 documents (6 chunks) of group hr from the index (live version" in (said := capsys.readouterr().out)
    assert "and 1 versions of its own model" in said
    assert set(shared.group_models()) == {"it"}
    assert shared.client.get_run(hr_run).info.lifecycle_stage == "deleted"

    table = lancedb.connect(lance).open_table("corpus_chunks")
    assert len(table.list_versions()) == 1  # no older version still holds the text
    left = Retriever(lance, Embedder()).search("salary bands laptop encryption", 10)
    assert left and {hit.groups for hit in left} == {(EVERYONE,)}
    assert [r.endpoint for r in AuditLog(audit).records()] == ["access remove"]

    policy = PathsResource(raw_dir=str(raw), home=str(home)).access_policy()
    assert policy.removed == ("hr",)
    again = read_documents(raw, IngestSettings(access=policy))
    assert len(again.documents) == 3 and len(again.quarantined) == 6
    assert all(q.reason == "removed on request: group hr (llmops access remove)" for q in again.quarantined)


def test_the_leak_probe_catches_restricted_text_and_not_shared_text() -> None:
    from llmops.pii.probe import RESTRICTED, LeakProbe, leak_counts, restricted_text_probe

    shared = "Every employee gets twenty eight days of paid vacation per year plus public holidays in the office."
    secret = ("The restructuring plan closes the Leeds warehouse in March and moves forty roles to the Rotterdam "
              "hub before the summer audit starts.")
    probe = restricted_text_probe([("Restructuring plan", f"{shared} {secret}")], [shared], n_questions=2)
    assert probe.questions and "Restructuring plan" in probe.questions[0]
    assert probe.secrets and set(probe.secrets.values()) == {RESTRICTED}
    assert not any(run in " ".join(shared.lower().split()) for run in probe.secrets)  # shared words are no secret
    assert len(probe.questions) == 1  # one question per restricted document at most
    hits = probe.find_leaks(["Every employee gets twenty eight days of paid vacation per year. The plan CLOSES the "
                             "Leeds warehouse, in March; and moves forty roles to the Rotterdam hub."])
    assert leak_counts(hits.values()) == {RESTRICTED: 1}
    assert "Leeds" not in next(iter(hits.values())).masked  # reported masked, like personal data
    assert probe.find_leaks(["Every employee gets twenty eight days of paid vacation per year plus public holidays."]) == {}
    both = LeakProbe(["q"], {"jane doe": "PERSON"}).plus(probe)
    assert len(both.questions) == 2 and "jane doe" in both.secrets


# --- OIDC sign-in -----------------------------------------------------------------------------------

def _id_token(issuer: str, sub: str, client_id: str = "llmops") -> str:
    """Sign in at the provider as ``sub`` (the authorization-code flow a browser would go through)."""
    import httpx
    from urllib.parse import parse_qs, urlparse

    callback = "http://localhost/callback"
    consent = httpx.post(f"{issuer}/oauth2/authorize", data={"sub": sub}, params={
        "client_id": client_id, "redirect_uri": callback, "response_type": "code", "scope": "openid email", "state": "s"})
    code = parse_qs(urlparse(consent.headers["location"]).query)["code"][0]
    tokens = httpx.post(f"{issuer}/oauth2/token", auth=(client_id, "secret"),
                        data={"grant_type": "authorization_code", "code": code, "redirect_uri": callback})
    return tokens.json()["id_token"]


def test_oidc_sign_in_maps_the_providers_groups_and_refuses_bad_tokens(company) -> None:
    from joserfc import jwt
    from joserfc.jwk import RSAKey
    from oidc_provider_mock import User, run_server_in_thread

    from llmops.serving.oidc import OidcError, OidcSettings, OidcVerifier

    corpus = company["corpus"]
    groups_of = dict(zip(corpus["doc_id"], corpus["groups"]))
    users = [User(sub="ann", claims={"email": "ann@corp.example", "groups": ["HR-Team", "Staff"]}),
             User(sub="bob", claims={"email": "bob@corp.example", "groups": ["Staff"]}),
             User(sub="eve", claims={"email": "eve@corp.example", "groups": ["Platform-Admins"]})]
    with run_server_in_thread(user_claims=users) as idp:
        issuer = f"http://localhost:{idp.server_port}"
        settings = OidcSettings(issuer, "llmops", group_map={"HR-Team": "hr", "IT-Team": "it"},
                                admin_groups=("Platform-Admins",))
        config = ServerConfig(keys=company["store"], oidc=OidcVerifier(settings), audit=AuditLog(company["root"] / "oidc.jsonl"),
                              role_limits={r: RateLimits(100_000, 10_000_000) for r in ("reader", "operator", "admin")})
        client = TestClient(create_app(company["answerer"], config))

        def search(token: str, query: str):
            return client.post("/v1/search", json={"query": query, "k": 8}, headers={"Authorization": f"Bearer {token}"})

        hr_title = corpus[corpus["groups"] == "hr"].iloc[0]["title"]
        tokens = {sub: _id_token(issuer, sub) for sub in ("ann", "bob", "eve")}
        seen = {sub: {groups_of[hit["doc_id"]] for hit in search(token, hr_title).json()["data"]}
                for sub, token in tokens.items()}
        assert "hr" in seen["ann"] and seen["ann"] <= {"hr", EVERYONE}  # HR-Team -> hr
        assert seen["bob"] == {EVERYONE}  # Staff maps to nothing: everyone's documents only
        assert "hr" in seen["eve"]  # an admin reads every group
        assert client.get("/admin/feedback", headers={"Authorization": f"Bearer {tokens['ann']}"}).status_code == 403
        records = AuditLog(company["root"] / "oidc.jsonl").records()
        assert {(r.key_id, tuple(r.groups)) for r in records if r.endpoint == "/v1/search"} == {
            ("oidc:ann", ("hr",)), ("oidc:bob", ()), ("oidc:eve", ("*",))}

        foreign = RSAKey.generate_key(2048, parameters={"kid": "not-the-providers"})
        forged = jwt.encode({"alg": "RS256", "kid": "not-the-providers"},
                            {"iss": issuer, "aud": "llmops", "sub": "mallory", "exp": 4_102_444_800, "groups": ["HR-Team"]},
                            foreign)
        other_client = _id_token(issuer, "ann", client_id="another-app")
        tampered = tokens["bob"][:-6] + ("AAAAAA" if not tokens["bob"].endswith("AAAAAA") else "BBBBBB")
        for bad in (forged, other_client, tampered):
            refused = search(bad, "warranty")
            assert refused.status_code == 401 and "invalid token" in refused.json()["error"]["message"]
        assert search(company["keys"]["hr"], "warranty").status_code == 200  # API keys keep working beside it
        with pytest.raises(OidcError, match="nonce"):  # not the answer to this server's own sign-in request
            OidcVerifier(settings).principal(tokens["ann"], nonce="the-sign-in-this-server-sent")


def test_oidc_settings_come_from_the_environment() -> None:
    from llmops.serving.oidc import OidcSettings

    assert OidcSettings.from_env({}) is None
    settings = OidcSettings.from_env({"LLMOPS_OIDC_ISSUER": "https://id.corp.example", "LLMOPS_OIDC_AUDIENCE": "llmops",
                                      "LLMOPS_OIDC_GROUP_MAP": "HR-Team=hr, IT=it", "LLMOPS_OIDC_ADMIN_GROUPS": "Admins"})
    assert settings.group_map == {"HR-Team": "hr", "IT": "it"} and settings.admin_groups == ("Admins",)
    with pytest.raises(ValueError, match="both"):
        OidcSettings.from_env({"LLMOPS_OIDC_ISSUER": "https://id.corp.example"})
    with pytest.raises(ValueError, match="GROUP_MAP"):
        OidcSettings.from_env({"LLMOPS_OIDC_ISSUER": "i", "LLMOPS_OIDC_AUDIENCE": "a", "LLMOPS_OIDC_GROUP_MAP": "HR=Bad Name"})


def test_the_chat_page_signs_in_with_the_identity_provider(company) -> None:
    """In headless Chromium: the page offers the company sign-in, the provider's form signs Ann in,
    and her questions are answered from hr's documents and everyone's; no API key is typed."""
    import socket
    import threading
    import time

    import uvicorn
    from oidc_provider_mock import User, run_server_in_thread
    from playwright.sync_api import sync_playwright

    from llmops.serving.oidc import OidcSettings, OidcVerifier

    corpus = company["corpus"]
    groups_of = dict(zip(corpus["doc_id"], corpus["groups"]))
    hr_title = corpus[corpus["groups"] == "hr"].iloc[0]["title"]
    users = [User(sub="ann", claims={"email": "ann@corp.example", "groups": ["HR-Team"]})]
    with run_server_in_thread(user_claims=users) as idp, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        settings = OidcSettings(f"http://localhost:{idp.server_port}", "llmops-chat", group_map={"HR-Team": "hr"},
                                client_secret="chat-secret")
        config = ServerConfig(keys=company["store"], oidc=OidcVerifier(settings), audit=AuditLog(company["root"] / "page.jsonl"),
                              role_limits={r: RateLimits(100_000, 10_000_000) for r in ("reader", "operator", "admin")})
        server = uvicorn.Server(uvicorn.Config(create_app(company["answerer"], config), host="127.0.0.1", port=port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.1)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                try:
                    page = browser.new_page()
                    page.goto(f"http://127.0.0.1:{port}/")
                    page.wait_for_selector("#sign-in-row:not([hidden])", timeout=30_000)
                    page.click("#sign-in")
                    page.click("button[name='sub'][value='ann']")  # the provider's form: Ann signs in
                    page.wait_for_url(f"http://127.0.0.1:{port}/", timeout=30_000)
                    assert page.input_value("#key").count(".") == 2  # the ID token, kept like a key
                    page.fill("#question", hr_title)
                    page.check("#extractive")
                    page.click("#send")
                    page.wait_for_selector("#rate:not([hidden])", timeout=60_000)
                    cited = page.locator("#sources li").evaluate_all("items => items.map(i => i.dataset.docId)")
                finally:
                    browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    assert cited and "hr" in {groups_of[doc] for doc in cited} and {groups_of[doc] for doc in cited} <= {"hr", EVERYONE}
    chats = [r for r in AuditLog(company["root"] / "page.jsonl").records() if r.endpoint == "/v1/chat/completions"]
    assert [(r.key_id, r.groups, r.status) for r in chats] == [("oidc:ann", ["hr"], 200)]
    with TestClient(create_app(company["answerer"], ServerConfig(keys=company["store"]))) as plain:
        assert plain.get("/auth/config").json() == {"sign_in": False}
        assert plain.get("/auth/login", follow_redirects=False).status_code == 404
