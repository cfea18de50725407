import Environments
import Foundation
import OCI
import Registry

/// Where an environment's images live, with the one credential chain every front end uses:
/// credentials given by the caller (the CI step's `TRIPGEN_REGISTRY_USERNAME`/`_PASSWORD`), else
/// what ``RegistryCredentialStore`` finds (Entra ID from GitHub's OIDC token or a workload
/// identity for ACR, which refuses anonymous pulls by default; `~/.docker/config.json` and its
/// helpers), else anonymous.
public struct ImageStores: Sendable {
  /// The directory a relative `spec.registry.layout` is under; nil where there is no working
  /// tree (the controller's pod), so a layout's images stay bound by tag.
  public var root: String?
  /// Credentials that win over the chain.
  public var credentials: RegistryCredentials?
  /// Registries reached over plain HTTP besides those the environment marks `insecure`.
  public var insecureHosts: Set<String>
  /// The variables the chain reads (the process's by default).
  public var processEnvironment: [String: String]

  public init(
    root: String?, credentials: RegistryCredentials? = nil, insecureHosts: Set<String> = [],
    processEnvironment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.root = root
    self.credentials = credentials
    self.insecureHosts = insecureHosts
    self.processEnvironment = processEnvironment
  }

  /// The store of `environment`'s images: its OCI layout (under ``root``) or its registry; nil
  /// when it names neither (or a layout and there is no working tree).
  public func store(for environment: Environment) async throws(RegistryError)
    -> (any ImageStore)?
  {
    let registry = environment.spec.registry
    if let layout = registry.layout {
      guard let root else { return nil }
      return LayoutImageStore(directory: layout.hasPrefix("/") ? layout : root + "/" + layout)
    }
    guard let host = registry.host else { return nil }
    return RegistryClient(
      registry: host,
      configuration: RegistryClientConfiguration(
        authentication: try await authentication(for: host),
        insecureHosts: registry.insecure == true ? insecureHosts.union([host]) : insecureHosts))
  }

  /// The authentication for `host`, first match of the chain.
  public func authentication(for host: String) async throws(RegistryError)
    -> RegistryAuthentication
  {
    if let credentials { return .basic(credentials) }
    return try await RegistryCredentialStore.authentication(
      for: host, environment: processEnvironment)
  }
}
