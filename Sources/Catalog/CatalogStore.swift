import Foundation

/// Everything WardWatch keeps in a catalog, whatever database holds it: every role at once.
///
/// Code that needs one job takes that role (`RecordingStore`, `AlertOutboxStore`, …); a backend
/// conforms to `CatalogStore` and passes the shared conformance suite (`Tests/CatalogConformance`).
/// Implementations are safe to share between tasks, never block a caller's thread on I/O, and
/// keep every method atomic. They store and fetch; the rules (merging events across files, which
/// links are new, which reports raise alerts) live in the domain types they are handed.
public protocol CatalogStore: CameraStore, RecordingStore, IngestQueueStore, AlertOutboxStore, UserStore, AuditStore,
    SearchStore, CustodyStore, ReportStore, LinkStore, RecordingStreamStore, SessionStore, ReviewStore, RetentionStore {}
