/// Printing a request, credentials or a configuration shows what they are, never the secrets in
/// them: tokens, passwords and private keys are replaced by `<redacted>`.
extension KubeRequest: CustomStringConvertible, CustomDebugStringConvertible {
  public var description: String {
    let shown = headers.map { header in
      header.name.lowercased() == "authorization"
        ? "\(header.name): \(header.value.split(separator: " ").first ?? "") <redacted>"
        : "\(header.name): \(header.value)"
    }
    return "\(method) \(KubeError.redacted(url)) [\(shown.joined(separator: ", "))]"
  }

  public var debugDescription: String { description }
}

extension KubeAuthentication: CustomStringConvertible, CustomDebugStringConvertible {
  public var description: String {
    switch self {
    case .none: return "none"
    case .token: return "token <redacted>"
    case .tokenFile(let path): return "token file \(path)"
    case .basic(let username, _): return "basic \(username):<redacted>"
    case .exec(let config): return "exec \(config.command)"
    }
  }

  public var debugDescription: String { description }
}

extension KubeTLSSettings: CustomStringConvertible, CustomDebugStringConvertible {
  public var description: String {
    var parts: [String] = []
    parts.append(certificateAuthorityPEM == nil ? "system CAs" : "custom CA")
    if insecureSkipVerify { parts.append("insecure-skip-tls-verify") }
    if let serverName { parts.append("server name \(serverName)") }
    if clientCertificatePEM != nil { parts.append("client certificate, key <redacted>") }
    return parts.joined(separator: ", ")
  }

  public var debugDescription: String { description }
}

extension KubeClientConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
  public var description: String {
    "\(KubeError.redacted(server)) as \(authentication) (TLS: \(tls)), namespace \(namespace)"
  }

  public var debugDescription: String { description }
}
