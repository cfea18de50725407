/// The toolkit's version, printed by `tripgen --version`.
enum TripGenVersion {
  static let current = "0.1.0"
}
