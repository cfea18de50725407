import Foundation
import HTTPTypes
import Hummingbird

/// The HTTP surface: probes, metrics, the status page, the JSON API and the webhook. Reads need
/// no credentials (the Service is cluster-internal and the NetworkPolicy limits who reaches it);
/// write actions need the bearer token from the mounted file.
public enum ControllerRoutes {
  /// GitHub's payload limit.
  static let maxWebhookBytes = 25 * 1024 * 1024

  public static func router(for controller: Controller) -> Router<BasicRequestContext> {
    let router = Router()
    router.get("healthz") { _, _ in Response(status: .ok, body: .init(text: "ok\n")) }
    router.get("readyz") { _, _ in
      await controller.isReady
        ? Response(status: .ok, body: .init(text: "ready\n"))
        : Response(status: .serviceUnavailable, body: .init(text: "first reconcile pending\n"))
    }
    router.get("metrics") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
        body: .init(text: controller.metrics.exposition()))
    }
    router.get("/") { _, _ in
      let page = StatusPage.render(
        await controller.statuses(), isLeader: controller.isLeader,
        identity: controller.configuration.identity)
      return Response(
        status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(text: page))
    }
    router.get("api/v1/environments") { _, _ in
      json(await controller.statuses())
    }
    router.get("api/v1/environments/:name") { _, context in
      let name = context.parameters.get("name") ?? ""
      guard let status = await controller.status(of: name) else {
        return problem(.notFound, "no environment \(name)")
      }
      return json(status)
    }
    router.post("api/v1/environments/:name/sync") { request, context in
      guard controller.authorizes(request.headers[.authorization]) else {
        return problem(.unauthorized, "a bearer token is required for write actions")
      }
      let name = context.parameters.get("name") ?? ""
      guard let environment = controller.environment(named: name) else {
        return problem(.notFound, "no environment \(name)")
      }
      guard controller.isLeader else {
        return problem(.conflict, "this replica is a standby; ask the leader")
      }
      environment.requestSync()
      return problem(.accepted, "sync requested")
    }
    router.post("api/v1/environments/:name/rollback") { request, context in
      guard controller.authorizes(request.headers[.authorization]) else {
        return problem(.unauthorized, "a bearer token is required for write actions")
      }
      let name = context.parameters.get("name") ?? ""
      guard let environment = controller.environment(named: name) else {
        return problem(.notFound, "no environment \(name)")
      }
      guard let revision = request.uri.queryParameters.get("revision") else {
        return problem(.badRequest, "the revision query parameter is required")
      }
      do {
        try await environment.requestRollback(to: revision)
      } catch {
        return problem(.conflict, "\(error)")
      }
      return problem(.accepted, "rollback to \(revision) requested")
    }
    router.post("api/webhook") { request, _ in
      let buffer = try await request.body.collect(upTo: maxWebhookBytes)
      let reply = await controller.webhook.receive(
        eventName: request.headers[HTTPField.Name("X-GitHub-Event")!],
        signatureHeader: request.headers[HTTPField.Name("X-Hub-Signature-256")!],
        body: Array(buffer.readableBytesView))
      controller.metrics.recordWebhook(result: reply.result)
      return problem(HTTPResponse.Status(code: reply.status), reply.message)
    }
    return router
  }

  private static func json(_ value: some Encodable) -> Response {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    let data = (try? encoder.encode(value)) ?? Data("null".utf8)
    return Response(
      status: .ok, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  /// A small JSON body `{"message": ...}` with the status.
  private static func problem(_ status: HTTPResponse.Status, _ message: String) -> Response {
    let encoder = JSONEncoder()
    let data = (try? encoder.encode(["message": message])) ?? Data()
    return Response(
      status: status, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}

extension ResponseBody {
  init(text: String) {
    self.init(byteBuffer: ByteBuffer(string: text))
  }
}
