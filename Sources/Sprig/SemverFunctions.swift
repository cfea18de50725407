import GoTemplate

/// Sprig's `semver` (a `*semver.Version` object) and `semverCompare` (constraint check).
enum SemverFunctions {
  static let functions: [String: TemplateFunction] = [
    "semver": function(1) { arguments in
      do {
        return .object(
          SemanticVersionObject(version: try SemanticVersion(parsing: try arguments.string(0))))
      } catch let error as SemanticVersion.ParseError {
        throw TemplateFunctionError(error.message)
      }
    },
    "semverCompare": function(2) { arguments in
      let constraintText = try arguments.string(0)
      let versionText = try arguments.string(1)
      do {
        let constraint = try SemverConstraint(parsing: constraintText)
        let version = try SemanticVersion(parsing: versionText)
        return .bool(constraint.isSatisfied(by: version))
      } catch let error as SemverConstraint.ParseError {
        throw TemplateFunctionError(error.message)
      } catch let error as SemanticVersion.ParseError {
        throw TemplateFunctionError(error.message)
      }
    },
  ]
}
