import Foundation

/// Decides what a GitHub webhook delivery does: checks the signature over the raw body, decodes
/// the event, and asks for a fetch of each watched source the push is about.
public struct WebhookReceiver: Sendable {
  /// A watched repository and branch, and how to ask it for a fetch.
  public struct Source: Sendable {
    public var repository: String
    public var branch: String
    public var coalescer: RefreshCoalescer

    public init(repository: String, branch: String, coalescer: RefreshCoalescer) {
      self.repository = repository
      self.branch = branch
      self.coalescer = coalescer
    }
  }

  /// The answer to a delivery.
  public struct Reply: Sendable, Equatable {
    public var status: Int
    public var result: WebhookResult
    public var message: String
  }

  /// Nil when no secret is configured: every delivery is then refused, since none can be
  /// verified.
  public let signature: WebhookSignature?
  public let sources: [Source]

  public init(signature: WebhookSignature?, sources: [Source]) {
    self.signature = signature
    self.sources = sources
  }

  /// Handles one delivery.
  public func receive(eventName: String?, signatureHeader: String?, body: [UInt8]) async -> Reply {
    guard let signature, signature.isValid(header: signatureHeader, body: body) else {
      return Reply(
        status: 401, result: .unauthorized,
        message: signatureHeader == nil
          ? "missing X-Hub-Signature-256" : "X-Hub-Signature-256 does not match the body")
    }
    let event: GitHubWebhookEvent
    do {
      event = try GitHubWebhookEvent.decode(eventName: eventName, body: body)
    } catch {
      return Reply(status: 400, result: .invalid, message: "\(error)")
    }
    switch event {
    case .ping:
      return Reply(status: 200, result: .ping, message: "pong")
    case .other(let name):
      return Reply(status: 202, result: .ignored, message: "event \(name) ignored")
    case .push(let ref, let after, let repository):
      let matching = sources.filter {
        repository.matches($0.repository) && ref == "refs/heads/" + $0.branch
      }
      guard !matching.isEmpty else {
        return Reply(
          status: 202, result: .ignored, message: "push to \(ref) of a source not watched here")
      }
      // A branch deletion carries the all-zero id: fetch anyway, the watcher reports the error.
      let wanted = after.allSatisfy { $0 == "0" } ? nil : after
      for source in matching { await source.coalescer.request(after: wanted) }
      return Reply(status: 202, result: .accepted, message: "fetch requested for \(ref)")
    }
  }
}
