#!/usr/bin/env bash
# Runs every test: installs what the tests need, restores, builds, runs the suite, and ends with the
# line "N passed, N failed, N skipped" counted from the test runner's own TRX results.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK (dotnet) is required" >&2
  exit 1
fi

# The integration tests run a real authoritative DNS server (NSD) on a loopback port; the tests start and
# stop it themselves. Install it when missing (Debian package; needs root, as CI has).
# The Public Suffix List (organisational domains) comes from Debian's package publicsuffix.
# The end-to-end test runs a private Postfix instance (its own configuration folder) and sends with swaks;
# Postfix is installed with "No configuration", so the system's own mail service is neither set up nor started.
missing=""
[ -x /usr/sbin/nsd ] || missing="$missing nsd"
[ -f /usr/share/publicsuffix/public_suffix_list.dat ] || missing="$missing publicsuffix"
[ -x /usr/sbin/postfix ] || missing="$missing postfix"
[ -x /usr/bin/swaks ] || missing="$missing swaks"
# The milter tests drive `vouch milter` with Debian's miltertest (Lua scripts in tests/milter/), and Postfix's smtpd_milters.
[ -x /usr/bin/miltertest ] || missing="$missing miltertest"
# The package tests build the Debian package and check it with lintian; systemd-analyze verifies its unit.
[ -x /usr/bin/lintian ] || missing="$missing lintian"
[ -x /usr/bin/systemd-analyze ] || missing="$missing systemd"
# The reputation store tests run a private Redis server (its own port and folder) against the Redis backend.
[ -x /usr/bin/redis-server ] || missing="$missing redis-server"
# The rollout HTML report's tests open the page in headless Chromium and read its DOM and a screenshot.
[ -x /usr/bin/chromium ] || missing="$missing chromium"
# Building Vouch.Cli runs npm ci once (src/Vouch.Cli/Rollout/web) to fetch uPlot, which the report inlines.
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  echo "test.sh: installing$missing..."
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: installing$missing needs root: sudo apt-get install$missing" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections 2>/dev/null || true
  # shellcheck disable=SC2086
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } >/dev/null 2>&1 \
    || { echo "test.sh: could not install$missing" >&2; echo "0 passed, 1 failed"; exit 1; }
fi
# Whatever happens, no server started by the tests (NSD, vouch serve, a private Postfix) outlives the run.
stop_test_servers() {
  pkill -f 'nsd -d -c .*vouch-nsd-' 2>/dev/null || true
  pkill -f 'redis-server .*vouch-redis-' 2>/dev/null || true
  pkill -f 'Vouch.Cli serve .*vouch-e2e-' 2>/dev/null || true
  pkill -f '/usr/bin/vouch serve .*vouch-deb-test-' 2>/dev/null || true
  # The package tests install vouch (only where it was not installed); an interrupted run purges it here.
  marker="${TMPDIR:-/tmp}/vouch-package-tests.installed"
  if [ -f "$marker" ]; then
    dpkg --purge vouch >/dev/null 2>&1 || true
    rm -f "$marker"
  fi
  for conf in "${TMPDIR:-/tmp}"/vouch-postfix-*/conf; do
    [ -f "$conf/main.cf" ] && postfix -c "$conf" abort >/dev/null 2>&1
  done
  true
}
trap stop_test_servers EXIT

results="$here/TestResults"
rm -rf "$results"
dotnet restore Vouch.sln --nologo -v quiet || { echo "test.sh: restore failed" >&2; echo "0 passed, 1 failed"; exit 1; }
dotnet build Vouch.sln -c Release --no-restore --nologo -v quiet || { echo "test.sh: build failed" >&2; echo "0 passed, 1 failed"; exit 1; }

dotnet test tests/Vouch.Tests/Vouch.Tests.csproj -c Release --no-build --nologo \
  --logger "trx;LogFileName=vouch.trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?

trx="$results/vouch.trx"
if [ ! -f "$trx" ]; then
  echo "test.sh: no test results were written ($trx)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
count() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
passed=$(count passed); failed=$(count failed); total=$(count total); executed=$(count executed)
errors=$(count error); timeouts=$(count timeout); aborted=$(count aborted)
failed=$(( ${failed:-0} + ${errors:-0} + ${timeouts:-0} + ${aborted:-0} ))
skipped=$(( ${total:-0} - ${executed:-0} ))
echo "${passed:-0} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
  exit 1
fi
