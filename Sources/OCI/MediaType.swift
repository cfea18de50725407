/// The OCI image media types this module writes and reads.
public enum MediaType {
  /// An image manifest: a config and an ordered list of layers.
  public static let imageManifest = "application/vnd.oci.image.manifest.v1+json"
  /// An image index: a list of manifests (the `index.json` of a layout has this shape).
  public static let imageIndex = "application/vnd.oci.image.index.v1+json"
  /// An image configuration: what to run, as whom, and the diff ids of the layers.
  public static let imageConfig = "application/vnd.oci.image.config.v1+json"
  /// A layer: a tar archive compressed with gzip.
  public static let layerTarGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
  /// A layer: an uncompressed tar archive (read from bases, never written).
  public static let layerTar = "application/vnd.oci.image.layer.v1.tar"
  /// Docker's schema 2 manifest, accepted when a base layout holds one.
  public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
  /// Docker's multi-platform manifest list, resolved like an OCI index when pulling a base.
  public static let dockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json"
  /// Docker's image config, accepted when a base holds one.
  public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
  /// Docker's gzip layer, accepted when a base layout holds one.
  public static let dockerLayerTarGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
}
