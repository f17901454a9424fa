#!/usr/bin/env bash
# Checks whether the shipped list-models cassettes still tell the truth: `tapedeck drift` over
# each one against its live API, for every key that is set (the others are skipped, saying so).
#
#   Scripts/check-drift.sh [--update]
#
#   DEEPSEEK_API_KEY                -> cassettes/deepseek-models.tape
#   GEMINI_API_KEY                  -> cassettes/gemini-models.tape
#   ANTHROPIC_API_KEY               -> cassettes/anthropic-models.tape
#   GATEWAY_URL + GATEWAY_API_KEY   -> cassettes/gateway-models.tape (sent to GATEWAY_URL)
#
# Offline, `--offline` checks every cassette against `tapedeck example-upstream` as recorded
# (and `--offline --moved-on` against a moved-on one, which must report drift): no key, no network.
# Exit status: 0 nothing drifted, 1 something drifted, 2 a check could not run (named above).
# With --update the drifted interactions are re-recorded in place (redacted). Keys are read from
# the environment and passed to tapedeck as arguments of this machine's process only; they are
# never written to a cassette.
set -uo pipefail
cd "$(dirname "$0")/.."
tapedeck=${TAPEDECK:-.build/debug/tapedeck-cli}
if [ ! -x "$tapedeck" ]; then
    echo "check-drift: building tapedeck" >&2
    swift build --product tapedeck-cli >&2 || exit 2
fi
update=() offline=0 moved=()
for argument in "$@"; do
    case "$argument" in
        --update) update=(--update) ;;
        --offline) offline=1 ;;
        --moved-on) moved=(--moved-on) ;;
        *) echo "check-drift: unknown option $argument (use --update, --offline, --moved-on)" >&2; exit 2 ;;
    esac
done

worst=0
check() {  # check CASSETTE DRIFT-ARGUMENTS...: runs drift, keeps the worst exit status
    echo "== $1"
    "$tapedeck" drift "$@" "${update[@]}"
    local status=$?
    [ "$status" -gt "$worst" ] && worst=$status
}

if [ "$offline" = 1 ]; then
    log=$(mktemp)
    "$tapedeck" example-upstream --port 0 "${moved[@]}" >"$log" 2>&1 &
    pid=$!
    trap 'kill $pid 2>/dev/null; rm -f "$log"' EXIT
    for _ in $(seq 1 100); do grep -q 'http://127' "$log" && break; sleep 0.1; done
    base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -1)
    [ -n "$base" ] || { echo "check-drift: the example upstream did not start: $(cat "$log")" >&2; exit 2; }
    key="sk-check-drift-0123456789"
    check cassettes/deepseek-models.tape --upstream "$base/deepseek" --header "Authorization: Bearer $key"
    check cassettes/gateway-models.tape --upstream "$base/gateway" --header "Authorization: Bearer $key" \
        --header "x-goog-api-key: $key" --header "x-api-key: $key"
    check cassettes/gemini-models.tape --upstream "$base/gemini" --header "x-goog-api-key: $key"
    check cassettes/anthropic-models.tape --upstream "$base/anthropic" --header "x-api-key: $key"
    exit "$worst"
fi

ran=0
if [ -n "${DEEPSEEK_API_KEY:-}" ]; then
    check cassettes/deepseek-models.tape --header "Authorization: Bearer $DEEPSEEK_API_KEY"; ran=1
else
    echo "check-drift: skipping deepseek-models.tape (DEEPSEEK_API_KEY is not set)"
fi
if [ -n "${GEMINI_API_KEY:-}" ]; then
    check cassettes/gemini-models.tape --header "x-goog-api-key: $GEMINI_API_KEY"; ran=1
else
    echo "check-drift: skipping gemini-models.tape (GEMINI_API_KEY is not set)"
fi
if [ -n "${ANTHROPIC_API_KEY:-}" ]; then
    check cassettes/anthropic-models.tape --header "x-api-key: $ANTHROPIC_API_KEY"; ran=1
else
    echo "check-drift: skipping anthropic-models.tape (ANTHROPIC_API_KEY is not set)"
fi
if [ -n "${GATEWAY_URL:-}" ] && [ -n "${GATEWAY_API_KEY:-}" ]; then
    check cassettes/gateway-models.tape --upstream "$GATEWAY_URL" --header "Authorization: Bearer $GATEWAY_API_KEY" \
        --header "x-goog-api-key: $GATEWAY_API_KEY" --header "x-api-key: $GATEWAY_API_KEY"; ran=1
else
    echo "check-drift: skipping gateway-models.tape (GATEWAY_URL and GATEWAY_API_KEY are not both set)"
fi
[ "$ran" = 1 ] || echo "check-drift: no key set, nothing checked against a live API (try --offline)"
exit "$worst"
