#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Formats one double with a C format that takes a precision argument (`%.*e`, `%.*f`). glibc and
/// Darwin convert exactly and round correctly, which is what Go does for a given precision; Swift's
/// own formatting only offers the shortest digits.
func cFormat(_ value: Double, _ format: String, _ precision: Int) -> String {
  var buffer = [CChar](repeating: 0, count: 512)
  let written = withVaList([Int32(precision), value]) { arguments in
    vsnprintf(&buffer, buffer.count, format, arguments)
  }
  if Int(written) >= buffer.count {
    // `%f` of a large value: 1.8e308 has 309 digits before the point.
    buffer = [CChar](repeating: 0, count: Int(written) + 1)
    _ = withVaList([Int32(precision), value]) { arguments in
      vsnprintf(&buffer, buffer.count, format, arguments)
    }
  }
  return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
