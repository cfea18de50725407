import Blocking
import Foundation

/// Builds a SwiftPM executable product for an image: release mode with the Swift standard library
/// linked statically, so the image needs only glibc and the loader from its base.
public struct SwiftProductBuilder: Sendable {
  /// The package directory (holding Package.swift).
  public var packageDirectory: String
  /// The `swift` driver to run, looked up on PATH.
  public var swift: String

  public init(packageDirectory: String, swift: String = "swift") {
    self.packageDirectory = packageDirectory
    self.swift = swift
  }

  /// What a build produced.
  public struct Product: Sendable, Hashable {
    public var name: String
    public var executable: String
    /// The resource bundles the executable refers to.
    public var resourceBundles: [String]
  }

  /// The `swift build` arguments for `product`.
  public func arguments(for product: String) -> [String] {
    [swift, "build", "-c", "release", "--product", product, "--static-swift-stdlib"]
  }

  /// Runs `swift build`, handing each line of its output to `output` as it arrives, then locates the
  /// executable and its resource bundles. The build runs on a thread of its own; cancelling the task
  /// stops it (SIGTERM) and throws `OCIError.cancelled`.
  public func build(_ product: String, output: @escaping @Sendable (String) -> Void)
    async throws(OCIError) -> Product
  {
    let arguments = arguments(for: product)
    let directory = packageDirectory
    let handle = Subprocess.Handle()
    // withTaskCancellationHandler rethrows untyped errors: carry the typed one out in a Result.
    let result = await withTaskCancellationHandler {
      do throws(OCIError) {
        return Result<Product, OCIError>.success(
          try await offPool { () throws(OCIError) in
            try Self.buildBlocking(product, arguments, directory, handle, output)
          })
      } catch {
        return .failure(error)
      }
    } onCancel: {
      handle.terminate()
    }
    return try result.get()
  }

  private static func buildBlocking(
    _ product: String, _ arguments: [String], _ directory: String, _ handle: Subprocess.Handle,
    _ output: (String) -> Void
  ) throws(OCIError) -> Product {
    output("$ \(arguments.joined(separator: " "))")
    let build = try Subprocess.run(
      arguments, directory: directory, handle: handle, onLine: output)
    if handle.wasTerminated { throw OCIError.cancelled("swift build of product '\(product)'") }
    guard build.status == 0 else {
      throw .swiftBuildFailed(product: product, status: build.status, lastLines: build.lastLines)
    }
    var binPath = ""
    let show = try Subprocess.run(arguments + ["--show-bin-path"], directory: directory) {
      if !$0.isEmpty { binPath = $0 }
    }
    guard show.status == 0, binPath.hasPrefix("/") else {
      throw .commandFailed(
        command: (arguments + ["--show-bin-path"]).joined(separator: " "), status: show.status,
        lastLines: show.lastLines)
    }
    let executable = binPath + "/" + product
    guard FileManager.default.isExecutableFile(atPath: executable) else {
      throw .productNotFound(product: product, path: executable)
    }
    return Product(
      name: product, executable: executable,
      resourceBundles: try ResourceBundles.find(forExecutable: executable))
  }
}
