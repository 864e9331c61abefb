import Foundation

extension ReportFile {
    /// The text of an import file's bytes: UTF-8 (with or without a byte-order mark), or UTF-16 when
    /// it starts with a UTF-16 byte-order mark (what Excel's "Unicode text" writes).
    ///
    /// Anything else that is not valid UTF-8 (a Windows-1258 or TCVN3 export) is refused with the
    /// line of the first bad byte: decoding it as UTF-8 would turn Vietnamese letters into U+FFFD.
    /// - Throws: `LinkingError` (`malformed`) naming the file and line.
    public static func text(of data: Data, file: String) throws(LinkingError) -> String {
        let bytes = [UInt8](data)
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            let littleEndian = bytes[0] == 0xFF
            guard bytes.count % 2 == 0 else {
                throw LinkingError(.malformed, file: file, message: "UTF-16 text with an odd number of bytes (the file is cut short)")
            }
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2 - 1)
            for index in stride(from: 2, to: bytes.count, by: 2) {
                units.append(littleEndian ? UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
                                          : UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
            }
            var scalars = String.UnicodeScalarView()
            var line = 1
            var decoder = UTF16()
            var iterator = units.makeIterator()
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar):
                    if scalar == "\n" { line += 1 }
                    scalars.append(scalar)
                case .emptyInput: break loop
                case .error:
                    throw LinkingError(.malformed, file: file, line: line,
                                       message: "not valid UTF-16 (an unpaired surrogate); save the file as UTF-8")
                }
            }
            return String(scalars)
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
        if let text = String(validating: body, as: UTF8.self) { return text }
        // Find the first bad byte to name its line.
        var line = 1
        var decoder = UTF8()
        var iterator = body.makeIterator()
        var offset = body.startIndex
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1 }
                offset += scalar.utf8.count
            case .emptyInput:
                return String(decoding: body, as: UTF8.self)
            case .error:
                let byte = offset < body.endIndex ? String(format: "0x%02X", body[offset]) : "the end"
                throw LinkingError(.malformed, file: file, line: line, message:
                    "not valid UTF-8 (byte \(byte)); the file looks like another encoding (Windows-1258, TCVN3?): save it as UTF-8")
            }
        }
    }
}
