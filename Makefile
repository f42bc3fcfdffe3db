# jupyterlab-dataops: the README's two commands are `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
JUPYTER := $(VENV)/bin/jupyter
export PYTHON := $(abspath $(PY))
# jupyter labextension build/develop run `jupyter-builder` from PATH: the venv comes first.
# cargo (rustup's default place) builds the compiled SDMX observation scanner in native/.
export PATH := $(abspath $(VENV))/bin:$(HOME)/.cargo/bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: demo test install build lint check-py check-js pytest jest ui-test engine system-deps clean mutation mutation-js

## demo: install everything, build, start JupyterLab with the demo configuration (prints the URL)
demo: install
	scripts/demo.sh

## test: install what is missing and run every check
test: install system-deps ui-tests/node_modules/.installed
	$(MAKE) -k check-py check-js pytest jest ui-test

install: $(VENV)/.installed

# Two distributions, both editable: the library `dataops` (python/dataops), then the extension that
# depends on it. A venv from before the split lists the `dataops` command among jupyterlab-dataops'
# files: that is uninstalled first, or replacing it would delete the command the library just installed.
$(VENV)/.installed: pyproject.toml python/dataops/pyproject.toml package.json package-lock.json native/Cargo.toml native/Cargo.lock $(wildcard native/src/*.rs)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "jupyterlab>=4.6,<5" hatchling hatch-jupyter-builder hatch-nodejs-version
	npm ci --no-audit --no-fund
	npm run build:prod
	$(PY) -m pip install -q ./native
	$(PY) -m pip uninstall -q -y jupyterlab-dataops
	$(PY) -m pip install -q -e python/dataops
	$(PY) -m pip install -q -e ".[test]"
	$(JUPYTER) labextension develop --overwrite .
	touch $@

## build: rebuild the labextension after a change in src/
build:
	npm run build

ui-tests/node_modules/.installed: ui-tests/package.json
	cd ui-tests && npm install --no-audit --no-fund
	touch $@

## system-deps: Debian's chromium for the UI tests (Playwright never downloads a browser here),
## rsync for gitlab-ci-local, PostgreSQL's server (the tests start their own with initdb/pg_ctl);
## Java 17 and Maven come with the machine
APT_NEEDED = $(if $(shell command -v chromium),,chromium) $(if $(shell command -v rsync),,rsync) \
	$(if $(wildcard /usr/lib/postgresql/*/bin/initdb),,postgresql)
system-deps:
	@if [ -n "$(strip $(APT_NEEDED))" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_NEEDED); fi

## engine: build (once) and start the Camunda 7-compatible engine with the sample processes
engine:
	bash scripts/engine.sh start

## mutation: mutation testing of the modules that keep users safe (slow, not part of `test`);
## GROUPS="periods watch" runs some groups only (docs/testing.md)
MUTMUT := mutmut==3.8.1
GROUPS ?=
mutation: install
	$(PY) -m pip install -q "$(MUTMUT)"
	$(PY) scripts/mutation.py $(GROUPS)

## mutation-js: StrykerJS over the TypeScript models that keep users safe (stryker.config.json; slow)
mutation-js: install
	npx stryker run

lint: install
	$(VENV)/bin/ruff format dataops jupyterlab_dataops tests bench examples
	$(VENV)/bin/ruff check --fix dataops jupyterlab_dataops tests bench examples
	npm run lint

check-py:
	$(VENV)/bin/ruff check dataops jupyterlab_dataops tests bench examples
	$(VENV)/bin/ruff format --check dataops jupyterlab_dataops tests bench examples
	$(VENV)/bin/mypy

check-js:
	npm run lint:check
	npm run typecheck

pytest:
	$(VENV)/bin/pytest

jest:
	npx jest

ui-test:
	cd ui-tests && npx playwright test

clean:
	rm -rf lib jupyterlab_dataops/labextension tsconfig.tsbuildinfo $(VENV) node_modules ui-tests/node_modules
