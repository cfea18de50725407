import Foundation
import HTTPTypes
import Hummingbird

/// Gives every request an id: the caller's `X-Request-ID` when it is sane (a proxy or the ingress set it),
/// else a new UUID. The id goes into every log line of the request (`request_id`) and back in the response.
public struct RequestIDMiddleware: RouterMiddleware {
  public typealias Context = ServiceRequestContext
  /// The header's name.
  public static let header = HTTPField.Name("X-Request-ID")!

  public init() {}

  public func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    var context = context
    let id = request.headers[Self.header].flatMap(Self.acceptable) ?? UUID().uuidString.lowercased()
    context.requestID = id
    context.logger[metadataKey: "request_id"] = .string(id)
    do {
      var response = try await next(request, context)
      response.headers[Self.header] = id
      return response
    } catch let error as any HTTPResponseError {
      // Errors become responses after this middleware; carry the id on them too.
      throw RequestIDTaggedError(base: error, requestID: id)
    }
  }

  /// Accepts ids of visible ASCII up to 128 characters, so a caller cannot inject log lines or headers.
  static func acceptable(_ value: String) -> String? {
    guard !value.isEmpty, value.utf8.count <= 128,
      value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f })
    else { return nil }
    return value
  }
}

/// An HTTP error with the request id added to its response headers.
struct RequestIDTaggedError: HTTPResponseError {
  let base: any HTTPResponseError
  let requestID: String

  var status: HTTPResponse.Status { base.status }

  func response(from request: Request, context: some RequestContext) throws -> Response {
    var response = try base.response(from: request, context: context)
    response.headers[RequestIDMiddleware.header] = requestID
    return response
  }
}
