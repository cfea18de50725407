import Foundation

/// Writes step outputs to the file GitHub names in `$GITHUB_OUTPUT`.
///
/// Every value is written in the delimiter form (`name<<DELIMITER`, the value's lines,
/// `DELIMITER`), which carries multi-line values. The delimiter is random per value and checked
/// against the name and the value: a value that contained its delimiter line could otherwise end
/// early and set outputs of its own choosing (a log line or a commit message is attacker-written).
public struct GitHubOutputFile: Sendable {
  /// The file's path.
  public let path: String

  public init(path: String) { self.path = path }

  /// Appends `values` (in order) to the file.
  public func write(_ values: [(name: String, value: String)]) throws(PipelineError) {
    var text = ""
    for (name, value) in values { text += try Self.entry(name: name, value: value) }
    try FileAppender.append(text, to: path, purpose: "the step outputs ($GITHUB_OUTPUT)")
  }

  /// One output in the delimiter form.
  static func entry(name: String, value: String) throws(PipelineError) -> String {
    guard !name.isEmpty, !name.contains("\n"), !name.contains("\r"), !name.contains("<<") else {
      throw .invalidOutputName(name)
    }
    var delimiter = Self.randomDelimiter()
    // A collision with 128 random bits does not happen by chance; the check guards against values
    // crafted after seeing one (and costs nothing).
    while name.contains(delimiter) || value.contains(delimiter) {
      delimiter = Self.randomDelimiter()
    }
    return "\(name)<<\(delimiter)\n\(value)\n\(delimiter)\n"
  }

  static func randomDelimiter() -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    return "ghadelimiter_" + bytes.map { String(format: "%02x", $0) }.joined()
  }

  /// Reads a file in the format GitHub accepts (`name=value` lines and delimiter blocks) back into
  /// a dictionary, as the runner does; the tests use it, and so can a later step in Swift.
  public static func parse(_ text: String) throws(PipelineError) -> [String: String] {
    var result: [String: String] = [:]
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
    if lines.last == "" { lines = lines.dropLast() }
    while let line = lines.popFirst() {
      if line.isEmpty { continue }
      if let marker = line.range(of: "<<") {
        let name = String(line[..<marker.lowerBound])
        let delimiter = String(line[marker.upperBound...])
        var value: [Substring] = []
        var closed = false
        while let next = lines.popFirst() {
          if next == delimiter {
            closed = true
            break
          }
          value.append(next)
        }
        guard closed else { throw .malformedOutputFile(reason: "\(name): no closing \(delimiter)") }
        result[name] = value.joined(separator: "\n")
      } else if let equals = line.firstIndex(of: "=") {
        result[String(line[..<equals])] = String(line[line.index(after: equals)...])
      } else {
        throw .malformedOutputFile(reason: "line \"\(line)\" is neither name=value nor name<<EOF")
      }
    }
    return result
  }
}

/// Appends text to a file that the runner created (or creates it), in one write.
enum FileAppender {
  static func append(_ text: String, to path: String, purpose: String) throws(PipelineError) {
    if !FileManager.default.fileExists(atPath: path) {
      guard FileManager.default.createFile(atPath: path, contents: nil) else {
        throw .fileWrite(path: path, purpose: purpose, reason: "cannot create the file")
      }
    }
    do {
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
      defer { try? handle.close() }
      try handle.seekToEnd()
      try handle.write(contentsOf: Data(text.utf8))
    } catch {
      throw .fileWrite(path: path, purpose: purpose, reason: "\(error)")
    }
  }
}
