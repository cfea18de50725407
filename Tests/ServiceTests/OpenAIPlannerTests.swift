import Foundation
import ItineraryAPI
import Logging
import TestSupport
import Testing

/// The OpenAI planner against a stand-in for the Chat Completions endpoint: a small Python HTTP server
/// on 127.0.0.1 that answers from a script of canned replies (the real API is not reachable from here)
/// and records each request's Authorization header and body.
@Suite struct OpenAIPlannerTests {
  final class FakeOpenAI {
    let port: Int
    let directory: TemporaryDirectory
    let process: SpawnedProcess

    /// - Parameter replies: (status, body) answered in order; the last repeats.
    init(replies: [(Int, String)]) throws {
      directory = try TemporaryDirectory(prefix: "openai")
      port = try FreePort.pick()
      let script = directory.file("server.py")
      try Data(Self.server.utf8).write(to: script)
      let json = try JSONSerialization.data(withJSONObject: replies.map { [$0.0, $0.1] as [Any] })
      try json.write(to: directory.file("replies.json"))
      process = try SpawnedProcess(
        ["/usr/bin/env", "python3", script.path, String(port), directory.path],
        environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"],
        outputPath: directory.file("log").path)
      for _ in 0..<100 {
        if try Command.run(["curl", "-s", "-o", "/dev/null", "http://127.0.0.1:\(port)/"]).succeeded
        {
          return
        }
        usleep(50_000)
      }
      throw SpawnedProcess.Failure(executable: "python3", reason: "fake OpenAI did not start")
    }

    /// The requests received: Authorization header and JSON body.
    func requests() throws -> [(authorization: String, body: [String: Any])] {
      let text = (try? String(contentsOf: directory.file("requests.jsonl"), encoding: .utf8)) ?? ""
      return try text.split(separator: "\n").map { line in
        let object = try #require(
          try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return (object["authorization"] as? String ?? "", object["body"] as? [String: Any] ?? [:])
      }
    }

    static let server = #"""
      import json, sys, threading
      from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
      port, directory = int(sys.argv[1]), sys.argv[2]
      replies = json.load(open(directory + "/replies.json"))
      lock, count = threading.Lock(), [0]
      class Handler(BaseHTTPRequestHandler):
          def do_GET(self):
              self.send_response(200); self.end_headers()
          def do_POST(self):
              body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
              with lock:
                  index = min(count[0], len(replies) - 1); count[0] += 1
                  with open(directory + "/requests.jsonl", "a") as log:
                      log.write(json.dumps({"path": self.path,
                          "authorization": self.headers.get("Authorization", ""),
                          "body": json.loads(body)}) + "\n")
              status, text = replies[index]
              self.send_response(status)
              self.send_header("Content-Type", "application/json")
              self.end_headers()
              self.wfile.write(text.encode())
          def log_message(self, *args):
              pass
      ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
      """#
  }

  static func completion(_ days: String) -> String {
    let content = String(
      data: try! JSONSerialization.data(withJSONObject: [days], options: .fragmentsAllowed),
      encoding: .utf8)!
    // content is a one-element JSON array holding the escaped string; strip the brackets.
    return
      #"{"choices": [{"message": {"role": "assistant", "content": \#(content.dropFirst().dropLast())}}]}"#
  }

  static func planner(_ server: FakeOpenAI, attempts: Int = 3) -> OpenAIPlanner {
    OpenAIPlanner(
      apiKey: "sk-test-key", baseURL: "http://127.0.0.1:\(server.port)/v1", timeoutSeconds: 5,
      attempts: attempts, backoff: .milliseconds(20), logger: Logger(label: "test"))
  }

  @Test func retriesAServerErrorThenUsesAValidAnswer() async throws {
    let answer =
      #"{"days": [{"day": 1, "places": ["T-P4", "T-P1"]}, {"day": 2, "places": ["T-P3"]}, {"day": 3, "places": []}]}"#
    let server = try FakeOpenAI(replies: [(503, "{}"), (200, Self.completion(answer))])
    let itinerary = try await Self.planner(server).plan(LocalPlannerTests.request())
    #expect(itinerary.planner == "openai")
    #expect(itinerary.days.map { $0.stops.map(\.code) } == [["T-P4", "T-P1"], ["T-P3"], []])
    #expect(itinerary.days[0].stops[0].start == "10:00", "the museum opens at 10:00")
    let requests = try server.requests()
    #expect(requests.count == 2)
    #expect(requests.allSatisfy { $0.authorization == "Bearer sk-test-key" })
    #expect(requests[0].body["model"] as? String == "gpt-4o-mini")
    let prompt = try #require(
      (requests[0].body["messages"] as? [[String: Any]])?.last?["content"] as? String)
    #expect(prompt.contains("T-P1") && !prompt.contains("T-P5"), "places without lodging")
  }

  @Test func answersNamingUnknownPlacesAreRefusedAndTheLocalPlannerServes() async throws {
    let answer =
      #"{"days": [{"day": 1, "places": ["NOWHERE"]}, {"day": 2, "places": []}, {"day": 3, "places": []}]}"#
    let server = try FakeOpenAI(replies: [(200, Self.completion(answer))])
    await #expect(throws: OpenAIPlanner.Failure.self) {
      try await Self.planner(server).plan(LocalPlannerTests.request())
    }
    let fallback = FallbackPlanner(
      primary: Self.planner(server), fallback: LocalPlanner(), logger: Logger(label: "test"))
    let itinerary = try await fallback.plan(LocalPlannerTests.request())
    #expect(itinerary.planner == "local")
    #expect(itinerary.days == LocalPlanner().planSynchronously(LocalPlannerTests.request()))
    #expect(try server.requests().count == 2, "an invalid answer is not retried")
  }

  @Test func givesUpAfterTheRetryLimitOnPersistentErrors() async throws {
    let server = try FakeOpenAI(replies: [(500, "{}")])
    do {
      _ = try await Self.planner(server, attempts: 3).plan(LocalPlannerTests.request())
      Issue.record("a persistent 500 was accepted")
    } catch {
      #expect("\(error)".contains("500"))
      #expect(!"\(error)".contains("sk-test-key"))
    }
    #expect(try server.requests().count == 3)
    // A client error is not retried.
    let unauthorised = try FakeOpenAI(replies: [(401, "{}")])
    await #expect(throws: OpenAIPlanner.Failure.self) {
      try await Self.planner(unauthorised).plan(LocalPlannerTests.request())
    }
    #expect(try unauthorised.requests().count == 1)
  }
}
