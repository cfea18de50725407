import GoTemplate

/// Sprig's dictionary functions.
///
/// Go maps are references, and these functions keep Go's sharing: `set`, `unset`, `merge` and
/// `mergeOverwrite` change the map they are given and return that same map; `dict`, `pick` and
/// `omit` make new maps whose values are the caller's (nested maps shared, as in Go); `get`,
/// `pluck`, `dig` and `values` return the stored values themselves.
enum DictFunctions {
  static let functions: [String: TemplateFunction] = [
    "dict": variadic(0) { arguments in
      var map: [String: TemplateValue] = [:]
      var index = 0
      while index < arguments.count {
        let key = GoPrinting.string(arguments[index])
        map[key] = index + 1 < arguments.count ? arguments[index + 1] : ""
        index += 2
      }
      return .map(TemplateMap(map))
    },
    "get": function(2) { arguments in
      try arguments.map(0)[try arguments.string(1)] ?? ""
    },
    "set": function(3) { arguments in
      if arguments[0].isNilValue { throw TemplateFunctionError("assignment to entry in nil map") }
      let map = try arguments.map(0)
      map[try arguments.string(1)] = arguments[2]
      return .map(map)
    },
    "unset": function(2) { arguments in
      let map = try arguments.map(0)
      map[try arguments.string(1)] = nil
      return .map(map)
    },
    "hasKey": function(2) { .bool(try $0.map(0)[try $0.string(1)] != nil) },
    "pluck": variadic(1) { arguments in
      let key = try arguments.string(0)
      return .list(try (1..<arguments.count).compactMap { try arguments.map($0)[key] })
    },
    "keys": variadic(0) { arguments in
      // Go's map order is random; sorted keys are one of its possible orders.
      .list(
        try (0..<arguments.count).flatMap { try arguments.map($0).sortedKeys.map { .string($0) } })
    },
    "values": function(1) { arguments in
      let map = try arguments.map(0).entries
      return .list(sortedKeys(map).map { map[$0]! })
    },
    "pick": variadic(1) { arguments in
      let map = try arguments.map(0).entries
      var picked: [String: TemplateValue] = [:]
      for key in try arguments.strings(from: 1) { if let value = map[key] { picked[key] = value } }
      return .map(TemplateMap(picked))
    },
    "omit": variadic(1) { arguments in
      var map = try arguments.map(0).entries
      for key in try arguments.strings(from: 1) { map[key] = nil }
      return .map(TemplateMap(map))
    },
    "dig": variadic(0) { arguments in
      guard arguments.count >= 3 else {
        throw TemplateFunctionError("dig needs at least three arguments")
      }
      guard case .map(let map) = arguments[arguments.count - 1] else {
        throw conversionError(arguments[arguments.count - 1], to: "map[string]interface {}")
      }
      let keys = try arguments[..<(arguments.count - 2)].map { key -> String in
        guard case .string(let string) = key else { throw conversionError(key, to: "string") }
        return string
      }
      return try dig(map, keys: keys[...], default: arguments[arguments.count - 2])
    },
    "merge": variadic(1) { arguments in try merge(arguments, overwrite: false) },
    "mustMerge": variadic(1) { arguments in try merge(arguments, overwrite: false) },
    "mergeOverwrite": variadic(1) { arguments in try merge(arguments, overwrite: true) },
    "mustMergeOverwrite": variadic(1) { arguments in try merge(arguments, overwrite: true) },
  ]

  private static func sortedKeys(_ map: [String: TemplateValue]) -> [String] {
    map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }

  /// Go's failed type assertion panic.
  private static func conversionError(_ value: TemplateValue, to type: String)
    -> TemplateFunctionError
  {
    let actual = value.isNilValue ? "nil" : value.goTypeName
    return TemplateFunctionError("interface conversion: interface {} is \(actual), not \(type)")
  }

  private static func dig(
    _ map: TemplateMap, keys: ArraySlice<String>, default fallback: TemplateValue
  ) throws -> TemplateValue {
    guard let key = keys.first, let step = map[key] else { return fallback }
    if keys.count == 1 { return step }
    guard case .map(let next) = step else {
      throw conversionError(step, to: "map[string]interface {}")
    }
    return try dig(next, keys: keys.dropFirst(), default: fallback)
  }

  /// Sprig's `merge(dst, srcs...)`: each source merged into `dst` in place; `dst` returned. A
  /// nil `dst` is a new map, as mergo makes one for a nil map pointer's target.
  private static func merge(_ arguments: [TemplateValue], overwrite: Bool) throws -> TemplateValue {
    let destination = try arguments.map(0)
    for index in 1..<arguments.count {
      Merging.merge(try arguments.map(index), into: destination, overwrite: overwrite)
    }
    return .map(destination)
  }
}

/// `mergo.Merge` (with and without `WithOverride`) on `map[string]interface{}` values, which is
/// what Sprig's `merge` and `mergeOverwrite` call.
///
/// Without override a destination key keeps its value unless that value is empty in Go's sense
/// (nil, false, 0, "", empty list or map); nested maps merge key by key. With override source
/// values replace destination values, a nil source value included, except that nested maps
/// still merge and a non-empty destination list is replaced only by a non-empty source.
///
/// As mergo does, the destination changes in place, nested destination maps included, and a
/// source value that lands in the destination is the source's own (a map stays shared).
enum Merging {
  static func merge(_ source: TemplateMap, into destination: TemplateMap, overwrite: Bool) {
    // A snapshot, so that merging a map into itself (or into a map it contains) terminates.
    for (key, sourceValue) in source.entries {
      let destinationValue = destination[key]
      if sourceValue.isNilValue {
        if overwrite { destination[key] = .null }
        continue
      }
      if case .map(let sourceMap) = sourceValue, case .map(let destinationMap)? = destinationValue {
        if sourceMap !== destinationMap {
          merge(sourceMap, into: destinationMap, overwrite: overwrite)
        }
        continue
      }
      let destinationEmpty = destinationValue.map(GoReflection.isEmpty) ?? true
      if destinationValue != nil && !destinationEmpty, case .list = sourceValue, !overwrite {
        continue
      }
      if overwrite || destinationEmpty {
        destination[key] = sourceValue
      }
    }
  }
}
