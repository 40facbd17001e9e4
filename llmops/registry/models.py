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


@dataclass(frozen=True)
class ModelRegistry:
    """One registered model in one MLflow registry (the tracking store's own registry)."""

    client: MlflowClient
    name: str

    @classmethod
    def at(cls, tracking_uri: str, name: str) -> ModelRegistry:
        return cls(MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri), name)

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
        return mlflow.register_model(model_uri, self.name, tags=tags or {}).version

    def point(self, alias: str, version: str | int) -> None:
        self.client.set_registered_model_alias(self.name, alias, str(version))

    def drop(self, alias: str) -> None:
        self.client.delete_registered_model_alias(self.name, alias)

    def tag(self, version: str | int, key: str, value: str) -> None:
        self.client.set_model_version_tag(self.name, str(version), key, value)

    def load(self, version: str | int) -> mlflow.pyfunc.PyFuncModel:
        """The version's pyfunc model (its artifacts resolved through this registry)."""
        self._use()
        return mlflow.pyfunc.load_model(self.version_uri(version))

    def _use(self) -> None:
        """MLflow's module-level calls resolve ``models:/`` against the global registry: make it this one."""
        mlflow.set_tracking_uri(self.client.tracking_uri)
        mlflow.set_registry_uri(self.client.tracking_uri)
