# LoyaltyDesk — the two set-up commands are `make run` and `make test`.
# Both first install the system packages that are missing (packaging/install-deps.sh).

GO        ?= go
BUILD     := build
BIN       := $(BUILD)/loyaltydesk
# The version lives in FyneApp.toml only; the binary embeds that file.
VERSION   := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
# Tests and tools build with -tags ci: Fyne's headless driver, no GLFW compile.
TESTFLAGS ?= -tags ci -count=1 -timeout 30m
ARGS      ?=
SCREENSHOT_CLIENTS ?= 20000

export CGO_ENABLED := 1

.PHONY: all deps build run test vet bench fuzz screenshots demo clean help

all: build

help:
	@echo "make run          install what is missing, build, start the GUI (ARGS='--db FILE' to choose a file)"
	@echo "make test         install what is missing, vet and run every test headless"
	@echo "make bench        benchmarks (db lookups among 1,000,000 clients)"
	@echo "make fuzz         a short fuzzing run of the parsers"
	@echo "make screenshots  render each main screen under Xvfb to build/screenshots/"
	@echo "make demo         a 1,000,000-client demo database in build/demo.db"

deps:
	@packaging/install-deps.sh

build: deps
	$(GO) build -o $(BIN) .

run: build
	./$(BIN) $(ARGS)

vet:
	$(GO) vet -tags ci ./...

test:
	@packaging/install-deps.sh --test
	$(GO) vet -tags ci ./...
	$(GO) test $(TESTFLAGS) ./...

bench:
	@packaging/install-deps.sh
	$(GO) test -tags ci -run '^$$' -bench . -benchmem -timeout 60m ./db/

fuzz:
	$(GO) test -tags ci -run '^$$' -fuzz '^FuzzParseDate$$' -fuzztime 20s ./app/
	$(GO) test -tags ci -run '^$$' -fuzz '^FuzzNormalizePhone$$' -fuzztime 20s ./app/
	$(GO) test -tags ci -run '^$$' -fuzz '^FuzzNormalizeSearch$$' -fuzztime 20s ./app/

demo: build
	rm -f $(BUILD)/demo.db $(BUILD)/demo.db-wal $(BUILD)/demo.db-shm
	./$(BIN) demo --db $(BUILD)/demo.db --clients 1000000

screenshots: build
	@packaging/install-deps.sh --screens
	packaging/screenshots.sh $(BIN) $(BUILD)/screenshots $(SCREENSHOT_CLIENTS)

clean:
	rm -rf $(BUILD) dist
