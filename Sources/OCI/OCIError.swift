/// Everything that can go wrong building an image or reading and writing a layout. Each description
/// names the path, product or reference concerned and says what to do.
public enum OCIError: Error, Equatable, CustomStringConvertible {
  case invalidDigest(String)
  case encodingFailed(type: String, reason: String)
  case malformedJSON(path: String, expected: String, reason: String)
  case fileSystem(path: String, operation: String, reason: String)
  case compressionFailed(path: String, reason: String)
  case notAnImageLayout(path: String, reason: String)
  case tagNotFound(layout: String, tag: String, available: [String])
  case blobMissing(layout: String, digest: Digest)
  case blobDigestMismatch(path: String, expected: Digest, actual: Digest)
  case unsupportedMediaType(path: String, mediaType: String)
  case platformMismatch(base: String, basePlatform: String, target: String)
  case commandNotFound(String)
  case commandFailed(command: String, status: Int32, lastLines: [String])
  case swiftBuildFailed(product: String, status: Int32, lastLines: [String])
  case productNotFound(product: String, path: String)
  case notAnELFExecutable(path: String, reason: String)
  case missingSharedLibrary(binary: String, library: String)
  case invalidReference(String, reason: String)
  case invalidTag(String)
  case invalidLayerPath(String, reason: String)
  case invalidSourceDate(String, reason: String)
  case registryNotSupported(String)
  case cancelled(String)

  public var description: String {
    switch self {
    case .invalidDigest(let text):
      return "'\(text)' is not a digest: expected sha256: followed by 64 lowercase hex digits"
    case .encodingFailed(let type, let reason):
      return "could not encode \(type) as JSON: \(reason)"
    case .malformedJSON(let path, let expected, let reason):
      return "\(path): not a valid \(expected): \(reason); rewrite or remove the file"
    case .fileSystem(let path, let operation, let reason):
      return "\(path): could not \(operation): \(reason)"
    case .compressionFailed(let path, let reason):
      return "\(path): gzip compression failed: \(reason)"
    case .notAnImageLayout(let path, let reason):
      return
        "\(path) is not an OCI image layout (\(reason)); a base must be a layout written by tripgen, "
        + "skopeo or umoci, and a destination a layout or a new or empty directory"
    case .tagNotFound(let layout, let tag, let available):
      let known =
        available.isEmpty ? "it has no tags" : "its tags: \(available.joined(separator: ", "))"
      return "oci:\(layout) has no image tagged '\(tag)' (\(known))"
    case .blobMissing(let layout, let digest):
      return
        "\(layout)/blobs/sha256/\(digest.hex) is missing: the layout is incomplete; copy the image "
        + "into it again (skopeo copy)"
    case .blobDigestMismatch(let path, let expected, let actual):
      return
        "\(path) does not match its name: expected \(expected), found \(actual); the blob is corrupt"
    case .unsupportedMediaType(let path, let mediaType):
      return
        "\(path): media type \(mediaType) is not supported here; expected an OCI or Docker schema 2 "
        + "single-platform image with gzip layers"
    case .platformMismatch(let base, let basePlatform, let target):
      return
        "base \(base) is for \(basePlatform) but the image is built for \(target); use a \(target) base"
    case .commandNotFound(let command):
      return "\(command) was not found on PATH; install it (see scripts/packages.txt)"
    case .commandFailed(let command, let status, let lastLines):
      return "`\(command)` exited with status \(status):\n" + lastLines.joined(separator: "\n")
    case .swiftBuildFailed(let product, let status, let lastLines):
      return
        "swift build of product '\(product)' failed with status \(status); fix the build and run "
        + "again. Last lines of its output:\n" + lastLines.joined(separator: "\n")
    case .productNotFound(let product, let path):
      return
        "swift build reported success but \(path) does not exist: is '\(product)' an executable "
        + "product of this package?"
    case .notAnELFExecutable(let path, let reason):
      return "\(path) is not a Linux ELF executable (\(reason)); the host-runtime base needs one"
    case .missingSharedLibrary(let binary, let library):
      return
        "\(binary) needs \(library) but ldd cannot find it on this machine; install the package "
        + "that provides it, or use --base scratch with a fully static binary"
    case .invalidReference(let text, let reason):
      return "'\(text)' is not an image reference: \(reason)"
    case .invalidTag(let tag):
      return
        "'\(tag)' is not a valid tag: use up to 128 letters, digits, '_', '.' and '-', not starting "
        + "with '.' or '-'"
    case .invalidLayerPath(let path, let reason):
      return "'\(path)' cannot be put in a layer: \(reason)"
    case .invalidSourceDate(let value, let reason):
      return "no creation time from \(value): \(reason)"
    case .cancelled(let work):
      return "\(work) was cancelled"
    case .registryNotSupported(let reference):
      return
        "\(reference): pushing to a registry is not implemented yet; write to a layout with "
        + "--to oci:DIR:TAG and copy it with `skopeo copy oci:DIR:TAG docker://\(reference)`"
    }
  }
}
