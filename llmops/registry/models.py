"""The registered model: its name, its aliases and every ``models:/`` URI, in one object.

Promotion, rollback, champion look-ups, the serving hot swap, evaluation of the champion and the
export all go through a `ModelRegistry`, so the alias names and the URI scheme live here alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import mlflow
from mlflow.entities.model_registry import ModelVersion
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

CHAMPION, CHALLENGER, PREVIOUS = "champion", "challenger", "previous"
ALIASES = (CHAMPION, CHALLENGER, PREVIOUS)
GROUP_TAG = "access_group"  # on an access group's own registered model: whose members it answers


@dataclass(frozen=True)
class ModelRegistry:
    """One registered model in one MLflow registry (the tracking store's own registry): the shared
    model everyone is served, or (``group`` set, see `for_group`) one access group's own model."""

    client: MlflowClient
    name: str
    group: str | None = None

    @classmethod
    def at(cls, tracking_uri: str, name: str) -> ModelRegistry:
        return cls(MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri), name)

    def for_group(self, group: str) -> ModelRegistry:
        """The registered model of one access group's adapter, named after this (shared) one."""
        return ModelRegistry(self.client, f"{self.name}-{group}", group)

    def group_models(self) -> dict[str, ModelRegistry]:
        """Every access group's own registered model, by group (those registered through `for_group`)."""
        found = self.client.search_registered_models(f"name LIKE '{self.name}-%'", max_results=1000)
        groups = {model.tags.get(GROUP_TAG) for model in found} - {None}
        names = {model.name for model in found}
        return {group: self.for_group(group) for group in sorted(groups) if self.for_group(group).name in names}

    def version_uri(self, version: str | int) -> str:
        return f"models:/{self.name}/{version}"

    def alias_uri(self, alias: str = CHAMPION) -> str:
        return f"models:/{self.name}@{alias}"

    def version(self, version: str | int) -> ModelVersion:
        """A registered version; fails clearly when it does not exist."""
        return self.client.get_model_version(self.name, str(version))

    def versions(self) -> list[ModelVersion]:
        """Every registered version, oldest first (none before the first registration)."""
        found = self.client.search_model_versions(f"name='{self.name}'")
        return sorted(found, key=lambda v: int(v.version))

    def aliased(self, alias: str) -> ModelVersion | None:
        """The version an alias points at, or None."""
        try:
            return self.client.get_model_version_by_alias(self.name, alias)
        except MlflowException:
            return None

    def champion(self) -> ModelVersion | None:
        """The champion version, or None before the first promotion."""
        return self.aliased(CHAMPION)

    def register(self, model_uri: str, tags: dict[str, str] | None = None) -> str:
        """A new version of this model from a logged model's URI; returns its number."""
        self._use()
        version = mlflow.register_model(model_uri, self.name, tags=tags or {}).version
        if self.group:
            self.client.set_registered_model_tag(self.name, GROUP_TAG, self.group)
        return version

    def point(self, alias: str, version: str | int) -> None:
        self.client.set_registered_model_alias(self.name, alias, str(version))

    def drop(self, alias: str) -> None:
        self.client.delete_registered_model_alias(self.name, alias)

    def delete(self) -> int:
        """Delete this registered model, every version, and the MLflow runs they came from (marked
        deleted; ``mlflow gc`` purges their artifacts): a removal on request. Returns the versions."""
        versions = self.versions()
        self.client.delete_registered_model(self.name)
        for run_id in {version.run_id for version in versions if version.run_id}:
            self.client.delete_run(run_id)
        return len(versions)

    def tag(self, version: str | int, key: str, value: str) -> None:
        self.client.set_model_version_tag(self.name, str(version), key, value)

    def load(self, version: str | int) -> mlflow.pyfunc.PyFuncModel:
        """The version's pyfunc model (its artifacts resolved through this registry)."""
        self._use()
        return mlflow.pyfunc.load_model(self.version_uri(version))

    def chat(self, version: str | int):
        """The version's chat model (`llmops.train.chat_model.ChatModel`): what evaluation asks."""
        return self.load(version).unwrap_python_model().chat

    def _use(self) -> None:
        """MLflow's module-level calls resolve ``models:/`` against the global registry: make it this one."""
        mlflow.set_tracking_uri(self.client.tracking_uri)
        mlflow.set_registry_uri(self.client.tracking_uri)
