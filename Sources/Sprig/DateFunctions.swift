import GoTemplate

/// Sprig's date functions, with Go's reference-time layouts ("2006-01-02 15:04:05").
///
/// `now` and `ago` (and `date` of anything that is not a time or integer, which Sprig formats
/// as the current time) are nondeterministic by design. Go tells `int` from `int64`; template
/// values do not, so `duration 95` and `durationRound 95` treat the integer as int64 seconds
/// (`1m35s`) and nanoseconds, where Sprig ignores an `int` and prints `0s`.
enum DateFunctions {
  static let functions: [String: TemplateFunction] = {
    let dateInZone = function(3) { arguments in
      .string(format(try arguments.string(0), arguments[1], zone: try arguments.string(2)))
    }
    let dateModify = function(2) { arguments in
      let text = try arguments.string(0)
      let time = try time(arguments[1])
      guard let duration = try? GoDuration.parse(text) else {
        return .object(GoTimeObject(time: time))
      }
      return .object(GoTimeObject(time: time.adding(nanoseconds: duration)))
    }
    let mustDateModify = function(2) { arguments in
      let text = try arguments.string(0)
      let time = try time(arguments[1])
      do {
        return .object(GoTimeObject(time: time.adding(nanoseconds: try GoDuration.parse(text))))
      } catch let error as GoDuration.ParseError {
        throw TemplateFunctionError(error.message)
      }
    }
    return [
      "now": function(0) { _ in .object(GoTimeObject(time: .now())) },
      "date": function(2) { arguments in
        .string(format(try arguments.string(0), arguments[1], zone: "Local"))
      },
      "dateInZone": dateInZone,
      "date_in_zone": dateInZone,
      "htmlDate": function(1) { .string(format("2006-01-02", $0[0], zone: "Local")) },
      "htmlDateInZone": function(2) { arguments in
        .string(format("2006-01-02", arguments[0], zone: try arguments.string(1)))
      },
      "dateModify": dateModify,
      "date_modify": dateModify,
      "mustDateModify": mustDateModify,
      "must_date_modify": mustDateModify,
      "toDate": function(2) { arguments in
        let layout = try arguments.string(0)
        let value = try arguments.string(1)
        let time =
          (try? GoTimeParsing.parse(layout: layout, value: value, location: .local)) ?? .zero
        return .object(GoTimeObject(time: time))
      },
      "mustToDate": function(2) { arguments in
        let layout = try arguments.string(0)
        let value = try arguments.string(1)
        do {
          return .object(
            GoTimeObject(
              time: try GoTimeParsing.parse(layout: layout, value: value, location: .local)))
        } catch let error as GoTimeParsing.ParseError {
          throw TemplateFunctionError(error.message)
        }
      },
      "unixEpoch": function(1) { .string(String(try time($0[0]).seconds)) },
      "duration": function(1) { arguments in
        let seconds: Int
        switch arguments[0] {
        case .string(let text):
          if case .value(let value) = GoNumberParsing.parseInt(text, base: 10) {
            seconds = value
          } else {
            seconds = 0
          }
        case .int(let value): seconds = value
        default: seconds = 0
        }
        return .string(
          GoDuration.format(
            Int64(seconds).multipliedReportingOverflow(by: GoDuration.second).partialValue))
      },
      "durationRound": function(1) { arguments in
        let duration: Int64
        switch arguments[0] {
        case .string(let text): duration = (try? GoDuration.parse(text)) ?? 0
        case .int(let value): duration = Int64(value)
        case .object(let object as GoTimeObject): duration = since(object.time)
        default: duration = 0
        }
        return .string(roughly(duration))
      },
      "ago": function(1) { arguments in
        let time: GoTime
        switch arguments[0] {
        case .object(let object as GoTimeObject): time = object.time
        case .int(let value): time = GoTime(seconds: Int64(value), location: .local)
        default: time = .now()
        }
        let elapsed = since(time)
        // time.Duration.Round(time.Second): halves away from zero.
        let rounded =
          (elapsed &+ (elapsed >= 0 ? 500_000_000 : -500_000_000)) / GoDuration.second
          * GoDuration.second
        return .string(GoDuration.format(rounded))
      },
    ]
  }()

  /// Sprig's `dateInZone`: times as they are, integers as Unix seconds, anything else the
  /// current time; an unknown zone falls back to UTC.
  private static func format(_ layout: String, _ value: TemplateValue, zone: String) -> String {
    let time: GoTime
    switch value {
    case .object(let object as GoTimeObject): time = object.time
    case .int(let seconds): time = GoTime(seconds: Int64(seconds), location: .local)
    default: time = .now()
    }
    return GoTimeLayout.format(time.in(GoLocation.load(named: zone) ?? .utc), layout: layout)
  }

  /// A `time.Time` parameter.
  private static func time(_ value: TemplateValue) throws -> GoTime {
    guard case .object(let object as GoTimeObject) = value else {
      throw wrongType(value, expected: "time.Time")
    }
    return object.time
  }

  private static func since(_ time: GoTime) -> Int64 {
    let now = GoTime.now()
    // Wrapping: far-off times (Go saturates) must not trap.
    return (now.seconds &- time.seconds) &* GoDuration.second
      &+ Int64(now.nanoseconds - time.nanoseconds)
  }

  /// Sprig's `durationRound`: the largest whole unit (y, mo, d, h, m, s) the magnitude exceeds.
  private static func roughly(_ duration: Int64) -> String {
    let magnitude = duration.magnitude
    let hour = UInt64(3600) * UInt64(GoDuration.second)
    let units: [(UInt64, String)] = [
      (hour * 24 * 365, "y"), (hour * 24 * 30, "mo"), (hour * 24, "d"), (hour, "h"),
      (UInt64(60) * UInt64(GoDuration.second), "m"), (UInt64(GoDuration.second), "s"),
    ]
    for (size, suffix) in units where magnitude > size {
      return String(magnitude / size) + suffix
    }
    return "0s"
  }
}
