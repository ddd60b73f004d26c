# opencart-xero — see README.md. Every target installs what it needs first.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
export LANG := en_US.UTF-8
export OPENCART_XERO_TEST_DSN ?= root@tcp(127.0.0.1:3306)/

BIN := bin/opencart-xero
GO_FILES := $(shell find . -name '*.go' -not -path './bin/*' -not -path './demo/*') go.mod go.sum
DEMOSTORE := bin/demostore
DEMO_FILES := $(shell find demo -name '*.go') demo/go.mod demo/go.sum

.PHONY: run build test check vet fmt unit smoke demo demo-check windows dist bench trials clean

## run: install build dependencies, build the app and open its window
run: build
	./$(BIN)

## build: the real cgo GUI binary
build: $(BIN)
$(BIN): $(GO_FILES)
	@scripts/deps.sh build
	go build -o $(BIN) .

## test: the whole suite — tidy modules, formatting, vet, staticcheck, the real GUI build, every Go test
##       against MariaDB, a window smoke test under Xvfb, the demo end to end,
##       and the Windows cross-build
test: check build unit smoke demo-check windows

## check: static checks that fail on any finding: go.mod/go.sum tidy (both
##        modules), gofmt, go vet and staticcheck with and without the ci tag,
##        and govulncheck when its database is reachable (said plainly when not)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK := golang.org/x/vuln/cmd/govulncheck@v1.10.0
VULNDB := https://vuln.go.dev
check:
	@scripts/deps.sh test
	@go mod tidy -diff >/dev/null || { echo "go.mod/go.sum are not tidy: run go mod tidy (diff: go mod tidy -diff)"; exit 1; }
	@cd demo && go mod tidy -diff >/dev/null || { echo "demo/go.mod/go.sum are not tidy: run go mod tidy in demo/"; exit 1; }
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go vet -tags ci ./...
	go run $(STATICCHECK) ./...
	go run $(STATICCHECK) -tags ci ./...
	@if command -v curl >/dev/null && curl -fsS --max-time 10 -o /dev/null $(VULNDB)/index/db.json.gz 2>/dev/null; then \
		echo "go run $(GOVULNCHECK) ./..."; go run $(GOVULNCHECK) -db $(VULNDB) ./...; \
	else \
		echo "govulncheck not run: its vulnerability database $(VULNDB) is not reachable from this machine (known advisories are not checked)"; \
	fi

unit:
	@scripts/mariadb.sh
	go test -tags ci -count=1 -timeout 20m ./...

smoke: build
	scripts/smoke.sh $(BIN) bin/smoke.png

## demo: try the app without a shop or a Xero account — a sample OpenCart shop
##       (in memory, no MySQL needed) and the local Xero sandbox; both stop
##       when the window closes. State in bin/demo (delete it to start again)
demo: build $(DEMOSTORE)
	scripts/demo.sh run

## demo-check: the demo set-up headless — the sample shop's own tests, then
##       store check, connect, config propose, export all and history through
##       the real binary; every exported total must match
demo-check: build $(DEMOSTORE)
	cd demo && go vet ./... && go test -count=1 ./...
	scripts/demo.sh check

## the sample shop server: a module of its own (demo/), so go-mysql-server
## never reaches the app's binary
$(DEMOSTORE): $(DEMO_FILES) $(GO_FILES)
	@scripts/deps.sh build
	cd demo && go build -o ../$(DEMOSTORE) ./cmd/demostore

## windows: the Windows executable, cross-built with mingw-w64 (part of make test)
windows:
	scripts/dist.sh windows

## dist: installable packages: dist/opencart-xero.exe and dist/OpenCart Xero.tar.xz
dist:
	scripts/dist.sh all

## bench: benchmarks (figures, not timed tests) — docs/BENCHMARKS.md explains
##        each; the output is kept in bin/bench.txt, the chart redrawn in docs/
bench:
	@scripts/mariadb.sh
	@scripts/deps.sh gui
	@mkdir -p bin
	set -o pipefail; OCX_WRITE_DOCS=1 go test -tags ci -run '^$$' -bench . -benchtime 1x -timeout 60m ./... | tee bin/bench.txt

## trials: fault trials and fuzzing (docs/RELIABILITY.md): sandbox faults,
##         database and disk faults, two processes, SIGKILL (OCX_SIGKILL_TRIALS,
##         default here 30), the refunds ledger model (OCX_LEDGER_SEQUENCES,
##         default here 3000, a fresh OCX_LEDGER_SEED unless given), each fuzzer
##         for FUZZ_EXECS executions (default 1,000,000). Runs every step, then
##         fails if any did; output in bin/trials/
FUZZ_EXECS ?= 1000000
OCX_TRIAL_SEEDS ?= 5
OCX_SIGKILL_TRIALS ?= 30
OCX_LEDGER_SEQUENCES ?= 3000
FUZZERS := sync/mapping:FuzzClean sync/mapping:FuzzInvoiceTotals sync/mapping:FuzzMappingNoPanic \
	sync/xero:FuzzParseResponse sync/opencart:FuzzDecodeText sync/opencart:FuzzParseConfigPHP \
	sync/safetext:FuzzTerminalSafe
trials:
	@scripts/mariadb.sh
	@mkdir -p bin/trials
	@status=0; \
	export OCX_TRIALS=1 OCX_TRIAL_SEEDS=$(OCX_TRIAL_SEEDS) OCX_SIGKILL_TRIALS=$(OCX_SIGKILL_TRIALS); \
	echo "== fault trials"; \
	go test -tags ci -count=1 -timeout 60m -v -run 'Trial|TwoProcesses|SIGKILL|ProfileFilesArePrivate|CleanIdempotent|FuzzFinds' \
		./sync/export/ ./sync/mapping/ ./app/ > bin/trials/trials.txt 2>&1 || status=1; \
	grep -E '^(=== RUN|--- |\s+--- |ok|FAIL)' bin/trials/trials.txt | grep -v '=== RUN'; \
	seed=$${OCX_LEDGER_SEED:-$$(date +%s)}; \
	echo "== ledger model ($(OCX_LEDGER_SEQUENCES) sequences, OCX_LEDGER_SEED=$$seed)"; \
	OCX_LEDGER_SEQUENCES=$(OCX_LEDGER_SEQUENCES) OCX_LEDGER_SEED=$$seed go test -tags ci -count=1 -timeout 60m -v -run '^TestLedgerModel' \
		./sync/export/ > bin/trials/ledger.txt 2>&1 || status=1; \
	grep -E '^(--- |\s+--- |ok|FAIL)|orders failed a check' bin/trials/ledger.txt; \
	for f in $(FUZZERS); do \
		pkg=$${f%%:*}; name=$${f##*:}; \
		echo "== $$name ($(FUZZ_EXECS) executions)"; \
		go test -tags ci -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZ_EXECS)x -fuzzminimizetime 10s -parallel 2 ./$$pkg/ > bin/trials/$$name.txt 2>&1 || status=1; \
		grep -E '^fuzz: elapsed' bin/trials/$$name.txt | tail -1; tail -3 bin/trials/$$name.txt; \
		for find in $$(grep -o 'testdata/fuzz/[^ ]*' bin/trials/$$name.txt | sort -u); do \
			mkdir -p bin/trials/finds && mv ./$$pkg/$$find bin/trials/finds/$$name-$${find##*/} && \
			echo "   failing input kept in bin/trials/finds/$$name-$${find##*/} (not in testdata, so make test stays green)"; \
		done; \
	done; \
	exit $$status

clean:
	rm -rf bin dist
