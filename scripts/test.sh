#!/usr/bin/env bash
# The one test command (README, `npm test`, .ci/run): prepares the machine (scripts/test-setup.sh),
# then runs every src/**/*.test.ts and test/**/*.test.ts with Node's built-in test runner.
# Prints one spec line per test; the very last line is always `N passed, N failed`.
# Exits non-zero when a test fails, when no test ran, or when the run was cut short.
#
#   bash scripts/test.sh                          # everything
#   bash scripts/test.sh test/integration src/x.test.ts   # only these files / folders
#
# Environment (all optional):
#   SIGNALBOX_SKIP_SETUP=1            skip scripts/test-setup.sh (machine already prepared, dist/ built)
#   SIGNALBOX_TEST_CONCURRENCY=N      test files run at once (default: CPU count, at least 2)
#   SIGNALBOX_TEST_TIMEOUT_MS=N       per test file and per test (default 300000)
#   SIGNALBOX_SUITE_TIMEOUT=S         whole run, seconds (default 1080: stays under CI's limit)
#   SIGNALBOX_TEST_TAP=path           keep the TAP report there (default: temp file, removed)
#   SIGNALBOX_KEEP_TMP=1              keep the run's temp folder (the tests' data dirs) for a post-mortem
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The tests call CLI v1 as plain `aws`; on these machines it is pyenv's pip awscli. A CI job that
# starts without a login shell may lack pyenv's shims on PATH and find Debian's v2 instead, so put
# the shims first when they hold an aws and PATH does not already give v1. (Exported: the test
# processes inherit it.)
pyenv_shims="${PYENV_ROOT:-${HOME:-/root}/.pyenv}/shims"
if [ -x "$pyenv_shims/aws" ] && ! aws --version 2>&1 | grep -q '^aws-cli/1\.'; then
  export PATH="$pyenv_shims:$PATH"
fi

if [ "${SIGNALBOX_SKIP_SETUP:-0}" != 1 ]; then
  # A failed setup (npm ci, build) is a failed run: say so in the same last-line format.
  setup_rc=0
  bash scripts/test-setup.sh || setup_rc=$?
  if [ "$setup_rc" -ne 0 ]; then
    echo "[test] scripts/test-setup.sh failed (status $setup_rc): no test ran." >&2
    echo '0 passed, 1 failed'
    exit "$setup_rc"
  fi
fi

