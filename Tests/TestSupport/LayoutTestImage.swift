import Foundation
import OCI

/// Images written into an OCI layout with the OCI module's writers, standing for built services.
public enum LayoutTestImage {
  /// Writes an image without layers into the layout at `path` (created when absent), tagged `tag`;
  /// `label` makes images differ. Returns the manifest's digest.
  public static func write(layout path: String, tag: String, label: String) throws -> Digest {
    let layout =
      FileManager.default.fileExists(atPath: path + "/oci-layout")
      ? try ImageLayout.open(at: path) : try ImageLayout.create(at: path)
    let configuration = ImageConfiguration(
      created: "2026-01-01T00:00:00Z", platform: Platform(architecture: "amd64", os: "linux"),
      config: RuntimeConfiguration(
        user: "65532:65532", exposedPorts: nil, env: ["PATH=/usr/bin"], entrypoint: ["/x"],
        workingDir: "/", labels: ["image": label], stopSignal: nil),
      diffIDs: [])
    let config = try layout.writeBlob(
      try CanonicalJSON.encode(configuration), mediaType: MediaType.imageConfig)
    let manifest = try layout.writeBlob(
      try CanonicalJSON.encode(ImageManifest(config: config, layers: [])),
      mediaType: MediaType.imageManifest)
    try layout.tag(manifest, as: tag)
    return manifest.digest
  }
}
