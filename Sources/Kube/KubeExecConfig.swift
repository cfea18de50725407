import YAML

/// An exec credential plugin (`users[].user.exec`), such as `kubelogin` for AKS with Entra ID.
public struct KubeExecConfig: Sendable, Equatable {
  public var apiVersion: String
  /// The program; a relative path with a slash is taken from the kubeconfig's directory.
  public var command: String
  public var args: [String]
  public var env: [(name: String, value: String)]
  public var provideClusterInfo: Bool
  public var installHint: String?

  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.apiVersion == rhs.apiVersion && lhs.command == rhs.command && lhs.args == rhs.args
      && lhs.env.map(\.name) == rhs.env.map(\.name) && lhs.env.map(\.value) == rhs.env.map(\.value)
      && lhs.provideClusterInfo == rhs.provideClusterInfo
  }

  public init(
    apiVersion: String = "client.authentication.k8s.io/v1", command: String, args: [String] = [],
    env: [(name: String, value: String)] = [], provideClusterInfo: Bool = false,
    installHint: String? = nil
  ) {
    self.apiVersion = apiVersion
    self.command = command
    self.args = args
    self.env = env
    self.provideClusterInfo = provideClusterInfo
    self.installHint = installHint
  }

  init(_ value: JSONValue, reader: FieldReader, field: String, directory: String)
    throws(KubeConfigError)
  {
    apiVersion = try reader.requiredString(value["apiVersion"], "\(field).apiVersion")
    guard
      ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"].contains(
        apiVersion)
    else {
      throw .invalidField(
        file: reader.file, field: "\(field).apiVersion",
        reason: "\(apiVersion) is not supported; use client.authentication.k8s.io/v1")
    }
    var command = try reader.requiredString(value["command"], "\(field).command")
    if command.contains("/") { command = KubeConfig.resolve(command, against: directory) }
    self.command = command
    var args: [String] = []
    for (index, arg) in try reader.list(value["args"], "\(field).args").enumerated() {
      args.append(try reader.requiredString(arg, "\(field).args[\(index)]"))
    }
    self.args = args
    var env: [(name: String, value: String)] = []
    for (index, entry) in try reader.list(value["env"], "\(field).env").enumerated() {
      env.append(
        (
          try reader.requiredString(entry["name"], "\(field).env[\(index)].name"),
          try reader.string(entry["value"], "\(field).env[\(index)].value") ?? ""
        ))
    }
    self.env = env
    provideClusterInfo = try reader.bool(value["provideClusterInfo"], "\(field).provideClusterInfo")
    installHint = try reader.string(value["installHint"], "\(field).installHint")
  }
}
