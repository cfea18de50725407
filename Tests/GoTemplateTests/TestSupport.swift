import GoTemplate

/// Parses `source` as template "t" into a set with the given functions and options, and
/// executes it with `data`.
func render(
  _ source: String, _ data: TemplateValue = .null,
  functions: [String: TemplateFunction] = [:], options: TemplateOptions = TemplateOptions()
) throws -> String {
  var set = TemplateSet(name: "t", functions: functions, options: options)
  try set.parse(name: "t", source: source)
  return try set.execute(name: "t", data: data)
}

/// The error message rendering fails with, or nil when it succeeds.
func renderError(
  _ source: String, _ data: TemplateValue = .null,
  functions: [String: TemplateFunction] = [:], options: TemplateOptions = TemplateOptions()
) -> String? {
  do {
    _ = try render(source, data, functions: functions, options: options)
    return nil
  } catch {
    return "\(error)"
  }
}

/// A struct-like value with fields and methods, standing in for Helm's `.Release`, `.Files`.
struct Release: TemplateObject {
  var name: String
  var revision: Int

  var typeName: String { "*release.Info" }

  func field(named name: String) -> TemplateValue? {
    switch name {
    case "Name": return .string(self.name)
    case "Revision": return .int(revision)
    default: return nil
    }
  }

  func method(named name: String) -> TemplateFunction? {
    switch name {
    case "Greet":
      let ownName = self.name
      return TemplateFunction(arity: .exactly(1)) { arguments, _ in
        guard case .string(let greeting) = arguments[0] else {
          throw TemplateFunctionError("greeting must be a string")
        }
        return .string("\(greeting), \(ownName)")
      }
    case "Name2":
      let ownName = self.name
      return TemplateFunction(arity: .exactly(0)) { _, _ in .string(ownName + ownName) }
    default:
      return nil
    }
  }

  var printed: String { "{\(name) \(revision)}" }
}
