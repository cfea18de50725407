import Foundation

/// Where an Entra ID (Azure AD) credential for Azure Container Registry comes from.
public enum EntraCredentialSource: Sendable, Equatable, CustomStringConvertible {
  /// An Entra ID access token obtained elsewhere (`AZURE_ACCESS_TOKEN`), for example with
  /// `az account get-access-token --resource https://containerregistry.azure.net`.
  case accessToken(String, tenantID: String?)
  /// A Kubernetes workload identity: a federated token in a file that is refreshed in place,
  /// presented as the client assertion of a client-credentials grant.
  case workloadIdentity(WorkloadIdentity)
  /// A GitHub Actions job's OIDC token (the job needs `permissions: id-token: write`), requested
  /// for the audience `api://AzureADTokenExchange` and presented as the client assertion.
  case gitHubActions(GitHubActionsOIDC, application: EntraApplication)
  /// The output of `az acr login --expose-token`: its `accessToken` is already an ACR refresh
  /// token, so no exchange is needed.
  case acrRefreshToken(String)

  /// The application (client) an assertion authenticates as, and where to ask for tokens.
  public struct EntraApplication: Sendable, Equatable {
    public var clientID: String
    public var tenantID: String
    /// `https://login.microsoftonline.com/` unless `AZURE_AUTHORITY_HOST` says otherwise.
    public var authorityHost: URL

    public init(clientID: String, tenantID: String, authorityHost: URL = defaultAuthorityHost) {
      self.clientID = clientID
      self.tenantID = tenantID
      self.authorityHost = authorityHost
    }

    /// `{authority}/{tenant}/oauth2/v2.0/token`.
    public var tokenEndpoint: URL {
      var base = authorityHost.absoluteString
      if !base.hasSuffix("/") { base += "/" }
      return URL(string: base + tenantID + "/oauth2/v2.0/token")!
    }
  }

  /// `AZURE_FEDERATED_TOKEN_FILE` with the application it authenticates as.
  public struct WorkloadIdentity: Sendable, Equatable {
    public var tokenFile: String
    public var application: EntraApplication

    public init(tokenFile: String, application: EntraApplication) {
      self.tokenFile = tokenFile
      self.application = application
    }
  }

  /// `ACTIONS_ID_TOKEN_REQUEST_URL` and `ACTIONS_ID_TOKEN_REQUEST_TOKEN`.
  public struct GitHubActionsOIDC: Sendable, Equatable {
    public var requestURL: URL
    public var requestToken: String

    public init(requestURL: URL, requestToken: String) {
      self.requestURL = requestURL
      self.requestToken = requestToken
    }
  }

  public static let defaultAuthorityHost = URL(string: "https://login.microsoftonline.com/")!
  /// The scope of an Entra token for ACR's exchange.
  public static let registryScope = "https://containerregistry.azure.net/.default"
  /// The audience GitHub's OIDC token is requested for, as Entra's federated credentials expect.
  public static let gitHubAudience = "api://AzureADTokenExchange"

  /// The tenant to name at ACR's exchange, when known.
  var tenantID: String? {
    switch self {
    case .accessToken(_, let tenantID): return tenantID
    case .workloadIdentity(let identity): return identity.application.tenantID
    case .gitHubActions(_, let application): return application.tenantID
    case .acrRefreshToken: return nil
    }
  }

  public var description: String {
    switch self {
    case .accessToken: return "access token from AZURE_ACCESS_TOKEN"
    case .workloadIdentity(let identity):
      return "workload identity \(identity.application.clientID) via \(identity.tokenFile)"
    case .gitHubActions(_, let application):
      return "GitHub Actions OIDC as \(application.clientID)"
    case .acrRefreshToken: return "az acr login --expose-token output"
    }
  }

