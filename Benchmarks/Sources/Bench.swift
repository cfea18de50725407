import ArgumentParser

/// `tripgen-bench`: measures the toolkit against reference tools in the same run and prints ratios.
/// Run in release mode: `swift run -c release tripgen-bench all`.
@main
struct Bench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tripgen-bench",
    abstract: "Measure TripGen's modules against reference tools on this machine.",
    subcommands: [
      AllBenchmarks.self, YAMLBenchmark.self, HTTPBenchmark.self, GitBenchmark.self,
      HelmBenchmark.self, OCIBenchmark.self, KubeBenchmark.self, RegistryBenchmark.self,
      GitOpsBenchmark.self,
      ControllerBenchmark.self,
    ]
  )
}
