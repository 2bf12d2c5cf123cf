# securecloud.monitor — set up, deploy, test, benchmark.
# `make deploy` and `make test` each set everything up first.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(CURDIR)/$(VENV)/bin
CHECKOV_VENV ?= .venv-checkov
GALAXY_VENV ?= .venv-galaxy
INVENTORY ?= inventories/local
LOCALCLOUD_PORT ?= 4566
WORK := $(CURDIR)/.work
ARGS ?=
# make diagrams only: e.g. --copy-to DIR to also copy the first environment's PNGs (what readme-diagrams does)
DIAGRAMS_COPY ?=
REMEDIATE ?= false
# ansible-test sanity: the pinned ansible-core on Python 3.11, and the newest ansible-core (needs Python >= 3.12).
SANITY_CORE ?= 2.19.14
SANITY_PYTHON ?= python3.11
SANITY_NEWEST_CORE ?= 2.21.5
SANITY_NEWEST_PYTHON ?= python3.12
# make integration runs this many test files at a time (pytest-xdist workers, each with its own local cloud);
# 0 runs them one after the other in one process.
INTEGRATION_WORKERS ?= 2
# make unit runs the unit and local-cloud tests on this many pytest-xdist workers (0: one process).
UNIT_WORKERS ?= 2
# make molecule runs this many role scenarios at a time (each has its own local cloud port; only base_infra runs
# Terraform, so no two share a plugin cache).
MOLECULE_JOBS ?= 2
DOCS_BUILD := $(CURDIR)/docs/_build
# make test builds the docs from an environment of its own on this port.
DOCS_LOCALCLOUD_PORT ?= 4597

export LOCALCLOUD_PORT
export LOCALCLOUD_ENDPOINT ?= http://127.0.0.1:$(LOCALCLOUD_PORT)
export TF_CLI_CONFIG_FILE := $(WORK)/terraformrc
# Terraform and its provider are Go programs: base_infra_terraform_gogc's setting for the Terraform that make and the
# tests run themselves (terraform validate, the tests' plans).
export GOGC ?= 300
# .collections/ansible_collections/securecloud/monitor is a committed link to this checkout.
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.collections
export PATH := $(BIN):$(PATH)

ANSIBLE_PLAYBOOK := $(BIN)/ansible-playbook -i $(INVENTORY)
# Against the local cloud, a run that must not change the account (compliance without REMEDIATE, deploy with
# --check) runs with the request recorder on and fails (exit 3) if it makes a mutating call.
READ_ONLY_GUARD := $(if $(filter inventories/local%,$(INVENTORY)),$(BIN)/python -m tools.harness.read_only --endpoint $(LOCALCLOUD_ENDPOINT) --)
LOCALCLOUD := $(BIN)/python -m tools.localcloud

.PHONY: help setup deploy test teardown lint galaxy-importer sanity ee-context bench localcloud-start localcloud-stop localcloud-reset \
        unit integration molecule test-docs terraform-config browser graphviz diagrams readme-diagrams docs clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements/runtime.txt requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

$(CURDIR)/$(CHECKOV_VENV)/.installed: requirements/checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/checkov.txt
	touch $@

