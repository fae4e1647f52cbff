#!/usr/bin/env bash
# Takes the README's screenshots (docs/screenshots/*.png) from the release
# binary in headless Chromium. Needs Debian's chromium and chromium-driver.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/screenshot-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet selenium
fi
cargo build --release --locked
"$venv/bin/python" docs/screenshots/take.py
