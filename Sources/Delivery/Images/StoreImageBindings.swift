import Environments
import Git
import OCI

/// The bindings every verb renders with by default: each image's source-addressed tag at the
/// revision (``ImageResolver``, the tag `tripgen ci` and `tripgen image build` give it), pinned by
/// the digest the environment's image store has for that tag. Images named in `overrides` take
/// that binding instead and are not looked up; `offline` looks nothing up (every other image is
/// then bound by tag and reported as waiting for its image).
public struct StoreImageBindings: ImageBindingProvider {
  public var repository: GitRepository
  public var stores: ImageStores
  /// Bindings given on the command line; they win over the lookup.
  public var overrides: [ImageBinding]
  public var offline: Bool
  /// When the store cannot be asked: the bindings to use instead (a status binds the digests the
  /// last sync recorded, since what the cluster runs needs no registry); nil fails.
  public var whenStoreFails: (@Sendable (Environment, String) async throws -> [ImageBinding])?

  public init(
    repository: GitRepository, stores: ImageStores, overrides: [ImageBinding] = [],
    offline: Bool = false,
    whenStoreFails: (@Sendable (Environment, String) async throws -> [ImageBinding])? = nil
  ) {
    self.repository = repository
    self.stores = stores
    self.overrides = overrides
    self.offline = offline
    self.whenStoreFails = whenStoreFails
  }

  /// The working tree takes HEAD's tags (``Revision/tagCommit``).
  public func bindings(for environment: Environment, at revision: Revision) async throws
    -> [ImageBinding]
  {
    var unresolved = environment
    unresolved.spec.images = environment.spec.images.filter { image in
      !overrides.contains { $0.name == image.name }
    }
    var resolved: [ImageBinding] = []
    if !unresolved.spec.images.isEmpty {
      let store: (any ImageStore)? = offline ? nil : try await stores.store(for: environment)
      do {
        resolved = try await ImageResolver(repository: repository, store: store)
          .bindings(for: unresolved, at: revision.tagCommit)
      } catch {
        guard case .store = error else { throw error }
        guard let whenStoreFails else { throw DeliveryError.imageStoreUnavailable(error) }
        // By tag, then pinned to a recorded digest where the recorded tag is the same.
        let byTag = try await ImageResolver(repository: repository, store: nil)
          .bindings(for: unresolved, at: revision.tagCommit)
        let recorded = try await whenStoreFails(environment, "\(error)")
        resolved = byTag.map { binding in
          recorded.first {
            $0.name == binding.name && $0.tag == binding.tag
              && $0.repository == binding.repository && $0.registry == binding.registry
          } ?? binding
        }
      }
    }
    // In the environment's order, as the renderer and the history expect.
    return environment.spec.images.compactMap { image in
      overrides.first { $0.name == image.name } ?? resolved.first { $0.name == image.name }
    }
  }
}
