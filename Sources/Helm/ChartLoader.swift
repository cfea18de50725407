import Foundation
import YAML

/// Loads charts from a directory or from an in-memory file tree (a revision read from Git),
/// sorting files into metadata, values, schema, templates, other files and subcharts as Helm's
/// loader does, and applying the chart's `.helmignore`.
public enum ChartLoader {
  /// Loads the chart in `directory`. Blocking file I/O: call it off the cooperative pool.
  public static func load(directory: String) throws(HelmError) -> Chart {
    let root = URL(fileURLWithPath: directory).standardizedFileURL
    var ignore = try HelmIgnore()
    let ignoreFile = root.appendingPathComponent(".helmignore")
    if let data = FileManager.default.contents(atPath: ignoreFile.path) {
      ignore = try HelmIgnore(String(decoding: data, as: UTF8.self), file: ignoreFile.path)
    }
    var files: [String: [UInt8]] = [:]
    try walk(root, relative: "", ignore: ignore, into: &files)
    return try load(files: files, source: root.path, ignore: nil)
  }

  private static func walk(
    _ directory: URL, relative: String, ignore: HelmIgnore, into files: inout [String: [UInt8]]
  ) throws(HelmError) {
    let entries: [URL]
    do {
      entries = try FileManager.default.contentsOfDirectory(
        at: directory, includingPropertiesForKeys: [.isDirectoryKey])
    } catch {
      throw .unreadable(path: directory.path, message: "\(error.localizedDescription)")
    }
    for entry in entries {
      let name =
        relative.isEmpty ? entry.lastPathComponent : relative + "/" + entry.lastPathComponent
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: entry.path, isDirectory: &isDirectory) else {
        continue
      }
      if ignore.ignores(name, isDirectory: isDirectory.boolValue) { continue }
      if isDirectory.boolValue {
        try walk(entry, relative: name, ignore: ignore, into: &files)
      } else {
        guard let data = FileManager.default.contents(atPath: entry.path) else {
          throw .unreadable(path: entry.path, message: "the file cannot be read")
        }
        files[name] = [UInt8](data)
      }
    }
  }

  /// Loads a chart from `files` (`/`-separated paths). With `directory` (`charts/tripgen`), only
  /// the files under it are taken, relative to it, so a whole Git tree can be passed; otherwise
  /// paths are relative to the chart root. `source` names the tree in errors. The chart's own
  /// `.helmignore` applies unless `ignore` is given.
  public static func load(
    files: [String: [UInt8]], directory: String? = nil, source: String = "<memory>",
    ignore: HelmIgnore? = nil
  ) throws(HelmError) -> Chart {
    var files = files
    var source = source
    if let directory, !directory.isEmpty {
      let prefix = directory.hasSuffix("/") ? directory : directory + "/"
      files = Dictionary(
        uniqueKeysWithValues: files.compactMap { path, data in
          path.hasPrefix(prefix) ? (String(path.dropFirst(prefix.count)), data) : nil
        })
      source += "/" + prefix.dropLast()
    }
    var kept = files
    if ignore == nil, let text = files[".helmignore"] {
      let rules = try HelmIgnore(
        String(decoding: text, as: UTF8.self), file: source + "/.helmignore")
      kept = files.filter { path, _ in !isIgnored(path, by: rules) }
    } else if let ignore {
      kept = files.filter { path, _ in !isIgnored(path, by: ignore) }
    } else {
      let rules = try HelmIgnore()
      kept = files.filter { path, _ in !isIgnored(path, by: rules) }
    }
    var chart = try build(files: kept, source: source)
    chart.assignPaths(chart.name)
    return chart
  }

  /// A file is ignored when it or any directory above it is.
  private static func isIgnored(_ path: String, by rules: HelmIgnore) -> Bool {
    let parts = path.split(separator: "/")
    for depth in 1..<max(parts.count, 1) {
      if rules.ignores(parts[..<depth].joined(separator: "/"), isDirectory: true) { return true }
    }
    return rules.ignores(path, isDirectory: false)
  }

  /// Paths in the order a directory walk visits them: component by component.
  static func walkOrder(_ a: String, _ b: String) -> Bool {
    a.split(separator: "/").lexicographicallyPrecedes(b.split(separator: "/")) {
      $0.utf8.lexicographicallyPrecedes($1.utf8)
    }
  }

  private static func build(files: [String: [UInt8]], source: String) throws(HelmError) -> Chart {
    guard let chartYAML = files["Chart.yaml"] else {
      throw .invalidChart(file: source + "/Chart.yaml", message: "Chart.yaml file is missing")
    }
    let metadata = try ChartMetadata(
      yaml: String(decoding: chartYAML, as: UTF8.self), file: source + "/Chart.yaml")
    var chart = Chart(metadata: metadata)
    var subchartFiles: [String: [String: [UInt8]]] = [:]
    for path in files.keys.sorted(by: walkOrder) {
      var data = files[path]!
      // Helm's loader drops a UTF-8 byte order mark from every file.
      if data.starts(with: [0xEF, 0xBB, 0xBF]) { data.removeFirst(3) }
      switch path {
      case "Chart.yaml", "Chart.lock", "requirements.yaml", "requirements.lock":
        continue
      case "values.yaml":
        chart.values = try readValues(data, file: source + "/values.yaml")
      case "values.schema.json":
        chart.schema = data
      default:
        if path.hasPrefix("templates/") {
          chart.templates.append(ChartFile(name: path, data: data))
        } else if path.hasPrefix("charts/") {
          let rest = path.dropFirst("charts/".count)
          guard let slash = rest.firstIndex(of: "/") else {
            if rest.hasSuffix(".prov") {
              chart.files.append(ChartFile(name: path, data: data))
              continue
            }
            throw .invalidChart(
              file: source + "/" + path,
              message: "packaged subcharts (.tgz) are not supported; unpack it into charts/"
                + rest.split(separator: ".").first.map(String.init)! + "/")
          }
          subchartFiles[String(rest[..<slash]), default: [:]][
            String(rest[rest.index(after: slash)...])] =
            data
        } else {
          chart.files.append(ChartFile(name: path, data: data))
        }
      }
    }
    for name in subchartFiles.keys.sorted() {
      chart.dependencies.append(
        try build(files: subchartFiles[name]!, source: source + "/charts/" + name))
    }
    return chart
  }

  /// Reads a values document as Helm does: YAML to JSON, so every number is a float64.
  public static func readValues(_ data: [UInt8], file: String) throws(HelmError) -> JSONValue {
    let document: JSONValue
    do {
      document = try LenientYAML.loadOne(String(decoding: data, as: UTF8.self), file: file)
    } catch {
      throw .invalidValues(file: file, message: "\(error)")
    }
    switch document {
    case .null: return .object([:])
    case .object: return document.numbersAsFloats
    default:
      throw .invalidValues(file: file, message: "the document must be a mapping of values")
    }
  }
}

extension JSONValue {
  /// Integers turned into doubles, as decoding through JSON into `interface{}` does.
  var numbersAsFloats: JSONValue {
    switch self {
    case .int(let int): return .double(Double(int))
    case .array(let items): return .array(items.map(\.numbersAsFloats))
    case .object(let entries): return .object(entries.mapValues(\.numbersAsFloats))
    default: return self
    }
  }
}
