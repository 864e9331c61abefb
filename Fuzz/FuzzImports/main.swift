import Catalog
import Foundation
import FuzzSupport
import Linking

/// CSV and JSON imports: bytes → text (encodings) → rows → incidents and tips.
func fuzzImports(_ bytes: UnsafeRawBufferPointer) {
    let data = Data(bytes)
    guard let text = try? ReportFile.text(of: data, file: "fuzz") else { return }
    let importer = ReportImport(timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)
    for format in [ReportFile.Format.csv, .json] {
        guard let rows = try? ReportFile.parse(text, format: format, file: "fuzz") else { continue }
        _ = try? importer.incidents(rows, file: "fuzz")
        _ = try? importer.tips(rows, file: "fuzz")
    }
}

FuzzDriver.run(fuzzImports)
