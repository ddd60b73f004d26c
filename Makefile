# opencart-xero — see README.md. Every target installs what it needs first.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
export LANG := en_US.UTF-8
export OPENCART_XERO_TEST_DSN ?= root@tcp(127.0.0.1:3306)/

BIN := bin/opencart-xero
GO_FILES := $(shell find . -name '*.go' -not -path './bin/*' -not -path './demo/*') go.mod go.sum
DEMOSTORE := bin/demostore
DEMO_FILES := $(shell find demo -name '*.go') demo/go.mod demo/go.sum

.PHONY: run build test check vet fmt unit smoke demo demo-check windows dist bench clean

## run: install build dependencies, build the app and open its window
run: build
	./$(BIN)

## build: the real cgo GUI binary
build: $(BIN)
$(BIN): $(GO_FILES)
	@scripts/deps.sh build
	go build -o $(BIN) .

## test: the whole suite — formatting, vet, the real GUI build, every Go test
##       against MariaDB, a window smoke test under Xvfb, the demo end to end,
##       and the Windows cross-build
test: check build unit smoke demo-check windows

check:
	@scripts/deps.sh test
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	go vet -tags ci ./...

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

## bench: benchmarks (figures, not timed tests)
bench:
	@scripts/mariadb.sh
	go test -tags ci -run '^$$' -bench . -benchtime 1x -timeout 60m ./...

clean:
	rm -rf bin dist
