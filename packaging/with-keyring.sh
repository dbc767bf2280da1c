#!/usr/bin/env bash
# with-keyring.sh CMD...: runs CMD with an unlocked gnome-keyring as the
# Secret Service. Call it inside 'dbus-run-session' so the keyring lives on a
# private session bus and goes away with it. The keyring's password is a fixed test value
# and its files live in a throwaway HOME-like directory, so the user's own
# keyring is never touched.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# --unlock reads the login keyring password from stdin and creates the
# keyring when it does not exist. Its stdout holds variables to export.
eval "$(printf 'nightjar-test-keyring' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null | sed 's/^/export /')"
"$@"
