# fieldnotes: build the site, run the tests, lint the prose.
# Every target bootstraps .venv/ (the project installed editable with its extras) when missing
# or when pyproject.toml changed, so a fresh machine needs only Python 3.11+ and make.

PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
STAMP      := $(VENV)/.installed
SPHINXOPTS ?= -W --keep-going
BUILDDIR   := _build
# The Vale binary the project uses: .tools/bin/vale, or an acceptable one on PATH.
VALE_STAMP := .tools/.vale-ok
# The wheels tests/test_wheel.py installs offline (tests/wheelhouse.py writes this file last).
WHEELHOUSE := $(VENV)/wheelhouse/requirements.txt
# The suite runs on every core, a test file per worker at a time, so that a file's module-scoped
# sites are built once (pytest-xdist); `make test PYTEST_ARGS="-n 0"` runs it in one process.
PYTEST_PARALLEL := -n auto --dist loadfile
# The version matrix (noxfile.py); `make test PYTEST_ARGS=...` passes the arguments to each session.
NOX        := $(BIN)/nox $(NOX_ARGS) $(if $(PYTEST_ARGS),-- $(PYTEST_ARGS))
# The browser tests' tools: Debian's Chromium and tests/browser/node_modules (Playwright, axe-core).
BROWSER_STAMP := tests/browser/node_modules/.installed
CHROMIUM   ?= /usr/bin/chromium
# actionlint checks the GitHub workflow `fieldnotes init` writes (tests/test_init.py). A Go
# module, built like Vale into .tools/bin.
ACTIONLINT_VERSION := 1.7.12
ACTIONLINT := .tools/bin/actionlint

.PHONY: help html dirhtml singlehtml text latex test matrix lint livehtml linkcheck clean bench vale fuzz browser-tools actionlint locales

help:
	@echo "make html       build the site into $(BUILDDIR)/html (warnings are errors)"
	@echo "make test       run the whole test suite (Vale included), then the version matrix"
	@echo "make matrix     the version matrix only: the suite under the oldest and newest releases"
	@echo "make lint       Vale over source/ plus a validation-only Sphinx build"
	@echo "make livehtml   rebuild and reload the site on every save"
	@echo "make linkcheck  check external links"
	@echo "make bench      benchmark fieldnotes against plain MyST and sphinx-needs"
	@echo "make fuzz       the property-based tests (pages, incremental builds) with many more examples"
	@echo "make locales    extract the labels into the .pot, merge it into each .po, compile the .mo"
	@echo "make clean      remove build output"

$(STAMP): pyproject.toml Makefile
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "fieldnotes needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[docs,test,dev,bench,themes]'
	@touch $(STAMP)

$(WHEELHOUSE): $(STAMP) tests/wheelhouse.py
	$(BIN)/python tests/wheelhouse.py

$(VALE_STAMP): linters/install-vale.sh
	@bash linters/install-vale.sh

# Chromium from Debian's packages when missing (CI runs as root; checked on every run, like Vale),
# then the npm packages from the lockfile. Playwright's own browser download is never used.
browser-tools: $(BROWSER_STAMP)
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; } || \
	  { echo "Could not install chromium: run 'apt-get install chromium' as root." >&2; exit 1; }

$(BROWSER_STAMP): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	@touch $(BROWSER_STAMP)

# Always re-checks (fast when Vale is there), so a removed .tools/bin/vale is rebuilt.
vale:
	@bash linters/install-vale.sh

# Always re-checks too: builds the pinned actionlint when .tools/bin has no such version.
actionlint:
	@$(ACTIONLINT) -version 2>/dev/null | grep -qx 'v$(ACTIONLINT_VERSION)' || { \
	  command -v go >/dev/null 2>&1 || { \
	    echo "actionlint $(ACTIONLINT_VERSION) (for the tests of fieldnotes init) is built with Go:" \
	      "install Go 1.24+, or put actionlint $(ACTIONLINT_VERSION) in .tools/bin/" >&2; exit 1; }; \
	  echo "Building actionlint $(ACTIONLINT_VERSION) with Go into .tools/bin"; \
	  GOBIN="$(CURDIR)/.tools/bin" go install github.com/rhysd/actionlint/cmd/actionlint@v$(ACTIONLINT_VERSION); }

html dirhtml singlehtml text latex: $(STAMP)
	$(BIN)/sphinx-build -b $@ $(SPHINXOPTS) . $(BUILDDIR)/$@

linkcheck: $(STAMP)
	$(BIN)/sphinx-build -b linkcheck . $(BUILDDIR)/linkcheck

livehtml: $(STAMP)
	$(BIN)/sphinx-autobuild --watch extensions . $(BUILDDIR)/html

# The suite in .venv/ (Python 3.11, the releases pip chose when it made .venv/), then each nox
# session: the same suite under other Pythons and releases.
test: $(STAMP) $(WHEELHOUSE) $(VALE_STAMP) actionlint browser-tools
	PATH="$(CURDIR)/.tools/bin:$$PATH" $(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)
	$(NOX)

matrix: $(STAMP) $(VALE_STAMP) browser-tools
	$(NOX)

lint: $(STAMP) $(VALE_STAMP)
	PATH="$(CURDIR)/.tools/bin:$$PATH" $(BIN)/python -m sphinx_fieldnotes lint source

bench: $(STAMP)
	$(BIN)/python tests/benchmarks/run.py $(BENCH_ARGS)

# LANGUAGE=nl starts a new language's catalogue first (see README, "The site's language").
locales: $(STAMP)
	$(BIN)/python -m sphinx_fieldnotes.locales $(if $(LANGUAGE),--add $(LANGUAGE))

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest tests/test_fuzz.py tests/test_incremental_machine.py $(PYTEST_ARGS)

clean:
	rm -rf $(BUILDDIR)
