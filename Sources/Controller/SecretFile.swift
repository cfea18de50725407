import Foundation

/// A secret mounted as a file (a Kubernetes Secret volume): read once at start-up, trailing
/// newline trimmed (so `echo secret > file` and `kubectl create secret --from-literal` agree).
public enum SecretFile {
  /// The file's bytes without trailing whitespace; throws when unreadable or empty.
  public static func read(_ path: String) throws(ControllerError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .secretFile(path: path, reason: "no such file, or not readable")
    }
    var bytes = [UInt8](data)
    while let last = bytes.last, last == 0x0A || last == 0x0D || last == 0x20 || last == 0x09 {
      bytes.removeLast()
    }
    guard !bytes.isEmpty else { throw .secretFile(path: path, reason: "the file is empty") }
    return bytes
  }
}
