#!/bin/sh
# Builds the native parts with the machine's gcc; run by the Maven build (see pom.xml).
#   build.sh shim    OUT_DIR JAVA_HOME   -> OUT_DIR/libjneuron_nrt.so (the JNI shim, goes into the jar)
#   build.sh standin OUT_DIR             -> OUT_DIR/libnrt.so.1 (the test stand-in)
# EXTRA_CFLAGS adds flags to both, e.g. -fsanitize=address for src/test/c/sanitize.sh.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
what="$1"; out="$2"
mkdir -p "$out"
CFLAGS="-std=gnu11 -O2 -g -Wall -Wextra -Werror -fPIC -fvisibility=hidden ${EXTRA_CFLAGS:-}"
case "$what" in
  shim)
    jh="$3"
    # shellcheck disable=SC2086
    gcc $CFLAGS -fvisibility=default -shared -I"$jh/include" -I"$jh/include/linux" -I"$here" \
      -o "$out/libjneuron_nrt.so" "$here/nrt_jni.c" -ldl -lpthread ;;
  standin)
    test="$here/../../test/c"
    # shellcheck disable=SC2086
    gcc $CFLAGS -shared -Wl,-soname,libnrt.so.1 -I"$here" -I"$test" -o "$out/libnrt.so.1" \
      "$test/nrt_standin.c" "$test/nrt_standin_model.c" "$test/nrt_standin_tensor.c" -lm ;;
  *) echo "build.sh: unknown target '$what' (shim or standin)" >&2; exit 2 ;;
esac
