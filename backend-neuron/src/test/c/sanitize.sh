#!/bin/sh
# Native memory checks for backend-neuron (about a minute; CI may run it, the default build does not):
#  1. valgrind: shim_harness.c drives the JNI shim's entry points through a minimal JNIEnv against the
#     stand-in libnrt, CYCLES load/execute/unload cycles; any leak or invalid access fails.
#  2. AddressSanitizer: the whole Java test suite with the shim and the stand-in built with
#     -fsanitize=address and libasan preloaded into the test JVM (overflows, use after free, double
#     free). LeakSanitizer is off there: it cannot stop a JVM's threads, so leaks are step 1's job.
# Usage: backend-neuron/src/test/c/sanitize.sh [CYCLES]   (from anywhere; builds into target-asan)
set -eu
module="$(cd "$(dirname "$0")/../../.." && pwd)"
root="$(cd "$module/.." && pwd)"
asan="$(gcc -print-file-name=libasan.so)"
logdir="$module/target-asan/asan"
rm -rf "$logdir"; mkdir -p "$logdir"
cycles="${1:-300}"
jh="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
vg="$module/target-asan/valgrind"
sh "$module/src/main/c/build.sh" shim "$vg" "$jh"
sh "$module/src/main/c/build.sh" standin "$vg"
gcc -std=gnu11 -g -O1 -Wall -I"$jh/include" -I"$jh/include/linux" -o "$vg/shim_harness" \
  "$module/src/test/c/shim_harness.c" -ldl
valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
  --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 \
  "$vg/shim_harness" "$vg/libjneuron_nrt.so" "$vg/libnrt.so.1" "$cycles" > "$logdir/valgrind.log" 2>&1 \
  || { cat "$logdir/valgrind.log" >&2; echo "sanitize: valgrind found errors or leaks" >&2; exit 1; }
echo "sanitize: valgrind clean: $(tail -1 "$logdir/valgrind.log")"
export EXTRA_CFLAGS="-fsanitize=address -fno-omit-frame-pointer -O1"
# The JVM uses SIGSEGV on purpose (null checks, safepoints): ASan must leave those signals alone.
export ASAN_OPTIONS="handle_segv=0:handle_sigbus=0:handle_sigfpe=0:allow_user_segv_handler=1:use_sigaltstack=0:detect_leaks=0:halt_on_error=1:log_path=$logdir/asan"
cd "$root"
mvn -B -q -o -Djneuron.build.dir=target-asan -pl backend-neuron -am install -DskipTests
mvn -B -o -Djneuron.build.dir=target-asan -pl backend-neuron test -Djneuron.test.preload="$asan" \
  -Djneuron.test.argline="-Xss4m" > "$logdir/mvn.log" 2>&1 || { tail -40 "$logdir/mvn.log"; echo "sanitize: tests failed" >&2; exit 1; }
grep -E "Tests run:.*Fail" "$logdir/mvn.log" | tail -1
errors=$(grep -l "ERROR: AddressSanitizer" "$logdir"/asan.* 2>/dev/null || true)
if [ -n "$errors" ]; then
  cat $errors >&2; echo "sanitize: AddressSanitizer found errors" >&2; exit 1
fi
echo "sanitize: AddressSanitizer clean over the Java test suite (libasan preloaded: $asan)"
