# Partner Qualification & Credit Control — developer entry points.
# Every target prepares what it needs first (tools/setup.sh is idempotent and fast when done).
.PHONY: setup test lint demo pot clean

setup:
	tools/setup.sh

test:
	tools/test.sh

lint: setup
	tools/lint.sh

demo:
	tools/demo.sh

pot:
	tools/pot.sh

# Remove the local Odoo prefix (Odoo, virtualenv, filestore) and the databases.
clean:
	tools/clean.sh

# Benchmark against plain Odoo with the same data (README "Benchmarks"); bench-smoke: tiny, < 3 min.
.PHONY: bench bench-smoke
bench:
	tools/bench/run.sh --bench-size=full

bench-smoke:
	tools/bench/run.sh --bench-size=smoke --no-targets-fail
