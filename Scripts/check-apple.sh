#!/usr/bin/env bash
# Checks TapeDeck on Apple platforms, on a Mac with Xcode. This project's CI runs on Linux only:
# the Apple code paths are written for and reviewed, and this script is how they get checked.
#
#   Scripts/check-apple.sh            # run every step, print a summary to paste into a bug report
#
# Steps: swift build and swift test for macOS; swift test of Examples/ModelCatalog (a consumer
# that replays the shipped cassettes); xcodebuild test of Examples/ModelCatalog on an iOS
# simulator (the first available iPhone, or IOS_SIMULATOR="iPhone 16"). Each step's output goes
# to .build-apple/<step>.log. Exit status 0 when every step passed, 1 otherwise, 2 when this is
# not a Mac.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -s)" != "Darwin" ]; then
    echo "check-apple.sh: this checks the Apple platforms and needs a Mac with Xcode; this machine runs $(uname -s)" >&2
    exit 2
fi
for tool in swift xcodebuild xcrun; do
    command -v "$tool" >/dev/null 2>&1 || { echo "check-apple.sh: $tool not found; install Xcode (and run xcode-select --install)" >&2; exit 2; }
done

logs=.build-apple
mkdir -p "$logs"
results=()
failed=0
step() {  # step NAME COMMAND...: runs COMMAND, logs it, records PASS or FAIL with the time taken
    local name=$1; shift
    local log="$logs/$(echo "$name" | tr -c 'A-Za-z0-9' '-' | tr -s '-').log"
    local start=$SECONDS
    echo "check-apple: $name ..."
    if "$@" >"$log" 2>&1; then
        results+=("PASS  $name ($((SECONDS - start))s)")
    else
        results+=("FAIL  $name ($((SECONDS - start))s) -- see $log; last lines:")
        while IFS= read -r line; do results+=("        $line"); done < <(tail -n 15 "$log")
        failed=1
    fi
}

simulator=${IOS_SIMULATOR:-$(xcrun simctl list devices available 2>/dev/null | grep -m1 -oE 'iPhone [^(]+' | sed 's/ *$//')}

step "swift build --build-tests (macOS)" swift build --build-tests
step "swift test (macOS)" swift test
step "swift test, Examples/ModelCatalog (macOS)" swift test --package-path Examples/ModelCatalog
if [ -n "$simulator" ]; then
    step "xcodebuild test, Examples/ModelCatalog (iOS Simulator: $simulator)" \
        bash -c "cd Examples/ModelCatalog && xcodebuild test -scheme ModelCatalog -destination 'platform=iOS Simulator,name=$simulator'"
else
    results+=("SKIP  xcodebuild test on an iOS simulator: no available iPhone simulator (xcrun simctl list devices available)")
fi

echo
echo "TapeDeck Apple platform check"
echo "commit:     $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "macOS:      $(sw_vers -productVersion 2>/dev/null) ($(uname -m))"
echo "Xcode:      $(xcodebuild -version 2>/dev/null | tr '\n' ' ')"
echo "Swift:      $(swift --version 2>/dev/null | head -n 1)"
printf '%s\n' "${results[@]}"
exit "$failed"
