"""Per-asset Kubernetes resources, read from ``infra/helm/asset-k8s-config.yaml`` into each asset's
``dagster-k8s/config`` op tag, so the Helm deployment's step pods get what each stage needs.

``LLMOPS_K8S_PROFILE`` picks a profile (``default``; ``gpu`` gives training and evaluation a GPU);
a profile's entries override the defaults asset by asset. The tags are inert outside Kubernetes.
"""

import os
from functools import cache
from pathlib import Path

import yaml

CONFIG_FILE = Path(__file__).resolve().parents[1] / "infra" / "helm" / "asset-k8s-config.yaml"
K8S_CONFIG_TAG = "dagster-k8s/config"


@cache
def _profiles() -> dict[str, dict]:
    return yaml.safe_load(CONFIG_FILE.read_text()) if CONFIG_FILE.is_file() else {"default": {}}


def k8s_op_tags(asset_name: str) -> dict[str, dict]:
    """The ``dagster-k8s/config`` tag for one asset in the selected profile (empty if none is set)."""
    profiles, profile = _profiles(), os.environ.get("LLMOPS_K8S_PROFILE", "default")
    if profile not in profiles:
        raise ValueError(f"LLMOPS_K8S_PROFILE={profile!r} is not in {CONFIG_FILE.name}: one of {sorted(profiles)}")
    config = profiles[profile].get(asset_name) or profiles.get("default", {}).get(asset_name)
    return {K8S_CONFIG_TAG: config} if config else {}
