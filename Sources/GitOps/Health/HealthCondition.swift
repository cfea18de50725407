import YAML

/// One entry of a `status.conditions` list (the shape every built-in kind shares).
struct HealthCondition {
  let type: String
  let status: String
  let reason: String
  let message: String

  init(_ value: JSONValue) {
    type = value["type"]?.stringValue ?? ""
    status = value["status"]?.stringValue ?? ""
    reason = value["reason"]?.stringValue ?? ""
    message = value["message"]?.stringValue ?? ""
  }

  var isTrue: Bool { status == "True" }
  var isFalse: Bool { status == "False" }

  /// `Reason: message`, or whichever of the two is set.
  var summary: String {
    switch (reason.isEmpty, message.isEmpty) {
    case (false, false): return "\(reason): \(message)"
    case (false, true): return reason
    case (true, false): return message
    case (true, true): return type
    }
  }
}
