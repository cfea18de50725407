import Environments
import Git
import GitOps
import Registry

/// The image bindings the GitOps commands render with: each image's source-addressed tag at the
/// revision (`ImageResolver`, the tag `tripgen ci` and `tripgen image build` give it), pinned by the
/// digest the environment's registry or OCI layout has for that tag. Images named by `--image`
/// take that binding instead and are not looked up; `offline` looks nothing up (every other image
/// is then bound by tag and reported as waiting for its image).
struct ResolvedImageBindings: ImageBindingProvider {
  var repository: GitRepository
  /// The repository root: a relative `spec.registry.layout` is under it.
  var root: String
  /// Bindings given on the command line; they win over the lookup.
  var overrides: [ImageBinding]
  var offline: Bool
  /// When the registry cannot be asked: the bindings to use instead (a status binds the digests
  /// the last sync recorded, since what the cluster runs needs no registry); nil fails.
  var whenRegistryFails: (@Sendable (Environment, String) async throws -> [ImageBinding])?

  /// `revision` is the commit rendered; `working-tree` (a `--local` render) takes HEAD's tags, as
  /// `tripgen render` does for the working tree.
  func bindings(for environment: Environment, files: any SourceFiles, revision: String)
    async throws -> [ImageBinding]
  {
    var unresolved = environment
    unresolved.spec.images = environment.spec.images.filter { image in
      !overrides.contains { $0.name == image.name }
    }
    var resolved: [ImageBinding] = []
    if !unresolved.spec.images.isEmpty {
      let commit = try await repository.resolve(revision == "working-tree" ? "HEAD" : revision)
      let lookup: DigestLookup =
        offline ? .none : try await DigestLookup.of(environment, root: root)
      let resolver = ImageResolver(repository: repository, lookup: lookup)
      do {
        resolved = try await resolver.bindings(for: unresolved, at: commit.id)
      } catch {
        guard case .registry = error else { throw error }
        if let whenRegistryFails {
          // By tag, then pinned to a recorded digest where the recorded tag is the same.
          let byTag = try await ImageResolver(repository: repository, lookup: .none)
            .bindings(for: unresolved, at: commit.id)
          let recorded = try await whenRegistryFails(environment, "\(error)")
          resolved = byTag.map { binding in
            recorded.first {
              $0.name == binding.name && $0.tag == binding.tag
                && $0.repository == binding.repository && $0.registry == binding.registry
            } ?? binding
          }
        } else {
          throw ResolvedImageBindingsError(
            description: "\(error)\n(--offline binds every image by its tag without asking the "
              + "registry; --image NAME=REF@sha256:... pins one)")
        }
      }
    }
    // In the environment's order, as the renderer and the history expect.
    return environment.spec.images.compactMap { image in
      overrides.first { $0.name == image.name } ?? resolved.first { $0.name == image.name }
    }
  }
}

/// The registry could not be asked for an image's digest.
struct ResolvedImageBindingsError: Error, CustomStringConvertible {
  var description: String
}

extension DigestLookup {
  /// Where `environment`'s image digests are looked up: its registry (with the credentials the
  /// environment and `~/.docker/config.json` give), or its OCI layout under `root`; nowhere when it
  /// names neither.
  static func of(_ environment: Environment, root: String) async throws -> DigestLookup {
    let registry = environment.spec.registry
    if let host = registry.host {
      let authentication = try await RegistryCredentialStore.authentication(for: host)
      return .registry(
        RegistryClient(
          registry: host,
          configuration: RegistryClientConfiguration(
            authentication: authentication,
            insecureHosts: registry.insecure == true ? [host] : [])))
    }
    if let layout = registry.layout {
      return .layout(directory: layout.hasPrefix("/") ? layout : root + "/" + layout)
    }
    return .none
  }
}