  /// The first source the environment provides, in this order:
  /// 1. `TRIPGEN_ACR_TOKEN_FILE`: a file (or `-` for standard input) holding the JSON that
  ///    `az acr login --name NAME --expose-token` prints;
  /// 2. `AZURE_ACCESS_TOKEN` (with `AZURE_TENANT_ID` when set);
  /// 3. `AZURE_FEDERATED_TOKEN_FILE` with `AZURE_CLIENT_ID`, `AZURE_TENANT_ID` and optionally
  ///    `AZURE_AUTHORITY_HOST` (what AKS workload identity injects);
  /// 4. `ACTIONS_ID_TOKEN_REQUEST_URL` and `ACTIONS_ID_TOKEN_REQUEST_TOKEN` (a GitHub Actions job
  ///    with `id-token: write`) with `AZURE_CLIENT_ID` and `AZURE_TENANT_ID`.
  ///
  /// Nil when none is set; an incomplete one (a token file without a client id) is an error
  /// naming the missing variable. Reading standard input blocks until it ends.
  public static func fromEnvironment(_ environment: [String: String]) throws(RegistryError)
    -> EntraCredentialSource?
  {
    func value(_ name: String) -> String? {
      environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
    func required(_ name: String, for source: String) throws(RegistryError) -> String {
      guard let found = value(name) else {
        throw .invalidEntraConfiguration(reason: "\(source) is set but \(name) is not")
      }
      return found
    }
    func application(for source: String) throws(RegistryError) -> EntraApplication {
      let authority: URL
      if let host = value("AZURE_AUTHORITY_HOST") {
        guard let url = URL(string: host), url.scheme != nil, url.host != nil else {
          throw .invalidEntraConfiguration(
            reason:
              "AZURE_AUTHORITY_HOST '\(host)' is not a URL like https://login.microsoftonline.com/")
        }
        authority = url
      } else {
        authority = defaultAuthorityHost
      }
      return EntraApplication(
        clientID: try required("AZURE_CLIENT_ID", for: source),
        tenantID: try required("AZURE_TENANT_ID", for: source), authorityHost: authority)
    }

    if let path = value("TRIPGEN_ACR_TOKEN_FILE") {
      let data: Data?
      if path == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
      } else {
        data = FileManager.default.contents(atPath: path)
      }
      guard let data else {
        throw .invalidCredentialsFile(
          path: path, reason: "it cannot be read (TRIPGEN_ACR_TOKEN_FILE)")
      }
      return .acrRefreshToken(
        try exposedToken(in: data, path: path == "-" ? "standard input" : path))
    }
    if let token = value("AZURE_ACCESS_TOKEN") {
      return .accessToken(token, tenantID: value("AZURE_TENANT_ID"))
    }
    if let file = value("AZURE_FEDERATED_TOKEN_FILE") {
      return .workloadIdentity(
        WorkloadIdentity(
          tokenFile: file, application: try application(for: "AZURE_FEDERATED_TOKEN_FILE")))
    }
    if let requestURL = value("ACTIONS_ID_TOKEN_REQUEST_URL") {
      let token = try required(
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN", for: "ACTIONS_ID_TOKEN_REQUEST_URL")
      guard let url = URL(string: requestURL), url.scheme != nil else {
        throw .invalidEntraConfiguration(
          reason: "ACTIONS_ID_TOKEN_REQUEST_URL is not a URL")
      }
      return .gitHubActions(
        GitHubActionsOIDC(requestURL: url, requestToken: token),
        application: try application(for: "ACTIONS_ID_TOKEN_REQUEST_URL"))
    }
    return nil
  }

  /// The `accessToken` of `az acr login --expose-token`'s JSON.
  static func exposedToken(in data: Data, path: String) throws(RegistryError) -> String {
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let token = object["accessToken"] as? String, !token.isEmpty
    else {
      throw .invalidCredentialsFile(
        path: path,
        reason: "expected the JSON of `az acr login --name NAME --expose-token` with an accessToken"
      )
    }
    return token
  }
}
