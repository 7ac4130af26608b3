# Partner Qualification & Credit Control — developer entry points.
# `make test` and `make demo` each prepare everything first (tools/setup.sh, idempotent).
LOCAL ?= $(CURDIR)/.local
DEMO_DB ?= pqc_demo
ODOO = $(LOCAL)/bin/odoo -c $(LOCAL)/odoo.conf

.PHONY: setup test lint demo pot clean

setup:
	tools/setup.sh

test:
	tools/test.sh

lint: setup
	tools/lint.sh

demo: setup
	@if ! psql -lqt | cut -d'|' -f1 | grep -qw $(DEMO_DB); then \
		echo "[demo] creating database $(DEMO_DB) with demo data"; \
		$(ODOO) -d $(DEMO_DB) -i partner_qualification_credit --with-demo --stop-after-init --max-cron-threads 0 || exit 1; \
	else \
		$(ODOO) -d $(DEMO_DB) -u partner_qualification_credit --stop-after-init --max-cron-threads 0 || exit 1; \
	fi
	@echo "[demo] Odoo is at http://127.0.0.1:8069  (login: admin  password: admin, database $(DEMO_DB))"
	$(ODOO) -d $(DEMO_DB) --db-filter '^$(DEMO_DB)$$'

# Regenerate the translation template from a database with the addon installed.
pot: setup
	dropdb --if-exists pqc_pot && $(ODOO) -d pqc_pot -i partner_qualification_credit --stop-after-init --max-cron-threads 0
	$(ODOO) i18n export -d pqc_pot -o i18n/partner_qualification_credit.pot partner_qualification_credit 2>/dev/null \
		|| $(ODOO) -d pqc_pot --i18n-export=i18n/partner_qualification_credit.pot --modules=partner_qualification_credit --stop-after-init
	dropdb pqc_pot

clean:
	-dropdb --if-exists pqc_test
	-dropdb --if-exists $(DEMO_DB)
	rm -rf $(LOCAL)
