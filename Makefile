# opencart-xero — see README.md. Every target installs what it needs first.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
export LANG := en_US.UTF-8
export OPENCART_XERO_TEST_DSN ?= root@tcp(127.0.0.1:3306)/

BIN := bin/opencart-xero
GO_FILES := $(shell find . -name '*.go' -not -path './bin/*') go.mod go.sum

.PHONY: run build test check vet fmt unit smoke bench clean

## run: install build dependencies, build the app and open its window
run: build
	./$(BIN)

## build: the real cgo GUI binary
build: $(BIN)
$(BIN): $(GO_FILES)
	@scripts/deps.sh build
	go build -o $(BIN) .

## test: the whole suite — formatting, vet, the real GUI build, every Go test
##       against MariaDB, and a window smoke test under Xvfb
test: check build unit smoke

check:
	@scripts/deps.sh test
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	go vet -tags ci ./...

unit:
	@scripts/mariadb.sh
	go test -tags ci -count=1 -timeout 20m ./...

smoke: build
	scripts/smoke.sh $(BIN) bin/smoke.png

## bench: benchmarks (figures, not timed tests)
bench:
	@scripts/mariadb.sh
	go test -tags ci -run '^$$' -bench . -benchtime 1x -timeout 60m ./...

clean:
	rm -rf bin dist
