import Foundation

/// The little an image builder needs from an ELF executable: whether it is one, and its program
/// interpreter (the dynamic loader named by PT_INTERP), which is absent in a static executable.
struct ELFFile {
  let path: String
  /// The PT_INTERP path, e.g. `/lib64/ld-linux-x86-64.so.2`; nil for a static executable.
  let interpreter: String?

  init(path: String) throws(OCIError) {
    self.path = path
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw .fileSystem(
        path: path, operation: "open for reading", reason: "it is missing or unreadable")
    }
    defer { try? handle.close() }
    func read(_ offset: UInt64, _ count: Int) throws(OCIError) -> [UInt8] {
      do {
        try handle.seek(toOffset: offset)
        let data = try handle.read(upToCount: count) ?? Data()
        guard data.count == count else {
          throw OCIError.notAnELFExecutable(path: path, reason: "it ends inside its headers")
        }
        return [UInt8](data)
      } catch let error as OCIError {
        throw error
      } catch {
        throw .fileSystem(path: path, operation: "read", reason: "\(error)")
      }
    }
    func integer(_ bytes: [UInt8], _ offset: Int, _ width: Int) -> UInt64 {
      (0..<width).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }
    let header = try read(0, 64)
    guard header[0..<4] == [0x7f, 0x45, 0x4c, 0x46] else {
      throw .notAnELFExecutable(path: path, reason: "no ELF magic number")
    }
    guard header[4] == 2, header[5] == 1 else {
      throw .notAnELFExecutable(path: path, reason: "not a 64-bit little-endian ELF file")
    }
    let programHeaderOffset = integer(header, 0x20, 8)
    let programHeaderSize = Int(integer(header, 0x36, 2))
    let programHeaderCount = Int(integer(header, 0x38, 2))
    var interpreter: String?
    for index in 0..<programHeaderCount {
      let entry = try read(
        programHeaderOffset + UInt64(index * programHeaderSize), max(programHeaderSize, 40))
      // PT_INTERP is 3: a NUL-terminated path at p_offset, p_filesz bytes long.
      guard integer(entry, 0, 4) == 3 else { continue }
      let bytes = try read(integer(entry, 8, 8), Int(integer(entry, 32, 8)))
      interpreter = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
    self.interpreter = interpreter
  }
}
