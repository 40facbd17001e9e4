"""Access labels: which groups may read a document, decided once at ingestion and carried with it
through scrubbing and chunking into the index, where searches are filtered by the caller's groups.

A document's groups come from, most specific first:

1. its own metadata: a record column or document property named in ``fields`` (``"hr, finance"``),
   or ``access:<group>`` among an office document's keywords;
2. for an e-mail and its attachments, the groups of its ``To``/``Cc`` addresses or their domains
   (``recipients``);
3. the last rule whose glob matches the file's path under the raw folder;
4. ``default``.

The group ``everyone`` is readable by every principal. Training on a document teaches it to a model
that answers everyone, so only documents of ``everyone`` or of a group marked ``trainable`` enter the
shared SFT set. A group listed in ``adapters`` gets a fine-tuned model of its own, trained on what the
group may read, and serving answers its members with it. The map is a YAML file (``access.yaml`` at the top of the raw folder, unless the
``access_file`` setting names another; keep it outside a share that untrusted people can write to).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pandas as pd

from llmops.ingest.files import ACCESS_FILE
from llmops.ingest.readers import IngestError

EVERYONE = "everyone"
_GROUP = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_SEPARATORS = re.compile(r"[,;\s]+")
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_KEYWORD = re.compile(r"\baccess:([^\s,;]+)", re.IGNORECASE)
_MAP_KEYS = {"default", "trainable", "adapters", "fields", "rules", "recipients"}


def check_group(name: str, where: str = "group") -> str:
    """``name`` lower-cased if it is a valid group name (letters, digits, ``_.-``; up to 64), else ValueError."""
    group = str(name).strip().lower()
    if not _GROUP.match(group):
        raise ValueError(f"{where}: {name!r} is not a group name (lower-case letters, digits, '_', '.', '-'; up to 64)")
    return group


def parse_groups(value: str | Iterable[str], where: str = "groups") -> tuple[str, ...]:
    """Group names from ``"hr, finance"`` or a list, checked, sorted and without repeats."""
    names = _SEPARATORS.split(value) if isinstance(value, str) else [str(item) for item in value]
    return tuple(sorted({check_group(name, where) for name in names if str(name).strip()}))


def join_groups(groups: Iterable[str]) -> str:
    """The one text form of a label in tables: sorted names joined by commas (``"finance,hr"``)."""
    return ",".join(sorted(set(groups)))


@dataclass(frozen=True)
class AccessRule:
    path: str  # a glob on the path under the raw folder; "**" and "*" both cross folders
    groups: tuple[str, ...]


@dataclass(frozen=True)
class AccessPolicy:
    """The access map; the default policy labels every document ``everyone`` (no restriction)."""

    default: tuple[str, ...] = (EVERYONE,)
    trainable: tuple[str, ...] = ()  # groups, besides everyone, whose documents may train the shared model
    adapters: tuple[str, ...] = ()  # groups that get a model of their own, trained on what they may read
    fields: tuple[str, ...] = ("access", "access_groups")  # not "groups": too often a column of other meaning
    rules: tuple[AccessRule, ...] = ()
    recipients: tuple[tuple[str, tuple[str, ...]], ...] = ()  # address or "@domain" -> groups
    removed: tuple[str, ...] = ()  # groups whose documents were removed on request (`removed_groups`)

    def groups_for(self, source: str, metadata: Mapping[str, Any], mail_groups: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The groups of one document; IngestError when its own metadata names an invalid group or
        when one of its groups was removed on request (it is then quarantined, never ingested again)."""
        groups = self._label(source, metadata, mail_groups)
        if gone := sorted(set(groups) & set(self.removed)):
            raise IngestError(f"removed on request: group {', '.join(gone)} (llmops access remove)")
        return groups

    def _label(self, source: str, metadata: Mapping[str, Any], mail_groups: tuple[str, ...]) -> tuple[str, ...]:
        try:
            own = self._from_metadata(metadata)
        except ValueError as exc:
            raise IngestError(f"access label: {exc}") from exc
        if own:
            return own
        if mail_groups:
            return mail_groups
        path = source.split("#", 1)[0]
        matched = [rule.groups for rule in self.rules if fnmatchcase(path, rule.path)]
        return matched[-1] if matched else self.default

    def _from_metadata(self, metadata: Mapping[str, Any]) -> tuple[str, ...]:
        lowered = {str(key).lower(): value for key, value in metadata.items()}
        for name in self.fields:
            if str(lowered.get(name, "")).strip():
                return parse_groups(str(lowered[name]), f"metadata field {name!r}")
        return parse_groups(_KEYWORD.findall(str(lowered.get("keywords", ""))), "keyword access:")

    def recipient_groups(self, metadata: Mapping[str, Any]) -> tuple[str, ...]:
        """The groups an e-mail's To and Cc addresses (or their domains) map to; () when none do."""
        table = dict(self.recipients)
        found: set[str] = set()
        for address in _ADDRESS.findall(f"{metadata.get('to', '')} {metadata.get('cc', '')}".lower()):
            found.update(table.get(address, table.get("@" + address.split("@", 1)[1], ())))
        return tuple(sorted(found))

    def may_train(self, groups: Iterable[str]) -> bool:
        """Whether a document of ``groups`` may enter the SFT set of the model everyone is served."""
        return bool({EVERYONE, *self.trainable} & set(groups))


