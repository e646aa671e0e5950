# cnnspec: a static layer-graph compiler for convolutional networks.
#
# Targets:
#   make            build the release binary and check every spec in specs/ (the main job)
#   make build      swift build -c release  ->  .build/release/cnnspec
#   make test       the test suite (XCTest; Swift toolchain only, no Python needed)
#   make check      cnnspec check on every spec in specs/ (fails on the first invalid one) and
#                   on every family in specs/families/ (fails when no member of one is valid)
#   make report     text, JSON, Markdown and CSV reports of every spec into out/
#   make examples   regenerate the example pages docs/examples/*.html (and .svg) from specs/
#   make browser-check  render HTML reports in headless Chromium, check them, screenshots in out/browser/
#   make fmt        cnnspec fmt -w on every spec in specs/ and docs/examples/ (the canonical layout)
#   make fmt-check  fail if a spec there is not formatted (cnnspec fmt --check; also tested by make test)
#   make generate   regenerate generated/ (the Swift of every spec; compiled and tested by make test)
#   make check-generated  fail if generated/ differs from what cnnspec writes now (also in make test)
#   make bench      time `cnnspec check` on the largest specs (scripts/bench.py; table on stdout),
#                   then make bench-models
#   make bench-models  the generated code of 10 nets against ONNX Runtime and PyTorch, 1 and 2
#                   threads, same weights (scripts/bench_models.py; installs onnx/onnxruntime into
#                   the venv when missing; files in out/bench/)
#   make bench-layers  the same with per-layer times of the generated code (--layers)
#   make reference  re-record the PyTorch/torchvision reference fixtures (needs .venv with torch)
#   make compare    compare every spec that has a recorded reference with it (scripts/compare_reference.py)
#   make fixtures   re-record the code generator's PyTorch fixtures (weights, inputs, outputs as safetensors)
#                   in Tests/CNNSpecTests/Fixtures/codegen (scripts/record_codegen_fixtures.py; needs .venv with torch)
#   make torchvision-fixtures  export torchvision's resnet18 and vgg16 (random init) with an input and
#                   output to out/torchvision/ (scripts/export_torchvision.py; ~600 MB, not committed)
#   make torchvision-check  build resnet18 and vgg16 with cnnspec build, run them on those exports and
#                   compare with torchvision's outputs (scripts/torchvision_check.py)
#   make clean      remove build products and out/
#   make help       print this list
#
# Variables: SWIFT (default swift), PYTHON (default python3), VENV (default .venv).

