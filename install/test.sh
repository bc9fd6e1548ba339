#!/usr/bin/env bash
# The test command: installs what the tests need on a fresh Debian machine, then runs every test
# on JDK 17 (the default) and, when present, again on the Temurin 25 JDK.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Debian's python3 with numpy runs the independent fp64 reference decoder.
if ! /usr/bin/python3 -c 'import numpy' >/dev/null 2>&1; then
  echo "[test] installing python3-numpy" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-numpy >/dev/null
fi

# The official JavaScript Hub client (@huggingface/hub) checks that `hub serve` speaks the real protocol.
if command -v npm >/dev/null 2>&1; then
  echo "[test] npm ci (core/src/test/js)" >&2
  npm ci --prefix core/src/test/js --no-audit --no-fund --silent
else
  echo "[test] npm not found: the @huggingface/hub interop test will be skipped" >&2
fi


echo "[test] JDK 17: mvn verify" >&2
quiet() { { grep -v '^WARNING: Using incubator modules' || true; }; }
mvn -B -q verify 2>&1 | quiet || { echo "[test] JDK 17 tests failed" >&2; exit 1; }
# -q hides Surefire's summary; print the totals so a reader (and CI) sees what ran.
/usr/bin/python3 install/surefire_summary.py jdk17: .

# After the build, so its checks on generator-made checkpoints find bin/jneuron's jars.
echo "[test] python reference self-tests" >&2
/usr/bin/python3 backend-cpu/src/test/python/test_reference_decoder.py

# The Jupyter side: Debian's Jupyter drives the installed kernelspec (protocol tests, the
# jupyter_kernel_test conformance suite) and executes the notebooks headless with asserted outputs.
if ! /usr/bin/python3 -c 'import jupyter_client, nbclient, jupyter_kernel_test' >/dev/null 2>&1 \
    || ! command -v jupyter >/dev/null 2>&1; then
  echo "[test] installing Debian's Jupyter packages" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends jupyter-core jupyter-client \
    python3-jupyter-client python3-nbclient python3-nbformat jupyter-nbconvert python3-ipykernel \
    python3-jupyter-kernel-test >/dev/null
fi
echo "[test] kernelspec: install/install.sh --user --no-build" >&2
install/install.sh --user --no-build
# The AppCDS archive is part of the start-up target: a warm-up that stops producing it is a regression.
KDIR="$(jupyter kernelspec list --json 2>/dev/null | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["kernelspecs"]["neuron-java"]["resource_dir"])')"
if ! grep -q 'SharedArchiveFile' "$KDIR/kernel.json" || [ ! -s "$KDIR/jneuron.jsa" ]; then
  echo "[test] the installed kernelspec $KDIR has no AppCDS archive (install.sh said why above)" >&2; exit 1
fi
echo "[test] kernel protocol + jupyter_kernel_test conformance" >&2
/usr/bin/python3 kernel/src/test/python/test_kernel.py || { echo "[test] kernel protocol tests failed" >&2; exit 1; }
echo "[test] ordinary Java and magics in one notebook (nbclient; %maven reaches Maven Central)" >&2
/usr/bin/python3 kernel/src/test/python/test_notebook.py || { echo "[test] ordinary-java notebook failed" >&2; exit 1; }
echo "[test] notebooks, executed headless through nbclient" >&2
/usr/bin/python3 notebooks/tests/run_notebooks.py || { echo "[test] notebook tests failed" >&2; exit 1; }

# A real browser: Debian's notebook server and headless chromium (python3-selenium) run every notebook
# live, check the rendered tables, their width and their text form, and save target/ci-artifacts/<notebook>.png.
if ! /usr/bin/python3 -c 'import notebook, selenium' >/dev/null 2>&1 \
    || [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "[test] installing the browser test's packages (jupyter-notebook, chromium, chromium-driver, python3-selenium)" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends jupyter-notebook python3-notebook \
    chromium chromium-driver python3-selenium fonts-dejavu-core >/dev/null
fi
echo "[test] browser: every notebook live in headless chromium (1280 px; screenshots in target/ci-artifacts)" >&2
timeout 540 /usr/bin/python3 notebooks/tests/browser_test.py --timeout 480 \
  || { echo "[test] browser test failed" >&2; exit 1; }

J25="${JNEURON_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ -x "$J25/bin/java" ]; then
  echo "[test] Temurin 25: mvn test" >&2
  # The 60 s load tests (hub serve soak, shared-cache processes) ran in full on JDK 17; here a shorter pass.
  JAVA_HOME="$J25" mvn -B -q -Djneuron.build.dir=target-jdk25 -Djneuron.soak.seconds=15 test 2>&1 | quiet || { echo "[test] Temurin 25 tests failed" >&2; exit 1; }
  /usr/bin/python3 install/surefire_summary.py jdk25: . target-jdk25
fi
