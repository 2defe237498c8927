# key_account_management: the two commands of the README, and a few helpers.
PYTHON ?= python3

.PHONY: demo test test-unit test-system test-core lint bench wheel help

help:
	@echo "make demo    fresh database with demo data, served on http://localhost:8069 (admin/admin)"
	@echo "make test    every test (unit, access, crons, tours, system); non-zero exit on any failure"
	@echo "make lint    ruff on the whole repository"

demo:
	$(PYTHON) tools/kamctl.py demo

test:
	$(PYTHON) tools/kamctl.py test

test-unit:
	$(PYTHON) tools/kamctl.py test --no-system

test-system:
	$(PYTHON) tools/kamctl.py test --no-unit

# Odoo's own crm, sale and sale_crm tests with the addon installed (slow; see README)
test-core:
	$(PYTHON) tools/kamctl.py test --no-system --update crm,sale,sale_crm \
		--tags /key_account_management,/crm,/sale,/sale_crm

lint:
	$(PYTHON) -m ruff check .
	oca-checks-odoo-module key_account_management
	oca-checks-po --disable=po-pretty-format key_account_management/i18n/*.po key_account_management/i18n/*.pot
	$(PYTHON) -m pylint --rcfile=.pylintrc --disable=manifest-required-author,missing-readme,consider-merging-classes-inherited key_account_management

# odoo-addon-key_account_management wheel (whool) in dist/
wheel:
	$(PYTHON) -m pip wheel --no-deps -w dist ./key_account_management

bench:
	$(PYTHON) benchmarks/bench_kam_recompute.py
