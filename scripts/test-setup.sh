#!/usr/bin/env bash
# Prepares a machine to run the test suite: Debian packages, npm dependencies, dist/.
# Idempotent and non-interactive: a second run on a ready machine only rebuilds dist/.
# Called by scripts/test.sh; safe to run alone (`bash scripts/test-setup.sh`).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Debian packages the tests use. awscli gives /usr/bin/aws (CLI v2.9, the Query-speaking client);
# add chromium (console tests) and postgresql (cluster store tests) here when those tests land.
APT_PACKAGES=(awscli)

log() { printf '[test-setup] %s\n' "$*"; }
warn() { printf '[test-setup] WARNING: %s\n' "$*" >&2; }

# --- Node ---------------------------------------------------------------------------------------
# Everything below needs node/npm; fail early with a plain message instead of a confusing one later.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo '[test-setup] ERROR: node and npm are required (Node >= 20).' >&2
  exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "[test-setup] ERROR: Node >= 20 is required, found $(node --version)." >&2
  exit 1
fi

# --- Debian packages ------------------------------------------------------------------------------
is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = installed ]
}

install_apt_packages() {
  if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    warn "not a Debian/Ubuntu machine: install ${APT_PACKAGES[*]} yourself; tests that need them will skip or fail."
    return 0
  fi
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    is_installed "$p" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "apt packages present: ${APT_PACKAGES[*]}"
    return 0
  fi

  # CI runs as root; a developer machine may have passwordless sudo. Never prompt for a password.
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      warn "missing apt packages (${missing[*]}) and not root without passwordless sudo: install them by hand; tests that need them will skip or fail."
      return 0
    fi
  fi

  log "installing apt packages: ${missing[*]}"
  # apt-get update only here, once, because something is missing: a ready machine needs no network.
  # The lock timeout waits out unattended-upgrades on a freshly booted machine instead of failing.
  local apt_opts=(-o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" -qq update ||
     ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" -y -qq install "${missing[@]}" </dev/null; then
    # Keep going: the tests that need these tools check for them, and the rest of the suite is
    # still worth running. The warning says why coverage is lower.
    warn "apt-get could not install: ${missing[*]}. Tests that need them will skip or fail."
    return 0
  fi
}
install_apt_packages

# --- Tools the integration tests call -------------------------------------------------------------
# `aws` on PATH must be CLI v1 (pyenv's pip awscli: JSON 1.0 for CloudWatch/SQS); /usr/bin/aws is v2.
if aws_version=$(aws --version 2>&1) && [ -n "$aws_version" ]; then
  case "$aws_version" in
    aws-cli/1.*) log "aws on PATH: ${aws_version%% *}" ;;
    *) warn "'aws' on PATH is not AWS CLI v1 ($aws_version): the aws1 CLI tests will not test what they claim." ;;
  esac
else
  warn "'aws' (AWS CLI v1) not found on PATH: the CLI v1 tests will fail. Install it with 'pip install awscli'."
fi
if [ -x /usr/bin/aws ]; then
  log "/usr/bin/aws: $(/usr/bin/aws --version 2>&1 | cut -d' ' -f1)"
else
  warn "/usr/bin/aws (Debian awscli, CLI v2) not found: the aws2 CLI tests will be skipped."
fi
if py_version=$(python3 --version 2>&1); then
  log "python3: $py_version"
else
  warn "python3 not found: Python function tests will fail."
fi

# --- npm dependencies -----------------------------------------------------------------------------
# npm rewrites node_modules/.package-lock.json on every install, so it is the stamp of the last
# install. Reinstall only when it is missing or older than the lockfile: better-sqlite3 compiles from
# source (~2 minutes) on every fresh install, so a needless `npm ci` is expensive.
stamp=node_modules/.package-lock.json
npm_flags=(--no-audit --no-fund)
if [ -f package-lock.json ]; then
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    log 'npm ci (node_modules missing or older than package-lock.json)'
    npm ci "${npm_flags[@]}" </dev/null
  else
    log 'node_modules up to date with package-lock.json'
  fi
else
  if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ]; then
    log 'npm install (no package-lock.json)'
    npm install "${npm_flags[@]}" </dev/null
  else
    log 'node_modules up to date with package.json'
  fi
fi

# --- Build ----------------------------------------------------------------------------------------
# Integration tests start dist/cli/main.js as a real process, so dist/ must match src/ every run.
log 'npm run build'
npm run --silent build </dev/null

# --- Type-check the tests ------------------------------------------------------------------------
# The build compiles src/ only; tests run through tsx, which strips types without checking them.
log 'npm run typecheck (src and tests)'
npm run --silent typecheck </dev/null
