#!/usr/bin/env python3
"""Sums Surefire XML reports under every module and prints 'N passed, N failed, N skipped'."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

label, root = sys.argv[1], sys.argv[2]
build = sys.argv[3] if len(sys.argv) > 3 else "target"
tests = failures = errors = skipped = 0
for f in glob.glob(os.path.join(root, "*", build, "surefire-reports", "TEST-*.xml")):
    s = ET.parse(f).getroot()
    tests += int(s.get("tests", 0))
    failures += int(s.get("failures", 0))
    errors += int(s.get("errors", 0))
    skipped += int(s.get("skipped", 0))
if tests == 0:
    print(f"{label} no tests ran", file=sys.stderr)
    sys.exit(1)
failed = failures + errors
print(f"{label} {tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