def _rows(corpus: pd.DataFrame, allowed: Callable[[list[str]], bool]) -> pd.Series:
    if "groups" not in corpus:  # a corpus without labels: everyone's
        return pd.Series(True, index=corpus.index)
    return corpus["groups"].fillna("").astype(str).map(lambda label: allowed(label.split(",")))


def trainable_rows(corpus: pd.DataFrame, policy: AccessPolicy) -> pd.Series:
    """Which rows of a corpus may train the shared model."""
    return _rows(corpus, policy.may_train)


def readable_rows(corpus: pd.DataFrame, group: str) -> pd.Series:
    """Which rows of a corpus a member of ``group`` may read: what that group's own model trains on."""
    return _rows(corpus, lambda groups: readable(groups, [group]))


def outside(doc_ids: Iterable[str], corpus: pd.DataFrame, allowed: pd.Series) -> list[str]:
    """Those of ``doc_ids`` (what a training set was built from) whose rows ``allowed`` excludes."""
    return sorted(set(doc_ids) & set(corpus["doc_id"][~allowed]))


def readable(document_groups: Iterable[str], principal_groups: Iterable[str]) -> bool:
    """Whether a principal of ``principal_groups`` may read a document of ``document_groups``."""
    return bool({EVERYONE, *principal_groups} & set(document_groups))


def removals_register(home: Path) -> Path:
    """Where removals on request are recorded, under the runtime home."""
    return Path(home) / "access" / "removed_groups.jsonl"


def removed_groups(register: Path) -> tuple[str, ...]:
    """The groups removed on request, from the register ``llmops access remove`` appends to."""
    if not register.is_file():
        return ()
    lines = register.read_text(encoding="utf-8").splitlines()
    return tuple(sorted({json.loads(line)["group"] for line in lines if line.strip()}))


def record_removal(register: Path, group: str, reason: str, documents: int, chunks: int, model_versions: int = 0) -> dict:
    """Append one removal to the register (what was removed, when and why; never the text)."""
    record = {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "group": check_group(group),
              "reason": reason, "documents": documents, "chunks": chunks, "model_versions": model_versions}
    register.parent.mkdir(parents=True, exist_ok=True)
    with register.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return record


def access_map_path(raw_dir: Path, access_file: str | None = None) -> Path:
    """The access map in force: ``access_file`` when set, else ``access.yaml`` at the top of the raw folder."""
    return Path(access_file) if access_file else Path(raw_dir) / ACCESS_FILE


def load_access_policy(raw_dir: Path, access_file: str | None = None) -> AccessPolicy:
    """The access map ``access_file`` (which must exist), else ``access.yaml`` at the top of the raw
    folder, else the default policy (everything readable by everyone)."""
    import yaml

    path = access_map_path(raw_dir, access_file)
    if not path.is_file():
        if access_file:
            raise FileNotFoundError(f"access map {path} does not exist (set by access_file)")
        return AccessPolicy()
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or set(data) - _MAP_KEYS:
        raise ValueError(f"{path}: an access map is a mapping with keys {sorted(_MAP_KEYS)}; "
                         f"got {sorted(data) if isinstance(data, dict) else type(data).__name__}")
    try:
        rules = tuple(AccessRule(str(rule["path"]), _required(rule["groups"], f"rules[{i}].groups"))
                      for i, rule in enumerate(data.get("rules") or []))
        recipients = tuple((str(address).lower(), _required(groups, f"recipients[{address}]"))
                           for address, groups in (data.get("recipients") or {}).items())
        adapters = parse_groups(data.get("adapters") or [], "adapters")
        if EVERYONE in adapters:
            raise ValueError(f"adapters: {EVERYONE!r} is served by the shared model; list groups only")
        return AccessPolicy(default=_required(data.get("default", [EVERYONE]), "default"),
                            trainable=parse_groups(data.get("trainable") or [], "trainable"), adapters=adapters,
                            fields=tuple(str(name).lower() for name in data.get("fields", AccessPolicy.fields)),
                            rules=rules, recipients=recipients)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: {type(exc).__name__}: {exc} (each rule needs 'path' and 'groups')") from exc


def _required(value: Any, where: str) -> tuple[str, ...]:
    groups = parse_groups(value, where)
    if not groups:
        raise ValueError(f"{where}: at least one group is needed")
    return groups
