import Foundation

/// The `host-runtime` base: the smallest root file system, taken from the build machine, in which a
/// dynamically linked executable built on that machine runs. It holds the dynamic loader (at the
/// executable's PT_INTERP path) and the shared libraries `ldd` reports, with the links that lead to
/// them; the CA certificate bundle; `/etc/passwd` and `/etc/group` with the non-root user 65532
/// (`nonroot`) that the image runs as; its home directory; and `/tmp` (mode 1777).
public enum HostRuntime {
  /// The user and group id the image runs as.
  public static let userID = 65532
  /// The CA bundle copied for TLS clients (Debian's `ca-certificates` package writes it).
  public static let certificateBundle = "/etc/ssl/certs/ca-certificates.crt"

  /// The entries of the base layer for `executable`. Blocking (runs `ldd`): call it off the pool.
  public static func entries(forExecutable executable: String) throws(OCIError) -> [LayerEntry] {
    var collector = HostFileCollector()
    for library in try sharedLibraries(of: executable) { try collector.add(library) }
    do {
      try collector.add(certificateBundle)
    } catch {
      throw .fileSystem(
        path: certificateBundle, operation: "copy the CA bundle",
        reason: "\(error); install the ca-certificates package")
    }
    let user = "nonroot"
    let home = "/home/\(user)"
    var entries = Array(collector.entries.values)
    entries += [
      .text(
        "/etc/passwd",
        "root:x:0:0:root:/root:/sbin/nologin\n"
          + "\(user):x:\(userID):\(userID):\(user):\(home):/sbin/nologin\n"),
      .text("/etc/group", "root:x:0:\n\(user):x:\(userID):\n"),
      .directory("/tmp", mode: 0o1777),
      LayerEntry(path: home, kind: .directory, mode: 0o700, uid: userID, gid: userID),
    ]
    return entries
  }

  /// The loader and the shared libraries `executable` needs, as absolute paths on this machine; empty
  /// for a static executable (no PT_INTERP).
  public static func sharedLibraries(of executable: String) throws(OCIError) -> [String] {
    let elf = try ELFFile(path: executable)
    guard let interpreter = elf.interpreter else { return [] }
    var lines: [String] = []
    let outcome = try Subprocess.run(["ldd", executable]) { lines.append($0) }
    guard outcome.status == 0 else {
      throw .commandFailed(
        command: "ldd \(executable)", status: outcome.status, lastLines: outcome.lastLines)
    }
    var libraries = [interpreter]
    for line in lines {
      // `libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)`, `/lib64/ld-linux-x86-64.so.2 (0x…)`,
      // `linux-vdso.so.1 (0x…)` (in the kernel: nothing to copy), `libfoo.so => not found`.
      let trimmed = line.trimmingPrefix { $0 == " " || $0 == "\t" }
      if trimmed.contains("=> not found") {
        throw .missingSharedLibrary(
          binary: executable, library: String(trimmed.prefix { $0 != " " }))
      }
      let path: Substring
      if let arrow = trimmed.range(of: "=> ") {
        path = trimmed[arrow.upperBound...].prefix { $0 != " " }
      } else {
        path = trimmed.prefix { $0 != " " }
      }
      if path.hasPrefix("/") && !libraries.contains(String(path)) { libraries.append(String(path)) }
    }
    return libraries
  }
}
