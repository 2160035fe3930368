#!/usr/bin/env python3
"""Checks that the launch files agree: binder/environment.yml is environment.yml, and both pin exactly the
packages of requirements.in. Run by ./course test."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
problems = []
top = (root / "environment.yml").read_text()
if (root / "binder" / "environment.yml").read_text() != top:
    problems.append("binder/environment.yml differs from environment.yml: copy it over")
pins = {l.strip() for l in (root / "requirements.in").read_text().splitlines() if l.strip() and not l.startswith("#")}
conda_pins = set(re.findall(r"^\s+- ([\w-]+==[\w.]+)\s*$", top, re.M))
if pins != conda_pins:
    problems.append(f"environment.yml pins {sorted(conda_pins)} but requirements.in pins {sorted(pins)}")
frozen = (root / "requirements.txt").read_text()
for p in pins:
    if not re.search(rf"^{re.escape(p)}$", frozen, re.M | re.I):
        problems.append(f"requirements.txt does not pin {p}: regenerate it from requirements.in")
for p in problems:
    print("setup files: " + p)
print(f"setup files: {'ok' if not problems else 'FAILED'}")
sys.exit(1 if problems else 0)
