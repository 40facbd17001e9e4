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
from llmops.ingest.access import EVERYONE, AccessPolicy, AccessRule, load_access_policy, readable, trainable_rows
from llmops.ingest.raw_documents import IngestSettings, read_documents
from llmops.ops.api_keys import KeyStore, RateLimits, hash_key, parse_env_keys
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
    """The sample company read with its access map (hr, it, everyone), indexed, and served with keys of
    each kind; the index holds the raw text (access is what is under test, not scrubbing)."""
    root = tmp_path_factory.mktemp("access")
    result = read_documents(SAMPLE, IngestSettings(access=load_access_policy(SAMPLE)))
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
    yield {"client": client, "keys": secrets, "ids": ids, "corpus": corpus, "audit": audit, "root": root}
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
