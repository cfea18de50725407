import GoNumbers
import GoTemplate
import YAML

/// Everything that can go wrong loading, configuring and rendering a chart. Each case names the
/// file (and line and column where there is one) and says what is wrong, worded as Helm words
/// it where Helm users would recognise the message.
public enum HelmError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A file of the chart is missing or malformed (`Chart.yaml`, `values.yaml`, a subchart).
  case invalidChart(file: String, message: String)
  /// The chart could not be read from disk.
  case unreadable(path: String, message: String)
  /// A values file given by the user is not valid YAML or not a mapping.
  case invalidValues(file: String, message: String)
  /// The values give a subchart's section (`key`) a value that is not a table.
  case typeMismatch(key: String, value: JSONValue)
  /// A `--set`-style expression is malformed.
  case invalidSet(expression: String, message: String)
  /// Values break the JSON Schemas of the charts: one line per chart and violation.
  case schema(String)
  /// A template does not parse: `location` is `file:line`.
  case parse(location: String, message: String)
  /// A template failed while executing; `message` is Helm's rendering of the Go error chain,
  /// which starts with `file:line:column`.
  case execution(String)
  /// A rendered document is not valid YAML: the template, the parser's message and the
  /// rendered text around the problem.
  case renderedYAML(template: String, message: String, excerpt: String)
  /// `--show-only` named a template that produced nothing.
  case templateNotFound(String)
  /// A `--kube-version` argument is not a version.
  case invalidKubeVersion(String)
  /// The release name is not a DNS-1123 subdomain of at most 53 characters.
  case invalidReleaseName(String)
  /// `Chart.yaml` names dependencies that are not under `charts/`.
  case missingDependencies([String])
  /// The chart is a library chart, which has nothing to install.
  case notInstallable(type: String)
  /// A chart's `kubeVersion` does not accept the target Kubernetes version.
  case incompatibleKubeVersion(required: String, actual: String)

  public var description: String {
    switch self {
    case .invalidChart(let file, let message):
      return "\(file): invalid chart: \(message)"
    case .unreadable(let path, let message):
      return "\(path): cannot read chart: \(message)"
    case .invalidValues(let file, let message):
      return "failed to parse \(file): \(message)"
    case .typeMismatch(let key, let value):
      // Helm formats the value with Go's %t verb, which only booleans satisfy.
      let shown: String
      switch value {
      case .bool(let flag): shown = flag ? "true" : "false"
      case .string(let text): shown = "%!t(string=\(text))"
      case .int(let int): shown = "%!t(int64=\(int))"
      case .double(let double): shown = "%!t(float64=\(GoFloat.jsonText(double)))"
      case .array: shown = "[...]"
      default: shown = "%!t(<nil>)"
      }
      return "type mismatch on \(key): \(shown)"
    case .invalidSet(let expression, let message):
      return "failed parsing --set data: \(message) (in \(expression.debugDescription))"
    case .schema(let details):
      return "values don't meet the specifications of the schema(s) in the following chart(s):\n"
        + details
    case .parse(let location, let message):
      return "parse error at (\(location)): \(message)"
    case .execution(let message):
      return message
    case .renderedYAML(let template, let message, let excerpt):
      return "YAML parse error on \(template): \(message)\n\nThe rendered document:\n\(excerpt)"
    case .templateNotFound(let name):
      return "could not find template \(name) in chart"
    case .invalidReleaseName(let name):
      if name.isEmpty { return "release name \"\": no name provided" }
      return "release name \(goQuote(name)): invalid release name, must match regex "
        + "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length "
        + "must not be longer than 53"
    case .missingDependencies(let names):
      return "found in Chart.yaml, but missing in charts/ directory: "
        + names.joined(separator: ", ") + " (unpack the dependency charts into charts/)"
    case .notInstallable(let type):
      return "\(type) charts are not installable"
    case .invalidKubeVersion(let text):
      return "invalid kube version '\(text)': write it as MAJOR.MINOR[.PATCH], e.g. v1.29.0"
    case .incompatibleKubeVersion(let required, let actual):
      return
        "chart requires kubeVersion: \(required) which is incompatible with Kubernetes \(actual)"
    }
  }
}
