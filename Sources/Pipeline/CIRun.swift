import Checks
import Delivery
import Environments
import Foundation
import Git
import GitOps
import Kube
import OCI
import Registry

/// One pass of the CI step, in the order the issue gives, stopping at the first failure:
/// 1. the revision (libgit2; `GITHUB_SHA` when set);
/// 2. per service image: its source-addressed tag; reused when the registry (or layout) has it,
///    else built and pushed;
/// 3. the environment rendered and checked (`tripgen check`: schemas, capacity, cost, policy) with
///    tags only, before any build, so that a broken chart or a failed check costs no build and
///    pushes nothing; then rendered again with the resolved digests;
/// 4. the GitOps engine's plan, against the cluster when it is reachable, else (said plainly)
///    against an empty cluster;
/// 5. with `sync`, the engine's sync: waves, hooks, prune, health, and a history entry.
public struct CIRun: Sendable {
  public var options: CIOptions
  public var console: CIConsole

  public init(options: CIOptions, console: CIConsole) {
    self.options = options
    self.console = console
  }

  /// Runs the step. The report is returned also on failure (with `failure` set), so that the
  /// outputs and the summary say how far the run got; the error is rethrown after.
  public func run() async -> (CIReport, PipelineError?) {
    let clock = StageClock()
    var report = CIReport(environment: options.environment, revision: "")
    do {
      try await execute(into: &report, clock: clock)
      report.timings = clock.all
      return (report, nil)
    } catch {
      report.timings = clock.all
      report.failure = CIReport.Failure(
        message: error.description, file: error.location?.file, line: error.location?.line)
      console.status(nil)
      console.error(error.description, location: error.location, title: "tripgen ci")
      return (report, error)
    }
  }

