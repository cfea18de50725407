import Synchronization

/// A Go `map[string]interface{}`: a reference, so that every holder sees a change.
///
/// Templates rely on Go maps being references: Sprig's `set`, `unset`, `merge` and
/// `mergeOverwrite` change the map they are given (`{{ $_ := set $d "k" "v" }}` then `$d.k`),
/// and Helm's templates share one `.Values` map, so `set .Values "x" 1` in one template is seen
/// by the templates rendered after it. Two `.map` values holding the same `TemplateMap` are the
/// same Go map.
///
/// Each access takes a lock, so a map reached from concurrent executions stays memory-safe;
/// like Go, though, the engine gives no ordering between such executions, so callers hand each
/// execution its own tree when executions must not see each other's changes (Helm's engine
/// builds `.Values` per render).
public final class TemplateMap: Sendable, ExpressibleByDictionaryLiteral {
  private let storage: Mutex<[String: TemplateValue]>

  /// A map holding `entries`.
  public init(_ entries: [String: TemplateValue] = [:]) {
    storage = Mutex(entries)
  }

  public convenience init(dictionaryLiteral elements: (String, TemplateValue)...) {
    self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }

  /// The value at `key`, or nil when the map has no such key. Setting nil deletes the key.
  public subscript(key: String) -> TemplateValue? {
    get { storage.withLock { $0[key] } }
    set { storage.withLock { $0[key] = newValue } }
  }

  /// The entries at this moment (a copy: later changes to the map do not show in it).
  public var entries: [String: TemplateValue] {
    storage.withLock { $0 }
  }

  /// The number of keys.
  public var count: Int { storage.withLock { $0.count } }

  /// True when the map has no keys.
  public var isEmpty: Bool { storage.withLock { $0.isEmpty } }

  /// The keys sorted as Go's `fmtsort` sorts strings (by bytes): the order in which
  /// `range`, printing and JSON see them.
  public var sortedKeys: [String] {
    storage.withLock { GoTemplate.sortedKeys($0) }
  }

  /// Changes the entries in one step, under the lock. `body` must not touch this map again.
  public func update<Result>(_ body: (inout [String: TemplateValue]) throws -> Result) rethrows
    -> Result
  {
    try storage.withLock { try body(&$0) }
  }

  /// A new map with the same entries; nested maps are shared, as a Go map copy shares them.
  public func shallowCopy() -> TemplateMap {
    TemplateMap(entries)
  }

  /// True when `self` and `other` are the same Go map (not merely equal contents).
  public func isSameMap(as other: TemplateMap) -> Bool { self === other }
}

/// Sorts map keys the way Go's `fmtsort` does for string keys: by bytes.
func sortedKeys(_ map: [String: TemplateValue]) -> [String] {
  map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
}