SWIFT   ?= swift
PYTHON  ?= python3
VENV    ?= .venv
CNNSPEC := .build/release/cnnspec
SPECS   := $(sort $(wildcard specs/*.cnn))
EXAMPLES := $(sort $(wildcard docs/examples/*.cnn))
FAMILIES := $(sort $(wildcard specs/families/*.cnn))
REFS    := $(patsubst Tests/CNNSpecTests/Fixtures/reference/%.json,specs/%.cnn,$(sort $(wildcard Tests/CNNSpecTests/Fixtures/reference/*.json)))

GENERATED_VARIANT := -D N=1 -D K=0 --name Cs231nPatternN1K0 --shared-runtime specs/cs231n_pattern.cnn

.PHONY: all build test check report generate check-generated examples browser-check fmt fmt-check bench reference compare clean help

all: build check

build:
	$(SWIFT) build -c release

# Optimized (the generated code of VGG-19 and the reference interpreter run in the tests), and
# without testable imports, so that it reuses what `make build` compiled.
test:
	$(SWIFT) test -c release --disable-testable-imports --disable-swift-testing

generate: build
	@rm -f generated/*.swift
	$(CNNSPEC) gen $(SPECS) -o generated --index --shared-runtime 2>/dev/null
	$(CNNSPEC) gen $(GENERATED_VARIANT) -o generated 2>/dev/null

check-generated: build
	@rm -rf out/generated && mkdir -p out/generated
	@$(CNNSPEC) gen $(SPECS) -o out/generated --index --shared-runtime >/dev/null 2>&1
	@$(CNNSPEC) gen $(GENERATED_VARIANT) -o out/generated >/dev/null 2>&1
	@diff -ru generated out/generated && echo "generated/ is up to date"

check: build
	@set -e; for f in $(SPECS); do \
	  out=$$($(CNNSPEC) check "$$f" 2>/dev/null) || { $(CNNSPEC) check "$$f" >/dev/null; exit 1; }; \
	  printf '%-28s%s\n' "$$f" "$$(echo "$$out" | head -1)"; \
	done
	@set -e; for f in $(FAMILIES); do \
	  out=$$($(CNNSPEC) check "$$f" 2>/dev/null) || { $(CNNSPEC) check "$$f"; exit 1; }; \
	  printf '%s\n  %s\n' "$$f" "$$(echo "$$out" | head -1)"; \
	done

report: build
	@mkdir -p out
	@set -e; for f in $(SPECS); do \
	  n=$$(basename "$$f" .cnn); \
	  $(CNNSPEC) report "$$f" -o out/$$n.txt 2>/dev/null; \
	  $(CNNSPEC) report "$$f" --format json -o out/$$n.json 2>/dev/null; \
	  $(CNNSPEC) report "$$f" --format markdown -o out/$$n.md 2>/dev/null; \
	  $(CNNSPEC) report "$$f" --format csv -o out/$$n.csv 2>/dev/null; \
	done; echo "reports written to out/"

EXAMPLE_PAGES := lenet5 vgg16 resnet50

examples: build
	@mkdir -p docs/examples
	@set -e; for n in $(EXAMPLE_PAGES); do \
	  $(CNNSPEC) report specs/$$n.cnn --format html -o docs/examples/$$n.html 2>/dev/null; \
	done; \
	$(CNNSPEC) report specs/resnet50.cnn --format svg -o docs/examples/resnet50.svg 2>/dev/null; \
	echo "examples written to docs/examples/"

browser-check: build
	$(PYTHON) scripts/browser_check.py --cnnspec $(CNNSPEC)

fmt: build
	$(CNNSPEC) fmt -w $(SPECS) $(EXAMPLES)

fmt-check: build
	$(CNNSPEC) fmt --check $(SPECS) $(EXAMPLES)

bench: build
	$(PYTHON) scripts/bench.py $(CNNSPEC)
	$(PYTHON) scripts/bench_models.py --cnnspec $(CNNSPEC) --python $(VENV)/bin/python

.PHONY: bench-models bench-layers

bench-models: build
	$(PYTHON) scripts/bench_models.py --cnnspec $(CNNSPEC) --python $(VENV)/bin/python

bench-layers: build
	$(PYTHON) scripts/bench_models.py --cnnspec $(CNNSPEC) --python $(VENV)/bin/python --layers

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install torch torchvision safetensors

reference: $(VENV)/bin/python
	$(VENV)/bin/python scripts/record_reference.py

compare: build
	$(PYTHON) scripts/compare_reference.py $(REFS) --cnnspec $(CNNSPEC)

.PHONY: fixtures torchvision-fixtures torchvision-check

fixtures: build $(VENV)/bin/python
	$(VENV)/bin/python scripts/record_codegen_fixtures.py --cnnspec $(CNNSPEC)

torchvision-fixtures: build $(VENV)/bin/python
	$(VENV)/bin/python scripts/export_torchvision.py --cnnspec $(CNNSPEC)

torchvision-check: build
	@test -f out/torchvision/vgg16.io.safetensors || $(MAKE) torchvision-fixtures
	$(CNNSPEC) build specs/resnet18.cnn -o out/torchvision/resnet18 2>/dev/null
	$(CNNSPEC) build specs/vgg16.cnn -o out/torchvision/vgg16 2>/dev/null
	$(PYTHON) scripts/torchvision_check.py

clean:
	rm -rf .build out

help:
	@sed -n '3,/^$$/p' Makefile | sed 's/^# \{0,1\}//'
