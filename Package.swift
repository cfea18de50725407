// swift-tools-version: 6.1
import PackageDescription

// The service executables' link: no symbol table exported to the dynamic linker (nothing looks their
// symbols up at run time) and packed relative relocations (DT_RELR, glibc 2.36+), so that start-up
// reads and relocates less of the binary: less resident memory (see Benchmarks/Services.md).
let serviceLinkerSettings: [LinkerSetting] = [
  .unsafeFlags(
    [
      "-use-ld=lld", "-Xlinker", "--no-export-dynamic", "-Xlinker", "-z", "-Xlinker",
      "pack-relative-relocs",
    ], .when(platforms: [.linux]))
]

// One package: the TripGen deploy toolkit, its CLI, and the four services it deploys. Modules are
// listed lowest first; a module imports only modules listed above it (docs/ARCHITECTURE.md).
let package = Package(
  name: "tripgen",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "tripgen", targets: ["tripgen"]),
    .executable(name: "user-service", targets: ["user-service"]),
    .executable(name: "trip-service", targets: ["trip-service"]),
    .executable(name: "location-service", targets: ["location-service"]),
    .executable(name: "ai-service", targets: ["ai-service"]),
  ],
  // Pinned exactly: Package.resolved is not committed, so these pins are what makes every clone
  // build the versions the tests ran with (the dependencies' own dependencies still resolve to
  // ranges their manifests allow).
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
    .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
    .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
    .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
    // The services: HTTP, PostgreSQL, JWT, password hashing, logs and metrics.
    .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    .package(url: "https://github.com/vapor/jwt-kit", exact: "5.8.0"),
    .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
    .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
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
    // hiredis: no pkgConfig, its .pc file adds -D_FILE_OFFSET_BITS=64, which SwiftPM warns about; the
    // header and library are in the default search paths on Debian.
    .systemLibrary(name: "CHiredis", providers: [.apt(["libhiredis-dev"])]),

    // Bottom modules: one piece of infrastructure each, used by the modules below.
    // Go's text for floats (strconv.FormatFloat's forms, encoding/json's float form).
    .target(name: "GoNumbers"),
    // The one JSON writer: Go's string escapes and number forms, compact or indented.
    .target(name: "JSONText", dependencies: ["GoNumbers"]),
    // Blocking work run on a thread of its own, off Swift's cooperative pool (`offPool`).
    .target(name: "Blocking"),
    // The one log format: a JSON object per line, for the controller and the services.
    .target(
      name: "JSONLogging",
      dependencies: ["JSONText", .product(name: "Logging", package: "swift-log")]),

    // Foundation modules.
    .target(
      name: "YAML",
      dependencies: [
        "CYAML", "GoNumbers", "JSONText",
        .product(name: "Collections", package: "swift-collections"),
      ]),
    .target(name: "HTTP", dependencies: ["CCurl"]),
    .target(name: "GoTemplate", dependencies: ["GoNumbers"]),
    .target(name: "Git", dependencies: ["CGit2"]),
    .target(
      name: "Sprig",
      dependencies: [
        "GoTemplate", "JSONText", .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
      ]),
    .target(
      name: "Helm",
      dependencies: [
        "YAML", "GoNumbers", "GoTemplate", "Sprig",
        .product(name: "Collections", package: "swift-collections"),
      ]),
    .target(
      name: "OCI",
      dependencies: [
        "CZlib", "YAML", "Blocking", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .target(
      name: "Kube",
      dependencies: [
        "YAML", "HTTP", "Blocking", .product(name: "Collections", package: "swift-collections"),
      ]),
    .target(name: "Registry", dependencies: ["HTTP", "OCI", "YAML", "Blocking"]),
    // An environment's desired state: the environment file, its charts rendered and marked.
    .target(
      name: "Environments", dependencies: ["YAML", "Git", "Helm", "Sprig", "OCI", "Blocking"]),
    // Offline checks of an environment's desired state: schemas, capacity, cost, policy.
    .target(name: "Checks", dependencies: ["Environments", "YAML", "Helm"]),
    // The reconcile engine: takes rendered objects; plan, sync, prune, health, drift, status, history.
    .target(
      name: "GitOps",
      dependencies: [
        "YAML", "Kube", "Environments", "Helm", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // The one way from Git to the cluster: revision, image store and bindings, rendering, the
    // environment's policies (sleep, schedule), then the engine. The front ends below call it.
    .target(
      name: "Delivery",
      dependencies: [
        "Environments", "GitOps", "Git", "OCI", "Registry", "Kube", "YAML", "Blocking",
      ]),
    // The CI step: build, push, render, check, plan; GitHub Actions outputs, summaries, annotations.
    .target(
      name: "Pipeline",
      dependencies: [
        "Environments", "Checks", "GitOps", "Delivery", "Git", "Helm", "OCI", "Registry", "Kube",
        "YAML", "Blocking", .product(name: "Collections", package: "swift-collections"),
      ]),

    // The in-cluster controller: polling and webhook, leader election, self-heal, schedule, status page.
    .target(
      name: "Controller",
      dependencies: [
        "Environments", "GitOps", "Delivery", "Git", "Kube", "Registry", "YAML",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ]),

    // What the four services share: configuration, actuator, logs, metrics, JWT, PostgreSQL, Redis.
    .target(
      name: "ServiceKit",
      dependencies: [
        "CHiredis", "JSONLogging",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "JWTKit", package: "jwt-kit"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ]),
    // The services' routes and logic, as libraries so the tests can drive them in-process.
    .target(
      name: "UserAPI",
      dependencies: [
        "ServiceKit",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
      ]),
    .target(
      name: "TripAPI",
      dependencies: [
        "ServiceKit",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ]),
    .target(
      name: "LocationAPI",
      dependencies: [
        "ServiceKit",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ]),
    .target(
      name: "ItineraryAPI",
      dependencies: [
        "ServiceKit", "HTTP",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ]),
    // The four service executables: each reads its configuration and runs its API.
    .executableTarget(
      name: "user-service", dependencies: ["UserAPI"], linkerSettings: serviceLinkerSettings),
    .executableTarget(
      name: "trip-service", dependencies: ["TripAPI"], linkerSettings: serviceLinkerSettings),
    .executableTarget(
      name: "location-service", dependencies: ["LocationAPI"], linkerSettings: serviceLinkerSettings
    ),
    .executableTarget(
      name: "ai-service", dependencies: ["ItineraryAPI"], linkerSettings: serviceLinkerSettings),

    // The command-line tool.
    .executableTarget(
      name: "tripgen",
      dependencies: [
        "YAML", "HTTP", "Git", "Helm", "OCI", "Kube", "Registry", "Environments", "Checks",
        "GitOps", "Delivery", "Pipeline", "Controller", "JSONLogging", "Blocking",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]),

    // Benchmarks: each compares against a reference tool measured in the same run.
    .executableTarget(
      name: "tripgen-bench",
      dependencies: [
        "YAML", "HTTP", "Git", "Helm", "OCI", "Kube", "Registry", "TestSupport", "Environments",
        "GitOps", "Delivery", "Controller",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Benchmarks/Sources"),

    // Launchers for the real servers the tests use, and the in-process test servers. Kube: the
    // real-cluster harness and the pod stand-in talk to kube-apiserver through the product's client.
    .target(
      name: "TestSupport",
      dependencies: [
        "YAML", "OCI", "Kube", .product(name: "Collections", package: "swift-collections"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ],
      path: "Tests/TestSupport"),
    .testTarget(name: "GoNumbersTests", dependencies: ["GoNumbers"]),
    .testTarget(name: "JSONTextTests", dependencies: ["JSONText"]),
    .testTarget(name: "BlockingTests", dependencies: ["Blocking"]),
    .testTarget(
      name: "JSONLoggingTests",
      dependencies: ["JSONLogging", .product(name: "Logging", package: "swift-log")]),
    .testTarget(name: "YAMLTests", dependencies: ["YAML", "TestSupport"]),
    .testTarget(name: "HTTPTests", dependencies: ["HTTP", "TestSupport"]),
    .testTarget(name: "GoTemplateTests", dependencies: ["GoTemplate"], exclude: ["Oracle"]),
    .testTarget(name: "SprigTests", dependencies: ["Sprig", "GoTemplate"], exclude: ["Oracle"]),
    .testTarget(name: "ChartTests", dependencies: ["Helm", "YAML", "TestSupport"]),
    .testTarget(
      name: "EnvironmentsTests",
      dependencies: ["Environments", "Git", "YAML", "OCI", "Registry", "TestSupport"]),
    .testTarget(
      name: "ChecksTests",
      dependencies: ["Checks", "Environments", "Git", "YAML", "OCI", "Kube", "TestSupport"]),
    .testTarget(
      name: "PipelineTests",
      dependencies: ["Pipeline", "Environments", "Checks", "Git", "YAML", "TestSupport"]),
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
    .testTarget(
      name: "GitOpsTests",
      // The one path's front ends too (the CI step, the controller): they must agree with the CLI.
      dependencies: [
        "GitOps", "Delivery", "Environments", "Kube", "Git", "YAML", "OCI", "Registry", "Pipeline",
        "Controller", "TestSupport", .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(
      name: "ControllerTests",
      dependencies: [
        "Controller", "Delivery", "Environments", "Git", "GitOps", "Helm", "Kube", "YAML",
        "TestSupport",
      ]),
    .testTarget(
      name: "ServiceTests",
      dependencies: [
        "ServiceKit", "UserAPI", "TripAPI", "LocationAPI", "ItineraryAPI", "JSONLogging",
        "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // The CLI's options and help, parsed in-process (the verbs' behaviour is tested with the
    // modules they drive, through the built executable).
    .testTarget(
      name: "tripgenTests",
      dependencies: [
        "tripgen", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
  ]
)
