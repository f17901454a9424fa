#!/usr/bin/env bash
# The main job, start to finish, with no key and no network: records DeepSeek-style list-models
# calls through `tapedeck record` (against `tapedeck example-upstream` on 127.0.0.1), shows the
# cassette, then replays it with `tapedeck replay` and checks the answers are identical.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product tapedeck-cli
tapedeck=.build/debug/tapedeck-cli
work=$(mktemp -d)
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"' EXIT

first_address() {
    for _ in $(seq 1 300); do
        if [ -s "$1" ]; then grep -o 'http://127\.0\.0\.1:[0-9]*' "$1" | head -1; return 0; fi
        sleep 0.1
    done
    cat "$1" >&2; return 1
}

echo "== 1. a stand-in for the DeepSeek API (tapedeck example-upstream)"
"$tapedeck" example-upstream --port 0 > "$work/upstream.log" 2>&1 &
pids+=($!)
upstream=$(first_address "$work/upstream.log")
echo "   $upstream"

echo "== 2. record through the proxy with curl"
"$tapedeck" record --upstream "$upstream/deepseek" --record-as https://api.deepseek.com \
    --cassette "$work/deepseek-models.tape" --port 0 > "$work/record.log" 2>&1 &
recorder=$!
proxy=$(first_address "$work/record.log")
head -1 "$work/record.log"
curl -sS -H "Authorization: Bearer sk-demo-secret-key-123456" "$proxy/models" > "$work/live-models.json"
curl -sS -H "Authorization: Bearer sk-demo-secret-key-123456" "$proxy/v1/models" > "$work/live-v1-models.json"
echo "   live answer: $(cut -c1-100 "$work/live-models.json")..."
kill -INT "$recorder"
wait "$recorder"
tail -n +2 "$work/record.log"

echo "== 3. the cassette (gzip of JSON Lines): gzip -dc | head -2"
gzip -dc "$work/deepseek-models.tape" | head -2 | cut -c1-200
if gzip -dc "$work/deepseek-models.tape" | grep -q "sk-demo-secret-key"; then
    echo "FAILED: the key reached the cassette" >&2; exit 1
fi
echo "   (the key is not in it)"

echo "== 4. replay it with tapedeck replay, another key, no upstream"
kill "${pids[0]}"
"$tapedeck" replay --cassette "$work/deepseek-models.tape" --port 0 > "$work/replay.log" 2>&1 &
pids+=($!)
replay=$(first_address "$work/replay.log")
curl -sS -H "Authorization: Bearer sk-another-key" "$replay/models" > "$work/replayed-models.json"
curl -sS -H "Authorization: Bearer sk-another-key" "$replay/v1/models" > "$work/replayed-v1-models.json"
cmp "$work/live-models.json" "$work/replayed-models.json"
cmp "$work/live-v1-models.json" "$work/replayed-v1-models.json"
echo "   replayed answers are byte-identical to the live ones"
echo "demo: OK"
