#!/usr/bin/env bash
# A program the tests or the docs need from Debian's packages, installed only
# when missing, as root, with apt-get; elsewhere it says what to install and
# leaves the decision to the user.
#   tools/install-debian-package.sh COMMAND PACKAGE WHAT-FOR
set -euo pipefail
command_name=$1 package=$2 purpose=$3
command -v "$command_name" >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y --no-install-recommends "$package" >/dev/null 2>&1 \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "$package" >/dev/null; }
  echo "installed $package for $purpose"
else
  echo "$command_name is not installed: install Debian's $package (or your system's equivalent) for $purpose" >&2
  exit 1
fi
