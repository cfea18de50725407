/// The JSON Schema (draft-07) of `environment.yaml`. The loader validates every file against it, so
/// unknown keys and wrong types are errors with their line; `environments/environment.schema.json`
/// is the same text for editors (a test keeps the two equal; `tripgen env schema` prints it).
public enum EnvironmentSchema {
  public static let json = #"""
    {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "$id": "https://tripgen.io/schemas/environment.schema.json",
      "title": "TripGen environment",
      "description": "One deployment target of TripGen Deploy: source, charts, cluster, registry, images, sync policy, capacity and cost.",
      "type": "object",
      "additionalProperties": false,
      "required": ["apiVersion", "kind", "metadata", "spec"],
      "properties": {
        "apiVersion": {"const": "tripgen.io/v1alpha1"},
        "kind": {"const": "Environment"},
        "metadata": {
          "type": "object",
          "additionalProperties": false,
          "required": ["name"],
          "properties": {
            "name": {"$ref": "#/definitions/dnsLabel", "description": "The folder name under environments/ and the environment label's value."}
          }
        },
        "spec": {
          "type": "object",
          "additionalProperties": false,
          "required": ["source", "namespace", "cluster", "charts", "registry", "images", "syncPolicy"],
          "properties": {
            "source": {
              "type": "object",
              "additionalProperties": false,
              "required": ["repository", "branch"],
              "properties": {
                "repository": {"type": "string", "minLength": 1, "description": "Git URL (https, ssh, git) or path; '.' is the repository the command runs in."},
                "branch": {"type": "string", "minLength": 1},
                "interval": {"$ref": "#/definitions/duration", "description": "Controller polling interval (default 60s)."}
              }
            },
            "namespace": {"$ref": "#/definitions/dnsLabel"},
            "cluster": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "context": {"type": "string", "minLength": 1, "description": "kubeconfig context; absent: the current context (or in-cluster config inside a pod)."},
                "required": {"type": "boolean", "description": "When false, an unreachable cluster means planning against an empty cluster."}
              }
            },
            "charts": {
              "type": "array",
              "minItems": 1,
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["release", "path"],
                "properties": {
                  "release": {"$ref": "#/definitions/dnsLabel"},
                  "path": {"type": "string", "minLength": 1},
                  "values": {"type": "array", "items": {"type": "string", "minLength": 1}}
                }
              }
            },
            "registry": {
              "type": "object",
              "additionalProperties": false,
              "oneOf": [{"required": ["host"]}, {"required": ["layout"]}],
              "properties": {
                "host": {"type": "string", "pattern": "^[A-Za-z0-9.-]+(:[0-9]+)?$"},
                "layout": {"type": "string", "minLength": 1},
                "insecure": {"type": "boolean"}
              }
            },
            "images": {
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["name", "sourcePaths", "values"],
                "properties": {
                  "name": {"$ref": "#/definitions/dnsLabel"},
                  "product": {"type": "string", "minLength": 1},
                  "repository": {"type": "string", "pattern": "^[a-z0-9]+([._/-][a-z0-9]+)*$"},
                  "sourcePaths": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                  "base": {"type": "string", "minLength": 1},
                  "values": {"type": "string", "pattern": "^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$"},
                  "chart": {"$ref": "#/definitions/dnsLabel", "description": "The release whose values receive the image (default: the first chart)."}
                }
              }
            },
            "syncPolicy": {
              "type": "object",
              "additionalProperties": false,
              "required": ["automated", "prune", "selfHeal"],
              "properties": {
                "automated": {"type": "boolean"},
                "prune": {"type": "boolean"},
                "selfHeal": {"type": "boolean"},
                "retry": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["limit"],
                  "properties": {
                    "limit": {"type": "integer", "minimum": 0, "maximum": 20},
                    "backoff": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": ["duration", "factor", "maxDuration"],
                      "properties": {
                        "duration": {"$ref": "#/definitions/duration"},
                        "factor": {"type": "number", "minimum": 1},
                        "maxDuration": {"$ref": "#/definitions/duration"}
                      }
                    }
                  }
                }
              }
            },
            "ignoreDifferences": {
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["group", "kind", "jsonPointers"],
                "properties": {
                  "group": {"type": "string"},
                  "kind": {"type": "string", "minLength": 1},
                  "name": {"type": "string", "minLength": 1},
                  "jsonPointers": {"type": "array", "items": {"type": "string", "pattern": "^(/([^~/]|~[01])*)+$"}}
                }
              }
            },
            "nodePool": {
              "type": "object",
              "additionalProperties": false,
              "required": ["vmSize", "vcpus", "memory", "count", "maxPods"],
              "properties": {
                "vmSize": {"type": "string", "minLength": 1},
                "vcpus": {"type": "integer", "minimum": 1},
                "memory": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti)?$"},
                "count": {"type": "integer", "minimum": 1},
                "maxPods": {"type": "integer", "minimum": 10, "maximum": 250},
                "spot": {"type": "boolean"},
                "zone": {"type": "string"}
              }
            },
            "cost": {
              "type": "object",
              "additionalProperties": false,
              "required": ["currency", "monthlyBudget", "lines"],
              "properties": {
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                "monthlyBudget": {"type": "number", "minimum": 0},
                "lines": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["item", "monthly"],
                    "properties": {
                      "item": {"type": "string", "minLength": 1},
                      "monthly": {"type": "number", "minimum": 0},
                      "scalesWithSchedule": {"type": "boolean"}
                    }
                  }
                }
              }
            },
            "schedule": {
              "type": "object",
              "additionalProperties": false,
              "required": ["timezone", "days", "wake", "sleep"],
              "properties": {
                "timezone": {"type": "string", "minLength": 1},
                "days": {"type": "array", "minItems": 1, "uniqueItems": true, "items": {"enum": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}},
                "wake": {"$ref": "#/definitions/clock"},
                "sleep": {"$ref": "#/definitions/clock"}
              }
            }
          }
        }
      },
      "definitions": {
        "dnsLabel": {"type": "string", "pattern": "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"},
        "duration": {"type": "string", "pattern": "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"},
        "clock": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
      }
    }
    """#
}
