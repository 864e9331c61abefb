#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A system call failed: which call, on what, and errno's text.
public struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The call that failed ("open", "write", "fsync").
    public var call: String
    /// The file it worked on.
    public var path: String
    public var errno: Int32

    public init(call: String, path: String, errno: Int32) {
        self.call = call
        self.path = path
        self.errno = errno
    }

    /// errno's text ("No space left on device").
    public var reason: String { String(cString: strerror(errno)) }

    public var description: String { "\(call) '\(path)': \(reason)" }
}

/// Runs a system call, retrying while it is interrupted by a signal (EINTR), and turns a -1 into
/// a `SystemCallError`. Every call in this module returns through here.
@discardableResult
func syscall<T: FixedWidthInteger>(_ call: String, path: String, _ body: () -> T) throws(SystemCallError) -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = errno
        if code == EINTR { continue }
        throw SystemCallError(call: call, path: path, errno: code)
    }
}
