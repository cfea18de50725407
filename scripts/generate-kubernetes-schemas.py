#!/usr/bin/env python3
"""Generates Sources/Checks/KubernetesSchemaDocument.swift: the Kubernetes 1.29 JSON schemas that
`tripgen check` validates rendered objects against, offline.

Source: the strict 1.29 schemas bundled in the `kubernetes-validate` PyPI package
(kubernetes_validate/kubernetes-json-schema/v1.29.0-local-strict), which are generated from the
Kubernetes 1.29 OpenAPI document. Licences: Kubernetes is Apache-2.0 (The Kubernetes Authors);
kubernetes-validate is Apache-2.0 (Will Thames). Both allow redistribution with attribution, which the
generated file carries.

Only the kinds listed in KINDS and the definitions reachable from them are kept; descriptions,
formats and `x-kubernetes-*` annotations are dropped (the validator does not use them). "Strict"
means every object schema has `additionalProperties: false`, as `kubernetes-validate --strict`.

Run: python3 scripts/generate-kubernetes-schemas.py [OUTPUT]   (needs the kubernetes-validate version
pinned in scripts/python-packages.txt; OUTPUT defaults to the file in Sources/Checks, and ChecksTests
regenerates into a scratch file to check that the checked-in one is this script's output).
"""
import json
import os
import sys

import kubernetes_validate

VERSION = "1.29.0"
# (apiVersion, kind, schema file) for the kinds the charts use, and the common ones a chart may add.
KINDS = [
    ("apps/v1", "Deployment", "deployment-apps-v1"),
    ("apps/v1", "StatefulSet", "statefulset-apps-v1"),
    ("apps/v1", "DaemonSet", "daemonset-apps-v1"),
    ("apps/v1", "ReplicaSet", "replicaset-apps-v1"),
    ("batch/v1", "Job", "job-batch-v1"),
    ("batch/v1", "CronJob", "cronjob-batch-v1"),
    ("v1", "Service", "service-v1"),
    ("v1", "ConfigMap", "configmap-v1"),
    ("v1", "Secret", "secret-v1"),
    ("v1", "ServiceAccount", "serviceaccount-v1"),
    ("v1", "PersistentVolumeClaim", "persistentvolumeclaim-v1"),
    ("v1", "Namespace", "namespace-v1"),
    ("v1", "Pod", "pod-v1"),
    ("networking.k8s.io/v1", "Ingress", "ingress-networking-v1"),
    ("networking.k8s.io/v1", "NetworkPolicy", "networkpolicy-networking-v1"),
    ("policy/v1", "PodDisruptionBudget", "poddisruptionbudget-policy-v1"),
    ("autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscaler-autoscaling-v2"),
    ("rbac.authorization.k8s.io/v1", "Role", "role-rbac-v1"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebinding-rbac-v1"),
]
DROPPED = {"description", "format", "$schema", "$id"}
PREFIX = "/api/_definitions.json#/$defs/"

root = os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema",
                    f"v{VERSION}-local-strict")
definitions = json.load(open(os.path.join(root, "_definitions.json")))["$defs"]
reachable = set()


def compact(node):
    """The node without documentation, with references rewritten to the generated document."""
    if isinstance(node, list):
        return [compact(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key in DROPPED or key.startswith("x-kubernetes-"):
            continue
        if key == "$ref":
            # Kind schemas point into _definitions.json; definitions point at their siblings.
            name = value.split("#/$defs/", 1)[1]
            assert value in (PREFIX + name, "#/$defs/" + name), value
            # Draft 2020-12 applies keywords beside $ref; the validator (draft-07) ignores them, so
            # there must be none that matter.
            assert not {k for k in node if k not in DROPPED and k != "$ref" and not k.startswith("x-kubernetes-")}, node
            if name not in reachable:
                reachable.add(name)
                definitions_out[name] = None
                definitions_out[name] = compact(definitions[name])
            value = "#/$defs/" + name
        if key == "properties":
            result[key] = {name: compact(schema) for name, schema in value.items()}
        else:
            result[key] = compact(value)
    return result


definitions_out = {}
kinds = {}
for api_version, kind, file in KINDS:
    kinds[f"{api_version}/{kind}"] = compact(json.load(open(os.path.join(root, file + ".json"))))

lines = ['{"kinds": {']
lines.append(",\n".join(f"  {json.dumps(k)}: {json.dumps(v, sort_keys=True, separators=(',', ':'))}"
                        for k, v in kinds.items()))
lines.append('}, "$defs": {')
lines.append(",\n".join(f"  {json.dumps(k)}: {json.dumps(definitions_out[k], sort_keys=True, separators=(',', ':'))}"
                        for k in sorted(definitions_out)))
lines.append("}}")
document = "\n".join(lines)
json.loads(document)
assert '"""#' not in document

# Indented as swift-format indents a multi-line string literal, so formatting leaves the file alone.
indented = "\n".join("    " + line for line in document.split("\n"))

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "Checks",
    "KubernetesSchemaDocument.swift")
with open(out, "w") as handle:
    handle.write(f"""// Generated by scripts/generate-kubernetes-schemas.py; do not edit.
// Source: kubernetes-validate {kubernetes_validate.__version__} (PyPI, Apache-2.0, Will Thames), its bundled
// v{VERSION}-local-strict schemas, generated from the Kubernetes {VERSION} OpenAPI document (Apache-2.0,
// The Kubernetes Authors). Kept: {len(kinds)} kinds and the {len(definitions_out)} definitions they reach; dropped:
// descriptions, formats and x-kubernetes-* annotations.

/// The Kubernetes {VERSION} schemas of the kinds `tripgen check` validates, strict (unknown fields are
/// errors): `kinds` maps `apiVersion/Kind` to a schema whose `$ref`s point into `$defs`.
enum KubernetesSchemaDocument {{
  /// The Kubernetes version the schemas describe.
  static let kubernetesVersion = "{VERSION}"

  static let json = #\"\"\"
{indented}
    \"\"\"#
}}
""")
print(f"wrote {out}: {len(kinds)} kinds, {len(definitions_out)} definitions, {len(document)} bytes",
      file=sys.stderr)
