# Partner Qualification & Credit Control — developer entry points.
# Every target prepares what it needs first (tools/setup.sh is idempotent and fast when done).
# PQC_ODOO=/path/to/odoo (source tree) or PQC_ODOO=venv:/path/to/venv: use your own Odoo 19.
.PHONY: setup test lint demo screenshots pot wheel readme clean clean-all

setup:
	tools/setup.sh

# Lint, wheel check, then the addon's tests in this checkout's own database.
test:
	tools/test.sh

lint: setup
	tools/lint.sh

demo:
	tools/demo.sh

# PNGs of the demo's main screens in English and Chinese (static/description/, README).
screenshots:
	tools/screenshots.sh

pot:
	tools/pot.sh

# dist/odoo_addon_partner_qualification_credit-<version>-py3-none-any.whl
wheel:
	tools/wheel.sh

# README.md's user sections from readme/*.md (tools/readme.py --from-readme: the other way).
readme:
	tools/readme.py

# This checkout's databases, configuration and dist/ only.
clean:
	tools/clean.sh

# Everything: the whole prefix and its databases (asks; PQC_YES=1 when not interactive).
clean-all:
	tools/clean.sh --all

# Benchmark against plain Odoo with the same data (README "Benchmarks"); bench-smoke: tiny, < 3 min.
.PHONY: bench bench-smoke
bench:
	tools/bench/run.sh --bench-size=full

bench-smoke:
	tools/bench/run.sh --bench-size=smoke --no-targets-fail
