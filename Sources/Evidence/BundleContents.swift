import Crypto
import Foundation
import SystemIO
import ZIPFoundation

/// A bundle's files, whether it is a folder or a zip: what the verifier and the custody writer read.
protocol BundleContents {
    /// Every file (relative path, "/" separators) with its size; folders are not listed. A symbolic
    /// link or other special file is listed with `regular: false`, so the verifier can name it.
    func files() throws(EvidenceError) -> [BundleContentsFile]

    /// The whole content of a small file (the manifest, the signature, the custody log).
    func data(_ path: String) throws(EvidenceError) -> Data

    /// Size and SHA-256 of a file, streamed.
    func digest(_ path: String) throws(EvidenceError) -> (size: Int64, sha256: String)

    /// Appends bytes to a file (the custody log), durably.
    func append(_ bytes: Data, to path: String) throws(EvidenceError)
}

struct BundleContentsFile: Equatable {
    var path: String
    var size: Int64
    var regular: Bool
}

/// Opens a bundle: a folder, or a file read as a zip archive.
/// - Throws: `.bundle` when the path is neither.
func openBundle(_ path: String) throws(EvidenceError) -> any BundleContents {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
        throw EvidenceError(.bundle, "bundle '\(path)' not found")
    }
    return isFolder.boolValue ? FolderBundle(root: path) : try ZipBundle(path: path)
}

// MARK: - Folder

struct FolderBundle: BundleContents {
    let root: String

    func files() throws(EvidenceError) -> [BundleContentsFile] {
        var result: [BundleContentsFile] = []
        try walk("", into: &result)
        return result.sorted { $0.path < $1.path }
    }

    private func walk(_ relative: String, into result: inout [BundleContentsFile]) throws(EvidenceError) {
        let folder = relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw EvidenceError(.bundle, "cannot list '\(folder)'", error: error)
        }
        for name in names {
            let path = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat((root as NSString).appendingPathComponent(path), &info) == 0 else {
                throw EvidenceError(.bundle, "cannot read '\(path)' in bundle '\(root)'", cause: String(cString: strerror(errno)))
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: try walk(path, into: &result)
            case S_IFREG: result.append(BundleContentsFile(path: path, size: Int64(info.st_size), regular: true))
            default: result.append(BundleContentsFile(path: path, size: 0, regular: false))
            }
        }
    }

    func data(_ path: String) throws(EvidenceError) -> Data {
        do { return try Data(contentsOf: URL(fileURLWithPath: (root as NSString).appendingPathComponent(path))) } catch {
            throw EvidenceError(.bundle, "\(path): cannot read", error: error)
        }
    }

    func digest(_ path: String) throws(EvidenceError) -> (size: Int64, sha256: String) {
        try FileDigest.sha256(ofFile: (root as NSString).appendingPathComponent(path))
    }

    func append(_ bytes: Data, to path: String) throws(EvidenceError) {
        let full = (root as NSString).appendingPathComponent(path)
        do { try DurableFile.write(bytes, to: full, mode: .appendExisting) } catch {
            throw EvidenceError(.io, error.call == "open" ? "cannot open '\(full)' to append" : "cannot append to '\(full)'",
                                cause: error.reason)
        }
    }
}

// MARK: - Zip

/// A zipped bundle. The files may sit at the archive's root or in one top folder (as `export`
/// writes them, so that unzipping makes one folder); paths are given relative to that folder.
final class ZipBundle: BundleContents {
    let path: String
    private var archive: Archive
    private var prefix: String

    init(path: String) throws(EvidenceError) {
        self.path = path
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw EvidenceError(.bundle, "bundle '\(path)' is neither a folder nor a readable zip file", error: error)
        }
        prefix = Self.prefix(of: archive)
    }

    /// "" when manifest.json is at the root, else "<top>/" when every entry sits in one top folder.
    private static func prefix(of archive: Archive) -> String {
        if archive[BundleLayout.manifest] != nil { return "" }
        let tops = Set(archive.map { $0.path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? "" })
        guard tops.count == 1, let top = tops.first, archive[top + "/" + BundleLayout.manifest] != nil else { return "" }
        return top + "/"
    }

    func files() throws(EvidenceError) -> [BundleContentsFile] {
        archive.compactMap { entry -> BundleContentsFile? in
            guard entry.type != .directory else { return nil }
            let relative = entry.path.hasPrefix(prefix) ? String(entry.path.dropFirst(prefix.count)) : "../" + entry.path
            return BundleContentsFile(path: relative, size: Int64(entry.uncompressedSize), regular: entry.type == .file)
        }.sorted { $0.path < $1.path }
    }

    private func entry(_ relative: String) throws(EvidenceError) -> Entry {
        guard let entry = archive[prefix + relative] else { throw EvidenceError(.bundle, "\(relative): missing") }
        return entry
    }

    func data(_ relative: String) throws(EvidenceError) -> Data {
        let entry = try entry(relative)
        var data = Data()
        do { _ = try archive.extract(entry) { data.append($0) } } catch {
            throw EvidenceError(.bundle, "\(relative): damaged in the zip", error: error)
        }
        return data
    }

    func digest(_ relative: String) throws(EvidenceError) -> (size: Int64, sha256: String) {
        let entry = try entry(relative)
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            _ = try archive.extract(entry) { chunk in
                hasher.update(data: chunk)
                size += Int64(chunk.count)
            }
        } catch {
            throw EvidenceError(.bundle, "\(relative): damaged in the zip", error: error)
        }
        return (size, FileDigest.hex(hasher.finalize()))
    }

    /// Rewrites the entry with the bytes added: a zip member cannot grow in place.
    func append(_ bytes: Data, to relative: String) throws(EvidenceError) {
        let content = try data(relative) + bytes
        do {
            let writable = try Archive(url: URL(fileURLWithPath: path), accessMode: .update)
            if let old = writable[prefix + relative] { try writable.remove(old) }
            try writable.addEntry(with: prefix + relative, type: .file, uncompressedSize: Int64(content.count),
                                  compressionMethod: .deflate) { position, size in
                content.subdata(in: Data.Index(position)..<Data.Index(position) + size)
            }
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw EvidenceError(.io, "cannot update \(relative) in '\(path)'", error: error)
        }
    }
}
