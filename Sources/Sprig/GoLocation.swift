import Foundation

/// A Go `*time.Location`: a named set of zone offsets with the instants at which they change,
/// read from the system's TZif files as Go reads them (Foundation's `TimeZone` on Linux names
/// zones `GMT+1` where Go prints `CET`).
struct GoLocation: Sendable {
  /// One zone of a location: its abbreviation and offset east of UTC in seconds.
  struct Zone: Sendable, Equatable {
    var name: String
    var offset: Int
  }

  /// The location name: `UTC`, `Local`, or a zoneinfo name like `Europe/Berlin`.
  let name: String
  private let zones: [Zone]
  /// Transition instants (Unix seconds, ascending) and the zone index in force from each.
  private let transitions: [(time: Int64, zone: Int)]

  /// Go's `time.UTC`.
  static let utc = GoLocation(name: "UTC", zones: [Zone(name: "UTC", offset: 0)], transitions: [])

  /// Go's `time.Local`: `$TZ` if set (empty means UTC), otherwise `/etc/localtime`.
  static let local: GoLocation = {
    let environment = ProcessInfo.processInfo.environment
    if let tz = environment["TZ"] {
      if tz.isEmpty || tz == "UTC" { return GoLocation(renaming: utc, to: "Local") }
      let path = tz.hasPrefix("/") ? tz : zoneDirectory + "/" + tz
      if let location = read(path: path, name: "Local") { return location }
      return GoLocation(renaming: utc, to: "Local")
    }
    return read(path: "/etc/localtime", name: "Local") ?? GoLocation(renaming: utc, to: "Local")
  }()

  private static let zoneDirectory = "/usr/share/zoneinfo"

  /// A location with a single fixed offset (Go's `time.FixedZone`).
  static func fixed(name: String, offset: Int) -> GoLocation {
    GoLocation(name: name, zones: [Zone(name: name, offset: offset)], transitions: [])
  }

  /// Go's `time.LoadLocation`: "" and "UTC" are UTC, "Local" is local, anything else a
  /// zoneinfo name; nil when there is no such zone.
  static func load(named name: String) -> GoLocation? {
    if name.isEmpty || name == "UTC" { return utc }
    if name == "Local" { return local }
    guard !name.hasPrefix("/"), !name.contains("..") else { return nil }
    return read(path: zoneDirectory + "/" + name, name: name)
  }

  private init(name: String, zones: [Zone], transitions: [(time: Int64, zone: Int)]) {
    self.name = name
    self.zones = zones
    self.transitions = transitions
  }

  private init(renaming location: GoLocation, to name: String) {
    self.init(name: name, zones: location.zones, transitions: location.transitions)
  }

  /// The zone in force at `unixSeconds`. After the file's last transition the last zone stays
  /// in force (Go would apply the file's POSIX rule; Debian's files list transitions to 2037).
  func zone(at unixSeconds: Int64) -> Zone {
    guard let first = transitions.first, unixSeconds >= first.time else {
      // Before the first transition: the first standard zone, as Go picks it.
      return zones.first ?? GoLocation.utc.zones[0]
    }
    var low = 0
    var high = transitions.count
    while high - low > 1 {
      let middle = (low + high) / 2
      if transitions[middle].time <= unixSeconds { low = middle } else { high = middle }
    }
    return zones[transitions[low].zone]
  }

  /// Go's `Location.lookupName`: the offset of a zone abbreviation in force near `unixSeconds`.
  func offset(ofZoneNamed abbreviation: String, near unixSeconds: Int64) -> Int? {
    for zone in zones where zone.name == abbreviation {
      if self.zone(at: unixSeconds - Int64(zone.offset)).name == abbreviation { return zone.offset }
    }
    return zones.first { $0.name == abbreviation }?.offset
  }

  /// Reads a TZif file (version 1 data, or the 64-bit version 2+ data when present).
  private static func read(path: String, name: String) -> GoLocation? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    let bytes = [UInt8](data)
    guard bytes.count >= 44, bytes[0..<4] == [0x54, 0x5A, 0x69, 0x66] else { return nil }
    func integer(_ offset: Int, _ size: Int) -> Int64? {
      guard offset + size <= bytes.count else { return nil }
      var value: UInt64 = 0
      for index in offset..<(offset + size) { value = value << 8 | UInt64(bytes[index]) }
      return size == 4 ? Int64(Int32(bitPattern: UInt32(value))) : Int64(bitPattern: value)
    }
    func counts(at offset: Int) -> [Int]? {
      (0..<6).map { integer(offset + 20 + 4 * $0, 4) }.reduce(into: [Int]?([])) { result, value in
        guard let value, result != nil else {
          result = nil
          return
        }
        result!.append(Int(value))
      }
    }
    guard var header = counts(at: 0) else { return nil }
    var start = 44
    var timeSize = 4
    if bytes[4] >= UInt8(ascii: "2") {
      // Skip the version 1 block to the 64-bit block.
      let (isutc, isstd, leap, time, type, chars) = (
        header[0], header[1], header[2], header[3], header[4], header[5]
      )
      let skip = time * 5 + type * 6 + chars + leap * 8 + isstd + isutc
      guard let second = counts(at: 44 + skip) else { return nil }
      header = second
      start = 44 + skip + 44
      timeSize = 8
    }
    let (leapCount, timeCount, typeCount, charCount) = (header[2], header[3], header[4], header[5])
    let typesStart = start + timeCount * timeSize
    let infoStart = typesStart + timeCount
    let charsStart = infoStart + typeCount * 6
    guard charsStart + charCount + leapCount * (timeSize + 4) <= bytes.count, typeCount > 0
    else { return nil }
    var zones: [Zone] = []
    for index in 0..<typeCount {
      let base = infoStart + index * 6
      guard let offset = integer(base, 4) else { return nil }
      let nameStart = charsStart + Int(bytes[base + 5])
      var nameEnd = nameStart
      while nameEnd < charsStart + charCount && bytes[nameEnd] != 0 { nameEnd += 1 }
      zones.append(
        Zone(name: String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self), offset: Int(offset))
      )
    }
    var transitions: [(time: Int64, zone: Int)] = []
    for index in 0..<timeCount {
      guard let time = integer(start + index * timeSize, timeSize) else { return nil }
      let zone = Int(bytes[typesStart + index])
      guard zone < zones.count else { return nil }
      transitions.append((time, zone))
    }
    return GoLocation(name: name, zones: zones, transitions: transitions)
  }
}
