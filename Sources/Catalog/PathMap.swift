import Foundation

/// Where one node mounts the shared recordings differently from the others.
///
/// A shared catalog keeps one path per file: the *stored* form, the same for every node, so that a file is
/// one row whatever mount a node sees it through. Each node translates at the catalog's edge: paths it found
/// on its disks go in as stored paths, and stored paths come out as paths it can open. Prefixes match whole
/// path components (`/srv/cam` does not match `/srv/camera`), longest first; a path no prefix matches is
/// the same in both forms.
public struct PathMap: Sendable, Equatable {
    public struct Mount: Sendable, Equatable {
        public var stored: String
        public var local: String

        public init(stored: String, local: String) {
            self.stored = Self.trimmed(stored)
            self.local = Self.trimmed(local)
        }

        /// Without a trailing "/" (except for the root itself), so that prefixes compare by component.
        static func trimmed(_ path: String) -> String {
            var path = path
            while path.count > 1, path.hasSuffix("/") { path.removeLast() }
            return path
        }
    }

    public private(set) var mounts: [Mount]

    /// - Parameter prefixes: stored prefix → local prefix, as configured (`postgres.path_map`).
    public init(_ prefixes: [String: String] = [:]) {
        mounts = prefixes.map { Mount(stored: $0.key, local: $0.value) }
    }

    public var isEmpty: Bool { mounts.isEmpty }

    /// The path this node opens for a path the catalog stores.
    public func local(_ stored: String) -> String {
        Self.replace(stored, mounts.map { ($0.stored, $0.local) })
    }

    /// The path the catalog stores for a path this node found.
    public func stored(_ local: String) -> String {
        Self.replace(local, mounts.map { ($0.local, $0.stored) })
    }

    private static func replace(_ path: String, _ pairs: [(from: String, to: String)]) -> String {
        let match = pairs.filter { covers($0.from, path) }.max { $0.from.count < $1.from.count }
        guard let match else { return path }
        return match.to + path.dropFirst(match.from.count)
    }

    private static func covers(_ prefix: String, _ path: String) -> Bool {
        guard path.hasPrefix(prefix) else { return false }
        if prefix == "/" || path.count == prefix.count { return true }
        return path[path.index(path.startIndex, offsetBy: prefix.count)] == "/"
    }
}
