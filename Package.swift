// swift-tools-version: 6.1
import PackageDescription

/// Our own targets build with warnings as errors; dependencies are left alone.
let strict: [SwiftSetting] = [.unsafeFlags(["-warnings-as-errors"])]
/// The per-pixel and per-cell loops stay optimized in debug builds too, so tests over real footage run
/// at realistic speed.
let hotLoops: [SwiftSetting] = strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "WardWatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wardwatch", targets: ["wardwatch"]),
        .executable(name: "wardwatch-bench", targets: ["wardwatch-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Without its default traits: we configure the server ourselves, so swift-configuration is not built.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // FFmpeg's C libraries from the system (Debian: libav*-dev), plus a shim for macros.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev"])]
        ),
        // The Swift face of FFmpeg: probe, decode to luma grids, stills. Unsafe pointers stay here.
        .target(name: "MediaIO", dependencies: ["CFFmpeg"], swiftSettings: hotLoops),
        // System calls that must not lose bytes (write-and-sync with EINTR and short writes), and
        // blocking work on a thread of its own. Alerts, Evidence and Ingest share it.
        .target(name: "SystemIO", swiftSettings: strict),
        // Motion detection on luma grids: pure Swift, no FFmpeg types.
        .target(name: "Motion", swiftSettings: hotLoops),
        // Domain values, queries and the store protocol.
        .target(name: "Catalog", swiftSettings: strict),
        // The embedded default store.
        .target(
            name: "CatalogSQLite",
            dependencies: ["Catalog", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // The shared catalog for deployments that outgrow one box: PostgreSQL through postgres-nio's pool.
        .target(
            name: "CatalogPostgres",
            dependencies: [
                "Catalog",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // Moving a SQLite catalog into PostgreSQL, checked afterwards.
        .target(
            name: "CatalogCopy",
            dependencies: ["Catalog", "CatalogSQLite", "CatalogPostgres", "Access"],
            swiftSettings: strict
        ),
        // Incidents and tips: import, offline place resolution, and links to events by place and time.
        .target(name: "Linking", dependencies: ["Catalog"], swiftSettings: strict),
        // Decode + detect + commit, idempotently.
        .target(
            name: "Ingest",
            dependencies: [
                "MediaIO", "Motion", "Catalog", "SystemIO",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // Alert rules over new events and health problems; JSON-lines log files that survive rotation.
        .target(
            name: "Alerts",
            dependencies: [
                "Catalog", "Motion", "SystemIO",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // Access tokens (only hashes are stored) and the hash-chained audit trail.
        .target(
            name: "Access",
            dependencies: ["Catalog", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // Evidence bundles: clips, stills, metadata, a signed manifest and a chain of custody; and the
        // verifier, which reads only the bundle (never the catalog).
        .target(
            name: "Evidence",
            dependencies: ["Catalog", "MediaIO", "SystemIO", .product(name: "Crypto", package: "swift-crypto"), "ZIPFoundation"],
            swiftSettings: strict
        ),
        // The configuration file (YAML) and its validation, at the top: it builds each library's settings.
        .target(
            name: "WardWatchConfig",
            dependencies: ["Catalog", "Motion", "Ingest", "Alerts", "Linking", "Yams"],
            swiftSettings: strict
        ),
        // What the ward does, once for every front end: the access policy, the audit trail, export,
        // import, clips, and what follows a commit (relink, then alerts).
        .target(
            name: "Workflows",
            dependencies: [
                "Catalog", "Access", "Evidence", "Linking", "MediaIO", "SystemIO",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The HTTP API (Hummingbird): one route collection per resource, bearer tokens, role middleware.
        .target(
            name: "HTTPAPI",
            dependencies: [
                "Catalog", "Evidence", "Linking", "Workflows", "Access", "SystemIO", "Yams",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            resources: [
                .embedInCode("openapi.yaml"), .embedInCode("Console/index.html"), .embedInCode("Console/app.css"),
                .embedInCode("Console/app.js"), .embedInCode("Console/api.js"), .embedInCode("Console/i18n.js"),
                .embedInCode("Console/views.js"),
            ],
            swiftSettings: strict
        ),
        // What both executables share: global options, output formats, the progress bar.
        .target(
            name: "CommandLineSupport",
            dependencies: [
                "Catalog", "CatalogSQLite", "MediaIO", "WardWatchConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The thin executable.
        .executableTarget(
            name: "wardwatch",
            dependencies: [
                "MediaIO", "Motion", "Catalog", "CatalogSQLite", "Ingest", "WardWatchConfig", "Alerts", "Access", "HTTPAPI", "Evidence",
                "Linking", "Workflows", "CommandLineSupport", "CatalogPostgres", "CatalogCopy", "SystemIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // The benchmarks, out of the product binary but built with it (so they cannot rot).
        .executableTarget(
            name: "wardwatch-bench",
            dependencies: [
                "MediaIO", "Catalog", "CatalogSQLite", "CatalogPostgres", "Ingest", "WardWatchConfig", "Evidence", "Linking", "CommandLineSupport",
                "SystemIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // MARK: - Tests
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        // The behavioural store tests, written once against the role protocols; every backend's tests run them.
        .target(name: "CatalogConformance", dependencies: ["Catalog"], path: "Tests/CatalogConformance", swiftSettings: strict),
        .testTarget(name: "MediaIOTests", dependencies: ["MediaIO", "CFFmpeg", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "MotionTests", dependencies: ["Motion"], swiftSettings: strict),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog"], swiftSettings: strict),
        .testTarget(
            name: "CatalogSQLiteTests",
            dependencies: ["Catalog", "CatalogSQLite", "CatalogConformance", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CatalogPostgresTests",
            dependencies: ["Catalog", "CatalogPostgres", "CatalogSQLite", "CatalogCopy", "CatalogConformance", "Access",
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(name: "LinkingTests", dependencies: ["Linking", "Catalog", "CatalogSQLite"], swiftSettings: strict),
        .testTarget(
            name: "IngestTests",
            dependencies: [
                "Ingest", "MediaIO", "Motion", "Catalog", "CatalogSQLite", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AlertsTests",
            dependencies: ["Alerts", "Catalog", "CatalogSQLite", "WardWatchConfig", "TestSupport",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AccessTests",
            dependencies: ["Access", "Catalog", "CatalogSQLite", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EvidenceTests",
            dependencies: ["Evidence", "Catalog", "CatalogSQLite", "MediaIO", "TestSupport", "ZIPFoundation",
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(name: "WardWatchConfigTests", dependencies: ["WardWatchConfig", "Motion", "Alerts", "Linking"], swiftSettings: strict),
        .testTarget(
            name: "HTTPAPITests",
            dependencies: ["HTTPAPI", "Workflows", "Access", "Catalog", "CatalogSQLite", "Evidence", "Linking", "MediaIO", "TestSupport",
                           "Yams", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WorkflowsTests",
            dependencies: ["Workflows", "Catalog", "CatalogSQLite", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WardWatchCLITests",
            dependencies: ["wardwatch", "wardwatch-bench", "TestSupport", "ZIPFoundation", "Yams"],
            swiftSettings: strict
        ),
    ]
)

// MARK: - Fuzzing (only when asked: `WARDWATCH_FUZZ=1`, see Scripts/fuzz.sh)

/// libFuzzer harnesses for every parser of outside input, built in their own scratch folder, so the
/// product build never sees them. Only our own code is instrumented (AddressSanitizer and libFuzzer's
/// coverage): dependencies such as swift-crypto's BoringSSL build as usual, which keeps a cold build short.
if Context.environment["WARDWATCH_FUZZ"] != nil {
    let instrumented: [SwiftSetting] = [.unsafeFlags([
        "-sanitize=address", "-sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp",
    ])]
    for target in package.targets where target.type == .regular || target.type == .executable {
        target.swiftSettings = (target.swiftSettings ?? []) + instrumented
    }
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/FuzzSupport", swiftSettings: strict))
    let harnesses: [(String, [Target.Dependency])] = [
        ("FuzzImports", ["Linking", "Catalog"]),
        ("FuzzConfig", ["WardWatchConfig"]),
        ("FuzzTimes", ["Catalog"]),
        ("FuzzPlaceText", ["Catalog", "Linking"]),
        ("FuzzSearchQuery", ["Catalog"]),
        ("FuzzISO6709", ["Ingest"]),
        ("FuzzVerify", ["Evidence"]),
        ("FuzzMedia", ["MediaIO"]),
    ]
    for (name, dependencies) in harnesses {
        package.targets.append(.executableTarget(
            name: name, dependencies: dependencies + ["FuzzSupport"], path: "Fuzz/\(name)",
            swiftSettings: strict + instrumented, linkerSettings: [.unsafeFlags(["-sanitize=address"])]))
    }
}
