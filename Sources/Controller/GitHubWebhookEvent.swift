import Foundation
import Kube
import YAML

/// A GitHub webhook delivery, reduced to what the controller acts on.
public enum GitHubWebhookEvent: Sendable, Equatable {
  /// `push`: `ref` moved to `after` in the repository known by these URLs and full name.
  case push(ref: String, after: String, repository: RepositoryIdentity)
  /// `ping`: sent once when the webhook is created; answered so GitHub shows it as working.
  case ping(zen: String?)
  /// Any other event (`pull_request`, `issues`, ...): acknowledged and ignored.
  case other(name: String)

  /// The names by which a payload identifies its repository.
  public struct RepositoryIdentity: Sendable, Equatable {
    /// `owner/name`.
    public var fullName: String?
    /// `clone_url`, `ssh_url`, `git_url`, `html_url` (whichever are present).
    public var urls: [String]

    public init(fullName: String?, urls: [String]) {
      self.fullName = fullName
      self.urls = urls
    }

    /// Whether `repository` (an environment's `spec.source.repository`) names this repository:
    /// URLs compared without scheme, user, `.git` suffix or case (`git@github.com:o/r` and
    /// `https://github.com/o/r.git` are the same repository).
    public func matches(_ repository: String) -> Bool {
      let wanted = Self.normalize(repository)
      return urls.contains { Self.normalize($0) == wanted }
    }

    /// `github.com/owner/name` for any of GitHub's URL spellings.
    static func normalize(_ url: String) -> String {
      var text = url.trimmingCharacters(in: .whitespaces).lowercased()
      if let scheme = text.range(of: "://") { text = String(text[scheme.upperBound...]) }
      if let at = text.firstIndex(of: "@"), !text[..<at].contains("/") {
        text = String(text[text.index(after: at)...])
      }
      // scp-like `host:owner/name` (ssh) becomes `host/owner/name`; a `host:port/` stays.
      if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") {
        let rest = text[text.index(after: colon)...]
        if !(rest.first?.isNumber ?? false) { text = text[..<colon] + "/" + rest }
      }
      while text.hasSuffix("/") { text.removeLast() }
      if text.hasSuffix(".git") { text.removeLast(4) }
      return text
    }
  }
}

extension GitHubWebhookEvent {
  /// Decodes a delivery from its `X-GitHub-Event` header and JSON body.
  public static func decode(eventName: String?, body: [UInt8]) throws(ControllerError) -> Self {
    guard let eventName, !eventName.isEmpty else {
      throw .invalidWebhook("the X-GitHub-Event header is missing")
    }
    switch eventName {
    case "push":
      let payload = try json(body)
      guard let ref = payload["ref"]?.stringValue, let after = payload["after"]?.stringValue else {
        throw .invalidWebhook("a push payload must have \"ref\" and \"after\"")
      }
      let repository = payload["repository"]
      let urls = ["clone_url", "ssh_url", "git_url", "html_url", "url"].compactMap {
        repository?[$0]?.stringValue
      }
      return .push(
        ref: ref, after: after,
        repository: RepositoryIdentity(
          fullName: repository?["full_name"]?.stringValue, urls: urls))
    case "ping":
      return .ping(zen: try json(body)["zen"]?.stringValue)
    default:
      return .other(name: eventName)
    }
  }

  private static func json(_ body: [UInt8]) throws(ControllerError) -> JSONValue {
    do {
      return try KubeJSON.decode(body)
    } catch {
      throw .invalidWebhook("the body is not JSON: \(error)")
    }
  }
}
