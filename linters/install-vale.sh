#!/usr/bin/env bash
# Make a Vale binary of an acceptable version available to `make lint` and `make test`.
#
# 1. A `vale` already in .tools/bin or on PATH whose version is acceptable
#    (VALE_MIN <= version < 4) is used as it is.
# 2. Otherwise Vale is built from source with Go into .tools/bin:
#      go install github.com/vale-cli/vale/v3/cmd/vale@v$VALE_VERSION
#    (Vale moved from github.com/errata-ai/vale to github.com/vale-cli/vale in
#    3.20; cgo is needed for its tree-sitter parsers, so a C compiler must exist.)
# 3. Where neither works, it stops and says how to install Vale by hand.
#
# On success it touches .tools/.vale-ok, the Makefile's stamp.
# Environment: VALE_VERSION (default: the pinned one below), GO (default: go).
set -euo pipefail

# The version the house style and the tests are verified against. Newer 3.x
# releases (3.23 and later) need a module version the Go proxy does not serve,
# so 3.22.0 is the newest one `go install` can build.
VALE_VERSION="${VALE_VERSION:-3.22.0}"
# MyST support (`[formats] md = myst`) arrived in 3.18.0; the house style is verified on 3.22.
VALE_MIN="3.22.0"
VALE_MODULE="github.com/vale-cli/vale/v3"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
bindir="$tools/bin"
stamp="$tools/.vale-ok"
GO="${GO:-go}"

say() { printf 'install-vale: %s\n' "$*" >&2; }

# Prints the version a vale binary reports ("vale version 3.22.0" -> 3.22.0).
vale_version() {
  "$1" --version 2>/dev/null | sed -n 's/^vale version v\{0,1\}\([0-9][0-9.]*\).*$/\1/p' | head -n1
}

# True when $1 (x.y.z) is >= VALE_MIN and < 4.
acceptable() {
  local v="$1"
  [[ "$v" =~ ^[0-9]+(\.[0-9]+)*$ ]] || return 1
  local IFS=.
  # shellcheck disable=SC2206
  local a=($v) m=($VALE_MIN)
  local major=${a[0]:-0} minor=${a[1]:-0} patch=${a[2]:-0}
  ((major == 3)) || return 1
  ((minor > m[1])) && return 0
  ((minor == m[1] && patch >= m[2]))
}

use() {
  mkdir -p "$tools"
  touch "$stamp"
  say "using $1 (Vale $2)"
  exit 0
}

# 1. An acceptable vale already there: ours first (the Makefile puts .tools/bin
#    first on PATH), then any on PATH.
for candidate in "$bindir/vale" "$(command -v vale 2>/dev/null || true)"; do
  [[ -n "$candidate" && -x "$candidate" ]] || continue
  v="$(vale_version "$candidate")"
  if acceptable "$v"; then
    use "$candidate" "$v"
  fi
  say "ignoring $candidate: version '${v:-unknown}' is not >= $VALE_MIN and < 4"
done

manual_help() {
  cat >&2 <<EOF

Vale $VALE_MIN or newer (3.x) is needed to lint the notes, and it could not be installed:
$1

Install it one of these ways, then run 'make vale' (or 'make lint') again:
  - with Go 1.25+ and a C compiler (cgo):
      GOBIN="$bindir" CGO_ENABLED=1 go install $VALE_MODULE/cmd/vale@v$VALE_VERSION
  - macOS / Linux (Homebrew):  brew install vale
  - Linux (Snap):              sudo snap install vale
  - Windows (Chocolatey):      choco install vale
  - any system: download the release archive for your platform from the Vale
    GitHub releases page (github.com/vale-cli/vale/releases), unpack it, and put
    the 'vale' binary on PATH or in $bindir/.
EOF
  exit 1
}

# 2. Build it with Go.
if ! command -v "$GO" >/dev/null 2>&1; then
  manual_help "no 'vale' of an acceptable version on PATH, and no Go toolchain ('$GO') to build one."
fi
cc="$("$GO" env CC 2>/dev/null || true)"
if ! command -v "${cc:-gcc}" >/dev/null 2>&1; then
  manual_help "Vale needs cgo, but the C compiler '${cc:-gcc}' that Go would use is not installed."
fi

say "building Vale $VALE_VERSION with $("$GO" version) into $bindir (takes a minute or two)"
mkdir -p "$bindir"
if ! GOBIN="$bindir" CGO_ENABLED=1 "$GO" install \
    -ldflags "-X main.version=$VALE_VERSION" \
    "$VALE_MODULE/cmd/vale@v$VALE_VERSION"; then
  manual_help "'go install $VALE_MODULE/cmd/vale@v$VALE_VERSION' failed (see above)."
fi

v="$(vale_version "$bindir/vale")"
if ! acceptable "$v"; then
  manual_help "the Vale built into $bindir reports version '${v:-unknown}'."
fi
use "$bindir/vale" "$v"
