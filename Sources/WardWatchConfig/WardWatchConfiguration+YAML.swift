import Foundation
import Motion
import Yams

extension WardWatchConfiguration {
    /// Reads and validates a YAML configuration file. Unknown keys are errors (a typo must not
    /// silently fall back to a default).
    /// - Throws: `ConfigurationError` naming the file, line and key of the first problem.
    public static func load(path: String) throws(ConfigurationError) -> WardWatchConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw ConfigurationError(file: path, message: exists ? "cannot read the file" : "file not found")
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses configuration text; `file` is only used in error messages.
    public static func parse(yaml text: String, file: String) throws(ConfigurationError) -> WardWatchConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError(file: file, line: Self.line(of: error), message: "not valid YAML (\(Self.summary(of: error)))")
        } catch {
            throw ConfigurationError(file: file, message: "not valid YAML (\(error))")
        }
        var configuration = WardWatchConfiguration()
        guard let root else { return configuration }
        let reader = NodeReader(file: file)
        let top = try reader.mapping(root, key: nil, allowed: ["catalog", "time_zone", "indexing", "detection"])
        if let node = top["catalog"] { configuration.catalogPath = try reader.string(node, key: "catalog") }
        if let node = top["time_zone"] {
            let name = try reader.string(node, key: "time_zone")
            guard let zone = TimeZone(identifier: name) else {
                throw reader.error(node, key: "time_zone", "unknown time zone '\(name)' (use an IANA name like Asia/Ho_Chi_Minh)")
            }
            configuration.timeZone = zone
        }
        if let node = top["indexing"] {
            let map = try reader.mapping(node, key: "indexing", allowed: [
                "decoder_threads", "fast_decode", "grid_columns", "analysis_fps", "still_max_width", "file_name_pattern"])
            var indexing = Indexing()
            if let n = map["decoder_threads"] { indexing.decoderThreads = try reader.int(n, key: "indexing.decoder_threads", in: 0...64) }
            if let n = map["fast_decode"] { indexing.fastDecode = try reader.bool(n, key: "indexing.fast_decode") }
            if let n = map["grid_columns"] { indexing.gridColumns = try reader.int(n, key: "indexing.grid_columns", in: 16...960) }
            if let n = map["analysis_fps"] {
                indexing.analysisFPS = try reader.double(n, key: "indexing.analysis_fps")
                guard (0...240).contains(indexing.analysisFPS) else {
                    throw reader.error(n, key: "indexing.analysis_fps", "must be from 0 (every frame) to 240")
                }
            }
            if let n = map["still_max_width"] { indexing.stillMaxWidth = try reader.int(n, key: "indexing.still_max_width", in: 64...7680) }
            if let n = map["file_name_pattern"] {
                indexing.fileNamePattern = n.null != nil ? nil : try reader.string(n, key: "indexing.file_name_pattern")
            }
            configuration.indexing = indexing
        }
        if let node = top["detection"] {
            configuration.detection = try reader.detection(node, key: "detection")
        }
        return configuration
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func summary(of error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _):
            return problem
        default:
            return "\(error)".split(separator: "\n").first.map(String.init) ?? "syntax error"
        }
    }
}

/// Reads typed values out of YAML nodes, turning every mismatch into a `ConfigurationError` with a line.
struct NodeReader {
    let file: String

    func error(_ node: Node, key: String?, _ message: String) -> ConfigurationError {
        ConfigurationError(file: file, line: node.mark.map { $0.line }, key: key, message: message)
    }

