# The two commands: `make run` (the whole suite with demo data on http://localhost:8000) and
# `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export PYTHONPATH := $(CURDIR)
# a machine may set PYTHONDONTWRITEBYTECODE=1: every service process (the test suites start
# hundreds) would compile the project's modules again, ≈ 0.5 s of CPU each on 2 shared cores
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test install migrate demo unit lint bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) -m services.common.migrations upgrade

# the demo's own RabbitMQ vhost (created by `make run`): its RPC queues are never shared with
# another copy of the suite on the same broker. AMQP_URI set in the environment wins.
DEMO_VHOST ?= librairie-demo
run: export AMQP_URI ?= pyamqp://guest:guest@127.0.0.1:5672/$(DEMO_VHOST)
# the demo bookshop's bank details, printed on its invoices (« par virement (IBAN …) »): a
# sample IBAN with valid check digits, no real account; a real bookshop sets its own
run: export BOOKSHOP_IBAN ?= FR76 3000 6000 0112 3456 7890 189
run: install
	@if [ "$$AMQP_URI" = "pyamqp://guest:guest@127.0.0.1:5672/$(DEMO_VHOST)" ]; then \
	  scripts/ensure_rabbitmq.sh --vhost $(DEMO_VHOST); else scripts/ensure_rabbitmq.sh; fi
	$(PY) -m services.common.migrations upgrade
	$(PY) -m scripts.demo_data prepare
	@trap 'kill $$honcho 2>/dev/null; wait $$honcho' INT TERM; \
	$(VENV)/bin/honcho start -f Procfile & honcho=$$!; \
	$(PY) -m scripts.demo_data load || { kill $$honcho; wait $$honcho; exit 1; }; \
	wait $$honcho

test: install
	@scripts/ensure_rabbitmq.sh
	@scripts/ensure_postgres.sh
	@scripts/ensure_chromium.sh
	@scripts/ensure_pdftools.sh
	@scripts/ensure_axe.sh
	$(VENV)/bin/ruff check .
	@# the unit tests (no broker, no shared suite) on both cores; then integration and e2e on
	@# two workers, each with a suite of its own (a module stays on one worker), then the
	@# modules that start a broker or a suite of their own, on their own
	$(PY) -m pytest -n 2 tests/unit
	$(PY) -m pytest -n 2 --dist loadfile -m "not alone" tests/integration tests/e2e
	$(PY) -m pytest -m alone tests/integration tests/e2e

unit: install
	$(PY) -m pytest tests/unit

lint: install
	$(VENV)/bin/ruff check .

# Speed figures against the whole suite running for real (RabbitMQ, PostgreSQL, every service):
# printed with their goals and ratios, never asserted. Run on a quiet machine.
bench: install
	@scripts/ensure_rabbitmq.sh
	@scripts/ensure_postgres.sh
	$(PY) -m benchmarks.bench_subscription_form
	$(PY) -m benchmarks.bench_rpc_floor
	$(PY) -m benchmarks.bench_sheet
	$(PY) -m benchmarks.bench_feed_import
	$(PY) -m benchmarks.bench_grouped_orders --pdf-rows 0

clean:
	rm -rf var/*.db var/*.db-* var/mail
