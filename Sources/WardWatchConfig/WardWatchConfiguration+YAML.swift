import Alerts
import Foundation
import Ingest
import Linking
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
    /// - Throws: the first problem `check` finds.
    public static func parse(yaml text: String, file: String) throws(ConfigurationError) -> WardWatchConfiguration {
        let (configuration, problems) = check(yaml: text, file: file, checkFolders: false)
        if let first = problems.first { throw first }
        return configuration
    }

    /// Reads a configuration file and returns every problem in it, in file order, for `config check`.
    public static func check(path: String, checkFolders: Bool = true) -> (WardWatchConfiguration, [ConfigurationError]) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            let exists = FileManager.default.fileExists(atPath: path)
            return (WardWatchConfiguration(), [ConfigurationError(file: path, message: exists ? "cannot read the file" : "file not found")])
        }
        return check(yaml: text, file: path, checkFolders: checkFolders)
    }

    /// Parses configuration text and collects every problem instead of stopping at the first.
    /// With `checkFolders`, camera folders that do not exist are problems too.
    public static func check(yaml text: String, file: String, checkFolders: Bool) -> (WardWatchConfiguration, [ConfigurationError]) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return (WardWatchConfiguration(), [ConfigurationError(
                file: file, line: Self.line(of: error), message: "not valid YAML (\(Self.summary(of: error)))")])
        } catch {
            return (WardWatchConfiguration(), [ConfigurationError(file: file, message: "not valid YAML (\(error))")])
        }
        var configuration = WardWatchConfiguration()
        guard let root else { return (configuration, []) }
        let reader = NodeReader(file: file)
        let absoluteFile = file.hasPrefix("/")
            ? file : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(file)
        let base = (absoluteFile as NSString).deletingLastPathComponent
        /// Relative paths in a configuration file are relative to the file's folder.
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : ((base as NSString).appendingPathComponent(path) as NSString).standardizingPath
        }
        reader.resolve = resolve
        reader.collect {
            let top = try reader.mapping(root, key: nil, allowed: [
                "catalog", "time_zone", "indexing", "detection", "cameras", "daemon", "alerts", "evidence", "linking", "postgres",
                "retention", "ui", "http"])
            if let node = top["http"] { reader.collect { configuration.http = try reader.httpServer(node) } }
            if let node = top["retention"] {
                reader.collect {
                    let map = try reader.mapping(node, key: "retention", allowed: ["delete_recordings", "interval"])
                    if let n = map["delete_recordings"] {
                        reader.collect { configuration.retention.deleteRecordings = try reader.bool(n, key: "retention.delete_recordings") }
                    }
                    if let n = map["interval"] {
                        reader.collect {
                            configuration.retention.intervalSeconds = try reader.double(n, key: "retention.interval", in: 60...604_800, note: " seconds")
                        }
                    }
                }
            }
            if let node = top["catalog"] {
                reader.collect {
                    let location = try reader.string(node, key: "catalog")
                    // A postgresql:// URL names a server, not a file next to this one.
                    configuration.catalogPath = location.contains("://") ? location : resolve(location)
                    // A catalog file on a disk that is not mounted must not become a new, empty catalog.
                    let directory = (resolve(location) as NSString).deletingLastPathComponent
                    var isDirectory: ObjCBool = false
                    if checkFolders, !location.contains("://"), !directory.isEmpty,
                       !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
                        throw reader.error(node, key: "catalog", "folder '\(directory)' does not exist (an unmounted disk?); create it first")
                    }
                }
            }
            if let node = top["postgres"] { reader.collect { configuration.postgres = try reader.sharedCatalog(node) } }
            if let node = top["time_zone"] {
                reader.collect { configuration.timeZone = try reader.timeZone(node, key: "time_zone") }
            }
            if let node = top["indexing"] { reader.collect { configuration.indexing = try reader.indexing(node) } }
            if let node = top["detection"] {
                reader.collect { configuration.detection = try reader.detection(node, key: "detection", base: MotionSettings()) }
            }
            if let node = top["daemon"] { reader.collect { configuration.daemon = try reader.daemon(node) } }
            if let node = top["evidence"] {
                reader.collect {
                    let map = try reader.mapping(node, key: "evidence",
                                                 allowed: ["signing_key", "trusted_keys", "anchor_file", "checkpoint_interval"])
                    if let anchor = map["anchor_file"] {
                        configuration.anchorPath = resolve(try reader.string(anchor, key: "evidence.anchor_file"))
                    }
                    if let interval = map["checkpoint_interval"] {
                        configuration.checkpointIntervalSeconds = try reader.double(
                            interval, key: "evidence.checkpoint_interval", in: 0...31_536_000, note: " seconds (0 = only at exports)")
                    }
                    if let keys = map["trusted_keys"] {
                        configuration.trustedKeys = try reader.strings(keys, key: "evidence.trusted_keys").map { text in
                            text.count == 64 && text.allSatisfy(\.isHexDigit) ? text : resolve(text)
                        }
                    }
                    if let key = map["signing_key"] {
                        configuration.signingKeyPath = resolve(try reader.string(key, key: "evidence.signing_key"))
                    }
                }
            }
            if let node = top["linking"] { reader.collect { configuration.linking = try reader.linking(node) } }
            if let node = top["ui"] {
                reader.collect {
                    let map = try reader.mapping(node, key: "ui", allowed: ["tile_url"])
                    if let url = map["tile_url"] {
                        let text = try reader.string(url, key: "ui.tile_url")
                        guard text.hasPrefix("https://") || text.hasPrefix("http://"), ["{z}", "{x}", "{y}"].allSatisfy(text.contains) else {
                            throw reader.error(url, key: "ui.tile_url", "must be an http(s) URL with {z}, {x} and {y}")
                        }
                        configuration.tileURL = text
                    }
                }
            }
            if let node = top["cameras"] {
                configuration.cameras = reader.cameras(node, defaults: configuration, checkFolders: checkFolders)
            }
            if let node = top["alerts"] {
                configuration.alerts = reader.alertRules(node, cameras: Set(configuration.cameras.map(\.id)))
            }
        }
        // File-name timestamps are read in the ward's zone (each camera's own zone is applied per camera).
        configuration.indexing.start.timeZone = configuration.timeZone
        let problems = reader.problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
        return (configuration, problems)
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
final class NodeReader {
    let file: String
    private(set) var problems: [ConfigurationError] = []
    /// Makes a path from the file absolute (relative to the file's folder).
    var resolve: (String) -> String = { $0 }

