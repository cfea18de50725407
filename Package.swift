// swift-tools-version: 6.1
import PackageDescription

// One package: the TripGen deploy toolkit, its CLI, and (later) the four services it deploys.
// Modules are listed lowest first; a module imports only modules listed above it (see DESIGN.md).
let package = Package(
  name: "tripgen",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "tripgen", targets: ["tripgen"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
  ],
  targets: [
    // System libraries: module maps over Debian's -dev packages.
    .systemLibrary(
      name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
    .systemLibrary(
      name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
    .systemLibrary(
      name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

    // Foundation modules.
    .target(
      name: "YAML",
      dependencies: ["CYAML", .product(name: "Collections", package: "swift-collections")]),
    .target(name: "HTTP", dependencies: ["CCurl"]),
    .target(name: "GoTemplate"),
    .target(name: "Git", dependencies: ["CGit2"]),
    .target(
      name: "Sprig",
      dependencies: [
        "GoTemplate", .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
      ]),
    .target(
      name: "Helm",
      dependencies: [
        "YAML", "GoTemplate", "Sprig",
        .product(name: "Collections", package: "swift-collections"),
      ]),
    .target(
      name: "OCI",
      dependencies: ["CZlib", "YAML", .product(name: "Crypto", package: "swift-crypto")]),
    .target(
      name: "Kube",
      dependencies: ["YAML", "HTTP", .product(name: "Collections", package: "swift-collections")]),
    .target(name: "Registry", dependencies: ["HTTP", "OCI", "YAML"]),

    // The command-line tool.
    .executableTarget(
      name: "tripgen",
      dependencies: [
        "YAML", "HTTP", "Git", "Helm", "OCI", "Kube", "Registry",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // Benchmarks: each compares against a reference tool measured in the same run.
    .executableTarget(
      name: "tripgen-bench",
      dependencies: [
        "YAML", "HTTP", "Git", "Helm", "OCI", "Kube", "Registry", "TestSupport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Benchmarks/Sources"),

    // Launchers for the real servers the tests use, and the in-process test servers.
    .target(
      name: "TestSupport",
      dependencies: [
        "YAML", .product(name: "Collections", package: "swift-collections"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ],
      path: "Tests/TestSupport"),
    .testTarget(name: "YAMLTests", dependencies: ["YAML", "TestSupport"]),
    .testTarget(name: "HTTPTests", dependencies: ["HTTP", "TestSupport"]),
    .testTarget(name: "GoTemplateTests", dependencies: ["GoTemplate"], exclude: ["Oracle"]),
    .testTarget(name: "SprigTests", dependencies: ["Sprig", "GoTemplate"], exclude: ["Oracle"]),
    .testTarget(name: "ChartTests", dependencies: ["Helm", "YAML", "TestSupport"]),
    .testTarget(name: "PipelineTests", dependencies: ["TestSupport"]),
    .testTarget(name: "GitTests", dependencies: ["Git", "TestSupport"]),
    .testTarget(
      name: "HelmTests", dependencies: ["Helm", "YAML", "GoTemplate", "TestSupport"],
      exclude: ["Oracle", "Charts"]),
    .testTarget(name: "OCITests", dependencies: ["OCI", "TestSupport"]),
    // The executable the OCI tests package into images: it prints one fixed line.
    .executableTarget(name: "oci-hello", path: "Tests/Fixtures/oci-hello"),
    .testTarget(name: "RegistryTests", dependencies: ["Registry", "OCI", "HTTP", "TestSupport"]),
    .testTarget(
      name: "KubeTests",
      dependencies: [
        "Kube", "YAML", "TestSupport",
      ]),
  ]
)
