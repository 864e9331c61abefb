import Foundation
import Testing
import TestSupport

/// Issue 15 through the built binary: non-regular files, encodings, CSV formulas, missing folders.
@Suite("Hardening, end to end")
struct HardeningCommandTests {
    @Test("index refuses a FIFO and /dev/zero at once as not a regular file", .timeLimit(.minutes(1)))
    func nonRegularFiles() throws {
        let folder = TemporaryDirectory("wardwatch-fifo")
        defer { folder.remove() }
        let fifo = folder.path("CAM01_20240710_153000.mp4")
        #expect(mkfifo(fifo, 0o600) == 0)
        let result = try Subprocess.wardwatch(["index", "--camera", "CAM01", "--catalog", folder.path("c.sqlite"), fifo, "/dev/zero"])
        #expect(result.status != 0)
        #expect(result.standardError.components(separatedBy: "not a regular file").count >= 3, "\(result.standardError)")
    }

    @Test("import names the line of the first byte that is not UTF-8, and stores nothing")
    func importEncoding() throws {
        let folder = TemporaryDirectory("wardwatch-encoding")
        defer { folder.remove() }
        var bytes = Array("reference,category,occurred_at,address\nINC-1,theft,2024-07-10 15:30,số 1\nINC-2,theft,2024-07-10 15:30,Ph".utf8)
        bytes += [0xFD, 0xF5, 0xF2, 0x6E, 0x67, 0x0A]
        let file = folder.path("incidents.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let result = try Subprocess.wardwatch(["import", "incidents", file, "--catalog", folder.path("c.sqlite")])
        #expect(result.status != 0)
        #expect(result.standardError.contains("incidents.csv:3: not valid UTF-8"), "\(result.standardError)")
        let listed = try Subprocess.wardwatch(["incidents", "--catalog", folder.path("c.sqlite"), "--format", "json"])
        #expect(!listed.standardOutput.contains("INC-1"))
    }

    @Test("CSV output neutralizes citizen text that a spreadsheet would run")
    func csvFormulas() throws {
        let folder = TemporaryDirectory("wardwatch-csv")
        defer { folder.remove() }
        let file = folder.path("incidents.csv")
        try """
            reference,category,occurred_at,address,description
            INC-1,theft,2024-07-10 15:30,số 12 Nguyễn Trãi,"=HYPERLINK(""http://evil"",""click"")"
            INC-2,=cmd|' /C calc'!A0,2024-07-10 15:30,@SUM(1),+84 912
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try Subprocess.wardwatch(["import", "incidents", file, "--catalog", folder.path("c.sqlite")])
        #expect(imported.status == 0, "\(imported.standardError)")
        let csv = try Subprocess.wardwatch(["incidents", "--catalog", folder.path("c.sqlite"), "--format", "csv"])
        #expect(csv.status == 0)
        for line in csv.standardOutput.split(separator: "\r\n") {
            for cell in line.split(separator: ",") where !cell.isEmpty {
                let text = cell.hasPrefix("\"") ? cell.dropFirst() : cell
                #expect(!"=+@".contains(text.first!), "a cell starts a formula: \(cell) in \(line)")
            }
        }
        #expect(csv.standardOutput.contains("'=HYPERLINK"))
    }

    @Test("a configured catalog on a missing folder is refused; a missing camera folder shows in status")
    func missingFolders() throws {
        let folder = TemporaryDirectory("wardwatch-folders")
        defer { folder.remove() }
        let config = folder.path("ward.yaml")
        try "catalog: /nonexistent-\(UUID().uuidString)/ward.sqlite\ncameras:\n  - { id: CAM01, folder: gone }\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let status = try Subprocess.wardwatch(["status", "--config", config])
        #expect(status.status == 64 && status.standardError.contains("does not exist (an unmounted disk?)"), "\(status.standardError)")
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent"))

        try "catalog: ward.sqlite\ncameras:\n  - { id: CAM01, folder: gone }\n".write(toFile: config, atomically: true, encoding: .utf8)
        let healthy = try Subprocess.wardwatch(["status", "--config", config, "--format", "json"])
        #expect(healthy.status == 0, "\(healthy.standardError)")
        #expect(healthy.standardOutput.contains("folder \(folder.path("gone")) missing"), "\(healthy.standardOutput)")
        let check = try Subprocess.wardwatch(["config", "check", "--config", config])
        #expect(check.status == 1 && check.standardError.contains("cameras[0].folder"))
    }

    @Test("a truncated AVI (MJPEG) is refused as truncated, like a cut MP4; the whole file indexes")
    func truncatedAVI() throws {
        let folder = TemporaryDirectory("wardwatch-avi")
        defer { folder.remove() }
        let whole = try Data(contentsOf: SampleRecordings.url("street_mjpeg.avi"))
        let cut = folder.path("CAM01_20240710_153000.avi")
        try whole.prefix(whole.count * 6 / 10).write(to: URL(fileURLWithPath: cut))
        let refused = try Subprocess.wardwatch(["index", "--camera", "CAM01", "--catalog", folder.path("c.sqlite"), cut])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("truncated"), "\(refused.standardError)")
        let indexed = try Subprocess.wardwatch(["index", "--camera", "CAM01", "--catalog", folder.path("c.sqlite"),
                                                SampleRecordings.url("street_mjpeg.avi").path])
        #expect(indexed.status == 0, "\(indexed.standardError)")
    }
}
