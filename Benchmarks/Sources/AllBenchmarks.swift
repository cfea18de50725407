import ArgumentParser

/// `tripgen-bench all`: every other benchmark in turn, each with its default settings.
struct AllBenchmarks: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "all",
    abstract: "Run every benchmark with its default settings."
  )

  func run() async throws {
    let benchmarks = Bench.configuration.subcommands.filter { $0 != AllBenchmarks.self }
    for benchmark in benchmarks {
      let name = benchmark.configuration.commandName ?? "\(benchmark)"
      print("\n== \(name)")
      var command = try benchmark.parseAsRoot([])
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    }
  }
}
