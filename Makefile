# LoyaltyDesk — the two set-up commands are `make run` and `make test`.
# Both first install the system packages that are missing (packaging/install-deps.sh).

GO        ?= go
BUILD     := build
BIN       := $(BUILD)/loyaltydesk
# The version lives in FyneApp.toml only; the binary embeds that file.
VERSION   := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
# FyneApp.toml declares the fyne.Do migration done; builds say so with this tag
# (Fyne then drops its cross-goroutine locking), as `fyne package` does.
TAGS      := migrated_fynedo
# Tests build with -tags ci too (Fyne's headless driver, no GLFW compile) and run
# under the race detector, as Fyne's own CI does.
TESTFLAGS ?= -race -tags ci,migrated_fynedo -count=1 -timeout 30m
ARGS      ?=
SCREENSHOT_CLIENTS ?= 20000

export CGO_ENABLED := 1

.PHONY: all deps build run test vet bench fuzz screenshots demo clean help \
	windows package-linux package-windows release test-packages

all: build

help:
	@echo "make run          install what is missing, build, start the GUI (ARGS='--db FILE' to choose a file)"
	@echo "make test         install what is missing, vet and run every test headless"
	@echo "make bench        benchmarks: 1,000,000 clients (lookups, export, import, rules), QR decoding of camera frames"
	@echo "make fuzz         a short fuzzing run of the parsers"
	@echo "make screenshots  render each main screen under Xvfb to build/screenshots/"
	@echo "make demo         a 1,000,000-client demo database in build/demo.db"
	@echo "make windows      cross-build build/windows/loyaltydesk.exe (mingw-w64)"
	@echo "make package-linux    dist/*.tar.xz (fyne package) and dist/*.deb (nfpm)"
	@echo "make package-windows  dist/LoyaltyDesk-VERSION-setup.exe (NSIS); signed if WINDOWS_SIGN_PFX is set"
	@echo "make release      both packages into dist/ with SHA256SUMS"
	@echo "make test-packages    install the .deb and start it under Xvfb; check the Windows files (root)"

deps:
	@packaging/install-deps.sh

build: deps
	$(GO) build -tags $(TAGS) -o $(BIN) .

run: build
	./$(BIN) $(ARGS)

vet:
	$(GO) vet -tags ci,$(TAGS) ./...

test:
	@packaging/install-deps.sh --test
	$(GO) vet -tags ci,$(TAGS) ./...
	$(GO) test $(TESTFLAGS) ./...

bench:
	@packaging/install-deps.sh
	$(GO) test -tags ci,$(TAGS) -run '^$$' -bench . -benchmem -timeout 60m ./db/ ./app/ ./app/transfer/ ./app/cardprint/ ./hardware/

fuzz:
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzParseDate$$' -fuzztime 20s ./app/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzNormalizePhone$$' -fuzztime 20s ./app/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzNormalizeSearch$$' -fuzztime 20s ./app/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzParseMonthDay$$' -fuzztime 20s ./app/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzImportRow$$' -fuzztime 20s ./app/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzReadCSV$$' -fuzztime 20s ./app/transfer/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzImportProducts$$' -fuzztime 20s ./app/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzSpread$$' -fuzztime 20s ./app/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzParseLine$$' -fuzztime 20s ./hardware/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzMagstripe$$' -fuzztime 20s ./hardware/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzEMMarine$$' -fuzztime 20s ./hardware/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzEMMarineID$$' -fuzztime 20s ./hardware/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzIronLogic$$' -fuzztime 20s ./hardware/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzIronLogicLine$$' -fuzztime 20s ./hardware/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzDetectWedge$$' -fuzztime 20s ./hardware/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzParseQR$$' -fuzztime 20s ./hardware/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzSlip$$' -fuzztime 20s ./hardware/
	$(GO) test -tags ci,$(TAGS) -run '^$$' -fuzz '^FuzzCheckCode$$' -fuzztime 20s ./app/

demo: build
	rm -f $(BUILD)/demo.db $(BUILD)/demo.db-wal $(BUILD)/demo.db-shm
	./$(BIN) demo --db $(BUILD)/demo.db --clients 1000000

screenshots: build
	@packaging/install-deps.sh --screens
	packaging/screenshots.sh $(BIN) $(BUILD)/screenshots $(SCREENSHOT_CLIENTS)

# The Windows binary, cross-compiled with mingw-w64 (CI runs this after the tests).
# The camera driver (pion/mediadevices, DirectShow) is C++: g++ links it, and
# WINDOWS_CGO_LDFLAGS puts libgcc and libstdc++ inside the .exe, so it needs no
# MinGW DLLs beside it.
WINDOWS_CGO_LDFLAGS := -static-libgcc -static-libstdc++
windows:
	@packaging/install-deps.sh --windows
	CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ CGO_LDFLAGS="$(WINDOWS_CGO_LDFLAGS)" GOOS=windows GOARCH=amd64 $(GO) build -tags $(TAGS) -ldflags "-H windowsgui" -o $(BUILD)/windows/loyaltydesk.exe .

package-linux:
	packaging/package-linux.sh

package-windows:
	packaging/package-windows.sh

release: package-linux package-windows
	cd dist && rm -f SHA256SUMS && sha256sum -- *.deb *.tar.xz *.exe > SHA256SUMS && cat SHA256SUMS

test-packages:
	packaging/test-packages.sh

clean:
	rm -rf $(BUILD) dist
