/// A Redis reply (RESP2 types, as hiredis returns them).
public enum RedisReply: Sendable, Equatable {
  case string([UInt8])
  case status(String)
  case integer(Int64)
  case array([RedisReply])
  case null

  /// The reply as text, for bulk and status replies.
  public var text: String? {
    switch self {
    case .string(let bytes): return String(decoding: bytes, as: UTF8.self)
    case .status(let status): return status
    default: return nil
    }
  }
}
