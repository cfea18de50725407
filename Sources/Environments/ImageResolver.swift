import Blocking
import Foundation
import Git
import OCI
import Registry

/// Where an image's digest is looked up once its tag is known.
public enum DigestLookup: Sendable {
  /// Tags only: nothing is asked (offline checks).
  case none
  /// `HEAD /v2/<repository>/manifests/<tag>` on the environment's registry.
  case registry(RegistryClient)
  /// The OCI image layout directory the environment's images are built into (several tagged images
  /// share one layout; the tag names the manifest in its `index.json`).
  case layout(directory: String)
}

/// Binds each image of an environment at a commit: its source-addressed tag from the Git object ids
/// of its source paths at that commit (`SourceAddressedTag`, the tag `tripgen image build` gives
/// it), then its digest when the registry or the layout has that tag. An image that is not there
/// yet is bound by tag alone ("waiting for image").
public struct ImageResolver: Sendable {
  public let repository: GitRepository
  public let lookup: DigestLookup

  public init(repository: GitRepository, lookup: DigestLookup) {
    self.repository = repository
    self.lookup = lookup
  }

  /// The bindings of every image of `environment` at `commit`, in the environment's order.
  public func bindings(for environment: Environment, at commit: ObjectID)
    async throws(ImageResolverError) -> [ImageBinding]
  {
    var bindings: [ImageBinding] = []
    for image in environment.spec.images {
      let tag = try await tag(of: image, at: commit)
      let digest = try await digest(of: image, tag: tag, environment: environment)
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

  private func digest(of image: EnvironmentImage, tag: String, environment: Environment)
    async throws(ImageResolverError) -> String?
  {
    switch lookup {
    case .none:
      return nil
    case .registry(let client):
      do {
        return try await client.manifestDigest(repository: image.repositoryName, reference: tag)?
          .description
      } catch {
        throw .registry(
          image: image.name, reference: "\(client.registry)/\(image.repositoryName):\(tag)", error)
      }
    case .layout(let directory):
      let result = await offPool { () -> Result<String?, OCIError> in
        // No layout yet: nothing has been built, every image waits.
        guard FileManager.default.fileExists(atPath: directory + "/index.json") else {
          return .success(nil)
        }
        return Result { () throws(OCIError) in
          try ImageLayout.open(at: directory).manifestDigest(tag: tag)?.description
        }
      }
      do {
        return try result.get()
      } catch {
        throw .layout(path: directory, error)
      }
    }
  }
}
