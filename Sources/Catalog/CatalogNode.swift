import Foundation

/// A process that shares a catalog with others (an indexer or an API server), as `status` lists it.
public struct CatalogNode: Sendable, Equatable {
    public var id: String
    public var host: String
    public var processID: Int
    public var started: Date
    /// When it last said it is alive; its claims expire a lease after this.
    public var heartbeat: Date
    /// When it shut down cleanly (nil while it runs, or if it died).
    public var left: Date?
    /// Whether it is the one node writing alert lines.
    public var drainsAlerts: Bool
    /// The files it is indexing now.
    public var holding: [String]

    public init(id: String, host: String, processID: Int, started: Date, heartbeat: Date, left: Date?, drainsAlerts: Bool,
                holding: [String]) {
        self.id = id
        self.host = host
        self.processID = processID
        self.started = started
        self.heartbeat = heartbeat
        self.left = left
        self.drainsAlerts = drainsAlerts
        self.holding = holding
    }
}
