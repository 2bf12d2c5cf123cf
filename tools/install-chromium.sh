#!/usr/bin/env bash
# Headless Chromium for the compliance report's rendering test (Debian's
# package). Installs only when missing, as root, with apt-get; elsewhere it
# says what to install and leaves the decision to the user.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null; }
  echo "installed $(chromium --version)"
else
  echo "chromium is not installed: install Debian's chromium (or set CHROMIUM=/path/to/chrome) for the report rendering test" >&2
fi
