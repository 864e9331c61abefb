import Foundation

/// Recordings are regular files. A FIFO, a device (`/dev/zero`) or a socket would block an open or
/// a read forever, or never end, so they are refused by `stat` before anything opens them.
public enum RegularFile {
    /// - Throws: `MediaIOError` (`fileNotFound`, or `unreadable` with "not a regular file") naming the path.
    public static func check(_ path: String) throws(MediaIOError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { throw MediaIOError(.fileNotFound, path: path, reason: "file not found") }
            throw MediaIOError(.unreadable, path: path, reason: String(cString: strerror(errno)))
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR { throw MediaIOError(.unreadable, path: path, reason: "is a directory, not a recording") }
        guard kind == S_IFREG else {
            throw MediaIOError(.unreadable, path: path, reason: "not a regular file (\(describe(kind)))")
        }
    }

    static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a file"
        }
    }
}
