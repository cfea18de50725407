/// Why a kubeconfig or in-cluster configuration could not be used, naming the file and field.
public enum KubeConfigError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The file could not be read.
  case unreadable(file: String, reason: String)
  /// The file is not valid YAML, or not a kubeconfig.
  case malformed(file: String, reason: String)
  /// A field has the wrong type or an unusable value.
  case invalidField(file: String, field: String, reason: String)
  /// No context was given and the kubeconfig names no current-context.
  case noCurrentContext(files: [String])
  /// The context, or the cluster or user it names, is not defined in any of the files.
  case notDefined(what: String, name: String, files: [String])
  /// No kubeconfig was found and the process is not running in a cluster.
  case noConfiguration(searched: [String])
  /// In-cluster configuration is incomplete.
  case inCluster(reason: String)

  public var description: String {
    switch self {
    case .unreadable(let file, let reason):
      return
        "\(file): cannot read the kubeconfig: \(reason); check the path given by --kubeconfig or KUBECONFIG"
    case .malformed(let file, let reason):
      return "\(file): not a valid kubeconfig: \(reason)"
    case .invalidField(let file, let field, let reason):
      return "\(file): \(field): \(reason)"
    case .noCurrentContext(let files):
      return "no current-context is set in \(files.joined(separator: ", ")); pass --context NAME"
    case .notDefined(let what, let name, let files):
      return
        "\(what) \"\(name)\" is not defined in \(files.joined(separator: ", ")); check its name or the KUBECONFIG files"
    case .noConfiguration(let searched):
      return
        "no Kubernetes configuration: none of \(searched.joined(separator: ", ")) exists and KUBERNETES_SERVICE_HOST is not set; pass --kubeconfig FILE"
    case .inCluster(let reason):
      return "in-cluster configuration: \(reason)"
    }
  }
}
