"""IO manager that keeps asset outputs encrypted at rest.

Dagster's default IO manager pickles every output in plain form under the instance's storage
folder: the raw documents (with personal data) and the scrubbed corpus would sit on disk readable by
anyone with the volume. When ``LLMOPS_AT_REST_KEY`` is set, `build_resources` swaps in this one:
the same layout (one file per asset key), each file a Fernet token of the pickle.
"""

import pickle
from typing import Any

from dagster import ConfigurableIOManagerFactory, EnvVar, InitResourceContext, InputContext, OutputContext, UPathIOManager
from pydantic import Field
from upath import UPath

from llmops.ops.at_rest import KEY_ENV, Cipher, read_bytes


class _EncryptedPickleIOManager(UPathIOManager):
    extension: str = ".fernet"

    def __init__(self, base_path: UPath, cipher: Cipher) -> None:
        super().__init__(base_path=base_path)
        self._cipher = cipher

    def dump_to_path(self, context: OutputContext, obj: Any, path: UPath) -> None:
        path.write_bytes(self._cipher.encrypt(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)))

    def load_from_path(self, context: InputContext, path: UPath) -> Any:
        return pickle.loads(read_bytes(path, self._cipher))


class EncryptedFilesystemIOManager(ConfigurableIOManagerFactory):
    """Pickled outputs encrypted with the key(s) in ``LLMOPS_AT_REST_KEY`` (comma-separated to rotate)."""

    key: str = Field(description="Fernet key(s); pass EnvVar('LLMOPS_AT_REST_KEY') so the UI never shows it")
    base_dir: str | None = Field(default=None, description="default: the instance's storage folder")

    @classmethod
    def from_env(cls) -> "EncryptedFilesystemIOManager":
        return cls(key=EnvVar(KEY_ENV))

    def create_io_manager(self, context: InitResourceContext) -> _EncryptedPickleIOManager:
        base_dir = self.base_dir or context.instance.storage_directory()
        return _EncryptedPickleIOManager(UPath(base_dir), Cipher(self.key))
