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
start_keyring() {
	eval "$(printf 'nightjar-test-keyring' | gnome-keyring-daemon --replace --unlock --components=secrets 2>/dev/null | sed 's/^/export /')"
}
start_keyring
# Store and clear one secret with a single client before CMD's tests use
# the keyring from several processes at once: that creates the login
# collection up front. A daemon that died starting (one CI run saw glib
# abort it on the first requests) is started again.
for try in 1 2 3; do
	if printf probe | timeout 10 secret-tool store --label=nightjar-keyring-probe nightjar-probe 1 2>/dev/null &&
		timeout 10 secret-tool clear nightjar-probe 1 2>/dev/null; then
		break
	fi
	if [ "$try" = 3 ]; then
		echo "with-keyring.sh: gnome-keyring does not answer on the session bus" >&2
		exit 1
	fi
	echo "with-keyring.sh: gnome-keyring did not answer; starting it again" >&2
	start_keyring
done
"$@"