    init(file: String) {
        self.file = file
    }

    /// Runs `body`, recording its problem (if any) and carrying on with the rest of the file.
    func collect(_ body: () throws -> Void) {
        do {
            try body()
        } catch let error as ConfigurationError {
            problems.append(error)
        } catch {
            problems.append(ConfigurationError(file: file, message: "\(error)"))
        }
    }

    func timeZone(_ node: Node, key: String) throws(ConfigurationError) -> TimeZone {
        let name = try string(node, key: key)
        guard let zone = TimeZone(identifier: name) else {
            throw error(node, key: key, "unknown time zone '\(name)' (use an IANA name like Asia/Ho_Chi_Minh)")
        }
        return zone
    }

    func indexing(_ node: Node) throws(ConfigurationError) -> IndexSettings {
        let map = try mapping(node, key: "indexing", allowed: [
            "decoder_threads", "fast_decode", "grid_columns", "analysis_fps", "still_max_width", "file_name_pattern", "mode"])
        var indexing = IndexSettings()
        if let n = map["decoder_threads"] { collect { indexing.decoderThreads = try int(n, key: "indexing.decoder_threads", in: 0...64) } }
        if let n = map["fast_decode"] { collect { indexing.fastDecode = try bool(n, key: "indexing.fast_decode") } }
        if let n = map["grid_columns"] { collect { indexing.gridColumns = try int(n, key: "indexing.grid_columns", in: 16...960) } }
        if let n = map["analysis_fps"] {
            collect { indexing.analysisFPS = try double(n, key: "indexing.analysis_fps", in: 0...240, note: " (0 = every frame)") }
        }
        if let n = map["still_max_width"] { collect { indexing.stillMaxWidth = try int(n, key: "indexing.still_max_width", in: 64...7680) } }
        if let n = map["file_name_pattern"] {
            collect { indexing.start.fileNamePattern = n.null != nil ? nil : try fileNamePattern(n, key: "indexing.file_name_pattern") }
        }
        if let n = map["mode"] {
            collect {
                let text = try string(n, key: "indexing.mode")
                guard let mode = IndexMode(rawValue: text) else {
                    throw error(n, key: "indexing.mode", "use exact or fast (got '\(text)')")
                }
                indexing.mode = mode
            }
        }
        return indexing
    }

