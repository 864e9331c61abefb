import Catalog
import Evidence
import Foundation

extension WardWorkflows {
    /// A recording's file is not the one indexed (an export or a clip found it): the recording is marked
    /// unhealthy (`status` shows it) and a health alert is queued in the same transaction, then delivered
    /// where this process delivers alerts. Failing to record it does not hide the refusal: it is logged
    /// by the caller's error, which names the file either way.
    func reportChangedSource(_ recording: Recording, problem: String) async {
        do {
            try await store.recordSourceProblem(recordingID: recording.id, problem: problem,
                                                alerts: settings.sourceAlerts(recording, problem))
            try await deliverAlerts?()
        } catch {
            // The refusal itself is what matters; the caller throws it.
        }
    }

    /// A later export found the file matching again (the original was restored): the mark is cleared.
    func clearChangedSources(_ recordingIDs: [Int64]) async {
        for id in Set(recordingIDs).sorted() {
            guard let recording = try? await store.recording(id: id), recording.sourceProblem != nil else { continue }
            try? await store.recordSourceProblem(recordingID: id, problem: nil, alerts: [])
        }
    }
}
