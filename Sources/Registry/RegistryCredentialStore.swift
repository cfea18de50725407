import Blocking
import Foundation

/// Where the authentication for a registry comes from, first match wins:
/// 1. `TRIPGEN_REGISTRY_USERNAME` and `TRIPGEN_REGISTRY_PASSWORD`;
/// 2. an Entra ID credential from the environment (`EntraCredentialSource.fromEnvironment`), for
///    an Azure Container Registry (`*.azurecr.io` and the sovereign clouds' suffixes) or any
///    registry when `TRIPGEN_REGISTRY_AUTH=entra`;
/// 3. `~/.docker/config.json` (or `$DOCKER_CONFIG/config.json`), as Docker reads it: the
///    `credHelpers` entry for the host names a `docker-credential-<name>` program; else the
///    `auths` entry (`auth` is base64 `user:password`; `identitytoken` is a refresh token);
///    else the `credsStore` program;
/// 4. anonymous access.
public enum RegistryCredentialStore {
  /// The host suffixes of Azure Container Registry in Azure's clouds.
  static let acrSuffixes = [".azurecr.io", ".azurecr.cn", ".azurecr.us"]

  /// The authentication for `registry` (`host[:port]`). Helper programs run on a thread of
  /// their own.
  public static func authentication(
    for registry: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) async throws(RegistryError) -> RegistryAuthentication {
    if let username = environment["TRIPGEN_REGISTRY_USERNAME"], !username.isEmpty,
      let password = environment["TRIPGEN_REGISTRY_PASSWORD"]
    {
      return .basic(RegistryCredentials(username: username, password: password))
    }
    let host = String(registry.prefix { $0 != ":" })
    let wantsEntra =
      environment["TRIPGEN_REGISTRY_AUTH"] == "entra"
      || acrSuffixes.contains { host.hasSuffix($0) }
    if wantsEntra {
      let source = try await offPool { () throws(RegistryError) in
        try EntraCredentialSource.fromEnvironment(environment)
      }
      if let source { return .entra(source) }
      if environment["TRIPGEN_REGISTRY_AUTH"] == "entra" {
        throw .invalidEntraConfiguration(
          reason: "TRIPGEN_REGISTRY_AUTH=entra, but none of TRIPGEN_ACR_TOKEN_FILE, "
            + "AZURE_ACCESS_TOKEN, AZURE_FEDERATED_TOKEN_FILE or ACTIONS_ID_TOKEN_REQUEST_URL is set"
        )
      }
    }
    let directory =
      environment["DOCKER_CONFIG"] ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.docker"
    let path = directory + "/config.json"
    let data = await offPool { FileManager.default.contents(atPath: path) }
    guard let data else { return .anonymous }
    return try await authentication(
      for: registry, dockerConfig: data, path: path,
      searchPath: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
  }

  /// The authentication a Docker `config.json` gives for `registry`, running the helper
  /// programs it names (looked for on `searchPath`).
  public static func authentication(
    for registry: String, dockerConfig data: Data, path: String, searchPath: String
  ) async throws(RegistryError) -> RegistryAuthentication {
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw .invalidCredentialsFile(path: path, reason: "it is not a JSON object")
    }
    // Docker Hub is stored under its legacy URL; other keys may carry a scheme or a path.
    let wanted = registry == "docker.io" ? "index.docker.io" : registry
    let serverURL = registry == "docker.io" ? "https://index.docker.io/v1/" : registry
    func entry(in section: String) -> (key: String, value: Any)? {
      guard let map = object[section] as? [String: Any] else { return nil }
      return map.first { key, _ in hostPart(of: key) == wanted }
    }
    if let helper = entry(in: "credHelpers") {
      guard let name = helper.value as? String, !name.isEmpty else {
        throw .invalidCredentialsFile(
          path: path, reason: "credHelpers.\(helper.key) is not the name of a helper")
      }
      let found = try await DockerCredentialHelper(name: name, searchPath: searchPath)
        .get(serverURL: serverURL)
      return found ?? .anonymous
    }
    if let match = entry(in: "auths"), let fields = match.value as? [String: Any],
      let found = try authentication(in: fields, key: match.key, path: path)
    {
      return found
    }
    if let store = object["credsStore"] as? String, !store.isEmpty {
      let found = try await DockerCredentialHelper(name: store, searchPath: searchPath)
        .get(serverURL: serverURL)
      return found ?? .anonymous
    }
    return .anonymous
  }

  /// The credentials of an `auths` entry; nil when it holds none (Docker leaves empty entries
  /// behind when a helper stores the secret).
  private static func authentication(in entry: [String: Any], key: String, path: String)
    throws(RegistryError) -> RegistryAuthentication?
  {
    if let token = entry["identitytoken"] as? String, !token.isEmpty {
      return .identityToken(token)
    }
    if let auth = entry["auth"] as? String, !auth.isEmpty {
      guard let decoded = Data(base64Encoded: auth).flatMap({ String(data: $0, encoding: .utf8) }),
        let colon = decoded.firstIndex(of: ":")
      else {
        throw .invalidCredentialsFile(
          path: path, reason: "auths.\(key).auth is not base64 of user:password")
      }
      return .basic(
        RegistryCredentials(
          username: String(decoded[..<colon]),
          password: String(decoded[decoded.index(after: colon)...])))
    }
    if let username = entry["username"] as? String, let password = entry["password"] as? String {
      return .basic(RegistryCredentials(username: username, password: password))
    }
    return nil
  }

  /// `https://host:port/v1/` → `host:port`.
  private static func hostPart(of key: String) -> String {
    var host = key
    for scheme in ["https://", "http://"] where host.hasPrefix(scheme) {
      host = String(host.dropFirst(scheme.count))
    }
    return String(host.prefix { $0 != "/" })
  }
}
