import Registry

/// What one `tripgen ci` run does.
public struct CIOptions: Sendable {
  /// The environment's name (`environments/<name>/environment.yaml`).
  public var environment: String
  /// The repository root: the Git repository the run builds from, and the SwiftPM package.
  public var repositoryPath: String
  /// The images to consider (all of the environment's when nil).
  public var services: [String]?
  /// Push built images to the registry; without it they stay in the local build layout.
  public var push: Bool
  /// Apply the plan to the cluster (push-style delivery).
  public var sync: Bool
  /// The commit to build; `GITHUB_SHA` when set, else `HEAD`.
  public var revision: String?
  /// Registry credentials (from a secret, or exchanged from an OIDC token); nil for anonymous or
  /// `~/.docker/config.json`.
  public var registryCredentials: RegistryCredentials?
  /// Registries to reach over plain HTTP besides loopback.
  public var insecureRegistries: Set<String>
  /// The kubeconfig file (default search when nil) and an override of the environment's context.
  public var kubeconfig: String?
  public var kubeContext: String?
  /// The process environment (GitHub's variables, `KUBECONFIG`, `HOME`).
  public var processEnvironment: [String: String]

  public init(
    environment: String, repositoryPath: String, services: [String]? = nil, push: Bool = true,
    sync: Bool = false, revision: String? = nil, registryCredentials: RegistryCredentials? = nil,
    insecureRegistries: Set<String> = [], kubeconfig: String? = nil, kubeContext: String? = nil,
    processEnvironment: [String: String] = [:]
  ) {
    self.environment = environment
    self.repositoryPath = repositoryPath
    self.services = services
    self.push = push
    self.sync = sync
    self.revision = revision
    self.registryCredentials = registryCredentials
    self.insecureRegistries = insecureRegistries
    self.kubeconfig = kubeconfig
    self.kubeContext = kubeContext
    self.processEnvironment = processEnvironment
  }
}
