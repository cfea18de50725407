import Foundation

/// A directory under the system temporary folder that is removed when the value is released.
/// Tests create files and servers' state in it.
public final class TemporaryDirectory: @unchecked Sendable {
  public let url: URL

  public init(prefix: String = "tripgen-test") throws {
    let name = "\(prefix)-\(UUID().uuidString.prefix(8))"
    url = FileManager.default.temporaryDirectory.appendingPathComponent(name, isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  public var path: String { url.path }

  /// A path inside the directory.
  public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

  deinit { try? FileManager.default.removeItem(at: url) }
}
