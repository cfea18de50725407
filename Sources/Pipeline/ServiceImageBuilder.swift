import Foundation
import OCI
import Registry

/// Builds the service images a run needs and puts them where the environment takes them.
///
/// The products are built one after another by `swift build` in the one package, so they share
/// its `.build` directory: the modules the services have in common (ServiceKit, the dependencies)
/// compile once, and each later product compiles only its own modules and links. SwiftPM builds one
/// `--product` per invocation, and each invocation already uses every core, so running two at once
/// would only fight over the build directory's lock. What does overlap is the image work: while
/// product N+1 compiles, product N's image is assembled (gzip, one core) and pushed.
struct ServiceImageBuilder: Sendable {
  /// One image to build.
  struct Job: Sendable {
    var service: String
    var product: String
    var repository: String
    var tag: String
    var base: String
    var reason: String
  }

  var packageDirectory: String
  /// The layout images are assembled into before a push (`.tripgen/build`); for a layout
  /// destination the image is assembled straight into it.
  var buildDirectory: String
  var destination: any ImageStore
  var push: Bool
  var creationTime: Int
  var revision: String
  var console: CIConsole
  var clock: StageClock
  var parallelUploads = 3

  func build(_ jobs: [Job]) async throws(PipelineError) -> [CIReport.ImageResult] {
    var pending: [Task<CIReport.ImageResult, any Error>] = []
    do {
      for job in jobs {
        let product = try await compile(job)
        // One layout, one writer: each image waits for the previous one (its index.json update)
        // but not for the next compile.
        let previous = pending.last
        pending.append(
          Task {
            _ = try await previous?.value
            return try await self.publish(job, product: product)
          })
      }
      var results: [CIReport.ImageResult] = []
      for task in pending { results.append(try await task.value) }
      return results
    } catch {
      for task in pending { task.cancel() }
      for task in pending { _ = try? await task.value }
      if let error = error as? PipelineError { throw error }
      throw .image(service: "images", stage: "build", cause: error)
    }
  }

  private func compile(_ job: Job) async throws(PipelineError) -> SwiftProductBuilder.Product {
    let console = console
    return try await console.group("swift build \(job.product)") {
      () async throws(PipelineError) -> SwiftProductBuilder.Product in
      console.status("building \(job.service): swift build --product \(job.product)")
      do {
        return try await clock.measure("swift build \(job.service)") {
          () async throws(OCIError) -> SwiftProductBuilder.Product in
          try await SwiftProductBuilder(packageDirectory: packageDirectory).build(job.product) {
            console.detail($0)
          }
        }
      } catch {
        throw .image(service: job.service, stage: "swift build", cause: error)
      }
    }
  }

  private func publish(_ job: Job, product: SwiftProductBuilder.Product) async throws(PipelineError)
    -> CIReport.ImageResult
  {
    let layoutDirectory = (destination as? LayoutImageStore)?.directory ?? buildDirectory
    let image: BuiltImage
    do {
      let request = ImageRequest(
        product: job.product, executable: product.executable,
        resourceBundles: product.resourceBundles, base: try BaseImageSource(parsing: job.base),
        destination: try LayoutReference(path: layoutDirectory, tag: job.tag),
        creationTime: creationTime, revision: revision)
      let console = console
      image = try await clock.measure("assemble \(job.service)") {
        () async throws(OCIError) -> BuiltImage in
        try await ImageAssembler.assemble(request) { console.detail("\(job.service): \($0)") }
      }
    } catch {
      throw .image(service: job.service, stage: "image assembly", cause: error)
    }
    let size = image.config.size + image.layers.reduce(0) { $0 + $1.descriptor.size }
    let digest = image.manifest.digest.description
    // A layout is assembled into directly; a registry is pushed to from the build layout.
    guard let client = destination as? RegistryClient else {
      console.line("\(job.service): wrote oci:\(layoutDirectory):\(job.tag) \(digest)")
      return CIReport.ImageResult(
        service: job.service, repository: destination.location(of: job.repository), tag: job.tag,
        digest: digest,
        reference: destination.reference(repository: job.repository, tag: job.tag, digest: digest),
        outcome: .built, reason: job.reason, size: size, uploadedBlobs: 0)
    }
    let host = client.registry
    guard push else {
      console.line("\(job.service): built \(digest) (not pushed: --no-push)")
      return CIReport.ImageResult(
        service: job.service, repository: "\(host)/\(job.repository)", tag: job.tag,
        digest: digest, reference: "oci:\(layoutDirectory):\(job.tag)",
        outcome: .builtNotPushed, reason: job.reason, size: size, uploadedBlobs: 0)
    }
    let report = try await pushImage(
      image.reference, to: job, host: host, client: client, size: size)
    console.line(
      "\(job.service): pushed \(host)/\(job.repository):\(job.tag) \(report.manifestDigest) "
        + "(\(report.uploadedBlobs.count) of \(report.blobs.count) blobs uploaded)")
    return CIReport.ImageResult(
      service: job.service, repository: "\(host)/\(job.repository)", tag: job.tag,
      digest: report.manifestDigest,
      reference: "\(host)/\(job.repository)@\(report.manifestDigest)", outcome: .built,
      reason: job.reason, size: size, uploadedBlobs: report.uploadedBlobs.count)
  }

  private func pushImage(
    _ source: LayoutReference, to job: Job, host: String, client: RegistryClient, size: Int
  ) async throws(PipelineError) -> PushReport {
    let console = console
    let progress = PushProgress(service: job.service, total: size)
    do {
      return try await clock.measure("push \(job.service)") {
        () async throws(RegistryError) -> PushReport in
        try await ImagePusher(client: client, parallelUploads: parallelUploads).push(
          source, to: job.repository, tags: [job.tag]
        ) { line in
          console.detail("\(job.service): \(line)")
          if let status = progress.record(line) { console.status(status) }
        }
      }
    } catch {
      throw .image(
        service: job.service, stage: "push to \(host)/\(job.repository)",
        cause: error)
    }
  }
}
