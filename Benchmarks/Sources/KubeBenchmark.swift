import ArgumentParser
import Foundation
import HTTP
import Kube
import TestSupport
import YAML

/// `tripgen-bench kube`: the Kube client against the in-process test API server over loopback
/// HTTP: server-side apply throughput (create, then unchanged re-apply), a paginated list, and
/// the client's time per request beside the server's own handling time and a bare HTTP GET.
struct KubeBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kube",
    abstract: "Kube client: apply and list throughput, per-request overhead over the server's time."
  )

  @Option(help: "Objects to apply.")
  var applyCount = 500

  @Option(help: "Objects to list.")
  var listCount = 5000

  @Option(help: "Page size for the list.")
  var pageSize = 500

  @Option(help: "Requests for the per-request overhead.")
  var requests = 1000

  func run() async throws {
    let server = try await KubeAPIServer()
    do {
      try await measure(server)
      await server.stop()
    } catch {
      await server.stop()
      throw error
    }
  }

  private func measure(_ server: KubeAPIServer) async throws {
    var configuration = KubeClientConfiguration(server: server.url, namespace: "bench")
    // The rate limit would measure itself; the benchmark measures the client.
    configuration.queriesPerSecond = 0
    let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
    _ = try await client.create([
      "apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "bench"],
    ])

    func deployment(_ index: Int) -> JSONValue {
      let name = String(format: "svc-%04d", index)
      return [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": [
          "name": .string(name), "labels": ["app": .string(name), "part-of": "tripgen"],
        ],
        "spec": [
          "replicas": 2, "selector": ["matchLabels": ["app": .string(name)]],
          "template": [
            "metadata": ["labels": ["app": .string(name)]],
            "spec": [
              "containers": [
                [
                  "name": "app", "image": .string("registry.example/\(name):1.0.0"),
                  "ports": [["containerPort": 8080, "name": "http"]],
                  "env": [
                    ["name": "MODE", "value": "production"], ["name": "PORT", "value": "8080"],
                  ],
                  "resources": ["requests": ["cpu": "100m", "memory": "128Mi"]],
                ]
              ]
            ],
          ],
        ],
      ]
    }
    let objects = (0..<applyCount).map(deployment)
    let serverBefore = server.handlingTime
    let create = try await Measurement.secondsAsync {
      for object in objects { _ = try await client.apply(object, fieldManager: "tripgen") }
    }
    let createServer = (server.handlingTime - serverBefore).asSeconds
    let unchangedBefore = server.handlingTime
    let reapply = try await Measurement.secondsAsync {
      for object in objects {
        let result = try await client.apply(object, fieldManager: "tripgen")
        precondition(!result.created)
      }
    }
    let reapplyServer = (server.handlingTime - unchangedBefore).asSeconds
    print(
      "apply \(applyCount) Deployments (create):   \(rate(applyCount, create)) objects/s; server's own share \(percent(createServer, create))"
    )
    print(
      "re-apply unchanged:                  \(rate(applyCount, reapply)) objects/s; server's own share \(percent(reapplyServer, reapply))"
    )
    print(
      "peak resident memory so far: \(Measurement.peakResidentBytes() / 1_048_576) MiB (client and server in one process)"
    )

    let configMaps = try await client.resource(named: "configmaps")
    for index in 0..<listCount {
      _ = try await client.create([
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": ["name": .string(String(format: "cm-%05d", index))], "data": ["k": "v"],
      ])
    }
    let listBefore = server.handlingTime
    var listed = 0
    let list = try await Measurement.secondsAsync {
      listed = try await client.listAll(configMaps, pageSize: pageSize).items.count
    }
    precondition(listed == listCount)
    let listServer = (server.handlingTime - listBefore).asSeconds
    print(
      "list \(listCount) ConfigMaps in pages of \(pageSize): \(ms(list)) ms; server's own time \(ms(listServer)) ms"
    )

    // Per request: the Kube client (rate limit off, credentials, URL, Status check, JSON decode),
    // a bare HTTP GET of the same URL with the HTTP module, and the server's own handling time.
    let url = URL(string: server.url + configMaps.objectPath(namespace: "bench", name: "cm-00000"))!
    let http = HTTPClient(configuration: HTTPClientConfiguration(retryPolicy: .never))
    _ = try await http.get(url)
    let bare = try await Measurement.secondsAsync {
      for _ in 0..<requests { _ = try await http.get(url) }
    }
    let getBefore = server.handlingTime
    let kube = try await Measurement.secondsAsync {
      for _ in 0..<requests {
        _ = try await client.get(configMaps, namespace: "bench", name: "cm-00000")
      }
    }
    let getServer = (server.handlingTime - getBefore).asSeconds
    let perKube = kube / Double(requests) * 1e6
    let perBare = bare / Double(requests) * 1e6
    let perServer = getServer / Double(requests) * 1e6
    print(
      "GET one object, per request: Kube client \(us(perKube)) µs, bare HTTP GET \(us(perBare)) µs, server's own \(us(perServer)) µs"
    )
    print(
      "client overhead over the server's time: \(us(perKube - perServer)) µs per request (\(String(format: "%.2f", perKube / perBare))x a bare HTTP GET)"
    )
  }

  private func rate(_ count: Int, _ seconds: Double) -> String {
    String(format: "%.0f", Double(count) / seconds)
  }
  private func percent(_ part: Double, _ whole: Double) -> String {
    String(format: "%.0f%%", part / whole * 100)
  }
  private func ms(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }
  private func us(_ value: Double) -> String { String(format: "%.0f", value) }
}
