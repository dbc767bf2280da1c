#!/usr/bin/env bash
# install-deps.sh: installs the system packages Nightjar needs to build, run
# and test. It is idempotent: packages already present are skipped, and a run
# with everything installed touches nothing. It uses sudo when not root.
# On an OS it does not know it prints the package names and exits 1.
set -euo pipefail

# Debian/Ubuntu package names: build (cgo, libmpv, Fyne's GL/X11 headers),
# tests (xvfb, dbus, gnome-keyring, ffmpeg/ffprobe, age, ImageMagick, xdotool)
# and the peer baseline for benchmarks (mpv).
debian_pkgs=(
  gcc pkg-config
  libmpv-dev
  libgl1-mesa-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
  libx11-dev libxext-dev
  xvfb xauth x11-utils xdotool
  dbus dbus-x11 gnome-keyring libsecret-tools
  ffmpeg mpv imagemagick age
  fonts-dejavu-core
  iproute2
)

other_platforms() {
  cat <<'TXT'
Install these packages with your system's package manager, then re-run:
  Fedora:  sudo dnf install gcc pkgconf-pkg-config mpv-libs-devel mesa-libGL-devel libXcursor-devel libXrandr-devel libXinerama-devel libXi-devel libXxf86vm-devel libX11-devel libXext-devel xorg-x11-server-Xvfb dbus-daemon gnome-keyring ffmpeg age ImageMagick xdotool dejavu-sans-fonts
  Arch:    sudo pacman -S --needed gcc pkgconf mpv libgl libxcursor libxrandr libxinerama libxi libxxf86vm libx11 libxext xorg-server-xvfb dbus gnome-keyring ffmpeg age imagemagick xdotool ttf-dejavu
  macOS:   brew install pkg-config mpv ffmpeg age imagemagick
  Windows: pacman -S --needed mingw-w64-x86_64-gcc mingw-w64-x86_64-pkgconf mingw-w64-x86_64-mpv mingw-w64-x86_64-ffmpeg   (MSYS2 MinGW64 shell)
TXT
}

check_go() {
  if ! command -v go >/dev/null 2>&1; then
    if [ -x /usr/local/go/bin/go ]; then
      echo "note: Go is at /usr/local/go/bin; add it to PATH" >&2
    else
      echo "error: Go 1.26 or newer is required and was not found." >&2
      echo "hint: install it from https://go.dev/dl/ and put it on PATH." >&2
      exit 1
    fi
  fi
}

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "error: not root and sudo is missing; install the packages below as root." >&2
    printf '  %s\n' "${debian_pkgs[*]}" >&2
    exit 1
  fi
fi

check_go

if [ -r /etc/os-release ]; then . /etc/os-release; fi
case "${ID:-} ${ID_LIKE:-}" in
  *debian*|*ubuntu*)
    missing=()
    for p in "${debian_pkgs[@]}"; do
      if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
      fi
    done
    # Node.js and npm run the third-party ONVIF client in tests; a Node
    # installed outside dpkg counts.
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
      missing+=(nodejs npm)
    fi
    if [ ${#missing[@]} -eq 0 ]; then
      echo "install-deps: all system packages present"
      exit 0
    fi
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
    ;;
  *)
    echo "error: unsupported OS '${PRETTY_NAME:-$(uname -s)}' for automatic install." >&2
    other_platforms >&2
    exit 1
    ;;
esac
