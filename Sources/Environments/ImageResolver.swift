import Git
import OCI

/// Binds each image of an environment at a commit: its source-addressed tag from the Git object ids
/// of its source paths at that commit (`SourceAddressedTag`, the tag `tripgen image build` gives
/// it), then its digest when the registry or the layout has that tag. An image that is not there
/// yet is bound by tag alone ("waiting for image").
public struct ImageResolver: Sendable {
  public let repository: GitRepository
  /// Where digests are looked up; nil binds every image by tag (offline checks).
  public let store: (any ImageStore)?

  public init(repository: GitRepository, store: (any ImageStore)?) {
    self.repository = repository
    self.store = store
  }

  /// The bindings of every image of `environment` at `commit`, in the environment's order.
  public func bindings(for environment: Environment, at commit: ObjectID)
    async throws(ImageResolverError) -> [ImageBinding]
  {
    var bindings: [ImageBinding] = []
    for image in environment.spec.images {
      let tag = try await tag(of: image, at: commit)
      let digest = try await digest(of: image, tag: tag)
      bindings.append(
        ImageBinding(
          name: image.name, registry: environment.spec.registry.host,
          repository: image.repositoryName, tag: tag, digest: digest))
    }
    return bindings
  }

  /// The source-addressed tag of `image` at `commit`.
  public func tag(of image: EnvironmentImage, at commit: ObjectID) async throws(ImageResolverError)
    -> String
  {
    var sources: [SourceAddressedTag.Source] = []
    for path in image.sourcePaths {
      do {
        let id = try await repository.objectID(at: path, in: commit)
        sources.append(SourceAddressedTag.Source(path: path, objectID: id.hex))
      } catch .pathNotFound {
        throw .sourcePathMissing(image: image.name, path: path, commit: commit.hex)
      } catch {
        throw .git(error)
      }
    }
    do {
      return try SourceAddressedTag(
        sources: sources, base: image.baseName, product: image.productName
      ).tag
    } catch {
      throw .invalidSources(image: image.name, error)
    }
  }

  private func digest(of image: EnvironmentImage, tag: String)
    async throws(ImageResolverError) -> String?
  {
    guard let store else { return nil }
    do {
      return try await store.image(repository: image.repositoryName, tag: tag)?.digest
    } catch {
      throw .store(
        image: image.name, reference: "\(store.location(of: image.repositoryName)):\(tag)", error)
    }
  }
}
