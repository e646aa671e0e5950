// swift-tools-version:5.9
// cnnspec: a static layer-graph compiler for convolutional networks.
// No package dependencies: the toolchain only.
import PackageDescription

let package = Package(
    name: "cnnspec",
    products: [
        .library(name: "CNNSpec", targets: ["CNNSpec"]),
        .executable(name: "cnnspec", targets: ["cnnspec"]),
    ],
    targets: [
        .target(name: "CNNSpec", linkerSettings: [.linkedLibrary("m")]),
        .executableTarget(name: "cnnspec", dependencies: ["CNNSpec"]),
        // The generated Swift of every spec in specs/ (`make generate`), compiled and tested.
        // The CPU flag turns SIMD arithmetic into vector instructions (PERF-NOTES.md).
        .target(name: "CNNSpecGenerated", path: "generated",
                swiftSettings: [.unsafeFlags(["-Xcc", "-march=native"], .when(configuration: .release))]),
        // Tests find specs/ and Fixtures/ through #filePath: no bundle resources needed.
        .testTarget(name: "CNNSpecTests", dependencies: ["CNNSpec", "CNNSpecGenerated"], exclude: ["Fixtures"]),
    ]
)
