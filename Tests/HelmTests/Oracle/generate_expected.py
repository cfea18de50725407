#!/usr/bin/env python3
"""Renders every test chart with the real Helm engine (helm-python-sdk, Helm v4) and stores what
Helm produced, so that the Swift tests can compare byte for byte without Python at run time.

For each case it records the raw per-template output of Helm's engine (`Chart.render`), the
release manifest of a client-side dry-run install (what `helm template` prints before the hooks),
or the error message when Helm refuses the chart or values.

Helm lists several schema violations in Go map order, which changes between runs: regenerating
reorders those lines, and the Swift tests compare them as sets.

Usage (from the repository root): python3 Tests/HelmTests/Oracle/generate_expected.py [ID...]
(with IDs, only those cases are regenerated).
Requires: pip install helm-python-sdk (scripts/python-packages.txt).
"""
import json
import os
import sys

import helm_python

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CHARTS = "Tests/HelmTests/Charts"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected")

# Each case: a chart, values files (merged in order as -f does), explicit values merged last,
# the release name and namespace.
CASES = [
    {"id": "basic", "chart": f"{CHARTS}/basic"},
    {"id": "basic-overrides", "chart": f"{CHARTS}/basic", "name": "prod", "namespace": "apps",
     "values": {"replicas": 5, "nested": {"drop": None, "a": {"b": {"extra": 1.5}}},
                "labels": {"tier": None}, "list": ["only"], "nothing": "now-set"}},
    {"id": "umbrella", "chart": f"{CHARTS}/umbrella"},
    {"id": "umbrella-toggles", "chart": f"{CHARTS}/umbrella",
     "values": {"tags": {"extras": True}, "front": {"enabled": False},
                "global": {"backEnabled": False, "region": "us"},
                "back": {"enabled": None, "data": "parent-data"}, "off": {"enabled": True}}},
    {"id": "schema-type-mismatch", "chart": f"{CHARTS}/schema", "values": {"sub": "x"}},
    {"id": "umbrella-nulls", "chart": f"{CHARTS}/umbrella",
     "values": {"front": {"image": None, "settings": {"timeout": None}, "global": {"region": "ap"}},
                "global": {"shared": {"b": None, "c": "user"}}, "fromBack": {"timeout": 99},
                "back": {"exports": {"data": {"data": "user-export"}}}}},
    {"id": "globals", "chart": f"{CHARTS}/globals"},
    {"id": "globals-nulls", "chart": f"{CHARTS}/globals",
     "values": {"global": {"shared": {"b": None, "c": "user", "e": None}, "flat": None},
                "top": {"one": None}, "sub": {"k": {"first": None}, "leaf": {"own": None}}}},
    {"id": "toyaml", "chart": f"{CHARTS}/toyaml"},
    {"id": "extras", "chart": f"{CHARTS}/extras", "name": "ex"},
    {"id": "schema-valid", "chart": f"{CHARTS}/schema"},
    {"id": "schema-invalid", "chart": f"{CHARTS}/schema",
     "values": {"port": 0, "mode": "c", "sub": {"image": {"digest": "bad"}}}},
    {"id": "schema-type", "chart": f"{CHARTS}/schema",
     "values": {"port": "eighty", "name": "x"}},
    {"id": "schema-keywords", "chart": f"{CHARTS}/schemakeywords",
     "values": {"a": 5, "b": "other", "c": "long", "d": [1], "e": 70000, "f": True, "g": 3,
                "h": 4, "i": "s", "j": 2, "k": {}, "l": 1, "zz": 1, "yy": 2}},
    {"id": "schema-keywords-nested", "chart": f"{CHARTS}/schemakeywords",
     "values": {"h": 4, "f": True, "g": "x", "d": [1, 2]}},
    {"id": "schema-keywords-valid", "chart": f"{CHARTS}/schemakeywords",
     "values": {"a": None, "b": "fixed", "c": "abc", "d": ["x", "y"], "e": 80, "f": 3,
                "g": 2.5, "i": 3, "j": "two", "k": {"x": 1, "y": 2}, "l": 1.5}},
    {"id": "failing-ok", "chart": f"{CHARTS}/failing"},
    {"id": "failing-required", "chart": f"{CHARTS}/failing", "values": {"mode": "required"}},
    {"id": "failing-fail", "chart": f"{CHARTS}/failing", "values": {"mode": "fail"}},
    {"id": "failing-nil", "chart": f"{CHARTS}/failing", "values": {"mode": "nil"}},
    {"id": "failing-include", "chart": f"{CHARTS}/failing", "values": {"mode": "include"}},
    {"id": "failing-yaml", "chart": f"{CHARTS}/failing", "values": {"mode": "yaml"}},
    {"id": "failing-badyaml", "chart": f"{CHARTS}/failing", "values": {"mode": "badyaml"}},
    *[{"id": f"failing-{mode}", "chart": f"{CHARTS}/failing", "values": {"mode": mode, "list": [1]}}
      for mode in ["tpl", "index", "template", "deep", "includetpl", "tplrequired",
                   "missingtemplate"]],
    {"id": "parseerror", "chart": f"{CHARTS}/parseerror"},
    {"id": "unknownfn", "chart": f"{CHARTS}/unknownfn"},
    {"id": "sprig", "chart": f"{CHARTS}/sprig"},
    {"id": "mutation", "chart": f"{CHARTS}/mutation"},
    {"id": "tripgen-dev", "chart": "charts/tripgen", "name": "tripgen", "namespace": "tripgen-dev",
     "valuesFiles": ["environments/dev/values.yaml"],
     "values": {s: {"image": {"tag": "dev"}} for s in
                ["user-service", "trip-service", "ai-service", "location-service"]}},
]


def merge_maps(a, b):
    """Helm's mergeMaps for -f files and --set: tables merge, everything else replaces."""
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge_maps(out[k], v)
        else:
            out[k] = v
    return out


def run(case):
    values = {}
    for path in case.get("valuesFiles", []):
        with open(os.path.join(ROOT, path)) as f:
            values = merge_maps(values, helm_python.values_from_yaml(f.read()))
    values = merge_maps(values, case.get("values", {}))
    name = case.get("name", "release-name")
    namespace = case.get("namespace", "default")
    result = dict(case)
    result.setdefault("name", name)
    result.setdefault("namespace", namespace)
    chart_path = os.path.join(ROOT, case["chart"])
    try:
        chart = helm_python.Chart.load(chart_path)
        result["rendered"] = chart.render(values, name=name, namespace=namespace, is_install=True)
    except helm_python.HelmError as error:
        result["error"] = str(error)
        return result
    try:
        with helm_python.Config(namespace=namespace) as config:
            release = config.install(chart_path, name, values, dry_run="client",
                                     namespace=namespace)
        result["manifest"] = release["manifest"]
        result["notes"] = release.get("notes", "")
    except helm_python.HelmError as error:
        result["manifestError"] = str(error)
    return result


def main():
    os.makedirs(OUT, exist_ok=True)
    only = set(sys.argv[1:])
    for case in CASES:
        if only and case["id"] not in only:
            continue
        result = run(case)
        with open(os.path.join(OUT, case["id"] + ".json"), "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1, sort_keys=True, ensure_ascii=False)
            f.write("\n")
        print(case["id"], "error" if "error" in result else "ok", file=sys.stderr)


if __name__ == "__main__":
    main()
