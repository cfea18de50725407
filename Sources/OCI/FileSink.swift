#if canImport(Glibc)
  import Glibc
#endif

/// Writes bytes to a new file, created exclusively (a blob being written is never shared).
final class FileSink: ByteSink {
  let path: String
  private var descriptor: Int32

  init(creating path: String) throws(OCIError) {
    self.path = path
    descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw .fileSystem(path: path, operation: "create", reason: lastErrorText())
    }
  }

  deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

  func write(_ bytes: UnsafeRawBufferPointer) throws(OCIError) {
    var offset = 0
    while offset < bytes.count {
      let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        throw .fileSystem(path: path, operation: "write", reason: lastErrorText())
      }
      offset += written
    }
  }

  /// Closes the file, reporting a failed close (a full disk can surface only here).
  func close() throws(OCIError) {
    guard descriptor >= 0 else { return }
    let status = Glibc.close(descriptor)
    descriptor = -1
    guard status == 0 else {
      throw .fileSystem(path: path, operation: "close", reason: lastErrorText())
    }
  }
}
