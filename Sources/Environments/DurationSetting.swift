import Sprig

/// A setting written as a Go duration (`90s`, `1m30s`, `1.5h`, `300ms`), the format Kubernetes and Argo
/// CD users write durations in; parsed by the same `time.ParseDuration` port the templates use.
public enum DurationSetting {
  /// The duration in seconds; `field` names the setting in the error. Negative durations are refused.
  public static func seconds(_ text: String, field: String) throws(EnvironmentError) -> Double {
    guard let nanoseconds = try? GoDuration.parse(text), nanoseconds >= 0 else {
      throw .invalidDuration(field: field, text: text)
    }
    return Double(nanoseconds) / 1e9
  }
}