    /// A camera's recordings folder, made absolute and (when `check` is set) required to exist.
    func folder(_ node: Node, key: String, check: Bool) throws(ConfigurationError) -> String {
        let folder = resolve(try string(node, key: key))
        var isDirectory: ObjCBool = false
        if check, !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw error(node, key: key, "folder '\(folder)' does not exist")
        }
        return folder
    }

    /// A file-name pattern, checked here so that a bad one is reported with its line.
    func fileNamePattern(_ node: Node, key: String) throws(ConfigurationError) -> FileNameTimestamp {
        let text = try string(node, key: key)
        do { return try FileNameTimestamp(pattern: text) } catch { throw self.error(node, key: key, error.reason) }
    }

    func daemon(_ node: Node) throws(ConfigurationError) -> DaemonSettings {
        let map = try mapping(node, key: "daemon", allowed: [
            "workers", "poll_interval", "settle_time", "max_attempts", "max_lag", "order", "max_crashes"])
        var daemon = DaemonSettings()
        if let n = map["workers"] { collect { daemon.workers = try int(n, key: "daemon.workers", in: 0...64) } }
        if let n = map["poll_interval"] { collect { daemon.pollIntervalSeconds = try double(n, key: "daemon.poll_interval", in: 0.1...86_400) } }
        if let n = map["settle_time"] { collect { daemon.settleSeconds = try double(n, key: "daemon.settle_time", in: 0...86_400) } }
        if let n = map["max_attempts"] { collect { daemon.maxAttempts = try int(n, key: "daemon.max_attempts", in: 1...100) } }
        if let n = map["max_crashes"] { collect { daemon.maxCrashes = try int(n, key: "daemon.max_crashes", in: 1...100) } }
        if let n = map["max_lag"] { collect { daemon.maxLagSeconds = try positive(n, key: "daemon.max_lag") } }
        if let n = map["order"] {
            collect {
                let text = try string(n, key: "daemon.order")
                guard let order = DaemonSettings.WorkOrder(rawValue: text) else {
                    throw error(n, key: "daemon.order", "use oldest_first or newest_first (got '\(text)')")
                }
                daemon.order = order
            }
        }
        return daemon
    }

    func linking(_ node: Node) throws(ConfigurationError) -> LinkSettings {
        let map = try mapping(node, key: "linking", allowed: ["radius", "margin"])
        var linking = LinkSettings()
        if let n = map["radius"] { collect { linking.radiusMetres = try double(n, key: "linking.radius", in: 1...100_000, note: " metres") } }
        if let n = map["margin"] { collect { linking.marginSeconds = try double(n, key: "linking.margin", in: 0...86_400, note: " seconds") } }
        return linking
    }

    func positive(_ node: Node, key: String) throws(ConfigurationError) -> Double {
        let value = try double(node, key: key)
        guard value > 0 else { throw error(node, key: key, "must be greater than 0") }
        return value
    }

    func strings(_ node: Node, key: String) throws(ConfigurationError) -> [String] {
        if node.scalar != nil { return [try string(node, key: key)] }
        guard let list = node.sequence else { throw error(node, key: key, "expected a list of text values") }
        var result: [String] = []
        for item in list { result.append(try string(item, key: key)) }
        return result
    }

    /// The camera registry. Each camera's problems are collected separately, and so is each field's.
    func cameras(_ node: Node, defaults: WardWatchConfiguration, checkFolders: Bool) -> [CameraConfiguration] {
        guard let list = node.sequence else {
            problems.append(error(node, key: "cameras", "expected a list of cameras"))
            return []
        }
        var cameras: [CameraConfiguration] = []
        var seen: [String: Int] = [:]
        var folders: [String: [(id: String, patterns: [String])]] = [:]
        for (index, item) in list.enumerated() {
            let key = "cameras[\(index)]"
            let map: [String: Node]
            do {
                map = try mapping(item, key: key, allowed: [
                    "id", "name", "ward", "street", "latitude", "longitude", "view", "folder", "files",
                    "file_name_pattern", "time_zone", "expected_interval", "retention_days", "detection",
                    "index_folder", "index_files", "index_file_name_pattern"],
                    reportUnknown: true)
            } catch {
                problems.append(error)
                continue
            }
            guard let idNode = map["id"], let id = try? string(idNode, key: "\(key).id"), !id.isEmpty else {
                problems.append(self.error(item, key: "\(key).id", "every camera needs an id"))
                continue
            }
            if let first = seen[id] {
                problems.append(self.error(idNode, key: "\(key).id", "duplicate camera id '\(id)' (first defined at line \(first))"))
                continue
            }
            seen[id] = (idNode.mark?.line) ?? 0
            var camera = CameraConfiguration(id: id, timeZone: defaults.timeZone, detection: defaults.detection)
            camera.fileNamePattern = defaults.indexing.start.fileNamePattern?.pattern
            let field = { (name: String) in "\(key).\(name)" }
            if let n = map["name"] { collect { camera.name = try string(n, key: field("name")) } }
            if let n = map["ward"] { collect { camera.ward = try string(n, key: field("ward")) } }
            if let n = map["street"] { collect { camera.street = try string(n, key: field("street")) } }
            if let n = map["view"] { collect { camera.viewDirection = try view(n, key: field("view")) } }
            if let n = map["latitude"] {
                collect {
                    let value = try double(n, key: field("latitude"))
                    guard (-90...90).contains(value) else { throw error(n, key: field("latitude"), "must be from -90 to 90 (got \(value))") }
                    camera.latitude = value
                }
            }
            if let n = map["longitude"] {
                collect {
                    let value = try double(n, key: field("longitude"))
                    guard (-180...180).contains(value) else {
                        throw error(n, key: field("longitude"), "must be from -180 to 180 (got \(value))")
                    }
                    camera.longitude = value
                }
            }
            if (map["latitude"] == nil) != (map["longitude"] == nil) {
                problems.append(self.error(item, key: key, "give both latitude and longitude, or neither"))
            }
            if let n = map["folder"] { collect { camera.folder = try folder(n, key: field("folder"), check: checkFolders) } }
            if let n = map["files"] { collect { camera.filePatterns = try strings(n, key: field("files")) } }
            if let n = map["index_folder"] {
                collect { camera.indexFolder = try folder(n, key: field("index_folder"), check: checkFolders) }
                if map["folder"] == nil {
                    problems.append(self.error(n, key: field("index_folder"), "a sub-stream folder needs the main stream's folder too"))
                }
            }
            if let n = map["index_files"] { collect { camera.indexFilePatterns = try strings(n, key: field("index_files")) } }
            if let n = map["file_name_pattern"] {
                collect { camera.fileNamePattern = n.null != nil ? nil : try fileNamePattern(n, key: field("file_name_pattern")).pattern }
            }
            camera.indexFileNamePattern = camera.fileNamePattern
            if let n = map["index_file_name_pattern"] {
                collect {
                    camera.indexFileNamePattern = n.null != nil ? nil
                        : try fileNamePattern(n, key: field("index_file_name_pattern")).pattern
                }
            }
            if let n = map["time_zone"] { collect { camera.timeZone = try timeZone(n, key: field("time_zone")) } }
            if let n = map["expected_interval"] { collect { camera.expectedIntervalSeconds = try double(n, key: field("expected_interval"), in: 1...2_592_000, note: " seconds") } }
            if let n = map["retention_days"] { collect { camera.retentionDays = try int(n, key: field("retention_days"), in: 1...36_500) } }
            if let n = map["detection"] {
                collect { camera.detection = try detection(n, key: field("detection"), base: defaults.detection) }
            }
            // Two cameras in one folder would index each other's files, unless their file patterns differ.
            if let folder = camera.folder, let folderNode = map["folder"] {
                for other in folders[folder, default: []] where !Set(other.patterns).isDisjoint(with: camera.filePatterns) {
                    problems.append(self.error(folderNode, key: "\(key).folder",
                        "folder '\(folder)' is also camera '\(other.id)'s folder, with the same file patterns; "
                        + "give each camera its own folder (or disjoint `files`)"))
                }
                folders[folder, default: []].append((camera.id, camera.filePatterns))
            }
            cameras.append(camera)
        }
        return cameras
    }

    func alertRules(_ node: Node, cameras: Set<String>) -> [AlertRule] {
        guard let list = node.sequence else {
            problems.append(error(node, key: "alerts", "expected a list of rules"))
            return []
        }
        var rules: [AlertRule] = []
        var names: Set<String> = []
        for (index, item) in list.enumerated() {
            let key = "alerts[\(index)]"
            collect {
                let map = try mapping(item, key: key, allowed: [
                    "name", "log", "format", "kinds", "cameras", "wards", "streets", "time_of_day", "min_duration", "min_area",
                    "zones"])
                guard let nameNode = map["name"], let logNode = map["log"] else {
                    throw error(item, key: key, "a rule needs a name and a log file")
                }
                let name = try string(nameNode, key: "\(key).name")
                guard names.insert(name).inserted else { throw error(nameNode, key: "\(key).name", "duplicate rule name '\(name)'") }
                var rule = AlertRule(name: name, log: resolve(try string(logNode, key: "\(key).log")))
                if let n = map["format"] {
                    let text = try string(n, key: "\(key).format")
                    guard let format = AlertRule.Format(rawValue: text) else { throw error(n, key: "\(key).format", "use json or text") }
                    rule.format = format
                }
                if let n = map["kinds"] {
                    var kinds: Set<AlertRule.Kind> = []
                    for text in try strings(n, key: "\(key).kinds") {
                        guard let kind = AlertRule.Kind(rawValue: text) else { throw error(n, key: "\(key).kinds", "use motion, health or incident") }
                        kinds.insert(kind)
                    }
                    rule.kinds = kinds
                }
                if let n = map["cameras"] {
                    rule.cameras = try strings(n, key: "\(key).cameras")
                    if let unknown = rule.cameras.first(where: { !cameras.contains($0) }) {
                        throw error(n, key: "\(key).cameras", "no camera '\(unknown)' in the registry")
                    }
                }
                if let n = map["wards"] { rule.wards = try strings(n, key: "\(key).wards") }
                if let n = map["streets"] { rule.streets = try strings(n, key: "\(key).streets") }
                if let n = map["time_of_day"] {
                    let text = try string(n, key: "\(key).time_of_day")
                    guard let window = TimeWindow(text) else {
                        throw error(n, key: "\(key).time_of_day", "expected HH:MM-HH:MM in local time (got '\(text)')")
                    }
                    rule.timeOfDay = window
                }
                if let n = map["min_duration"] { rule.minimumDurationSeconds = try double(n, key: "\(key).min_duration", in: 0...86_400) }
                if let n = map["min_area"] { rule.minimumArea = try double(n, key: "\(key).min_area", in: 0...1) }
                if let n = map["zones"] { rule.zones = try polygons(n, key: "\(key).zones") }
                rules.append(rule)
            }
        }
        return rules
    }

    func error(_ node: Node, key: String?, _ message: String) -> ConfigurationError {
        ConfigurationError(file: file, line: node.mark.map { $0.line }, key: key, message: message)
    }


    /// The keys and values of a mapping. Unknown keys are errors; with `reportUnknown` they are
    /// recorded as problems and skipped, so the rest of the entry is still checked.
    func mapping(_ node: Node, key: String?, allowed: Set<String>, reportUnknown: Bool = false)
        throws(ConfigurationError) -> [String: Node]
    {
        guard let mapping = node.mapping else { throw error(node, key: key, "expected a mapping of keys to values") }
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let name = keyNode.string else { throw error(keyNode, key: key, "keys must be text") }
            let path = key.map { "\($0).\(name)" } ?? name
            guard allowed.contains(name) else {
                let problem = error(keyNode, key: path, "unknown key (known: \(allowed.sorted().joined(separator: ", ")))")
                if reportUnknown {
                    problems.append(problem)
                    continue
                }
                throw problem
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

    func double(_ node: Node, key: String, in range: ClosedRange<Double>, note: String = "") throws(ConfigurationError) -> Double {
        let value = try double(node, key: key)
        guard range.contains(value) else {
            throw error(node, key: key, "must be from \(Self.text(range.lowerBound)) to \(Self.text(range.upperBound))\(note) (got \(node.scalar?.string ?? String(value)))")
        }
        return value
    }

    static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// A `view`: a compass point (N, NE, …, NNE) or degrees from 0 to 360.
    func view(_ node: Node, key: String) throws(ConfigurationError) -> String {
        let text = try string(node, key: key).trimmingCharacters(in: .whitespaces)
        let points: Set<String> = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]
        if points.contains(text.uppercased()) { return text }
        if let degrees = Double(text), (0...360).contains(degrees) { return text }
        throw error(node, key: key, "unknown view '\(text)' (a compass point like N, NE, SSW, or degrees from 0 to 360)")
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

    func detection(_ node: Node, key: String, base: MotionSettings) throws(ConfigurationError) -> MotionSettings {
        let map = try mapping(node, key: key, allowed: [
            "sensitivity", "noise_factor", "min_area", "min_cells", "min_motion", "frame_gap", "reference_lag",
            "merge_gap", "min_event", "max_event", "pre_roll", "post_roll", "include", "exclude",
            "model", "learning_time", "min_blob", "min_displacement", "stop_time"])
        var settings = base
        let numbers: [(String, WritableKeyPath<MotionSettings, Double>)] = [
            ("sensitivity", \.sensitivity), ("noise_factor", \.noiseFactor), ("min_area", \.minimumArea),
            ("min_motion", \.minimumMotionSeconds), ("frame_gap", \.frameGapTolerance),
            ("reference_lag", \.referenceLagSeconds), ("merge_gap", \.mergeGapSeconds),
            ("min_event", \.minimumEventSeconds), ("max_event", \.maximumEventSeconds),
            ("pre_roll", \.preRollSeconds), ("post_roll", \.postRollSeconds),
            ("learning_time", \.learningSeconds), ("min_displacement", \.minimumDisplacement), ("stop_time", \.stopSeconds),
        ]
        let before = problems.count
        if let n = map["model"] {
            collect {
                let text = try string(n, key: "\(key).model")
                guard let model = MotionSettings.Model(rawValue: text) else {
                    throw error(n, key: "\(key).model", "'\(text)' is not a detector: use background or frame-diff")
                }
                settings.model = model
            }
        }
        if let n = map["min_blob"] { collect { settings.minimumBlobCells = try int(n, key: "\(key).min_blob", in: 1...100_000) } }
        for (name, path) in numbers {
            if let n = map[name] { collect { settings[keyPath: path] = try double(n, key: "\(key).\(name)") } }
        }
        if let n = map["min_cells"] { collect { settings.minimumCells = try int(n, key: "\(key).min_cells", in: 1...100_000) } }
        if let n = map["include"] { collect { settings.include = try polygons(n, key: "\(key).include") } }
        if let n = map["exclude"] { collect { settings.exclude = try polygons(n, key: "\(key).exclude") } }
        // Every problem, each pointing at its field's line ("field: reason").
        for problem in settings.problems {
            let field = String(problem.prefix { $0 != ":" && $0 != "[" })
            let reason = problem.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? problem
            problems.append(error(map[field] ?? node, key: "\(key).\(field)", reason))
        }
        if problems.count > before, let last = problems.popLast() { throw last }
        return settings
    }
}