# --- Which files ---------------------------------------------------------------------------------
# Node 20's --test does not expand globs for .ts files, so expand here. find + sort gives a stable
# order (LC_ALL=C: the same on every machine) and copes with spaces in names.
find_tests() {
  find "$@" -type f -name '*.test.ts' -not -path '*/node_modules/*' -print0 2>/dev/null | LC_ALL=C sort -z
}
files=()
if [ $# -gt 0 ]; then
  for arg in "$@"; do
    if [ -d "$arg" ]; then
      while IFS= read -r -d '' f; do files+=("$f"); done < <(find_tests "$arg")
    elif [ -f "$arg" ]; then
      files+=("$arg")
    else
      echo "[test] no such file or folder: $arg" >&2
      echo '0 passed, 1 failed'
      exit 1
    fi
  done
else
  roots=()
  for d in src test; do [ -d "$d" ] && roots+=("$d"); done
  if [ ${#roots[@]} -gt 0 ]; then
    while IFS= read -r -d '' f; do files+=("$f"); done < <(find_tests "${roots[@]}")
  fi
fi

if [ ${#files[@]} -eq 0 ]; then
  echo '[test] no *.test.ts files found: nothing ran, which counts as a failure.' >&2
  echo '0 passed, 0 failed'
  exit 1
fi

# --- Settings -------------------------------------------------------------------------------------
# Test files mostly wait on child processes (the server, the AWS CLIs' Python start-up), but those
# use CPU too: one file per core, at least 2, keeps the machine busy without making timings flaky.
cpus=$(nproc 2>/dev/null || echo 2)
concurrency=${SIGNALBOX_TEST_CONCURRENCY:-$(( cpus > 2 ? cpus : 2 ))}
# On Node 20 the runner applies --test-timeout to each file's subprocess as well as to each test,
# so it is the per-file hang guard: a stuck file fails alone and the run goes on.
test_timeout_ms=${SIGNALBOX_TEST_TIMEOUT_MS:-300000}
# Whole-run guard: if the runner itself wedges, stop it and still print the count line.
suite_timeout=${SIGNALBOX_SUITE_TIMEOUT:-1080}

tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/signalbox-test.XXXXXX")
tap=${SIGNALBOX_TEST_TAP:-$tmpdir/report.tap}
: >"$tap"
# Tests make data dirs with os.tmpdir(); pointing TMPDIR into this run's folder means a test that
# forgets to clean up (or dies before it can) leaves nothing behind on the machine.
mkdir "$tmpdir/tmp"
export TMPDIR="$tmpdir/tmp"
cleanup() { [ "${SIGNALBOX_KEEP_TMP:-0}" = 1 ] || rm -rf "$tmpdir"; }
trap cleanup EXIT

echo "[test] ${#files[@]} test files, concurrency $concurrency, timeout ${test_timeout_ms} ms per file"

# --- Run ------------------------------------------------------------------------------------------
# `timeout` puts the runner in a process group of its own (its pid is the group id). That lets us
# forward Ctrl-C / SIGTERM to everything the tests started, and afterwards reap servers a test
# forgot to stop, so they cannot keep CI's output pipe open or a port busy.
start=$SECONDS
set +e
timeout --kill-after=20 "$suite_timeout" \
  node --import tsx --test \
    --test-concurrency="$concurrency" \
    --test-timeout="$test_timeout_ms" \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" \
    "${files[@]}" </dev/null &
runner=$!
forward() { kill -TERM -- "-$runner" 2>/dev/null; }
trap forward INT TERM
wait "$runner"
rc=$?
# A trapped signal interrupts `wait`; wait again for the runner's real status.
while kill -0 "$runner" 2>/dev/null; do wait "$runner"; rc=$?; done
trap - INT TERM
set -e
elapsed=$(( SECONDS - start ))

# Give processes that are already shutting down (e.g. after the suite timeout) a moment first.
for _ in 1 2 3 4 5 6 7 8 9 10; do
  kill -0 -- "-$runner" 2>/dev/null || break
  sleep 0.2
done
if kill -0 -- "-$runner" 2>/dev/null; then
  echo '[test] WARNING: processes started by the tests were still running after the run; stopping them.' >&2
  kill -TERM -- "-$runner" 2>/dev/null || true
  sleep 2
  kill -KILL -- "-$runner" 2>/dev/null || true
fi

# --- Count ----------------------------------------------------------------------------------------
# The TAP summary (`# pass N` ...) is the runner's own count. Take the last occurrence: a test's
# stdout is echoed into the TAP stream as `# ...` comments and comes before the summary.
summary() { sed -n "s/^# $1 \([0-9][0-9]*\)\$/\1/p" "$tap" | tail -n 1; }
passed=$(summary pass)
failed=$(summary fail)
cancelled=$(summary cancelled)
skipped=$(summary skipped)
todo=$(summary todo)
notes=()
if [ -z "$passed" ] || [ -z "$failed" ]; then
  # No summary: the run was cut short. Count the results the runner did report.
  passed=$(grep -Ec '^ *ok [0-9]+ ' "$tap" || true)
  failed=$(grep -Ec '^ *not ok [0-9]+ ' "$tap" || true)
  cancelled=0 skipped=0 todo=0
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    notes+=("the whole run exceeded ${suite_timeout} s and was stopped; counts are partial, +1 failure for the cut")
  else
    notes+=("the runner ended (status $rc) without a summary; counts are partial, +1 failure for the cut")
  fi
  failed=$(( failed + 1 ))
else
  cancelled=${cancelled:-0} skipped=${skipped:-0} todo=${todo:-0}
  # A cancelled test (timed out, or its file died) did not pass: count it as failed.
  if [ "$cancelled" -gt 0 ]; then
    notes+=("$cancelled cancelled (timed out or interrupted), counted as failed")
    failed=$(( failed + cancelled ))
  fi
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    notes+=("the runner exited with status $rc without a failing test; counted as 1 failure")
    failed=1
  fi
fi
[ "$skipped" -gt 0 ] && notes+=("$skipped skipped")
[ "$todo" -gt 0 ] && notes+=("$todo todo")
[ "${SIGNALBOX_KEEP_TMP:-0}" = 1 ] && notes+=("temp files kept in $tmpdir")
if [ $(( passed + failed )) -eq 0 ]; then
  notes+=("no test ran, which counts as a failure")
fi

echo
for n in "${notes[@]}"; do echo "[test] note: $n"; done
echo "[test] ${#files[@]} files in ${elapsed} s"
echo "$passed passed, $failed failed"

if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
exit 0
