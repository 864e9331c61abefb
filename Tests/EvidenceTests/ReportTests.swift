import Evidence
import Foundation
import TestSupport
import Testing
import ZIPFoundation

@Suite("index.html, the offline report", .serialized)
struct ReportTests {
    /// Relative targets of every href and src in a page.
    static func links(in html: String) throws -> [String] {
        let pattern = try NSRegularExpression(pattern: #"(?:href|src)="([^"]*)""#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap {
            Range($0.range(at: 1), in: html).map { String(html[$0]) }
        }
    }

    @Test("every event id and time appears, every link and source is a file in the bundle, nothing is fetched from outside")
    func reportContents() throws {
        let ward = try ExportCommandTests.shared.get()
        let out = ward.folder.path("report-\(UUID().uuidString)")
        let exported = try ward.export(["--camera", "CAM01", "--from", "2024-07-10T15:30:00+07:00", "--to", "2024-07-10T15:31:00+07:00"],
                                       out: out)
        try #require(exported.status == 0, "\(exported.standardError)")
        let html = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        let events = try ward.events()
        #expect(events.count >= 4)
        for event in events {
            let id = try #require(event["id"] as? Int)
            let start = try #require(event["start"] as? String), local = try #require(event["start_local"] as? String)
            #expect(html.contains("<td>\(id)</td>"), "event \(id)")
            #expect(html.contains(start) && html.contains(local), "event \(id) times")
        }
        let links = try Self.links(in: html)
        #expect(links.contains("custody.jsonl") && links.contains { $0.hasPrefix("stills/") })
        for link in links {
            #expect(!link.contains(":") && !link.hasPrefix("/"), "\(link) is not a relative link")
            #expect(FileManager.default.fileExists(atPath: (out as NSString).appendingPathComponent(link)), "\(link) is missing")
        }
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))
    }

    /// Debian's Chromium, when installed (Scripts/install-deps.sh installs it).
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test("headless Chromium renders index.html to a non-blank picture",
          .enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium), so the page is not rendered"))
    func screenshot() throws {
        let ward = try ExportCommandTests.shared.get()
        let out = ward.folder.path("shot-\(UUID().uuidString)")
        let exported = try ward.export(["--event", "3"], out: out)
        try #require(exported.status == 0, "\(exported.standardError)")
        let png = ward.folder.path("report-\(UUID().uuidString).png")
        let browser = try #require(Self.chromium)
        let rendered = try Subprocess.run(browser, [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1400",
            "--screenshot=\(png)", URL(fileURLWithPath: out + "/index.html").absoluteString,
        ], environment: ["HOME": ward.folder.url.path, "PATH": "/usr/bin:/bin"])
        #expect(rendered.status == 0, "\(rendered.standardError)")
        let image = try PNGImage(data: Data(contentsOf: URL(fileURLWithPath: png)))
        #expect(image.width == 1280 && image.height == 1400)
        // Text, tables and the still make many colours and plenty of dark pixels; a blank page has one colour.
        #expect(image.distinctColours > 50, "\(image.distinctColours) colours")
        #expect(image.darkFraction > 0.005, "\(image.darkFraction) dark")
    }
}

/// Just enough PNG decoding to tell a rendered page from a blank one: 8-bit RGB or RGBA,
/// not interlaced (what Chromium writes).
struct PNGImage {
    var width = 0, height = 0
    var pixels: [UInt8] = []
    var channels = 0

    init(data: Data) throws {
        let bytes = [UInt8](data)
        try #require(bytes.count > 8 && bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
        var index = 8
        var compressed = Data()
        func be32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        while index + 8 <= bytes.count {
            let length = be32(index)
            let type = String(decoding: bytes[index + 4..<index + 8], as: UTF8.self)
            let body = index + 8
            try #require(body + length <= bytes.count, "chunk \(type) cut short")
            if type == "IHDR" {
                width = be32(body)
                height = be32(body + 4)
                try #require(bytes[body + 8] == 8 && bytes[body + 12] == 0, "only 8-bit, non-interlaced")
                channels = bytes[body + 9] == 6 ? 4 : 3
                try #require(bytes[body + 9] == 2 || bytes[body + 9] == 6, "only RGB or RGBA")
            } else if type == "IDAT" {
                compressed.append(contentsOf: bytes[body..<body + length])
            }
            index = body + length + 4
        }
        // zlib stream: skip the 2-byte header; ZIPFoundation inflates raw deflate.
        let deflate = compressed.dropFirst(2)
        var raw = Data()
        _ = try Data.decompress(size: Int64(deflate.count), bufferSize: 1 << 16, skipCRC32: true, provider: { position, size in
            let start = deflate.startIndex + Int(position)
            return deflate.subdata(in: start..<min(start + size, deflate.endIndex))
        }, consumer: { raw.append($0) })
        pixels = try Self.unfilter([UInt8](raw), width: width, height: height, channels: channels)
    }

    /// Undoes the per-row filters (none, sub, up, average, Paeth).
    static func unfilter(_ raw: [UInt8], width: Int, height: Int, channels: Int) throws -> [UInt8] {
        let stride = width * channels
        try #require(raw.count >= height * (stride + 1), "image data cut short")
        var out = [UInt8](repeating: 0, count: height * stride)
        for row in 0..<height {
            let filter = raw[row * (stride + 1)]
            for column in 0..<stride {
                let x = Int(raw[row * (stride + 1) + 1 + column])
                let a = column >= channels ? Int(out[row * stride + column - channels]) : 0
                let b = row > 0 ? Int(out[(row - 1) * stride + column]) : 0
                let c = row > 0 && column >= channels ? Int(out[(row - 1) * stride + column - channels]) : 0
                let predictor: Int
                switch filter {
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: predictor = 0
                }
                out[row * stride + column] = UInt8((x + predictor) & 0xFF)
            }
        }
        return out
    }

    var distinctColours: Int {
        var seen = Set<UInt32>()
        for i in stride(from: 0, to: pixels.count, by: channels) {
            seen.insert(UInt32(pixels[i]) << 16 | UInt32(pixels[i + 1]) << 8 | UInt32(pixels[i + 2]))
        }
        return seen.count
    }

    /// Share of pixels darker than mid-grey (text, lines, footage).
    var darkFraction: Double {
        var dark = 0
        for i in stride(from: 0, to: pixels.count, by: channels)
        where Int(pixels[i]) + Int(pixels[i + 1]) + Int(pixels[i + 2]) < 3 * 128 { dark += 1 }
        return Double(dark) / Double(max(1, width * height))
    }
}
