import Foundation
import GoTemplate
import Sprig

/// Renders `template` as Helm does: Sprig's functions, missingkey=zero, `values` under
/// `.Values`, and `<no value>` removed from the output.
func renderHelmStyle(_ template: String, values: TemplateValue = [:]) throws -> String {
  var set = TemplateSet(
    name: "gotpl", functions: Sprig.functions, options: TemplateOptions(missingKey: .zero))
  try set.parse(name: "c/templates/t.tpl", source: template)
  let output = try set.execute(name: "c/templates/t.tpl", data: ["Values": values])
  return output.replacingOccurrences(of: "<no value>", with: "")
}

/// The error message rendering `template` fails with, or nil when it succeeds.
func renderError(_ template: String, values: TemplateValue = [:]) -> String? {
  do {
    _ = try renderHelmStyle(template, values: values)
    return nil
  } catch {
    return "\(error)"
  }
}
