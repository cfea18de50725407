import Foundation

/// One entry of the distribution API's error body, `{"errors":[{"code","message","detail"}]}`.
public struct RegistryErrorDetail: Sendable, Equatable, CustomStringConvertible {
  /// `BLOB_UNKNOWN`, `DENIED`, `UNAUTHORIZED`, `MANIFEST_INVALID`...
  public var code: String
  public var message: String
  /// The `detail` member as compact JSON, when present.
  public var detail: String?

  public init(code: String, message: String, detail: String? = nil) {
    self.code = code
    self.message = message
    self.detail = detail
  }

  public var description: String {
    var text = message.isEmpty ? code : "\(code): \(message)"
    if let detail, detail != "null", !detail.isEmpty { text += " (\(detail))" }
    return text
  }

  /// Decodes the error list from a response body; empty when the body is not one.
  public static func decode(_ body: Data) -> [RegistryErrorDetail] {
    guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
      let errors = object["errors"] as? [[String: Any]]
    else { return [] }
    return errors.map { entry in
      var detail: String?
      if let value = entry["detail"], !(value is NSNull) {
        if let text = value as? String {
          detail = text
        } else if let data = try? JSONSerialization.data(
          withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        {
          detail = String(decoding: data, as: UTF8.self)
        }
      }
      return RegistryErrorDetail(
        code: entry["code"] as? String ?? "UNKNOWN", message: entry["message"] as? String ?? "",
        detail: detail)
    }
  }
}
