import Foundation
import TestSupport
import Testing

@testable import OCI

@Suite struct HostRuntimeTests {
  @Test func theLoaderAndLibrariesComeWithTheLinksThatLeadToThem() async throws {
    let product = try await Fixtures.hello()
    let elf = try ELFFile(path: product.executable)
    #expect(elf.interpreter == "/lib64/ld-linux-x86-64.so.2")
    let entries = try HostRuntime.entries(forExecutable: product.executable)
    let byPath = Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0) })
    // Each library ldd names resolves, through the layer's own links, to a file in the layer.
    for library in try HostRuntime.sharedLibraries(of: product.executable) {
      var path = library
      var hops = 0
      while case .symlink(let target)? = byPath[path]?.kind ?? resolveThroughParents(path, byPath) {
        path =
          target.hasPrefix("/")
          ? target : ((path as NSString).deletingLastPathComponent + "/" + target)
        path = (path as NSString).standardizingPath
        hops += 1
        #expect(hops < 10)
        if hops >= 10 { break }
      }
      guard case .file(let source)? = byPath[path]?.kind else {
        Issue.record("\(library) does not resolve to a file in the layer (stopped at \(path))")
        continue
      }
      #expect(source == path)
    }
    #expect(byPath["/tmp"]?.mode == 0o1777)
    #expect(byPath[HostRuntime.certificateBundle] != nil)
    #expect(byPath["/home/nonroot"]?.uid == 65532)
  }

  /// For a path under a linked directory (`/lib64/ld-linux-x86-64.so.2` with `/lib64` → `usr/lib64`):
  /// the link of the first linked parent, rewritten to point at the full path below it.
  private func resolveThroughParents(_ path: String, _ byPath: [String: LayerEntry])
    -> LayerEntry.Kind?
  {
    var parent = (path as NSString).deletingLastPathComponent
    while parent != "/" {
      if case .symlink(let target)? = byPath[parent]?.kind {
        let base =
          target.hasPrefix("/")
          ? target : (parent as NSString).deletingLastPathComponent + "/" + target
        return .symlink(target: base + String(path.dropFirst(parent.count)))
      }
      parent = (parent as NSString).deletingLastPathComponent
    }
    return nil
  }

  @Test func aStaticExecutableNeedsNoLibraries() throws {
    // Not a Swift binary, but an ELF file without PT_INTERP is what a static executable looks like.
    let directory = try TemporaryDirectory(prefix: "oci-static")
    let source = directory.file("main.c")
    try Data("int main(void) { return 0; }\n".utf8).write(to: source)
    let binary = directory.file("static").path
    try Command.check(["gcc", "-static", "-o", binary, source.path])
    #expect(try ELFFile(path: binary).interpreter == nil)
    #expect(try HostRuntime.sharedLibraries(of: binary) == [])
  }

  @Test func aNonELFFileIsRejectedByName() throws {
    let directory = try TemporaryDirectory(prefix: "oci-notelf")
    let script = directory.file("script.sh")
    try Data("#!/bin/sh\necho hi\n".utf8).write(to: script)
    #expect(
      throws: OCIError.notAnELFExecutable(path: script.path, reason: "it ends inside its headers")
    ) {
      _ = try HostRuntime.entries(forExecutable: script.path)
    }
  }
}
