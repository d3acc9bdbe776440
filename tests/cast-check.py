#!/usr/bin/env python3
"""Check that FILE is a valid asciicast v2 recording (what asciinema plays):
a JSON header line with version 2, width and height, then event lines
[time, "o", data] with non-decreasing float times. Prints the recorded
output (all "o" data joined) so a test can look for text in it."""
import json
import sys

lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
if not lines:
    sys.exit("cast: empty file")
head = json.loads(lines[0])
assert isinstance(head, dict), "header is not an object"
assert head.get("version") == 2, "header version is not 2"
for k in ("width", "height"):
    assert isinstance(head.get(k), int) and head[k] > 0, f"header {k} missing"
last = 0.0
out = []
for n, line in enumerate(lines[1:], 2):
    ev = json.loads(line)
    assert isinstance(ev, list) and len(ev) == 3, f"line {n}: not [time, type, data]"
    t, kind, data = ev
    assert isinstance(t, float), f"line {n}: time is not a float"
    assert t >= last, f"line {n}: time goes backwards"
    assert kind == "o", f"line {n}: type is not 'o'"
    assert isinstance(data, str), f"line {n}: data is not a string"
    last = t
    out.append(data)
sys.stdout.write("".join(out))
print(f"\ncast-check: ok, {len(lines) - 1} events")
