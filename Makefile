# Nightjar build. 'make run' and 'make test' set up a fresh machine first.
#
# CGO_CFLAGS puts player/mpvcompat first on the C include path so go-mpv
# builds against libmpv 0.35 (Debian 12) as well as newer libmpv. Every go
# command below runs with it; changing it invalidates the build cache.

SHELL := /bin/bash
GO ?= go
export PATH := $(PATH):/usr/local/go/bin
export CGO_ENABLED := 1
export CGO_CFLAGS := -O2 -g -I$(CURDIR)/player/mpvcompat
# no_emoji leaves Fyne's 4 MB colour emoji font out: Fyne parses it again
# for every text style, about 13 MB of heap a camera wall has no use for.
# Emoji in a camera's name fall back to the system's fonts. A GOFLAGS of
# the caller's is kept, with the tag added.
export GOFLAGS := $(strip $(GOFLAGS) -tags=no_emoji)

BIN := bin/nightjar
NPM_INTEROP := devices/camsim/testdata/onvif-node
RUN_ARGS ?=
DEPS_STAMP := .deps-ok
XVFB := xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp"
# A private session bus with an unlocked gnome-keyring: tests use a real
# Secret Service without touching the user's own keyring.
KEYRING := dbus-run-session -- packaging/with-keyring.sh
TEST_TIMEOUT ?= 35m
# make fuzz runs each fuzz target for FUZZTIME, one after another (go test
# fuzzes one target per run). FUZZ picks targets by a regular expression
# over "package/FuzzName"; FUZZMINTIME caps the minimising of each new
# input: with go's default of 60 s, minimising the kilobyte SOAP replies
# and 64 KiB segments took nearly all of a 2-minute run.
FUZZTIME ?= 2m
FUZZMINTIME ?= 2s
FUZZ ?= .
# Fyne logs a parse error for C.UTF-8 in its init. The binary avoids it
# (internal/localefix); test binaries of ui do not, so give them a real
# locale when the environment has none.
ifneq ($(filter-out C C.UTF-8 C.utf8 POSIX,$(or $(LANG),C)),)
else
export LANG := en_US.UTF-8
endif

.PHONY: all deps build run test fuzz bench lint clean

all: build

# Installs system packages when any is missing. The script is idempotent
# and fast when everything is present; the stamp skips it for unchanged
# scripts.
deps: $(DEPS_STAMP)
$(DEPS_STAMP): packaging/install-deps.sh
	bash packaging/install-deps.sh
	touch $@

# The third-party ONVIF client (npm onvif) that checks camsim; the lock
# file pins its version.
$(NPM_INTEROP)/node_modules/onvif: $(NPM_INTEROP)/package-lock.json
	npm ci --prefix $(NPM_INTEROP) --no-audit --no-fund
	touch $@

build: deps
	$(GO) build -o $(BIN) .

run: build
	./$(BIN) --demo-if-empty $(RUN_ARGS)

# NIGHTJAR_FULL_TEST makes tests that need the keyring, a display or
# ffmpeg fail instead of skipping when those are missing.
test: deps $(NPM_INTEROP)/node_modules/onvif
	$(GO) vet ./...
	NIGHTJAR_FULL_TEST=1 $(XVFB) $(KEYRING) $(GO) test -race -timeout $(TEST_TIMEOUT) ./...

# Not part of 'make test': there the seed corpora (testdata/fuzz) run as
# ordinary tests. Targets are found in the sources, so a new one is fuzzed
# without touching this file.
fuzz: deps
	@failed=; for f in $$(git ls-files --cached --others --exclude-standard '*_test.go' | sort); do \
		pkg=./$$(dirname $$f); \
		for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*\*testing\.F).*/\1/p' $$f); do \
			echo "$$pkg/$$t" | grep -Eq -- '$(FUZZ)' || continue; \
			echo "== $$pkg $$t ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINTIME) -parallel 1 $$pkg || failed="$$failed $$pkg/$$t"; \
		done; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz failures (inputs in each package's testdata/fuzz):$$failed"; exit 1; fi

bench: build
	$(XVFB) $(KEYRING) $(GO) test -run '^$$' -bench . -benchmem ./...
	./$(BIN) bench camsim
	./$(BIN) bench record

lint: deps
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

clean:
	rm -rf bin $(DEPS_STAMP)
