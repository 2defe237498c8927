# key_account_management: the two commands of the README, and a few helpers.
PYTHON ?= python3

.PHONY: demo test test-unit test-system test-core test-core-baseline lint bench wheel help \
	bench-service bench-scorecard bench-load test-faults

help:
	@echo "make demo         fresh database with demo data, served on http://localhost:8069 (admin/admin)"
	@echo "                  (KAM_PORT, KAM_DEMO_DB, KAM_LANG=zh_CN, KAM_INTERFACE=0.0.0.0)"
	@echo "make test         every test: the addon's Odoo tests on a database without and one with"
	@echo "                  demo data, then the system tests over JSON-2; non-zero exit on any failure"
	@echo "make test-unit    the addon's Odoo tests only (both databases)"
	@echo "make test-system  the system tests of tests/ only (server on a demo database)"
	@echo "make test-core    Odoo's own tests of website_sale, sale, account, point_of_sale, stock,"
	@echo "                  purchase, hr_expense, project beside the addon, compared with"
	@echo "                  tools/core_baseline.json, and the scenarios of tools/core_tests/"
	@echo "make test-core-baseline  the same tests without the addon: writes the baseline"
	@echo "make lint         ruff, OCA's module and .po checks, pylint-odoo"
	@echo "make wheel        the addon's wheel in dist/ (whool)"
	@echo "make bench        the scoring benchmark on a generated database"
	@echo "make bench-service    the green channel benchmark (escalation cron, service level report)"
	@echo "make bench-scorecard  the KAM scorecard benchmark"
	@echo "make bench-load   20 concurrent users for 2 minutes on 2 HTTP workers and a cron worker"
	@echo "                  (BENCH_ARGS=\"--duration 60 --clients 10 --strict\", see --help)"
	@echo "make test-faults  the cron worker killed in the middle of the engine, snapshot and"
	@echo "                  escalation jobs (also part of make test)"
	@echo "                  (BENCH_ARGS, e.g. BENCH_ARGS=\"--scale 0.05\" for a quick check)"
	@echo "more options: $(PYTHON) tools/kamctl.py test --help"

demo:
	$(PYTHON) tools/kamctl.py demo

test:
	$(PYTHON) tools/kamctl.py test

test-unit:
	$(PYTHON) tools/kamctl.py test --no-system

test-system:
	$(PYTHON) tools/kamctl.py test --no-unit

# Odoo's own tests of the customer's apps beside the addon, against the baseline (README)
test-core:
	$(PYTHON) tools/kamctl.py test-core

test-core-baseline:
	$(PYTHON) tools/kamctl.py test-core --baseline

lint:
	$(PYTHON) -m ruff check .
	oca-checks-odoo-module key_account_management
	oca-checks-po --disable=po-pretty-format key_account_management/i18n/*.po key_account_management/i18n/*.pot
	$(PYTHON) -m pylint --rcfile=.pylintrc --disable=manifest-required-author,missing-readme,consider-merging-classes-inherited key_account_management

# odoo-addon-key_account_management wheel (whool) in dist/
wheel:
	$(PYTHON) -m pip wheel --no-deps -w dist ./key_account_management

bench:
	$(PYTHON) benchmarks/bench_kam_recompute.py $(BENCH_ARGS)

bench-service:
	$(PYTHON) benchmarks/bench_kam_service.py $(BENCH_ARGS)

bench-scorecard:
	$(PYTHON) benchmarks/bench_kam_scorecard.py $(BENCH_ARGS)

bench-load:
	$(PYTHON) benchmarks/bench_kam_load.py $(BENCH_ARGS)

# the cron worker killed in the middle of its jobs (a system test, also run by make test)
test-faults:
	$(PYTHON) -m pytest -p no:odoo -p no:cacheprovider -q tests/test_cron_faults.py
