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
        let registry = try await cameraRegistry()
        func place(_ id: String) -> Camera { registry.first { $0.id == id } ?? Camera(id: id) }
        // Another ward's event or camera is answered as a missing one (see `authorizeNamed`).
        switch selection {
        case let .events(ids):
            for id in ids {
                let missing = WorkflowError(.invalid, "event \(id): not in the catalog", field: "events")
                guard let event = try await store.event(id: id) else { throw missing }
                try await authorizeNamed(requester, .exportEvidence, .camera(place(event.camera)), missing: missing)
            }
        case let .cameraPeriod(camera, from, to):
            let start = from.addingTimeInterval(-order.preRollSeconds), end = to.addingTimeInterval(order.postRollSeconds)
            let missing = WorkflowError.invalid("camera", "no indexed recordings of camera \(camera) cover "
                                                + "\(Timestamp.format(start, in: settings.timeZone)) – \(Timestamp.format(end, in: settings.timeZone))")
            // (A period that ends before it starts is the exporter's to refuse, by name.)
            if to > from, try await store.recordings(camera: camera, overlappingFrom: start, to: end).isEmpty { throw missing }
            try await authorizeNamed(requester, .exportEvidence, .camera(place(camera)), missing: missing)
        }

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
        let what: String
        switch selection {
        case let .events(ids): what = "events=" + ids.map(String.init).joined(separator: ",")
        case let .cameraPeriod(camera, start, end):
            what = "camera=\(camera) from=\(Timestamp.format(start)) to=\(Timestamp.format(end))"
        }
        let prefix = "case=\(order.caseID) reason=\(order.reason) " + (order.note.map { $0 + " " } ?? "") + what
        // The audit entry commits with the custody record and the holds, in one transaction.
        let auditing: @Sendable (EvidenceExporter.Recorded) -> AuditedChange = { recorded in
            AuditedChange(NewAuditEntry(actor: requester.name, action: AccessAction.exportEvidence.rawValue,
                                        query: prefix + " bundle=\(recorded.outputPath) manifest=\(recorded.manifestSHA256)",
                                        resultCount: recorded.heldEventIDs.count, client: requester.client),
                          hash: sha256Hex)
        }
        let result: ExportResult
        do {
            let key = try EvidenceSigningKey.load(from: keyPath)
            let exporter = EvidenceExporter(store: store, stillsDirectory: settings.stillsDirectory, signingKey: key)
            result = try await heavyWork.withSlot { try await exporter.export(request, auditing: auditing) }
        } catch let error as EvidenceError {
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
        // Each export anchors the trail that records it; the bundle exists already, so a failure here only loses this checkpoint.
        _ = try? await writeCheckpoint(reason: "export")
        return ExportOutcome(result: result, bundleName: name)
    }

    /// The path of a bundle made into the export folder, for download. Ward-limited requesters get
    /// only bundles whose every event is in their ward; another ward's bundle is "no bundle". Audited.
    public func bundle(named name: String, for requester: Requester) async throws -> String {
        let path = try await visibleBundle(named: name, for: requester)
        try await audit.record(requester, AccessAction.downloadBundle.rawValue, results: 1)
        return path
    }

    /// Checks a bundle of the export folder as `wardwatch verify` does, against this server's
    /// signing key, on the heavy-work pool. The same bundles as `bundle(named:for:)`. Audited.
    public func verifyBundle(named name: String, for requester: Requester) async throws -> VerificationReport {
        let path = try await visibleBundle(named: name, for: requester)
        let keyPath = settings.signingKeyPath
        let report: VerificationReport
        do {
            report = try await heavyWork.run("wardwatch.bundle.verify") { () throws(EvidenceError) -> VerificationReport in
                let trusted = try keyPath.map { (path) throws(EvidenceError) -> String in try EvidenceSigningKey.load(from: path).publicKey.fingerprint }
                return try BundleVerifier.verify(path: path, trustedFingerprint: trusted)
            }
        } catch let error as EvidenceError {
            throw WorkflowError.invalid("name", error.message)
        }
        try await audit.record(requester, "bundle.verify", results: report.intact ? 1 : 0)
        return report
    }

    /// The path of a bundle in the export folder that the requester may have.
    func visibleBundle(named name: String, for requester: Requester) async throws -> String {
        try await authorize(requester, .downloadBundle)
        guard let folder = settings.exportDirectory else { throw WorkflowError(.notFound, "this server keeps no exports") }
        guard name.hasSuffix(".zip"), !name.contains("/"), !name.hasPrefix(".") else {
            throw WorkflowError.invalid("name", "'\(name)' is not a bundle name")
        }
        let missing = WorkflowError(.notFound, "no bundle \(name)")
        let path = (folder as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else { throw missing }
        let records = try await store.custodyRecords(caseID: nil).filter { ($0.bundlePath as NSString).lastPathComponent == name }
        if records.isEmpty {
            try await authorizeNamed(requester, .downloadBundle, .unrecordedBundle, missing: missing)
        } else {
            var cameraIDs = Set<String>()
            for id in Set(records.flatMap(\.eventIDs)) {
                if let event = try await store.event(id: id) { cameraIDs.insert(event.camera) }
            }
            let registry = try await cameraRegistry()
            let cameras = cameraIDs.sorted().map { id in registry.first { $0.id == id } ?? Camera(id: id) }
            try await authorizeNamed(requester, .downloadBundle, .cameras(cameras), missing: missing)
        }
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