  private func execute(into report: inout CIReport, clock: StageClock) async throws(PipelineError) {
    let start = ContinuousClock.now
    let source = try await clock.measure("revision") { () async throws(PipelineError) in
      try await SourceRevision.resolve(options: options)
    }
    report.revision = source.commit.id.hex
    console.line("revision \(source.commit.id.hex) (\(source.origin)): \(source.commit.summary)")

    let environment: Environment
    do {
      environment = try EnvironmentLoader.load(name: options.environment, from: source.files)
    } catch {
      throw .render(
        message: error.description,
        location: RenderFailure.location(of: error, environment: nil))
    }
    let images = try selectedImages(environment)
    let destination = try await destination(for: environment)

    // Tags first: they need only the commit.
    var tags: [String: String] = [:]
    let resolver = ImageResolver(repository: source.repository, store: nil)
    for image in images {
      do {
        tags[image.name] = try await resolver.tag(of: image, at: source.commit.id)
      } catch {
        throw .image(service: image.name, stage: "source-addressed tag", cause: error)
      }
    }
    // A render with tags only, and `tripgen check` on it: a broken chart or a failed check costs
    // no build and pushes nothing. (The digests bound later change only image references, which
    // no check reads.)
    let preview = try await clock.measure("render (before build)") {
      () async throws(PipelineError) in
      try render(
        environment, source: source,
        bindings: images.map { binding($0, tag: tags[$0.name]!, digest: nil, destination) })
    }
    // tripgen check: schemas, capacity, cost, policy.
    let checks = await clock.measure("check") { () async -> CheckReport in
      EnvironmentCheck.run(preview, files: source.files)
    }
    report.checks = checks
    for finding in checks.warnings {
      console.warning(
        CheckLocation.message(finding), location: CheckLocation.of(finding, environment))
    }
    guard checks.passed else {
      // One annotation per finding, each at its template; the failure itself only counts them.
      for finding in checks.errors {
        console.error(
          CheckLocation.message(finding), location: CheckLocation.of(finding, environment))
      }
      throw .check(
        message: "tripgen check found \(checks.errors.count) error(s) in environment "
          + "\(environment.name) (each annotated above); nothing was built or pushed",
        location: nil)
    }
    console.line(
      "checked \(checks.objects) objects: \(checks.warnings.count) warning(s), no errors"
        + (checks.skipped.isEmpty ? "" : " (skipped: \(checks.skipped.joined(separator: "; ")))"))

    // Reuse what exists; build the rest.
    var results: [String: CIReport.ImageResult] = [:]
    var jobs: [ServiceImageBuilder.Job] = []
    try await clock.measure("registry lookups") { () async throws(PipelineError) in
      for image in images {
        let tag = tags[image.name]!
        let existing: StoredImage?
        var lookupFailed = false
        do throws(PipelineError) {
          existing = try await lookUp(tag, of: image, in: destination)
        } catch {
          guard !options.push else { throw error }
          // A pull request (from a fork, say) may have no registry credentials: without --push
          // the images only need to build, so say so and build.
          console.warning(
            "\(image.name): cannot look \(tag) up (\(error)); building it to check that it "
              + "builds (--no-push)")
          existing = nil
          lookupFailed = true
        }
        if let existing {
          let result = CIReport.ImageResult(
            service: image.name, repository: destination.location(of: image.repositoryName),
            tag: tag, digest: existing.digest,
            reference: destination.reference(
              repository: image.repositoryName, tag: tag, digest: existing.digest),
            outcome: .reused,
            reason: "\(destination.location(of: image.repositoryName)):\(tag) exists: its sources "
              + "(\(image.sourcePaths.joined(separator: ", "))) are unchanged",
            size: existing.size, uploadedBlobs: 0)
          results[image.name] = result
          console.line("\(image.name): reused \(tag) \(existing.digest) (sources unchanged)")
        } else if !options.push, let host = destination.registryHost,
          let local = try? LayoutImageStore.image(in: buildDirectory, tag: tag)
        {
          // Built by an earlier --no-push run of the same sources: nothing to do again.
          results[image.name] = CIReport.ImageResult(
            service: image.name, repository: "\(host)/\(image.repositoryName)", tag: tag,
            digest: local.digest, reference: "oci:\(buildDirectory):\(tag)",
            outcome: .builtNotPushed,
            reason: "built earlier into \(buildDirectory) from the same sources; not pushed",
            size: local.size, uploadedBlobs: 0)
          console.line("\(image.name): \(tag) already built into \(buildDirectory) (not pushed)")
        } else {
          let reason =
            lookupFailed
            ? "the registry could not be asked; built to check that it builds"
            : "no image tagged \(tag) in \(destination.location(of: image.repositoryName)): "
              + "its sources changed since the last build (or it was never built)"
          console.line("\(image.name): building \(tag): \(reason)")
          jobs.append(
            ServiceImageBuilder.Job(
              service: image.name, product: image.productName, repository: image.repositoryName,
              tag: tag, base: image.baseName, reason: reason))
        }
      }
    }
    for job in jobs {
      let paths = images.first { $0.name == job.service }?.sourcePaths ?? []
      let changed = await WorkingTreeCheck.uncommittedChanges(
        in: options.repositoryPath, paths: paths)
      if !changed.isEmpty {
        console.warning(
          "\(job.service): uncommitted changes in \(changed.prefix(5).joined(separator: ", ")): "
            + "swift build compiles the work tree, so the image tagged \(job.tag) (for commit "
            + "\(source.commit.id.hex.prefix(12))) holds them; commit them for a faithful tag")
      }
    }
    if !jobs.isEmpty {
      let builder = ServiceImageBuilder(
        packageDirectory: options.repositoryPath,
        buildDirectory: buildDirectory, destination: destination,
        push: options.push, creationTime: Int(source.commit.committer.time.timeIntervalSince1970),
        revision: source.commit.id.hex, console: console, clock: clock)
      for result in try await builder.build(jobs) { results[result.service] = result }
    }
    report.images = images.compactMap { image in
      results[image.name].map {
        $0.pinned(binding(image, tag: $0.tag, digest: $0.digest, destination).reference)
      }
    }

    // Render with the digests.
    var bindings = images.map { image in
      binding(image, tag: tags[image.name]!, digest: results[image.name]?.digest, destination)
    }
    // Images left out by --services are not built, but the plan must not show them as changed:
    // they are bound to what the destination already has for their sources, when it has it.
    for image in environment.spec.images where !images.contains(where: { $0.name == image.name }) {
      let tag: String
      do {
        tag = try await resolver.tag(of: image, at: source.commit.id)
      } catch {
        throw .image(service: image.name, stage: "source-addressed tag", cause: error)
      }
      let existing = try? await lookUp(tag, of: image, in: destination)
      if existing == nil {
        console.warning(
          "\(image.name): not in --services and \(tag) is not in "
            + "\(destination.location(of: image.repositoryName)): it is planned without a digest")
      }
      bindings.append(binding(image, tag: tag, digest: existing?.digest, destination))
    }
    let desired = try await clock.measure("render") { () async throws(PipelineError) in
      try render(environment, source: source, bindings: bindings)
    }
    console.line(
      "rendered \(desired.objects.count) objects from \(environment.spec.charts.count) "
        + "chart(s) for \(environment.name)")

    // Plan: the GitOps engine's, against the cluster when it answers.
    let target = await ClusterPlan.connect(environment: environment, options: options)
    // --sync needs the cluster whatever spec.cluster.required says: a plan against an empty
    // cluster cannot be applied.
    if case .empty(let reason) = target, options.sync {
      throw .clusterRequired(environment: environment.name, reason: reason)
    }
    switch target {
    case .cluster(let client, let context):
      let engine = GitOpsEngine(client: client)
      // Images left without a digest are listed in the plan; a sync refuses to start with them.
      let plan = try await clock.measure("plan") { () async throws(PipelineError) in
        do {
          return try await Delivery.plan(desired, on: engine, requireImages: false)
        } catch {
          throw .plan(environment: environment.name, cause: error)
        }
      }
      report.plan = ClusterPlan.summary(of: plan)
      let counts = report.plan!
      console.line(
        "plan against the cluster (\(context)): \(counts.create) to create, \(counts.update) to "
          + "update, \(counts.prune) to prune, \(counts.unchanged) unchanged")
      for image in plan.waitingForImages {
        console.warning(
          "\(image.name): \(image.reference) has no digest yet: a sync would wait for it")
      }
      if options.sync {
        let result = try await clock.measure("sync") { () async throws(PipelineError) in
          try await sync(desired, plan: plan, engine: engine)
        }
        console.line(
          "synced \(environment.name): \(result.outcome.rawValue), \(result.applied.count) "
            + "applied, \(result.pruned.count) pruned"
            + (result.historyID.map { ", history #\($0)" } ?? ""))
        report.synced = true
      }
    case .empty(let reason):
      report.plan = ClusterPlan.emptyClusterSummary(of: desired, reason: reason)
      console.line(
        "plan against an EMPTY cluster, not the real one (\(reason)): all "
          + "\(desired.objects.count) objects would be created")
    }
    if !options.sync {
      console.line(
        "not synced (no --sync): the in-cluster controller applies revision "
          + "\(source.commit.id.hex.prefix(12)) when it sees it (pull-style)")
    }
    let elapsed = ContinuousClock.now - start
    console.line(
      "done in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2))))")
  }

