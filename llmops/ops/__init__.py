"""Running the factory: the production stack on one machine (`stack`), backups and restores
(`backup`), encryption at rest (`at_rest`), the serving audit log (`audit_log`), API keys
(`api_keys`), the answers feedback may still rate (`responses`) and the locked JSON-lines file they
write through (`jsonl`).

May import: llmops.settings, llmops.ingest.access
"""
