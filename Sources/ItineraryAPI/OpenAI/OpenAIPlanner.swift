import Foundation
import HTTP
import Logging

/// Plans with OpenAI's Chat Completions API: the model chooses and orders the destination's places for
/// each day; the answer is checked against the known places (unknown codes, wrong day numbers or
/// repeats in a day are refused) and timed by the local planner's rules (opening hours, travel).
///
/// Each call has a timeout (AI_REQUEST_TIMEOUT_SECONDS, 30 s) and is retried on transport errors, 429
/// and 5xx, up to AI_RETRY_ATTEMPTS (3) attempts with exponential backoff. Other failures are thrown at
/// once; ``FallbackPlanner`` then plans locally. The API key goes only into the Authorization header,
/// never into errors or logs.
public struct OpenAIPlanner: ItineraryPlanner {
  /// Why an answer was not used.
  public enum Failure: Error, CustomStringConvertible {
    case status(Int, String)
    case invalidAnswer(String)

    public var description: String {
      switch self {
      case .status(let status, let url): return "OpenAI answered \(status) to POST \(url)"
      case .invalidAnswer(let reason): return "OpenAI's itinerary was refused: \(reason)"
      }
    }
  }

  let apiKey: String
  let endpoint: String
  let model: String
  let timeoutSeconds: Int
  let attempts: Int
  let backoff: Duration
  let logger: Logger
  private let client: HTTPClient

  /// - Parameters:
  ///   - baseURL: the API root (`https://api.openai.com/v1`; OPENAI_BASE_URL for a proxy or a test).
  public init(
    apiKey: String, baseURL: String = "https://api.openai.com/v1", model: String = "gpt-4o-mini",
    timeoutSeconds: Int = 30, attempts: Int = 3, backoff: Duration = .seconds(1), logger: Logger
  ) {
    self.apiKey = apiKey
    self.endpoint =
      baseURL.hasSuffix("/") ? "\(baseURL)chat/completions" : "\(baseURL)/chat/completions"
    self.model = model
    self.timeoutSeconds = timeoutSeconds
    self.attempts = max(1, attempts)
    self.backoff = backoff
    self.logger = logger
    // The project's HTTP client, as the Service Bus queue uses: libcurl on a thread of its own,
    // never on the cooperative pool. The planner retries by its own rules (`attempts`, `backoff`),
    // so the client makes one attempt; the timeout bounds the whole call; redirects are not
    // followed.
    client = HTTPClient(
      configuration: HTTPClientConfiguration(
        timeouts: HTTPTimeouts(connect: nil, total: .seconds(timeoutSeconds), lowSpeed: nil),
        retryPolicy: .never, maximumRedirects: 0, userAgent: "tripgen-ai-service",
        proxy: .environment))
  }

  public func plan(_ request: PlanningRequest) async throws -> PlannedItinerary {
    let body = try JSONEncoder().encode(ChatRequest(model: model, request: request))
    var attempt = 1
    while true {
      do {
        let reply = try await post(body)
        guard reply.status == 200 else { throw Failure.status(reply.status, endpoint) }
        return PlannedItinerary(
          planner: "openai", days: try Self.days(from: Array(reply.body), request))
      } catch let error where attempt < attempts && Self.isTransient(error) {
        let delay = backoff * (1 << (attempt - 1))
        logger.warning(
          "OpenAI call failed; retrying",
          metadata: ["attempt": "\(attempt)", "error": "\(error)", "delay": "\(delay)"])
        try await Task.sleep(for: delay)
        attempt += 1
      }
    }
  }

  /// One POST of `body` to the endpoint. The key goes only into the Authorization header, which
  /// the HTTP module never puts into errors.
  private func post(_ body: Data) async throws -> HTTPResponse {
    guard let url = URL(string: endpoint) else {
      throw HTTPError.invalidURL(endpoint, reason: "OPENAI_BASE_URL does not make a URL")
    }
    let headers: HTTPHeaders = [
      "Content-Type": "application/json", "Authorization": "Bearer \(apiKey)",
    ]
    return try await client.execute(
      HTTPRequest(method: .post, url: url, headers: headers, body: .bytes(body)))
  }

