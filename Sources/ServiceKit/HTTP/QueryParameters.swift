import Foundation
import Hummingbird

extension Request {
  /// An integer query parameter within `range`, `defaultValue` when absent; 400 naming it otherwise.
  public func integerQuery(_ name: String, default defaultValue: Int, range: ClosedRange<Int>)
    throws -> Int
  {
    guard let text = uri.queryParameters[name[...]] else { return defaultValue }
    guard let number = Int(String(text)), range.contains(number) else {
      throw HTTPError(
        .badRequest, message: "query parameter \(name) must be an integer in \(range)")
    }
    return number
  }

  /// A decimal query parameter within `range`, nil when absent; 400 naming it otherwise.
  public func doubleQuery(_ name: String, range: ClosedRange<Double>) throws -> Double? {
    guard let text = uri.queryParameters[name[...]] else { return nil }
    guard let number = Double(String(text)), number.isFinite, range.contains(number) else {
      throw HTTPError(.badRequest, message: "query parameter \(name) must be a number in \(range)")
    }
    return number
  }

  /// A text query parameter, trimmed; nil when absent or empty.
  public func textQuery(_ name: String) -> String? {
    guard let text = uri.queryParameters[name[...]] else { return nil }
    let trimmed = String(text).trimmingCharacters(in: .whitespaces)
    return trimmed.isEmpty ? nil : trimmed
  }
}
