import Environments
import Git
import OCI

/// The source-addressed tag of a service image at a commit: from the Git object ids (tree for a
/// folder, blob for a file) of the image's source paths, its base and its product. A service whose
/// paths did not change keeps its tag, so its image is found and reused instead of rebuilt.
enum ServiceTagger {
  static func tag(of image: EnvironmentImage, in source: SourceRevision) async throws(PipelineError)
    -> String
  {
    var sources: [(path: String, objectID: String)] = []
    for path in image.sourcePaths {
      do {
        let id = try await source.repository.objectID(at: path, in: source.commit.id)
        sources.append((path, id.hex))
      } catch {
        throw .missingSourcePath(image: image.name, path: path, revision: source.commit.id.hex)
      }
    }
    return SourceTagEncoding.tag(sources: sources, base: image.baseName, product: image.productName)
  }
}

/// The tag encoding: `src-` and the first 20 hex digits of the SHA-256 of
/// `tripgen-source-tag/1\n` followed by netstring-like fields (`length:text\n`) for the base, the
/// product, the number of paths, then each path (sorted by its UTF-8 bytes) and its object id.
/// Lengths make the encoding unambiguous whatever the names hold; sorting makes it independent of
/// the order the environment lists the paths in.
///
/// This is the encoding of `OCI.SourceAddressedTag` (branch `images`, not merged when this was
/// written); when it is merged, `ServiceTagger` calls it and this type goes.
enum SourceTagEncoding {
  static func tag(sources: [(path: String, objectID: String)], base: String, product: String)
    -> String
  {
    var bytes = Array("tripgen-source-tag/1\n".utf8)
    func field(_ text: String) {
      bytes += Array("\(text.utf8.count):".utf8) + Array(text.utf8) + [UInt8(ascii: "\n")]
    }
    field(base)
    field(product)
    field(String(sources.count))
    for source in sources.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
      field(source.path)
      field(source.objectID.lowercased())
    }
    return "src-" + String(Digest(of: bytes).hex.prefix(20))
  }
}
