#!/usr/bin/env bash
# Installs the Debian packages the tests use when they are missing: ONNX's conformance data (libonnx-testdata)
# Chromium (the monitoring page check) and binutils (readelf, for the GPU build's library check). Called by the test projects' builds and by .ci/run.
# Needs root or password-less sudo; otherwise it says what to install and leaves it to the tests to fail clearly.
set -euo pipefail

missing=()
for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
((${#missing[@]})) || exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "Not a Debian system: install ${missing[*]} (or their equivalents) yourself." >&2
    exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
    if sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    else
        echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
        exit 0
    fi
fi

echo "Installing ${missing[*]} (first build only)"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
