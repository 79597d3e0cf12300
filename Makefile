# One place for the toolchain. Every target creates or reuses .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
REQS := requirements-dev.txt constraints.txt layers/replyloop/requirements.txt pyproject.toml

export TZ := UTC
export PYTHONPATH := $(CURDIR):$(CURDIR)/layers/replyloop

.PHONY: help venv demo serve test test-unit test-integration test-e2e eval bench lint fmt schemas events build deploy clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): $(REQS)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed (found $$($(PYTHON) --version))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

venv: $(STAMP) ## create or update .venv with the pinned dependencies

demo: $(STAMP) ## run the whole application on the local stack and replay the sample webhooks
	$(BIN)/python -m infra.local.demo

serve: $(STAMP) ## keep the local stack up and print ready-to-paste curl commands
	$(BIN)/python -m infra.local.serve

test: $(STAMP) ## every test: unit, integration (moto) and end-to-end (local stack)
	$(BIN)/python -m pytest --cov --cov-report=term:skip-covered

test-unit: $(STAMP) ## unit tests only
	$(BIN)/python -m pytest -m unit

test-integration: $(STAMP) ## integration tests only (moto)
	$(BIN)/python -m pytest -m integration

test-e2e: $(STAMP) ## end-to-end tests only (local stack over HTTP)
	$(BIN)/python -m pytest -m e2e

eval: $(STAMP) ## quality of the classifier and of the idea-merge decision on the labelled sets (dev and holdout)
	$(BIN)/python -m tests.eval.classification
	$(BIN)/python -m tests.eval.ideas

bench: $(STAMP) ## speed and cost: classifier, handler cold starts, local pipeline, USD per million comments
	$(BIN)/python -m tests.bench.classification
	$(BIN)/python -m tests.bench.cold_start
	$(BIN)/python -m tests.bench.pipeline
	$(BIN)/python -m tests.bench.cost

lint: $(STAMP) ## ruff (lint and format check) and cfn-lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cfn-lint template.yaml

fmt: $(STAMP) ## format and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schemas: $(STAMP) ## regenerate the JSON Schemas of the bus events from the pydantic models
	$(BIN)/python -m infra.event_schemas

events: $(STAMP) ## re-sign the HTTP API sample events in events/ from their raw bodies
	$(BIN)/python -m infra.local.sign_events

build: ## sam build (needs the SAM CLI and a python3.13 on PATH)
	sam build

deploy: build ## sam deploy with samconfig.toml (needs AWS credentials)
	sam deploy

clean: ## remove build output (keeps .venv)
	rm -rf build .aws-sam .pytest_cache .coverage
