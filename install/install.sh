#!/usr/bin/env bash
# Installs the "Java (Neuron)" Jupyter kernel: builds the project, installs Jupyter from Debian's
# packages when none is present, and installs a kernelspec whose jars live in its own folder.
#
#   install/install.sh [--user | --system | --sys-prefix | --prefix DIR] [--name NAME] [--java JAVA] [--no-build] [--no-cds]
#   install/install.sh --uninstall [--user | --system | --sys-prefix | --prefix DIR] [--name NAME]
#
# Default: --user for a normal user, --system for root. JNEURON_BUILD_DIR picks Maven's build folder.
# The kernelspec gets an AppCDS archive made by a warm-up run of the installed kernel (faster start);
# --no-cds skips it and bin/jneuron's archive (install/cli-cds.sh). A missing or stale archive is ignored by the JVM (-Xshare:auto).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=neuron-java
SCOPE=""
PREFIX=""
JAVA_BIN=""
BUILD=1
UNINSTALL=0
CDS=1
BUILD_DIR="${JNEURON_BUILD_DIR:-target}"

die() { echo "install.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --user|--system|--sys-prefix) SCOPE="$1" ;;
    --prefix) SCOPE=--prefix; PREFIX="${2:?--prefix needs a folder}"; shift ;;
    --name) NAME="${2:?--name needs a value}"; shift ;;
    --java) JAVA_BIN="${2:?--java needs the path of a java executable}"; shift ;;
    --no-build) BUILD=0 ;;
    --no-cds) CDS=0 ;;
    --uninstall) UNINSTALL=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) die "unknown option '$1'; see --help" ;;
  esac
  shift
done
if [ -z "$SCOPE" ]; then
  if [ "$(id -u)" = 0 ]; then SCOPE=--system; else SCOPE=--user; fi
fi
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
# jupyter kernelspec: --user and --sys-prefix and --prefix map directly; a system install is the default.
scope_args() {
  case "$SCOPE" in
    --system) ;;
    --prefix) echo "--prefix $PREFIX" ;;
    *) echo "$SCOPE" ;;
  esac
}

ensure_jupyter() {
  if command -v jupyter >/dev/null 2>&1 && jupyter kernelspec list >/dev/null 2>&1; then
    return
  fi
  command -v apt-get >/dev/null 2>&1 || die "no Jupyter found and no apt-get to install it; install Jupyter (jupyter_client >= 7) and rerun"
  echo "[install] installing Jupyter from Debian's packages" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends jupyter-core jupyter-client \
    python3-jupyter-client python3-nbclient python3-nbformat jupyter-nbconvert python3-ipykernel jupyter-notebook >/dev/null
  export PATH="/usr/bin:$PATH"
  jupyter kernelspec list >/dev/null 2>&1 || die "Jupyter was installed but 'jupyter kernelspec' does not run"
}

if [ "$UNINSTALL" = 1 ]; then
  command -v jupyter >/dev/null 2>&1 || die "no jupyter command; nothing to uninstall"
  if [ "$SCOPE" = --prefix ]; then export JUPYTER_PATH="$PREFIX/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"; fi
  jupyter kernelspec remove -f "$NAME"
  exit 0
fi

# A JDK of version 17 or newer, with the jdk.jshell and jdk.incubator.vector modules.
java_feature() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
pick_java() {
  local c
  for c in "$JAVA_BIN" "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    local v; v="$(java_feature "$c")"
    if [ -n "$v" ] && [ "${v%%.*}" -ge 17 ] && "$c" --list-modules 2>/dev/null | grep -q '^jdk.jshell@'; then
      readlink -f "$c"; return
    fi
  done
  die "no JDK 17 or newer with jdk.jshell found; install openjdk-17-jdk or pass --java PATH"
}
JAVA="$(pick_java)"
JV="$(java_feature "$JAVA")"
echo "[install] JDK $JV: $JAVA" >&2

if [ "$BUILD" = 1 ]; then
  echo "[install] building (mvn package, build folder $BUILD_DIR)" >&2
  (cd "$ROOT" && JAVA_HOME="$(dirname "$(dirname "$JAVA")")" mvn -B -q -DskipTests -Djneuron.build.dir="$BUILD_DIR" package 2>&1 \
    | { grep -v '^WARNING: Using incubator modules' || true; })
fi
LIB="$ROOT/install/$BUILD_DIR/lib"
if [ "$CDS" = 1 ]; then
  # bin/jneuron's own class-data archive for this JDK (AppCDS on 17, the AOT cache on 25+)
  if OUT="$(JNEURON_LIB="$LIB" "$ROOT/install/cli-cds.sh" --java "$JAVA" 2>&1)"; then
    echo "[install] bin/jneuron archive: $(tail -1 <<<"$OUT")" >&2
  else
    echo "[install] no bin/jneuron archive (start-up is just slower): $(tail -1 <<<"$OUT")" >&2
  fi
fi
[ -f "$(ls "$LIB"/jneuron-kernel-*.jar 2>/dev/null | head -1)" ] || die "$LIB has no kernel jar; build first (drop --no-build)"