    func mapping(_ node: Node, key: String?, allowed: Set<String>) throws(ConfigurationError) -> [String: Node] {
        guard let mapping = node.mapping else { throw error(node, key: key, "expected a mapping of keys to values") }
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let name = keyNode.string else { throw error(keyNode, key: key, "keys must be text") }
            let path = key.map { "\($0).\(name)" } ?? name
            guard allowed.contains(name) else {
                throw error(keyNode, key: path, "unknown key (known: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard result[name] == nil else { throw error(keyNode, key: path, "appears twice") }
            result[name] = value
        }
        return result
    }

    func string(_ node: Node, key: String) throws(ConfigurationError) -> String {
        guard let scalar = node.scalar else { throw error(node, key: key, "expected text") }
        return scalar.string
    }

    func bool(_ node: Node, key: String) throws(ConfigurationError) -> Bool {
        guard let value = node.bool else { throw error(node, key: key, "expected true or false") }
        return value
    }

    func int(_ node: Node, key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let value = node.int else { throw error(node, key: key, "expected a whole number") }
        guard range.contains(value) else { throw error(node, key: key, "must be from \(range.lowerBound) to \(range.upperBound)") }
        return value
    }

    func double(_ node: Node, key: String) throws(ConfigurationError) -> Double {
        guard let value = node.float ?? node.int.map(Double.init), value.isFinite else {
            throw error(node, key: key, "expected a number")
        }
        return value
    }

    func polygons(_ node: Node, key: String) throws(ConfigurationError) -> [Polygon] {
        guard let list = node.sequence else { throw error(node, key: key, "expected a list of polygons") }
        var polygons: [Polygon] = []
        for (index, item) in list.enumerated() {
            let itemKey = "\(key)[\(index)]"
            guard let points = item.sequence else { throw error(item, key: itemKey, "expected a list of [x, y] points") }
            var result: [Polygon.Point] = []
            for point in points {
                guard let pair = point.sequence, pair.count == 2 else { throw error(point, key: itemKey, "a point is [x, y]") }
                let x = try double(pair[0], key: itemKey), y = try double(pair[1], key: itemKey)
                guard (0...1).contains(x), (0...1).contains(y) else {
                    throw error(point, key: itemKey, "coordinates are normalized: 0 to 1 (got [\(x), \(y)])")
                }
                result.append(Polygon.Point(x: x, y: y))
            }
            guard result.count >= 3 else { throw error(item, key: itemKey, "a polygon needs at least 3 points") }
            polygons.append(Polygon(result))
        }
        return polygons
    }

    func detection(_ node: Node, key: String) throws(ConfigurationError) -> MotionSettings {
        let map = try mapping(node, key: key, allowed: [
            "sensitivity", "noise_factor", "min_area", "min_cells", "min_motion", "frame_gap", "reference_lag",
            "merge_gap", "min_event", "max_event", "pre_roll", "post_roll", "include", "exclude"])
        var settings = MotionSettings()
        let numbers: [(String, WritableKeyPath<MotionSettings, Double>)] = [
            ("sensitivity", \.sensitivity), ("noise_factor", \.noiseFactor), ("min_area", \.minimumArea),
            ("min_motion", \.minimumMotionSeconds), ("frame_gap", \.frameGapTolerance),
            ("reference_lag", \.referenceLagSeconds), ("merge_gap", \.mergeGapSeconds),
            ("min_event", \.minimumEventSeconds), ("max_event", \.maximumEventSeconds),
            ("pre_roll", \.preRollSeconds), ("post_roll", \.postRollSeconds),
        ]
        for (name, path) in numbers {
            if let n = map[name] { settings[keyPath: path] = try double(n, key: "\(key).\(name)") }
        }
        if let n = map["min_cells"] { settings.minimumCells = try int(n, key: "\(key).min_cells", in: 1...100_000) }
        if let n = map["include"] { settings.include = try polygons(n, key: "\(key).include") }
        if let n = map["exclude"] { settings.exclude = try polygons(n, key: "\(key).exclude") }
        if let problem = settings.problem {
            // "field: reason" → point at the field's line.
            let field = String(problem.prefix { $0 != ":" && $0 != "[" })
            let reason = problem.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? problem
            throw error(map[field] ?? node, key: "\(key).\(field)", reason)
        }
        return settings
    }
}
