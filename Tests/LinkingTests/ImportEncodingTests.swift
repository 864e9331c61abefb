import Foundation
import Linking
import Testing

/// Issue 15, defects 6 and 8: import files in the wrong encoding, or not files at all.
@Suite("Import files: encodings and non-regular files")
struct ImportEncodingTests {
    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("enc-\(UUID().uuidString)-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("Windows-1258 bytes are an encoding error naming the line, not U+FFFD in the catalog")
    func windows1258() throws {
        // "Phường" in Windows-1258: P h ý (0xFD… as a single byte) — any lone high byte is invalid UTF-8.
        var bytes = Array("reference,category,occurred_at,address\nINC-1,theft,2024-07-10 15:30,Ph".utf8)
        bytes += [0xFD, 0xF5, 0xF2, 0x6E, 0x67]
        bytes += Array("\n".utf8)
        let path = try write(bytes, "w1258.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try ReportFile.read(path: path)
            Issue.record("an invalid UTF-8 file was read")
        } catch {
            #expect(error.line == 2)
            #expect(error.description.contains("not valid UTF-8"), "\(error)")
        }
    }

    @Test("UTF-16 with a byte-order mark is read correctly, little- and big-endian", arguments: [true, false])
    func utf16(littleEndian: Bool) throws {
        let text = "reference,category,occurred_at,address\nINC-1,trộm cắp,2024-07-10 15:30,số 12 Nguyễn Trãi\n"
        var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in text.utf16 {
            bytes += littleEndian ? [UInt8(unit & 0xFF), UInt8(unit >> 8)] : [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        let path = try write(bytes, "u16.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let rows = try ReportFile.read(path: path)
        #expect(rows.count == 1 && rows[0].fields["category"] == "trộm cắp" && rows[0].fields["address"] == "số 12 Nguyễn Trãi")
    }

    @Test("a UTF-8 byte-order mark is skipped")
    func utf8BOM() throws {
        let path = try write([0xEF, 0xBB, 0xBF] + Array("reference,category\nINC-1,trộm\n".utf8), "bom.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ReportFile.read(path: path).first?.fields["reference"] == "INC-1")
    }

    @Test("a FIFO or a device is refused at once as not a regular file", .timeLimit(.minutes(1)), arguments: ["fifo", "/dev/zero"])
    func nonRegular(kind: String) throws {
        var path = kind
        if kind == "fifo" {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID().uuidString).csv").path
            #expect(mkfifo(path, 0o600) == 0)
        }
        defer { if kind == "fifo" { unlink(path) } }
        do {
            _ = try ReportFile.read(path: path)
            Issue.record("read \(path)")
        } catch {
            #expect(error.description.contains("not a regular file"), "\(error)")
        }
    }
}
