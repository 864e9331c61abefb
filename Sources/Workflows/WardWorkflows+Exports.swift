import Access
import Catalog
import Evidence
import Foundation

/// An evidence export as a requester asks for it.
public struct ExportOrder: Sendable {
    /// Where the bundle goes.
    public enum Destination: Sendable, Equatable {
        /// A new folder, or a file ending in ".zip" (the command line's --out).
        case path(String)
        /// A zip named after the case in the configured export folder (the HTTP API).
        case exportFolder
    }

    public var selection: ExportRequest.Selection
    public var caseID: String
    public var reason: String
    public var preRollSeconds: Double
    public var postRollSeconds: Double
    public var destination: Destination
    /// Added to the audit entry, e.g. the incident the events came from.
    public var note: String?

    public init(selection: ExportRequest.Selection, caseID: String, reason: String, preRollSeconds: Double = 5,
                postRollSeconds: Double = 5, destination: Destination, note: String? = nil) {
        self.selection = selection
        self.caseID = caseID
        self.reason = reason
        self.preRollSeconds = preRollSeconds
        self.postRollSeconds = postRollSeconds
        self.destination = destination
        self.note = note
    }
}

/// A finished export.
public struct ExportOutcome: Sendable {
    public var result: ExportResult
    /// The bundle's file or folder name.
    public var bundleName: String
}

extension WardWorkflows {
    /// Writes a signed evidence bundle, records it in the custody log, puts its events on legal
    /// hold and audits it: the one export, whichever front end asks. Local times in metadata.json
    /// use each camera's own zone from the registry, else the ward's.
    /// - Throws: `WorkflowError`: `.denied`; `.invalid` ("events" or "camera") for unknown events or an
    ///   empty period; `.unavailable` without a signing key or export folder; `.failed`.
    public func export(_ order: ExportOrder, by requester: Requester) async throws -> ExportOutcome {
        try await authorize(requester, .exportEvidence)
        let selection = order.selection
        var cameraIDs: [(Int64?, String?)] = []
        switch selection {
        case let .events(ids): for id in ids { cameraIDs.append((id, try await store.event(id: id)?.camera)) }
        case let .cameraPeriod(camera, _, _): cameraIDs = [(nil, camera)]
        }
        if let (id, _) = cameraIDs.first(where: { $0.1 == nil }) {
            throw WorkflowError(.invalid, "event \(id ?? 0): not in the catalog", field: "events")
        }
        let registry = try await cameraRegistry()
        let cameras = Set(cameraIDs.compactMap(\.1)).sorted().map { id in registry.first { $0.id == id } ?? Camera(id: id) }
        try await authorize(requester, .exportEvidence, .cameras(cameras))

        guard let keyPath = settings.signingKeyPath else {
            throw WorkflowError(.unavailable, "no signing key is configured: create one with `wardwatch keys generate`")
        }
        let output: String, name: String
        switch order.destination {
        case let .path(path):
            output = path
            name = (path as NSString).lastPathComponent
        case .exportFolder:
            guard let folder = settings.exportDirectory else {
                throw WorkflowError(.unavailable, "this installation has no export folder configured")
            }
            name = Self.bundleName(caseID: order.caseID, at: Date())
            output = (folder as NSString).appendingPathComponent(name)
        }
        let request = ExportRequest(
            selection: selection, caseID: order.caseID, reason: order.reason, actor: requester.name, outputPath: output,
            preRollSeconds: order.preRollSeconds, postRollSeconds: order.postRollSeconds, timeZone: settings.timeZone,
            cameraTimeZones: settings.cameraTimeZones, wardwatchVersion: settings.version)
        if order.destination == .exportFolder {
            do {
                try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
            } catch {
                throw WorkflowError(.failed, "cannot create the export folder", cause: error)
            }
        }
        let result: ExportResult
        do throws(EvidenceError) {
            let key = try EvidenceSigningKey.load(from: keyPath)
            result = try await EvidenceExporter(store: store, stillsDirectory: settings.stillsDirectory, signingKey: key).export(request)
        } catch {
            switch error.code {
            case .notFound: throw WorkflowError.invalid(selection.isEvents ? "events" : "camera", error.message)
            case .output: throw WorkflowError(.invalid, error.message, field: "out")
            case .source:
                if let recording = error.recording { await reportChangedSource(recording, problem: error.message) }
                throw WorkflowError(.conflict, error.message)
            default: throw WorkflowError(.failed, "the export failed", cause: error)
            }
        }
        await clearChangedSources(result.metadata.items.flatMap { $0.sources.map(\.recordingID) })
        let what: String
        switch selection {
        case let .events(ids): what = "events=" + ids.map(String.init).joined(separator: ",")
        case let .cameraPeriod(camera, start, end):
            what = "camera=\(camera) from=\(Timestamp.format(start)) to=\(Timestamp.format(end))"
        }
        let detail = "case=\(order.caseID) reason=\(order.reason) " + (order.note.map { $0 + " " } ?? "") + what
            + " bundle=\(result.outputPath) manifest=\(result.manifestSHA256)"
        try await audit.record(requester, AccessAction.exportEvidence.rawValue, detail: detail, results: result.heldEventIDs.count)
        // Each export anchors the trail that records it; the bundle exists already, so a failure here only loses this checkpoint.
        _ = try? await writeCheckpoint(reason: "export")
        return ExportOutcome(result: result, bundleName: name)
    }

    /// The path of a bundle made into the export folder, for download. Ward-limited requesters get
    /// only bundles whose every event is in their ward. Audited.
    public func bundle(named name: String, for requester: Requester) async throws -> String {
        try await authorize(requester, .downloadBundle)
        guard let folder = settings.exportDirectory else { throw WorkflowError(.notFound, "this server keeps no exports") }
        guard name.hasSuffix(".zip"), !name.contains("/"), !name.hasPrefix(".") else {
            throw WorkflowError.invalid("name", "'\(name)' is not a bundle name")
        }
        let path = (folder as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else { throw WorkflowError(.notFound, "no bundle \(name)") }
        let records = try await store.custodyRecords(caseID: nil).filter { ($0.bundlePath as NSString).lastPathComponent == name }
        if records.isEmpty {
            try await authorize(requester, .downloadBundle, .unrecordedBundle)
        } else {
            var cameraIDs = Set<String>()
            for id in Set(records.flatMap(\.eventIDs)) {
                if let event = try await store.event(id: id) { cameraIDs.insert(event.camera) }
            }
            let registry = try await cameraRegistry()
            let cameras = cameraIDs.sorted().map { id in registry.first { $0.id == id } ?? Camera(id: id) }
            try await authorize(requester, .downloadBundle, .cameras(cameras))
        }
        try await audit.record(requester, AccessAction.downloadBundle.rawValue, results: 1)
        return path
    }

    /// "CA-2024_117-20240710T083000123Z.zip": the case, made safe for a file name, and the time.
    public static func bundleName(caseID: String, at time: Date) -> String {
        let safe = EvidenceExporter.fileSafe(caseID)
        let stamp = Timestamp.format(time).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .replacingOccurrences(of: ".", with: "")
        return "\(safe.prefix(60))-\(stamp).zip"
    }
}

extension ExportRequest.Selection {
    var isEvents: Bool { if case .events = self { true } else { false } }
}
