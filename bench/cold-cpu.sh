#!/usr/bin/env bash
# Where a fresh JVM's first generation spends its CPU, against later generations of the same JVM: one JVM
# started with bin/jneuron's own flags and class-data archive runs the bench's generation (128-token prompt,
# 64 new tokens, seq 256, batch 1) GENS times (io.jneuron.core.cli.ColdProbe, in core's test classes).
# Prints each generation's JVM uptime at its start (@ms, to line up with -Xlog:jit+compilation::uptime), on-CPU
# ms per thread group (app, GC, C1, C2; /run-queue wait) and the page faults (minor/major) in the prefill and the decode, then
# cold/warm (warm: the median of generations 3..GENS): wall ratios, and CPU ratios, which a busy machine
# disturbs far less than wall time. Linux only. Build first (mvn -B -q -DskipTests package).
#
#   bench/cold-cpu.sh MODEL [PRECISION=fp32|bf16|fp16|int8] [GENS=5] [THREADS=2]
#   (JAVA_HOME picks the JDK; JNEURON_JAVA_OPTS adds JVM options, e.g. -Djneuron.cpu.warmupLog=true)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="$1"; P="${2:-fp32}"; GENS="${3:-5}"; THREADS="${4:-2}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/java}"; JAVA="$(readlink -f "$(command -v "${JAVA:-java}")")"
LIB="$ROOT/install/target/lib"
# bin/jneuron's JIT flags and archive, as it builds them.
mapfile -t JIT < <(sed -n '/^JIT=(/,/)$/p' "$ROOT/bin/jneuron" | grep -o '"[^"]*"\|-XX:[^ )"]*' | tr -d '"')
ARCHIVE="$LIB/../cds/jneuron-$(printf '%s\n' "$JAVA" | cksum | cut -d' ' -f1)"
CDS=()
if [ -f "$ARCHIVE.aot" ]; then CDS=("-XX:AOTCache=$ARCHIVE.aot" -Xlog:aot=off -Xlog:cds=off)
elif [ -f "$ARCHIVE.jsa" ]; then CDS=("-XX:SharedArchiveFile=$ARCHIVE.jsa" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off); fi
OUT="$(mktemp)"; trap 'rm -f "$OUT"' EXIT
echo "$(basename "$(dirname "$(dirname "$JAVA")")") $P, load $(cut -d' ' -f1 /proc/loadavg)"
"$JAVA" --add-modules=jdk.incubator.vector --add-exports=java.base/jdk.internal.vm.vector=ALL-UNNAMED --enable-native-access=ALL-UNNAMED ${JNEURON_JAVA_OPTS:--XX:+UseParallelGC -Xmn8m} \
  "${JIT[@]}" ${CDS[@]+"${CDS[@]}"} -cp "$LIB/*:$ROOT/core/target/test-classes" io.jneuron.core.cli.ColdProbe \
  "$MODEL" "$P" "$THREADS" "$GENS" 2>&1 | grep -v '^WARNING: Using incubator' | tee "$OUT"
python3 - "$OUT" <<'PY'
import re, statistics as st, sys
gens = []
for line in open(sys.argv[1]):
    if line.startswith("gen ") and "|" in line:
        head, p, d = line.split("|")
        groups = lambda w: {k: float(v) for k, v, _ in re.findall(r" (\S+?)=([\d.]+)/([\d.]+)", w)}
        gens.append((float(head.split()[2]), float(head.split()[3]), groups(p[1:]), groups(d[1:])))
if len(gens) < 3:
    sys.exit("cold-cpu.sh: needs GENS >= 3")
cpu = lambda g: sum(v for k, v in g.items() if k in ("app", "GC", "C1", "C2"))
warm, cold = gens[2:], gens[0]
med = lambda f: st.median(f(g) for g in warm)
print("cold/warm prefill: wall %.2f, cpu %.2f (cold GC %.0f ms, JIT %.0f ms, app %.0f ms; warm app %.0f ms)"
      % (med(lambda g: g[0]) / cold[0], med(lambda g: cpu(g[2])) / cpu(cold[2]), cold[2].get("GC", 0),
         cold[2].get("C1", 0) + cold[2].get("C2", 0), cold[2].get("app", 0), med(lambda g: g[2].get("app", 0))))
print("cold/warm decode: wall %.2f, cpu %.2f (cold JIT %.0f ms)"
      % (med(lambda g: g[1]) / cold[1], med(lambda g: cpu(g[3])) / cpu(cold[3]),
         cold[3].get("C1", 0) + cold[3].get("C2", 0)))
PY
