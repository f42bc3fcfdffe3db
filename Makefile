# jupyterlab-dataops: the README's two commands are `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
JUPYTER := $(VENV)/bin/jupyter
# Where `native-wheel` puts the compiled scanner's wheel, and the maturin that builds it.
NATIVE_WHEELS := build/wheels
MATURIN := maturin>=1.7,<2
export PYTHON := $(abspath $(PY))
# jupyter labextension build/develop run `jupyter-builder` from PATH: the venv comes first.
# cargo (rustup's default place) builds the compiled SDMX observation scanner in native/.
export PATH := $(abspath $(VENV))/bin:$(HOME)/.cargo/bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: demo test install build r-deps native-wheel lint check-py check-js pytest jest ui-test engine system-deps clean mutation mutation-js

## demo: install everything, build, start JupyterLab with the demo configuration (prints the URL)
demo: install
	scripts/demo.sh

## test: install what is missing and run every check
test: install system-deps ui-tests/node_modules/.installed
	$(MAKE) -k check-py check-js pytest jest ui-test

# gitlab-ci-local: see $(VENV)/tools below
GITLAB_CI_LOCAL_VERSION := 4.72.0
install: $(VENV)/.installed $(VENV)/tools/.installed-$(GITLAB_CI_LOCAL_VERSION) $(VENV)/.r-installed shiny-server

# gitlab-ci-local runs the local pipelines of plain git environments (the demo's) and the tests of the
# generated .gitlab-ci.yml; 4.72.0 is the newest release that runs on Node 20 (tests/pipelines pins it too)
$(VENV)/tools/.installed-$(GITLAB_CI_LOCAL_VERSION):
	mkdir -p $(VENV)/tools
	npm install --prefix $(VENV)/tools --no-save --no-audit --no-fund --loglevel=error gitlab-ci-local@$(GITLAB_CI_LOCAL_VERSION)
	touch $@

# Debian's shiny-server, real, in a private prefix beside Node 20 (scripts/install_shiny_server.sh says how);
# the script is idempotent (its marker names the version unpacked)
.PHONY: shiny-server
shiny-server:
	bash scripts/install_shiny_server.sh $(VENV)/tools/shiny-server

# Two distributions, both editable: the library `dataops` (python/dataops), then the extension that
# depends on it. A venv from before the split lists the `dataops` command among jupyterlab-dataops'
# files: that is uninstalled first, or replacing it would delete the command the library just installed.
# The compiled scanner comes from the wheel `native-wheel` built (the `fast` extra), as users get it.
$(VENV)/.installed: pyproject.toml python/dataops/pyproject.toml package.json package-lock.json $(NATIVE_WHEELS)/.built
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "jupyterlab>=4.6,<5" hatchling hatch-jupyter-builder hatch-nodejs-version
	npm ci --no-audit --no-fund
	npm run build:prod
	$(PY) -m pip install -q --force-reinstall --no-deps $(NATIVE_WHEELS)/dataops_native-*.whl
	$(PY) -m pip uninstall -q -y jupyterlab-dataops
	$(PY) -m pip install -q --find-links $(NATIVE_WHEELS) -e "python/dataops[fast]"
	$(PY) -m pip install -q --find-links $(NATIVE_WHEELS) -e ".[test,fast]"
	$(JUPYTER) labextension develop --overwrite .
	# voila (test extra: tests/dashboards) brings a "Voilà preview" button and /voila routes the product does not offer
	$(JUPYTER) labextension disable --level=sys_prefix @voila-dashboards/jupyterlab-preview
	$(JUPYTER) server extension disable --sys-prefix voila.server_extension
	touch $@

## native-wheel: the compiled SDMX scanner (native/) as a wheel in build/wheels, built by maturin
## (from PyPI, into the venv) with cargo; rebuilt when a file of native/ changes. Users install it
## without a Rust toolchain as `jupyterlab-dataops[fast]` (or `dataops-core[fast]`).
native-wheel: $(NATIVE_WHEELS)/.built

$(NATIVE_WHEELS)/.built: native/pyproject.toml native/Cargo.toml native/Cargo.lock $(wildcard native/src/*.rs)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q "$(MATURIN)"
	rm -f $(NATIVE_WHEELS)/dataops_native-*.whl
	$(VENV)/bin/maturin build --release --manifest-path native/Cargo.toml --out $(NATIVE_WHEELS)
	touch $@

## r-deps: R from Debian's packages (R itself, the IR kernel, the R package's and the R helpers'
## libraries), apt-installed when one is missing. shiny-server is not among them: Debian's
## package pulls in its own Node.js.
R_PACKAGES := r-base-core r-cran-irkernel r-cran-jsonlite r-cran-httr r-cran-curl r-cran-rsdmx \
	r-cran-testthat r-cran-shiny
R_APT_NEEDED = $(foreach p,$(R_PACKAGES),$(if $(shell dpkg-query -W -f='$${db:Status-Status}' $(p) 2>/dev/null | grep -x installed),,$(p)))
r-deps:
	@if [ -n "$(strip $(R_APT_NEEDED))" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(R_APT_NEEDED); fi

# The R package `dataops` (r/dataops, docs/r.md) goes into the project's own R library, and the IR
# kernelspec in the venv names that library in R_LIBS, so R notebooks find it; Rscript outside
# the kernel finds it with R_LIBS=.venv/R-library.
R_LIBRARY := $(VENV)/R-library
$(VENV)/.r-installed: $(VENV)/.installed r/dataops/DESCRIPTION r/dataops/NAMESPACE $(wildcard r/dataops/R/*.R) | r-deps
	mkdir -p $(R_LIBRARY) $(VENV)/share/jupyter/kernels/ir
	R CMD INSTALL --no-multiarch --library=$(R_LIBRARY) r/dataops
	printf '{"argv": ["R", "--slave", "-e", "IRkernel::main()", "--args", "{connection_file}"],\n "display_name": "R", "language": "R", "env": {"R_LIBS": "%s"}}\n' \
		"$(abspath $(R_LIBRARY))" > $(VENV)/share/jupyter/kernels/ir/kernel.json
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

## engine: build (once) and start the Camunda 7-compatible engine with the sample processes, on the
## demo's database (.demo/engine), so a demo whose engine stopped finds its runs again
engine:
	DATAOPS_ENGINE_DATA=$${DATAOPS_ENGINE_DATA:-$(CURDIR)/.demo/engine} bash scripts/engine.sh start

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

# The main suite, then the metadata editors' journey (its own server and environments).
ui-test:
	cd ui-tests && npx playwright test; main=$$?; npx playwright test -c metadata.config.js; meta=$$?; \
	exit $$(( main || meta ))

clean:
	rm -rf lib jupyterlab_dataops/labextension tsconfig.tsbuildinfo build/wheels $(VENV) node_modules ui-tests/node_modules
