/// A service image of the environment: which SwiftPM product it is built from, which repository
/// paths address its source (its tag changes only when one of them changes), and where in the
/// charts' values its reference goes.
public struct EnvironmentImage: Sendable, Equatable, Codable {
  /// The image's name in the environment (`user-service`).
  public var name: String
  /// The SwiftPM executable product (defaults to `name`).
  public var product: String?
  /// The repository inside the registry (defaults to `name`).
  public var repository: String?
  /// Repository paths (files or folders) whose content makes the image; their Git tree ids give the
  /// source-addressed tag.
  public var sourcePaths: [String]
  /// The base image: `host-runtime` (default), `scratch`, or an image reference.
  public var base: String?
  /// The dotted path of the image block in the chart values (`user-service.image`): its `registry`,
  /// `repository`, `tag` and `digest` keys are set from the build.
  public var values: String
  /// The release of the chart whose values receive the image (defaults to the first chart).
  public var chart: String?

  public init(
    name: String, product: String? = nil, repository: String? = nil, sourcePaths: [String],
    base: String? = nil, values: String, chart: String? = nil
  ) {
    self.chart = chart
    self.name = name
    self.product = product
    self.repository = repository
    self.sourcePaths = sourcePaths
    self.base = base
    self.values = values
  }

  /// The product to build.
  public var productName: String { product ?? name }
  /// The repository in the registry.
  public var repositoryName: String { repository ?? name }
  /// The base image name (`host-runtime` when none is given).
  public var baseName: String { base ?? "host-runtime" }
}
