#!/usr/bin/env bash
# Sets up what briefing's tests need on this machine, then runs `cargo test` with the arguments
# given (`scripts/test.sh --test it tools`, `scripts/test.sh -- --nocapture`).
#
# The tests need, beside Rust: Java and the W3C HTML checker (vnu-jar, from npm) for
# tests/it/vnu.rs; axe-core (from npm) and Debian's Chromium with a font for tests/it/browser.rs.
# Missing system packages are installed with apt-get when run as root; otherwise the script
# prints the command to run and stops. npm packages are installed with `npm ci` whenever
# node_modules/ is missing or was installed from another package-lock.json.
set -euo pipefail

cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

# Debian packages for each command the tests run, checked by command name.
missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
# The browser tests drive Debian's Chromium headless; they never download a browser.
if ! command -v chromium >/dev/null 2>&1 && [ -z "${BRIEFING_CHROMIUM:-}" ]; then
    missing+=(chromium chromium-driver)
fi
# Chromium's fonts: without any, pages render (and screenshot) with missing glyphs.
if ! fc-list 2>/dev/null | grep -q .; then
    missing+=(fonts-dejavu-core)
fi

if [ ${#missing[@]} -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "The tests need these Debian packages, or their equivalents: ${missing[*]}" >&2
        echo "Install them with your system's package manager, then run $0 again." >&2
        exit 1
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "The tests need packages that are not installed. Run, then run $0 again:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    step "apt-get install -y --no-install-recommends ${missing[*]}"
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
fi

# node_modules/ is stale when it was installed from another lock file; the stamp records the
# lock file it was installed from.
stamp=node_modules/.briefing-installed-from
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
    # --ignore-scripts: vnu-jar's postinstall would only try to download a Java runtime from
    # outside the npm registry; the jar itself ships in the package.
    step "npm ci --ignore-scripts --no-audit --no-fund"
    npm ci --ignore-scripts --no-audit --no-fund
    cp package-lock.json "$stamp"
fi

step "java, node, chromium"
java -version 2>&1 | head -n 1
node --version
"${BRIEFING_CHROMIUM:-chromium}" --version 2>/dev/null

step "cargo test $*"
exec cargo test "$@"
