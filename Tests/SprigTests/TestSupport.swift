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

/// Runs openssl with `arguments`; returns its standard output and error and exit status.
func runOpenSSL(_ arguments: [String]) throws -> (output: String, status: Int32) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["openssl"] + arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (String(decoding: data, as: UTF8.self), process.terminationStatus)
}

func writeFile(_ text: String, _ name: String, in directory: URL) throws -> String {
  let url = directory.appendingPathComponent(name)
  try text.write(to: url, atomically: true, encoding: .utf8)
  return url.path
}

func makeTemporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "sprig-test-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
