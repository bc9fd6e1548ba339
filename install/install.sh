#!/usr/bin/env bash
# Installs the "Java (Neuron)" Jupyter kernel: builds the project, installs Jupyter from Debian's
# packages when none is present, and installs a kernelspec whose jars live in its own folder.
#
#   install/install.sh [--user | --system | --sys-prefix | --prefix DIR] [--name NAME] [--java JAVA] [--no-build]
#   install/install.sh --uninstall [--user | --system | --sys-prefix | --prefix DIR] [--name NAME]
#
# Default: --user for a normal user, --system for root. JNEURON_BUILD_DIR picks Maven's build folder.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=neuron-java
SCOPE=""
PREFIX=""
JAVA_BIN=""
BUILD=1
UNINSTALL=0
BUILD_DIR="${JNEURON_BUILD_DIR:-target}"

die() { echo "install.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --user|--system|--sys-prefix) SCOPE="$1" ;;
    --prefix) SCOPE=--prefix; PREFIX="${2:?--prefix needs a folder}"; shift ;;
    --name) NAME="${2:?--name needs a value}"; shift ;;
    --java) JAVA_BIN="${2:?--java needs the path of a java executable}"; shift ;;
    --no-build) BUILD=0 ;;
    --uninstall) UNINSTALL=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
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
[ -f "$(ls "$LIB"/jneuron-kernel-*.jar 2>/dev/null | head -1)" ] || die "$LIB has no kernel jar; build first (drop --no-build)"

ensure_jupyter

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/$NAME/lib"
cp "$LIB"/*.jar "$STAGE/$NAME/lib/"
# JDK 24+ warns about sun.misc.Unsafe (a Tablesaw dependency uses it); JDK 17 refuses the flag.
EXTRA=""
if [ "${JV%%.*}" -ge 24 ]; then EXTRA='"--sun-misc-unsafe-memory-access=allow",'; fi
sed -e "s#@JAVA@#$JAVA#g" -e "s#@EXTRA_OPTS@#$EXTRA#" "$ROOT/install/kernelspec/kernel.json.in" > "$STAGE/$NAME/kernel.json"
# shellcheck disable=SC2046
jupyter kernelspec install --replace --name "$NAME" $(scope_args) "$STAGE/$NAME" >&2
echo "[install] kernel '$NAME' (Java (Neuron)) installed; it runs $JAVA" >&2
if [ "$SCOPE" = --prefix ]; then
  echo "[install] set JUPYTER_PATH=$PREFIX/share/jupyter so Jupyter finds it" >&2
fi
