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
        // Tests find specs/ and Fixtures/ through #filePath: no bundle resources needed.
        .testTarget(name: "CNNSpecTests", dependencies: ["CNNSpec"], exclude: ["Fixtures"]),
    ]
)
