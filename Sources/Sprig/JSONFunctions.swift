import GoTemplate

/// Sprig's JSON functions. The plain variants return an empty string (or nil for `fromJson`)
/// where the `must` variants fail.
enum JSONFunctions {
  static let functions: [String: TemplateFunction] = [
    "toJson": function(1) { .string((try? GoJSON.encode($0[0])) ?? "") },
    "mustToJson": function(1) { .string(try encode($0[0])) },
    "toPrettyJson": function(1) { .string((try? GoJSON.encode($0[0], indent: "  ")) ?? "") },
    "mustToPrettyJson": function(1) { .string(try encode($0[0], indent: "  ")) },
    "toRawJson": function(1) { .string((try? GoJSON.encode($0[0], escapeHTML: false)) ?? "") },
    "mustToRawJson": function(1) { .string(try encode($0[0], escapeHTML: false)) },
    "fromJson": function(1) { arguments in
      let text = try arguments.string(0)
      return (try? GoJSONDecoder.decode(text)) ?? .null
    },
    "mustFromJson": function(1) { arguments in
      do {
        return try GoJSONDecoder.decode(try arguments.string(0))
      } catch let error as GoJSONDecoder.DecodingError {
        throw TemplateFunctionError(error.message)
      }
    },
  ]

  private static func encode(_ value: TemplateValue, escapeHTML: Bool = true, indent: String? = nil)
    throws -> String
  {
    do {
      return try GoJSON.encode(value, escapeHTML: escapeHTML, indent: indent)
    } catch let error as GoJSON.EncodingError {
      throw TemplateFunctionError(error.message)
    }
  }
}
