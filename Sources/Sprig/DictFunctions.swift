import GoTemplate

/// Sprig's dictionary functions.
///
/// Go maps are references: Sprig's `set`, `unset`, `merge` and `mergeOverwrite` change the map
/// they are given and return it. `TemplateValue` maps are values, so these return the changed
/// map and leave the caller's map as it was; `$_ := set $d "k" "v"` therefore does not change
/// `$d` here (see the module documentation).
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
      return .map(map)
    },
    "get": function(2) { arguments in
      try arguments.map(0)[try arguments.string(1)] ?? ""
    },
    "set": function(3) { arguments in
      if arguments[0].isNilValue { throw TemplateFunctionError("assignment to entry in nil map") }
      var map = try arguments.map(0)
      map[try arguments.string(1)] = arguments[2]
      return .map(map)
    },
    "unset": function(2) { arguments in
      var map = try arguments.map(0)
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
        try (0..<arguments.count).flatMap { sortedKeys(try arguments.map($0)).map { .string($0) } })
    },
    "values": function(1) { arguments in
      let map = try arguments.map(0)
      return .list(sortedKeys(map).map { map[$0]! })
    },
    "pick": variadic(1) { arguments in
      let map = try arguments.map(0)
      var picked: [String: TemplateValue] = [:]
      for key in try arguments.strings(from: 1) { if let value = map[key] { picked[key] = value } }
      return .map(picked)
    },
    "omit": variadic(1) { arguments in
      var map = try arguments.map(0)
      for key in try arguments.strings(from: 1) { map[key] = nil }
      return .map(map)
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
    _ map: [String: TemplateValue], keys: ArraySlice<String>, default fallback: TemplateValue
  ) throws -> TemplateValue {
    guard let key = keys.first, let step = map[key] else { return fallback }
    if keys.count == 1 { return step }
    guard case .map(let next) = step else {
      throw conversionError(step, to: "map[string]interface {}")
    }
    return try dig(next, keys: keys.dropFirst(), default: fallback)
  }

  private static func merge(_ arguments: [TemplateValue], overwrite: Bool) throws -> TemplateValue {
    var destination = try arguments.map(0)
    for index in 1..<arguments.count {
      destination = Merging.merge(try arguments.map(index), into: destination, overwrite: overwrite)
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
enum Merging {
  static func merge(
    _ source: [String: TemplateValue], into destination: [String: TemplateValue], overwrite: Bool
  ) -> [String: TemplateValue] {
    var destination = destination
    for (key, sourceValue) in source {
      let destinationValue = destination[key]
      if sourceValue.isNilValue {
        if overwrite { destination[key] = .null }
        continue
      }
      if case .map(let sourceMap) = sourceValue, case .map(let destinationMap)? = destinationValue {
        let merged = merge(sourceMap, into: destinationMap, overwrite: overwrite)
        destination[key] = destinationMap.isEmpty && !sourceMap.isEmpty ? sourceValue : .map(merged)
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
    return destination
  }
}
