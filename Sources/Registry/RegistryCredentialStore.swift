import Foundation

/// Where credentials for a registry come from, first match wins:
/// `TRIPGEN_REGISTRY_USERNAME`/`TRIPGEN_REGISTRY_PASSWORD`, then the `auths` entry for the host
/// in `~/.docker/config.json` (or `$DOCKER_CONFIG/config.json`), whose `auth` is base64
/// `user:password`.
///
/// Not yet supported (TODO): `credHelpers`/`credsStore` programs, and ACR's Entra ID exchange
/// (`/oauth2/exchange` with an AAD access token); an entry that only names a helper is ignored.
public enum RegistryCredentialStore {
  /// The credentials for `registry` (`host[:port]`), or nil for anonymous access.
  public static func credentials(
    for registry: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(RegistryError) -> RegistryCredentials? {
    if let username = environment["TRIPGEN_REGISTRY_USERNAME"], !username.isEmpty,
      let password = environment["TRIPGEN_REGISTRY_PASSWORD"]
    {
      return RegistryCredentials(username: username, password: password)
    }
    let directory =
      environment["DOCKER_CONFIG"] ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.docker"
    let path = directory + "/config.json"
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return try credentials(for: registry, dockerConfig: data, path: path)
  }

  /// The credentials for `registry` in a Docker `config.json`'s `auths`.
  public static func credentials(for registry: String, dockerConfig data: Data, path: String)
    throws(RegistryError) -> RegistryCredentials?
  {
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw .invalidCredentialsFile(path: path, reason: "it is not a JSON object")
    }
    guard let auths = object["auths"] as? [String: Any] else { return nil }
    // Docker Hub is stored under its legacy URL; other keys may carry a scheme or a path.
    let wanted = registry == "docker.io" ? "index.docker.io" : registry
    let match = auths.first { key, _ in
      var host = key
      for scheme in ["https://", "http://"] where host.hasPrefix(scheme) {
        host = String(host.dropFirst(scheme.count))
      }
      host = String(host.prefix { $0 != "/" })
      return host == wanted
    }
    guard let entry = match?.value as? [String: Any] else { return nil }
    if let auth = entry["auth"] as? String, !auth.isEmpty {
      guard let decoded = Data(base64Encoded: auth).flatMap({ String(data: $0, encoding: .utf8) }),
        let colon = decoded.firstIndex(of: ":")
      else {
        throw .invalidCredentialsFile(
          path: path, reason: "auths.\(match!.key).auth is not base64 of user:password")
      }
      return RegistryCredentials(
        username: String(decoded[..<colon]),
        password: String(decoded[decoded.index(after: colon)...]))
    }
    if let username = entry["username"] as? String, let password = entry["password"] as? String {
      return RegistryCredentials(username: username, password: password)
    }
    return nil
  }
}