ensure_jupyter

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/$NAME/lib"
cp "$LIB"/*.jar "$STAGE/$NAME/lib/"
# JDK 24+ warns when a library uses sun.misc.Unsafe; JDK 17 refuses the flag.
EXTRA=""
if [ "${JV%%.*}" -ge 24 ]; then EXTRA='"--sun-misc-unsafe-memory-access=allow",'; fi
sed -e "s#@JAVA@#$JAVA#g" -e "s#@EXTRA_OPTS@#$EXTRA#" -e "s#@CDS_OPTS@##" "$ROOT/install/kernelspec/kernel.json.in" \
  > "$STAGE/$NAME/kernel.json"
# shellcheck disable=SC2046
INSTALLED="$(jupyter kernelspec install --replace --name "$NAME" $(scope_args) "$STAGE/$NAME" 2>&1)" || { echo "$INSTALLED" >&2; exit 1; }
echo "$INSTALLED" >&2
echo "[install] kernel '$NAME' (Java (Neuron)) installed; it runs $JAVA" >&2
DEST="$(printf '%s\n' "$INSTALLED" | sed -n "s#^.*Installed kernelspec $NAME in ##p" | tail -1)"

# AppCDS: a warm-up run of the installed kernel (start, a cell, magics, a table, shutdown) records the
# classes it loads in <kernelspec>/jneuron.jsa; kernel.json then maps them at start-up. The archive
# holds the jars' paths and stamps, so it is made in place, after the copy. Any failure leaves the
# kernelspec as it is, without the archive, and says why. The -Xlog options keep a stale archive's warning quiet.
cds_archive() {
  local dest="$1" py="" p
  for p in /usr/bin/python3 python3; do
    if "$p" -c 'import jupyter_client' >/dev/null 2>&1; then py="$p"; break; fi
  done
  [ -n "$py" ] || { echo "no python3 with jupyter_client to run the warm-up kernel" >"$STAGE/cds.why"; return 1; }
  rm -f "$dest/jneuron.jsa"
  JUPYTER_PATH="$(dirname "$(dirname "$dest")")${JUPYTER_PATH:+:$JUPYTER_PATH}" timeout 300 "$py" - "$NAME" "$dest" \
      >"$STAGE/cds.log" 2>&1 <<'PY' || { tail -1 "$STAGE/cds.log" >"$STAGE/cds.why"; return 1; }
import json, os, subprocess, sys, jupyter_client
name, dest = sys.argv[1], sys.argv[2]
archive = os.path.join(dest, "jneuron.jsa")

def warm_up():
    km = jupyter_client.KernelManager(kernel_name=name)
    # The archive is written while the JVM exits, which takes seconds on a busy machine: jupyter_client's
    # default 5 s grace would kill the kernel before the dump finishes.
    km.shutdown_wait_time = 120
    km.start_kernel(env=dict(os.environ, JAVA_TOOL_OPTIONS="-XX:ArchiveClassesAtExit=" + archive))
    kc = km.client()
    kc.start_channels()
    failed = None
    try:
        kc.wait_for_ready(timeout=120)
        # Cells that load what a first notebook loads: JShell, the magics and their picocli specs, the
        # renderers. Only public API of the kernel's default imports, so a failing cell means a real change.
        for code in ["1+1", "%neuron_backend", "%neuron_cache --help",
                     'var t = Table.of(java.util.List.of("name", "n"), java.util.List.of(java.util.List.of("x", 1)));\ndisplay(t);\nt']:
            reply = kc.execute_interactive(code, timeout=120, output_hook=lambda m: None)
            c = reply["content"]
            if c["status"] != "ok":
                failed = f"warm-up cell {code!r} failed: {c.get('ename')}: {c.get('evalue')}"
                break
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    return failed

def maps():
    """The archive must map with the kernel's own JVM options (every one before -cp), or it is not worth keeping."""
    argv = json.load(open(os.path.join(dest, "kernel.json")))["argv"]
    opts = [a for a in argv[1:argv.index("-cp")] if not a.startswith("-Xshare")]
    cmd = [argv[0], *opts, "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-cp", os.path.join(dest, "lib", "*"), "-version"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return None if r.returncode == 0 else "the archive does not map with the kernel's options: " + (r.stderr.strip().splitlines() or ["?"])[-1]

why = warm_up()
if why is None and not (os.path.exists(archive) and os.path.getsize(archive) > 0):
    why = "the kernel exited without writing " + archive
why = why or maps()
print(why or "ok", flush=True)
# os._exit: jupyter_client's finalizers log at interpreter exit and print tracebacks that hide the line above.
os._exit(0 if why is None else 1)
PY
  sed -i 's#"-Xshare:auto", #"-Xshare:auto", "-XX:SharedArchiveFile={resource_dir}/jneuron.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",#' \
    "$dest/kernel.json"
  grep -q 'SharedArchiveFile' "$dest/kernel.json" || { echo "kernel.json has no -Xshare:auto to extend" >"$STAGE/cds.why"; return 1; }
}
if [ "$CDS" = 1 ] && [ -n "$DEST" ]; then
  if cds_archive "$DEST"; then
    echo "[install] AppCDS archive made: $DEST/jneuron.jsa ($(du -h "$DEST/jneuron.jsa" | cut -f1)); kernel.json maps it at start-up" >&2
  else
    rm -f "$DEST/jneuron.jsa"
    echo "[install] no AppCDS archive (start-up is just slower): $(cat "$STAGE/cds.why" 2>/dev/null || echo 'the warm-up run failed')" >&2
  fi
fi
if [ "$SCOPE" = --prefix ]; then
  echo "[install] set JUPYTER_PATH=$PREFIX/share/jupyter so Jupyter finds it" >&2
fi