  /// Push-style delivery through the engine: waves, hooks, prune, health, and a history entry
  /// triggered by `tripgen ci`. Each step is a detail line of the log.
  /// `plan` is the plan just reported: the sync applies it instead of dry-running every object
  /// again.
  private func sync(_ desired: DesiredState, plan: SyncPlan, engine: GitOpsEngine)
    async throws(PipelineError) -> SyncResult
  {
    var syncOptions = SyncOptions()
    syncOptions.trigger = "tripgen ci"
    let console = console
    do {
      return try await Delivery.sync(desired, on: engine, options: syncOptions, plan: plan) {
        event in
        switch event {
        case .planned: break
        case .waveStarted(let phase, let wave, let objects):
          console.detail("\(phase.rawValue) wave \(wave): \(objects) object(s)")
        case .applied(let key, let action, let taken):
          console.detail(
            "\(action.rawValue) \(key)"
              + (taken.isEmpty ? "" : " (took over \(taken.joined(separator: ", ")))"))
        case .hookDeleted(let key): console.detail("deleted hook \(key)")
        case .waiting(let key, let status, let message):
          console.detail("waiting for \(key): \(status)" + (message.map { ": \($0)" } ?? ""))
        case .healthy(let key): console.detail("healthy \(key)")
        case .pruned(let key): console.detail("pruned \(key)")
        case .inventoryWritten(let members): console.detail("inventory: \(members) object(s)")
        case .retrying(let attempt, let delay, let error):
          console.warning("sync attempt \(attempt) failed (\(error)); retrying in \(delay)s")
        }
      }
    } catch {
      throw .sync(environment: desired.environment.name, cause: error)
    }
  }

