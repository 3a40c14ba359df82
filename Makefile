# The two commands of the README: `make demo` and `make test`. Both create .venv when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint services

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/singlewindow demo

services:
	bash scripts/services.sh

# One pytest worker per core, a test file per worker at a time (its warm app stays warm); then the
# reliability tests alone: they restart PostgreSQL and stop RabbitMQ under everyone's feet.
test: $(STAMP) services
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not reliability"
	$(BIN)/python -m pytest -m reliability

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench
	$(BIN)/mypy
	$(BIN)/lint-imports
