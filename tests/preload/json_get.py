# json_get.py FILE EXPR: prints eval(EXPR) over the analysis json `d`
# (a helper of the preload tests: e.g. "max(d['locks'], key=...)['lock']").
import json
import sys

with open(sys.argv[1]) as f:
    d = json.load(f)
print(eval(sys.argv[2], {"d": d}))