  /// Where images are assembled before a push, and kept by `--no-push` runs.
  private var buildDirectory: String { options.repositoryPath + "/.tripgen/build" }

  private func selectedImages(_ environment: Environment) throws(PipelineError)
    -> [EnvironmentImage]
  {
    guard let services = options.services else { return environment.spec.images }
    let known = environment.spec.images.map(\.name)
    let unknown = services.filter { !known.contains($0) }
    guard unknown.isEmpty else { throw .unknownServices(unknown, known: known) }
    return environment.spec.images.filter { services.contains($0.name) }
  }

  /// The environment's image store: its layout, or its registry with the credentials at hand
  /// (the ones given as `TRIPGEN_REGISTRY_USERNAME`/`_PASSWORD`, else the chain of
  /// ``ImageStores``: Entra ID from GitHub's OIDC token or a workload identity for ACR,
  /// `~/.docker/config.json`, else none).
  private func destination(for environment: Environment) async throws(PipelineError)
    -> any ImageStore
  {
    if let credentials = options.registryCredentials {
      console.masker.register(credentials.password)
    }
    let stores = ImageStores(
      root: options.repositoryPath, credentials: options.registryCredentials,
      insecureHosts: options.insecureRegistries, processEnvironment: options.processEnvironment)
    let store: (any ImageStore)?
    do {
      store = try await stores.store(for: environment)
    } catch {
      throw .image(
        service: environment.spec.registry.host ?? environment.name, stage: "registry login",
        cause: error)
    }
    guard let store else { throw .noImageDestination(environment: environment.name) }
    if let registry = store as? RegistryClient {
      console.line("registry \(registry.registry): \(registry.configuration.authentication)")
    }
    return store
  }

  /// The image tagged `tag` in `store`, the store's error said as a failed lookup.
  private func lookUp(_ tag: String, of image: EnvironmentImage, in store: any ImageStore)
    async throws(PipelineError) -> StoredImage?
  {
    do {
      return try await store.image(repository: image.repositoryName, tag: tag)
    } catch {
      throw .image(
        service: image.repositoryName,
        stage: "looking up \(store.location(of: image.repositoryName)):\(tag)",
        cause: error)
    }
  }

  private func binding(
    _ image: EnvironmentImage, tag: String, digest: String?, _ destination: any ImageStore
  ) -> ImageBinding {
    ImageBinding(
      name: image.name, registry: destination.registryHost, repository: image.repositoryName,
      tag: tag, digest: digest)
  }

  private func render(_ environment: Environment, source: SourceRevision, bindings: [ImageBinding])
    throws(PipelineError) -> DesiredState
  {
    do {
      return try EnvironmentRenderer().render(
        environment, files: source.files, revision: .commit(source.commit.id), images: bindings)
    } catch {
      throw .render(
        message: error.description,
        location: RenderFailure.location(of: error, environment: environment))
    }
  }
}
