extension JSONOutput {
  /// An array of `items`, each written by `writeItem`.
  public mutating func writeArray<Items: Sequence, Failure: Error>(
    _ items: Items, _ writeItem: (inout JSONOutput, Items.Element) throws(Failure) -> Void
  ) throws(Failure) {
    beginArray()
    for item in items { try writeItem(&self, item) }
    endArray()
  }

  /// An object of `members`, each value written by `writeValue`: in the members' order, or with
  /// the keys sorted by their UTF-8 bytes, which is how Go orders a map's keys (and canonical JSON).
  public mutating func writeObject<Value, Failure: Error>(
    _ members: some Sequence<(key: String, value: Value)>, sortingKeys: Bool,
    _ writeValue: (inout JSONOutput, Value) throws(Failure) -> Void
  ) throws(Failure) {
    beginObject()
    let ordered =
      sortingKeys
      ? members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } : Array(members)
    for (key, value) in ordered {
      writeKey(key)
      try writeValue(&self, value)
    }
    endObject()
  }
}