  /// Transport failures (DNS, connect, TLS, timeout), 429 and 5xx are worth another attempt.
  static func isTransient(_ error: any Error) -> Bool {
    switch error {
    case is HTTPError: return true
    case Failure.status(let status, _): return status == 429 || status >= 500
    default: return false
    }
  }

  /// Reads and checks the model's answer: `{"days": [{"day": 1, "places": ["KR-SEL-P1", ...]}]}`.
  static func days(from body: [UInt8], _ request: PlanningRequest) throws -> [PlannedDay] {
    guard let completion = try? JSONDecoder().decode(ChatResponse.self, from: Data(body)),
      let content = completion.choices.first?.message.content,
      let answer = try? JSONDecoder().decode(ModelAnswer.self, from: Data(content.utf8))
    else { throw Failure.invalidAnswer("not a chat completion with a JSON itinerary") }
    let known = Dictionary(
      request.places.filter { $0.category != "lodging" }.map { ($0.code, $0) },
      uniquingKeysWith: { first, _ in first })
    guard answer.days.map(\.day) == Array(1...max(1, request.days)) else {
      throw Failure.invalidAnswer("days must be numbered 1...\(request.days) in order")
    }
    return try answer.days.map { day in
      guard Set(day.places).count == day.places.count else {
        throw Failure.invalidAnswer("day \(day.day) repeats a place")
      }
      let places = try day.places.map { code in
        guard let place = known[code] else {
          throw Failure.invalidAnswer("day \(day.day) names unknown place \(code)")
        }
        return place
      }
      return PlannedDay(dayNumber: day.day, stops: LocalPlanner.schedule(places, request: request))
    }
  }
}

/// The Chat Completions request: a system prompt with the answer's format, the trip as JSON.
struct ChatRequest: Encodable {
  struct Message: Encodable {
    let role: String
    let content: String
  }
  struct ResponseFormat: Encodable {
    let type = "json_object"
  }
  struct Trip: Encodable {
    struct Place: Encodable {
      let code, name, category, opens, closes: String
      let visitMinutes: Int
    }
    let days: Int
    let interests: [String]
    let pace: String
    let places: [Place]
  }

  let model: String
  let messages: [Message]
  let responseFormat = ResponseFormat()
  let temperature = 0.0

  enum CodingKeys: String, CodingKey {
    case model, messages, temperature
    case responseFormat = "response_format"
  }

  init(model: String, request: PlanningRequest) throws {
    self.model = model
    let trip = Trip(
      days: request.days, interests: request.interests, pace: request.pace.rawValue,
      places: request.places.filter { $0.category != "lodging" }.map {
        Trip.Place(
          code: $0.code, name: $0.name, category: $0.category,
          opens: LocalPlanner.clock($0.opensAt),
          closes: LocalPlanner.clock($0.closesAt), visitMinutes: $0.visitMinutes)
      })
    let tripJSON = String(decoding: try JSONEncoder().encode(trip), as: UTF8.self)
    messages = [
      Message(
        role: "system",
        content: """
          You plan day-by-day travel itineraries. Use only the places given, by their code. Answer with \
          JSON only: {"days": [{"day": 1, "places": ["CODE", ...]}, ...]}, one entry per day numbered \
          from 1, places in visiting order, no place twice in a day, respecting opening hours and the \
          traveller's interests and pace.
          """),
      Message(role: "user", content: tripJSON),
    ]
  }
}

/// The parts of a Chat Completions response the planner reads.
struct ChatResponse: Decodable {
  struct Choice: Decodable {
    struct Message: Decodable {
      let content: String?
    }
    let message: Message
  }
  let choices: [Choice]
}

/// The itinerary the model is asked for.
struct ModelAnswer: Decodable {
  struct Day: Decodable {
    let day: Int
    let places: [String]
  }
  let days: [Day]
}
