"""The domain library of the private-LLM factory: one package per stage of the chain, plain Python
with no Dagster imports (the Dagster folders `assets/`, `jobs/`, `sensors/` and `orchestration/`
wrap it). docs/architecture.md maps the packages; each package's docstring says what it owns and,
on its ``May import:`` line, which other packages it may use (tests/test_layout.py holds them to it).
"""
