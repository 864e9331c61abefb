import Foundation

/// The libFuzzer driver every harness shares.
///
/// SwiftPM renames an executable's entry point, so libFuzzer's own `main` cannot be used: each
/// harness's `main.swift` calls `FuzzDriver.run` with its body, which hands control to
/// `LLVMFuzzerRunDriver` from `libclang_rt.fuzzer_no_main` (linked by `Scripts/fuzz.sh`).
public enum FuzzDriver {
    /// Runs libFuzzer with the process's arguments, calling `body` with each input, and exits with its status.
    /// - Parameter body: one input's bytes (empty for libFuzzer's empty input); a crash or a failed
    ///   `precondition` inside it is a finding.
    public static func run(_ body: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
        harness = body
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { data, count in
            let bytes = data.map { UnsafeRawBufferPointer(start: $0, count: count) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
            FuzzDriver.harness(bytes)
            return 0
        })
    }

    /// The body of the harness this process runs (libFuzzer's callback is a C function: it cannot capture).
    nonisolated(unsafe) private static var harness: (UnsafeRawBufferPointer) -> Void = { _ in }
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>,
                             _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                             _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32
