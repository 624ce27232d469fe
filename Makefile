# Two commands do all the set-up:  make run  (index corpus/, serve the site)  and  make test.
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 5000
# The browser tests drive Debian's Chromium; `make test` installs it (as root, or with sudo).
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test install install-test browser clean opensearch opensearch-stop opensearch-build

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "brieven needs Python 3.11 or newer (set PYTHON=...)"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs the package (editable) into .venv; re-runs when setup.cfg changes.
$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/brieven index
	$(BIN)/brieven search "dialoog met Rusland" --limit 3
	$(BIN)/brieven serve --host $(HOST) --port $(PORT)

# Tests only: a system browser for the browser tests (Playwright's own download cannot work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium; }

# The OpenSearch tests start a two-node cluster from the launcher: built here (Maven fetches
# OpenSearch 2.19 from Maven Central the first time), so a failing build shows up on its own.
opensearch-build:
	@{ command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; } || { \
	  echo "Installing Debian's Java 17 and Maven for the local OpenSearch"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven; }
	./opensearch/cluster.sh build

test: $(VENV)/.installed-test browser opensearch-build
	$(BIN)/python -m pytest

# A local OpenSearch (2.19, from Maven Central) on 127.0.0.1:9200 for `--backend opensearch`:
# `make opensearch` one node, `make opensearch CLUSTER=2` two nodes in one cluster (9200, 9201);
# pids, logs and data under .opensearch/. Needs Java 17 and Maven.
CLUSTER ?= 1
opensearch: opensearch-build
	./opensearch/cluster.sh start $(CLUSTER)

opensearch-stop:
	./opensearch/cluster.sh stop

clean:
	rm -rf $(VENV) .brieven .opensearch opensearch/target