$(CURDIR)/$(GALAXY_VENV)/.installed: requirements/galaxy.txt
	$(PYTHON) -m venv $(GALAXY_VENV)
	$(GALAXY_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/galaxy.txt
	touch $@

# At every interpreter start, the virtualenv keeps the bytecode of what modules import from their zip file
# (tools/interpreter_speedups.py).
$(CURDIR)/$(VENV)/.interpreter-speedups-installed: tools/interpreter_speedups.py $(BIN)/.installed
	$(BIN)/python tools/interpreter_speedups.py
	touch $@

terraform-config: ## Write the Terraform CLI config (uses a local provider mirror when one exists)
	@$(PYTHON) tools/terraform_cli_config.py $(TF_CLI_CONFIG_FILE)

setup: $(BIN)/.installed $(CURDIR)/$(VENV)/.interpreter-speedups-installed terraform-config ## Virtualenv, pinned dependencies, Terraform config
	@command -v terraform >/dev/null || { echo "terraform is not on PATH: install Terraform >= 1.11"; exit 1; }

browser: ## Headless Chromium for the report rendering test (Debian's package; installs when missing, as root)
	@[ -n "$${CHROMIUM:-}" ] || tools/install-debian-package.sh chromium chromium "the report rendering test"

graphviz: ## Graphviz for the architecture diagrams (Debian's package; installs when missing, as root)
	@tools/install-debian-package.sh dot graphviz "the architecture diagrams"

localcloud-start: setup ## Start the local cloud (AWS emulator on 127.0.0.1:$(LOCALCLOUD_PORT))
	$(LOCALCLOUD) start --port $(LOCALCLOUD_PORT)

localcloud-stop: ## Stop the local cloud
	$(LOCALCLOUD) stop --port $(LOCALCLOUD_PORT)

localcloud-reset: ## Empty the local cloud
	$(LOCALCLOUD) reset --port $(LOCALCLOUD_PORT)

deploy: setup ## Set up, start the local cloud (local inventory) and run site.yml
ifneq ($(filter inventories/local%,$(INVENTORY)),)
	$(LOCALCLOUD) start --port $(LOCALCLOUD_PORT)
endif
	$(if $(filter --check -C,$(ARGS)),$(READ_ONLY_GUARD)) $(ANSIBLE_PLAYBOOK) site.yml $(ARGS)

compliance: setup ## Drift and posture check of every environment, reports in reports/ (REMEDIATE=true repairs drift)
	$(if $(filter true,$(REMEDIATE)),,$(READ_ONLY_GUARD)) $(ANSIBLE_PLAYBOOK) playbooks/compliance.yml -e remediate=$(REMEDIATE) $(ARGS)

diagrams: setup graphviz ## Architecture diagrams of each environment into docs/_build/diagrams (local inventory: starts the local cloud, applies the base layer when needed)
ifneq ($(filter inventories/local%,$(INVENTORY)),)
	$(LOCALCLOUD) start --port $(LOCALCLOUD_PORT)
	$(ANSIBLE_PLAYBOOK) playbooks/base.yml $(ARGS)
endif
	rm -rf $(DOCS_BUILD)/model $(DOCS_BUILD)/diagrams
	$(ANSIBLE_PLAYBOOK) playbooks/architecture_model.yml -e architecture_model_dir=$(DOCS_BUILD)/model $(ARGS)
	$(BIN)/python -m tools.diagrams $(DOCS_BUILD)/model $(DOCS_BUILD)/diagrams $(DIAGRAMS_COPY)

readme-diagrams: ## Diagrams as make diagrams, the first environment's also copied to docs/images (the README's; commit them)
	$(MAKE) diagrams DIAGRAMS_COPY="--copy-to docs/images"

docs: diagrams ## Documentation site into docs/_build/html: reference, guides, runbooks, diagrams (fails on broken references)
	$(BIN)/python -m tools.docs.build --diagrams $(DOCS_BUILD)/diagrams

teardown: setup ## Remove everything site.yml created
	$(ANSIBLE_PLAYBOOK) playbooks/teardown.yml $(ARGS)

lint: setup $(CURDIR)/$(CHECKOV_VENV)/.installed ## ruff, yamllint, ansible-lint, terraform fmt/validate, checkov, role READMEs, galaxy-importer, ansible-test sanity
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/yamllint --strict .
	$(BIN)/ansible-lint
	terraform fmt -check -recursive -diff terraform
	# On a copy, with a plugin cache of its own: init writes a lock file beside the code, and make test runs this
	# beside deployments of terraform/ (Terraform's plugin cache is not safe for concurrent inits).
	rm -rf $(WORK)/tf-validate && mkdir -p $(WORK)/tf-validate && cp -r terraform $(WORK)/tf-validate/code
	$(PYTHON) tools/terraform_cli_config.py $(WORK)/tf-validate/terraformrc --cache-dir $(WORK)/tf-validate/plugin-cache >/dev/null
	cd $(WORK)/tf-validate && export TF_CLI_CONFIG_FILE=$$PWD/terraformrc TF_DATA_DIR=$$PWD/data && \
	  terraform -chdir=code init -backend=false -input=false -no-color >/dev/null && terraform -chdir=code validate -no-color
	CKV_SKIP_PACKAGE_UPDATE_CHECK=true BC_SKIP_MAPPING=TRUE $(CHECKOV_VENV)/bin/checkov \
	  -d terraform --framework terraform --skip-download --quiet --compact
	$(BIN)/python -m tools.role_readme --check
	$(MAKE) --no-print-directory galaxy-importer
	$(MAKE) --no-print-directory sanity

sanity: setup ## ansible-test sanity, locally, on the pinned and the newest ansible-core (tools/sanity/run.sh; ignores in tests/sanity/)
	tools/sanity/run.sh $(SANITY_CORE) $(SANITY_PYTHON)
	tools/sanity/run.sh $(SANITY_NEWEST_CORE) $(SANITY_NEWEST_PYTHON)

# Galaxy's own import checks on the tarball `ansible-galaxy collection build` makes (ansible-doc of every plugin with
# the dependency collections present, metadata, READMEs, licence). galaxy-importer exits 0 even when it logs errors,
# so any ERROR or WARNING line fails the target. Its built-in ansible-lint pass is off: `make lint` runs ansible-lint
# (production profile) on the whole checkout, a superset of the tarball, and the importer's pass took another 60 s.
galaxy-importer: $(CURDIR)/$(GALAXY_VENV)/.installed ## Build the collection tarball and run galaxy-importer on it (fails on any error or warning)
	rm -rf $(WORK)/galaxy && mkdir -p $(WORK)/galaxy
	$(BIN)/ansible-galaxy collection build --output-path $(WORK)/galaxy >/dev/null
	cd $(WORK)/galaxy && PATH=$(CURDIR)/$(GALAXY_VENV)/bin:$$PATH GALAXY_IMPORTER_RUN_ANSIBLE_LINT=false \
	  ANSIBLE_LOCAL_TEMP=$(WORK)/galaxy/tmp $(CURDIR)/$(GALAXY_VENV)/bin/python -m galaxy_importer.main \
	  securecloud-monitor-*.tar.gz >importer.log 2>&1 || { cat importer.log; exit 1; }
	@if grep -E '^(ERROR|WARNING)' $(WORK)/galaxy/importer.log; then echo "galaxy-importer: see $(WORK)/galaxy/importer.log"; exit 1; fi
	@grep -E 'Importer processing completed successfully' $(WORK)/galaxy/importer.log

unit: setup graphviz ## Unit tests and local-cloud tests
	$(BIN)/pytest tests/unit tests/localcloud -n $(UNIT_WORKERS)

integration: setup browser ## Integration tests: site.yml on a fresh local cloud, checked through boto3 (INTEGRATION_WORKERS files at a time)
	$(BIN)/pytest tests/integration -n $(INTEGRATION_WORKERS) --dist loadfile --no-loadscope-reorder --durations 40

molecule: setup ## Molecule scenarios of every role (MOLECULE_JOBS at a time; each scenario's log is printed when it ends)
	@BIN=$(BIN) tools/molecule-all.sh $(MOLECULE_JOBS) roles/base_infra/ $(filter-out roles/base_infra/,$(sort $(wildcard roles/*/)))

# The integration tests run in the foreground (test_site.py, one worker's file, is the critical path: much of its
# wall time is Terraform's and the retries' waits); lint, the unit tests, the docs site and Molecule beside them at a
# lower CPU priority. nice is a weight per task: while those run they still slow test_site.py's first tests (2 to 5
# times, measured), and the whole run is bound by its CPU. What they share is set up first, one at a time.
test: setup $(CURDIR)/$(CHECKOV_VENV)/.installed $(CURDIR)/$(GALAXY_VENV)/.installed ## Set up, then the integration tests with lint, the unit tests, the docs site and Molecule beside them
	$(MAKE) --no-print-directory browser graphviz
	tools/test-concurrently.sh $(WORK)/test-logs "$(MAKE) --no-print-directory integration" \
	  "$(MAKE) --no-print-directory lint" "$(MAKE) --no-print-directory unit" \
	  "$(MAKE) --no-print-directory test-docs" "$(MAKE) --no-print-directory molecule"

test-docs: setup ## The docs site as make test builds it: from an environment of its own, on a local cloud on port $(DOCS_LOCALCLOUD_PORT) stopped after
	rm -rf $(WORK)/docs-environments
	status=0; SECURECLOUD_WORK_DIR=$(WORK)/docs-environments LOCALCLOUD_PORT=$(DOCS_LOCALCLOUD_PORT) \
	  LOCALCLOUD_ENDPOINT=http://127.0.0.1:$(DOCS_LOCALCLOUD_PORT) INVENTORY=inventories/local \
	  $(MAKE) --no-print-directory docs || status=$$?; \
	  $(LOCALCLOUD) stop --port $(DOCS_LOCALCLOUD_PORT); exit $$status

ee-context: setup ## Build context of the execution environment (the collection tarball from this checkout, then ansible-builder create into .work/ee/context)
	$(BIN)/python -c 'from tools.harness.ee import build_ee_tarball; print(build_ee_tarball())'
	$(BIN)/ansible-builder create -f execution-environment.yml --context $(WORK)/ee/context

bench: setup ## Benchmarks: cold and no-op site.yml vs a Terraform-only apply, API calls per action
	$(BIN)/python -m tools.bench

clean: ## Remove virtualenvs, work dirs and caches (stop the local cloud first)
	rm -rf $(VENV) $(CHECKOV_VENV) $(GALAXY_VENV) .work .localcloud .pytest_cache .ruff_cache
