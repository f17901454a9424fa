#!/usr/bin/env bash
# Fuzzes the cassette reader or the HAR importer with libFuzzer for a given time.
#
#   Scripts/fuzz.sh [SECONDS] [cassette|lines|har|fault]      (defaults: 60 cassette)
#
# cassette: the bytes are a .tape file; lines: the bytes are its decompressed JSON Lines (so
# mutations reach the JSON parser rather than the CRC check); har: the bytes are a HAR file;
# fault: the bytes are a --fault specification (parsed, read back from its own spelling, planned).
#
# Builds the TapeDeck, TapeDeckTools and TapeDeckFuzzing modules with swiftc -sanitize=fuzzer,address
# into .build-fuzz/, seeds a corpus from the shipped cassettes and the regression cases, and runs
# libFuzzer. A crash leaves its input in .build-fuzz/crashes/ and exits non-zero: copy the file to
# Tests/TapeDeckFuzzingTests/Regressions/ as TARGET-NAME (cassette-*, lines-* or har-*) so the test
# suite keeps running it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
target=${2:-cassette}
case "$target" in cassette|lines|har|fault) ;; *) echo "fuzz.sh: the target is cassette, lines, har or fault, not '$target'" >&2; exit 2 ;; esac
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;; esac

out=.build-fuzz
mkdir -p "$out/lib" "$out/corpus-$target" "$out/crashes"
flags=(-sanitize=fuzzer,address -O -parse-as-library -swift-version 6 -package-name tapedeck
       -enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault
       -I Sources/CZlib -I "$out/lib" -L "$out/lib")

module() {  # module NAME: a static library and its .swiftmodule
    local name=$1
    echo "fuzz: compiling $name"
    swiftc "${flags[@]}" -module-name "$name" -emit-module -emit-module-path "$out/lib/$name.swiftmodule" \
        -emit-library -static -o "$out/lib/lib$name.a" $(find "Sources/$name" -name '*.swift' | sort) >"$out/build-$name.log" 2>&1 \
        || { cat "$out/build-$name.log" >&2; exit 1; }
}
module TapeDeck
module TapeDeckTools
module TapeDeckFaults
module TapeDeckFuzzing
echo "fuzz: linking the fuzzer"
# (ld.gold lists every ASan helper it cannot export: noise, kept in the log.)
swiftc "${flags[@]}" Fuzz/LibFuzzerEntry.swift -lTapeDeckFuzzing -lTapeDeckFaults -lTapeDeckTools -lTapeDeck -lz -o "$out/fuzz-tapedeck" \
    >"$out/build-link.log" 2>&1 || { cat "$out/build-link.log" >&2; exit 1; }

# Seeds: real files to mutate, and every regression case.
if [ "$target" = cassette ]; then
    cp cassettes/*.tape "$out/corpus-$target/" 2>/dev/null || true
    cp Tests/TapeDeckFuzzingTests/Regressions/cassette-* "$out/corpus-$target/" 2>/dev/null || true
elif [ "$target" = fault ]; then
    n=0
    for spec in "GET /models status=429 header=Retry-After:1 times=1" "POST /chat/* delay=2s every=3" \
                "/v1/* drop-after=40" "DELETE /files/x status=503 header=Retry-After:2 header=X-Reason:maintenance" \
                "get /models delay=1.5s" "GET /models status=204 times=2"; do
        printf '%s' "$spec" > "$out/corpus-$target/seed-$n"; n=$((n + 1))
    done
    cp Tests/TapeDeckFuzzingTests/Regressions/fault-* "$out/corpus-$target/" 2>/dev/null || true
elif [ "$target" = lines ]; then
    for file in cassettes/*.tape; do gzip -dc "$file" > "$out/corpus-$target/$(basename "$file" .tape).jsonl"; done
    cp Tests/TapeDeckFuzzingTests/Regressions/lines-* "$out/corpus-$target/" 2>/dev/null || true
else
    TAPEDECK=${TAPEDECK:-}
    for file in cassettes/*.tape; do
        [ -n "$TAPEDECK" ] && "$TAPEDECK" export-har "$file" --output "$out/corpus-$target/$(basename "$file" .tape).har" || true
    done
    cp Tests/TapeDeckFuzzingTests/Regressions/har-* "$out/corpus-$target/" 2>/dev/null || true
fi

echo "fuzz: running $target for ${seconds}s"
set +e
FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=0 "$out/fuzz-tapedeck" "$out/corpus-$target" \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -artifact_prefix="$out/crashes/$target-" -print_final_stats=1 2>&1 \
    | tee "$out/last-$target.log" | grep -E "^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|SUMMARY|ERROR|crash-|Done" 
status=${PIPESTATUS[0]}
set -e
echo "fuzz: libFuzzer exited $status (full log: $out/last-$target.log)"
exit "$status"
