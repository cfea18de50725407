import ArgumentParser
import Checks
import Foundation
import YAML

/// Secret values gathered from a local file and the environment, keyed by Secret then key. Never
/// printed: only key names leave this type.
struct SecretValues {
  private(set) var values: [String: [String: String]] = [:]

  /// The values of `file`, in either of two forms:
  /// - YAML, one mapping per Secret: `postgresql-secret: {password: ...}`;
  /// - an env file, `NAME=VALUE` lines with the `TRIPGEN_SECRET_...` names (`#` comments).
  static func read(file: String, requirements: [SecretRequirement]) throws -> SecretValues {
    guard let data = FileManager.default.contents(atPath: file) else {
      throw SecretsError(description: "--from-file \(file): cannot read it")
    }
    let text = String(decoding: data, as: UTF8.self)
    let lines = text.split(whereSeparator: \.isNewline).map {
      $0.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    var result = SecretValues()
    if !lines.isEmpty,
      lines.allSatisfy({ $0.range(of: #"^[A-Z_][A-Z0-9_]*="#, options: .regularExpression) != nil })
    {
      var variables: [String: String] = [:]
      for line in lines {
        let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        variables[String(parts[0])] = unquote(String(parts[1]))
      }
      result.take(from: variables, requirements: requirements)
      return result
    }
    // YAML errors name the line and column only; the text of a value is never quoted.
    let document: JSONValue
    do {
      document = try YAML.loadOne(Array(data), file: file)
    } catch {
      throw SecretsError(
        description:
          "--from-file \(file): neither NAME=VALUE lines nor YAML (\(error.locationOnly))")
    }
    guard let secrets = document.objectValue else {
      throw SecretsError(
        description: "--from-file \(file): expected a mapping of Secret names to key/value mappings"
      )
    }
    for (name, keys) in secrets {
      guard let keys = keys.objectValue else {
        throw SecretsError(
          description: "--from-file \(file): \(name) must be a mapping of keys to values")
      }
      for (key, value) in keys {
        guard let text = value.stringValue ?? value.intValue.map(String.init) else {
          throw SecretsError(
            description: "--from-file \(file): \(name).\(key) must be a text value")
        }
        result.values[name, default: [:]][key] = text
      }
    }
    return result
  }

  /// Takes the `TRIPGEN_SECRET_<NAME>_<KEY>` variables of `variables` for every key the
  /// requirements name, over what is there already.
  mutating func take(from variables: [String: String], requirements: [SecretRequirement]) {
    for requirement in requirements {
      for key in requirement.requiredKeys + requirement.optionalKeys {
        let name = SecretRequirement.environmentVariable(secret: requirement.name, key: key)
        if let value = variables[name], !value.isEmpty {
          values[requirement.name, default: [:]][key] = value
        }
      }
    }
  }

  func value(secret: String, key: String) -> String? { values[secret]?[key] }

  /// Every value, longest first, to mask in messages that might echo one.
  var all: [String] { values.values.flatMap(\.values).sorted { $0.count > $1.count } }

  private static func unquote(_ text: String) -> String {
    for quote in ["\"", "'"] where text.count >= 2 && text.hasPrefix(quote) && text.hasSuffix(quote)
    {
      return String(text.dropFirst().dropLast())
    }
    return text
  }
}

extension YAMLError {
  /// Where the error is, without the text around it (which could be a secret).
  fileprivate var locationOnly: String {
    let text = "\(self)"
    return text.split(separator: ":").prefix(3).joined(separator: ":")
  }
}

/// A `tripgen secrets` failure: its message only, without the usage text argument errors get.
struct SecretsError: Error, CustomStringConvertible {
  var description: String
}
