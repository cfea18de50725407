import Foundation
import Hummingbird

/// Encodes `value` as a JSON response with `status` (for handlers whose status depends on the outcome).
public func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  encoder.dateEncodingStrategy = .iso8601
  let data = try encoder.encode(value)
  return Response(
    status: status, headers: [.contentType: "application/json; charset=utf-8"],
    body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
