#!/usr/bin/env bash
# Records the shipped list-models cassettes with curl through `tapedeck record`.
#
#   Scripts/record-list-models.sh [OUTPUT_FOLDER]        (default: cassettes)
#
# Against the live APIs for every key that is set:
#   DEEPSEEK_API_KEY                   -> https://api.deepseek.com
#   GATEWAY_URL + GATEWAY_API_KEY      -> your OpenAI-compatible multi-format gateway
#   GEMINI_API_KEY                     -> https://generativelanguage.googleapis.com
#   ANTHROPIC_API_KEY                  -> https://api.anthropic.com
# Otherwise against `tapedeck example-upstream`, started here on 127.0.0.1, recorded under the
# real APIs' URLs (--record-as) so tests that use the real base URLs replay them. No key, no
# network. Keys never reach the cassettes: the recorder removes them before writing.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-cassettes}
mkdir -p "$out"
tapedeck=${TAPEDECK:-.build/debug/tapedeck-cli}
if [ ! -x "$tapedeck" ]; then
    echo "record-list-models: building tapedeck" >&2
    swift build --product tapedeck-cli >&2
fi
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# The first http://127.0.0.1:PORT a background tapedeck prints into $1.
address_of() {
    for _ in $(seq 1 300); do
        if [ -s "$1" ]; then
            grep -o 'http://127\.0\.0\.1:[0-9]*' "$1" | head -1
            return 0
        fi
        sleep 0.1
    done
    echo "record-list-models: tapedeck did not start; its output:" >&2
    cat "$1" >&2
    return 1
}

example=""
example_upstream() {
    if [ -z "$example" ]; then
        "$tapedeck" example-upstream --port 0 > "$work/example.log" 2>&1 &
        pids+=($!)
        example=$(address_of "$work/example.log")
        echo "record-list-models: no key for some APIs; using the example upstream at $example" >&2
    fi
}

# A fixed User-Agent keeps re-recordings byte-identical whatever curl is installed.
CURL=(curl --silent --show-error --fail-with-body --user-agent "tapedeck-record-list-models/1" --header "Accept: application/json")

# start NAME UPSTREAM RECORD_AS: a recording proxy for cassette NAME; sets $proxy.
start() {
    local name=$1 upstream=$2 record_as=$3
    log="$work/$name.log"
    local args=(record --upstream "$upstream" --cassette "$out/$name.tape" --port 0 --overwrite)
    if [ -n "$record_as" ]; then args+=(--record-as "$record_as"); fi
    "$tapedeck" "${args[@]}" > "$log" 2>&1 &
    recorder=$!
    proxy=$(address_of "$log")
}

# get PATH HEADER...: one request through the proxy; the answer is kept in $work/last.json.
get() {
    local path=$1; shift
    local headers=()
    for header in "$@"; do headers+=(--header "$header"); done
    "${CURL[@]}" "${headers[@]}" "$proxy$path" > "$work/last.json" || true
}

# stop: SIGINT the proxy, which compacts the cassette and prints its summary.
stop() {
    kill -INT "$recorder"
    wait "$recorder"
    tail -1 "$log" >&2
}

# The JSON field $1 of the last answer, or nothing.
field() { python3 -c "import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2]); print('' if v is None else v)" "$work/last.json" "$1" 2>/dev/null || true; }

# DeepSeek: GET /models and /v1/models (Bearer).
if [ -n "${DEEPSEEK_API_KEY:-}" ]; then ds_up=https://api.deepseek.com; ds_as=""; ds_key=$DEEPSEEK_API_KEY
else example_upstream; ds_up=$example/deepseek; ds_as=https://api.deepseek.com; ds_key=sk-example-deepseek-key; fi
start deepseek-models "$ds_up" "$ds_as"
get /models "Authorization: Bearer $ds_key"
get /v1/models "Authorization: Bearer $ds_key"
stop

# DeepSeek with a wrong key: a 401 in OpenAI's error shape (the key it quotes back is scrubbed).
start deepseek-unauthorized "$ds_up" "$ds_as"
get /models "Authorization: Bearer sk-invalid-example-key-0000"
stop

# The gateway: one GET /v1/models, three formats chosen by the credential header.
if [ -n "${GATEWAY_URL:-}" ] && [ -n "${GATEWAY_API_KEY:-}" ]; then gw_up=$GATEWAY_URL; gw_as=""; gw_key=$GATEWAY_API_KEY
else example_upstream; gw_up=$example/gateway; gw_as=https://gateway.example.com; gw_key=sk-example-gateway-key; fi
start gateway-models "$gw_up" "$gw_as"
get /v1/models "Authorization: Bearer $gw_key"
get /v1/models "x-goog-api-key: $gw_key"
get /v1/models "x-api-key: $gw_key" "anthropic-version: 2023-06-01"
stop

# Gemini: pages of two, following nextPageToken.
if [ -n "${GEMINI_API_KEY:-}" ]; then gm_up=https://generativelanguage.googleapis.com; gm_as=""; gm_key=$GEMINI_API_KEY
else example_upstream; gm_up=$example/gemini; gm_as=https://generativelanguage.googleapis.com; gm_key=AIza-example-gemini-key; fi
start gemini-models "$gm_up" "$gm_as"
token=""
for _ in 1 2 3; do
    get "/v1beta/models?pageSize=2${token:+&pageToken=$token}" "x-goog-api-key: $gm_key"
    token=$(field nextPageToken)
    [ -z "$token" ] && break
done
stop

# Anthropic: pages of two, following last_id while has_more.
if [ -n "${ANTHROPIC_API_KEY:-}" ]; then an_up=https://api.anthropic.com; an_as=""; an_key=$ANTHROPIC_API_KEY
else example_upstream; an_up=$example/anthropic; an_as=https://api.anthropic.com; an_key=sk-ant-example-anthropic-key; fi
start anthropic-models "$an_up" "$an_as"
after=""
for _ in 1 2 3; do
    get "/v1/models?limit=2${after:+&after_id=$after}" "x-api-key: $an_key" "anthropic-version: 2023-06-01"
    [ "$(field has_more)" = "True" ] || break
    after=$(field last_id)
done
stop

echo "record-list-models: cassettes in $out/" >&2
