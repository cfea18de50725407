#if canImport(Glibc)
  import Glibc
#endif

/// Writes a POSIX tar stream (ustar headers, with PAX extended headers for names, link targets or sizes
/// that do not fit) into a sink. Every entry carries the same modification time and fixed owner names,
/// so the same entries always give the same bytes.
final class TarWriter {
  private let sink: any ByteSink
  private let modificationTime: Int
  private var buffer: UnsafeMutableRawBufferPointer

  /// Bytes of tar written so far (headers, content and padding).
  private(set) var bytesWritten = 0

  init(sink: any ByteSink, modificationTime: Int) {
    self.sink = sink
    // The largest value a 12-byte octal field holds; later times would need a PAX mtime record.
    self.modificationTime = min(max(modificationTime, 0), 0o77777777777)
    buffer = .allocate(byteCount: 1 << 20, alignment: 16)
  }

  deinit { buffer.deallocate() }

  /// Writes one entry at `name` (relative, `/`-separated; directories get a trailing `/`).
  func write(_ entry: LayerEntry, name: String) throws(OCIError) {
    switch entry.kind {
    case .directory:
      try writeHeader(name: name + "/", type: "5", size: 0, entry: entry, linkTarget: "")
    case .symlink(let target):
      try writeHeader(name: name, type: "2", size: 0, entry: entry, linkTarget: target)
    case .bytes(let content):
      try writeHeader(name: name, type: "0", size: content.count, entry: entry, linkTarget: "")
      try emit(content)
      try pad(content.count)
    case .file(let source):
      try writeFile(name: name, source: source, entry: entry)
    }
  }

  /// Ends the archive with the two zero blocks tar readers expect.
  func finish() throws(OCIError) {
    try emit([UInt8](repeating: 0, count: 1024))
  }

  private func writeFile(name: String, source: String, entry: LayerEntry) throws(OCIError) {
    let descriptor = open(source, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw .fileSystem(path: source, operation: "open for reading", reason: lastErrorText())
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw .fileSystem(path: source, operation: "stat", reason: lastErrorText())
    }
    let size = Int(status.st_size)
    try writeHeader(name: name, type: "0", size: size, entry: entry, linkTarget: "")
    var remaining = size
    while remaining > 0 {
      let count = read(descriptor, buffer.baseAddress, min(buffer.count, remaining))
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else {
        throw .fileSystem(
          path: source, operation: "read",
          reason: count == 0 ? "the file shrank while the layer was written" : lastErrorText())
      }
      try sink.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
      bytesWritten += count
      remaining -= count
    }
    try pad(size)
  }

  private func writeHeader(
    name: String, type: Character, size: Int, entry: LayerEntry, linkTarget: String
  ) throws(OCIError) {
    var records: [(String, String)] = []
    if name.utf8.count > 100 { records.append(("path", name)) }
    if linkTarget.utf8.count > 100 { records.append(("linkpath", linkTarget)) }
    if size > 0o77777777777 { records.append(("size", String(size))) }
    if !records.isEmpty {
      let body = Self.paxRecords(records)
      // A fixed name for the extended header keeps the stream reproducible (Go's archive/tar does the same).
      let paxName = "PaxHeaders.0/" + String(decoding: name.utf8.suffix(80), as: UTF8.self)
      let header = Self.header(
        name: paxName, type: "x", size: body.count, mode: 0o644, uid: 0, gid: 0,
        modificationTime: modificationTime, linkTarget: "")
      try emit(header)
      try emit(body)
      try pad(body.count)
    }
    try emit(
      Self.header(
        name: name, type: type, size: size > 0o77777777777 ? 0 : size, mode: entry.mode,
        uid: entry.uid, gid: entry.gid, modificationTime: modificationTime, linkTarget: linkTarget))
  }

  private func emit(_ bytes: [UInt8]) throws(OCIError) {
    try sink.write(bytes)
    bytesWritten += bytes.count
  }

  private func pad(_ size: Int) throws(OCIError) {
    let remainder = size % 512
    if remainder != 0 { try emit([UInt8](repeating: 0, count: 512 - remainder)) }
  }

  /// PAX records: `<length> <key>=<value>\n`, where the length counts its own digits.
  static func paxRecords(_ records: [(String, String)]) -> [UInt8] {
    var output: [UInt8] = []
    for (key, value) in records {
      let rest = " \(key)=\(value)\n".utf8.count
      var length = rest + String(rest).count
      if String(length).count != String(rest).count { length = rest + String(length).count }
      output += Array("\(length) \(key)=\(value)\n".utf8)
    }
    return output
  }

  /// A 512-byte ustar header. Names longer than the field are cut here; the PAX record carries them whole.
  static func header(
    name: String, type: Character, size: Int, mode: UInt32, uid: Int, gid: Int,
    modificationTime: Int, linkTarget: String
  ) -> [UInt8] {
    var block = [UInt8](repeating: 0, count: 512)
    func put(_ text: String, at offset: Int, width: Int) {
      for (index, byte) in text.utf8.prefix(width).enumerated() { block[offset + index] = byte }
    }
    func octal(_ value: Int, at offset: Int, width: Int) {
      let digits = String(value, radix: 8)
      let padded = String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits
      put(padded, at: offset, width: width - 1)
    }
    put(name, at: 0, width: 100)
    octal(Int(mode & 0o7777), at: 100, width: 8)
    octal(uid, at: 108, width: 8)
    octal(gid, at: 116, width: 8)
    octal(size, at: 124, width: 12)
    octal(modificationTime, at: 136, width: 12)
    block.replaceSubrange(148..<156, with: [UInt8](repeating: UInt8(ascii: " "), count: 8))
    block[156] = type.asciiValue!
    put(linkTarget, at: 157, width: 100)
    put("ustar", at: 257, width: 6)
    put("00", at: 263, width: 2)
    // Names only for root: extracting tar prefers a name it finds in the unpacking machine's
    // /etc/passwd over the number, and the image's other users need not exist there.
    let owner = uid == 0 ? "root" : ""
    let group = gid == 0 ? "root" : ""
    put(owner, at: 265, width: 32)
    put(group, at: 297, width: 32)
    octal(0, at: 329, width: 8)
    octal(0, at: 337, width: 8)
    let checksum = block.reduce(0) { $0 + Int($1) }
    octal(checksum, at: 148, width: 7)
    block[155] = UInt8(ascii: " ")
    return block
  }
}

func lastErrorText() -> String { String(cString: strerror(errno)) }
