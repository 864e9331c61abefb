import Catalog
import Foundation

extension AlertPlanner {
    /// Lines carrying a signed audit checkpoint to every log that takes health alerts: kind
    /// `audit.checkpoint`, the checkpoint itself under "checkpoint" (so `audit verify --anchor` reads such a
    /// log as an anchor file). One line per rule and checkpoint (the id names the entry count and time).
    public func checkpointAlerts(_ checkpoint: AuditCheckpoint) -> [NewAlert] {
        let time = Timestamp.parse(checkpoint.time) ?? Date()
        return rules.filter { $0.kinds.contains(.health) }.map { rule in
            let id = "\(rule.name)/audit-checkpoint-\(checkpoint.entries)-\(checkpoint.time)"
            let text: String
            switch rule.format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                let line = CheckpointLine(alert_id: id, rule: rule.name, kind: "audit.checkpoint", start: checkpoint.time,
                                          start_local: Timestamp.format(time, in: timeZone), checkpoint: checkpoint)
                text = String(decoding: (try? encoder.encode(line)) ?? Data(), as: UTF8.self)
            case .text:
                text = "\(Timestamp.format(time, in: timeZone)) [\(rule.name)] audit.checkpoint: \(checkpoint.entries) entries, "
                    + "last hash \(checkpoint.lastHash), signed \(checkpoint.signature) by \(checkpoint.signer) [\(id)]"
            }
            return NewAlert(alertID: id, rule: rule.name, log: rule.log, line: text)
        }
    }
}

/// An audit checkpoint as an alert line.
private struct CheckpointLine: Encodable {
    var alert_id: String
    var rule: String
    var kind: String
    var start: String
    var start_local: String
    var checkpoint: AuditCheckpoint
}
