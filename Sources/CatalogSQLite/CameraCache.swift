import Catalog
import Synchronization

/// The camera registry as searches last read it, and the cameras each place filter admitted from it.
///
/// Reading the 500 cameras of the bench catalog and matching their place names (folded without
/// diacritics) took about 1 ms of a street search's 2.7 ms of CPU. The registry rarely changes:
/// what is kept holds while its change counter (`cameras_version`, kept by triggers since
/// migration v6) has not moved, whichever process changed it.
final class CameraCache: Sendable {
    /// The place filters of a search: what decides which cameras it admits.
    struct PlaceFilter: Hashable {
        var cameras: [String]
        var ward: String?
        var street: String?
        var near: [Double]?
        var radiusMetres: Double?
        var box: [Double]?
        var wardScope: [String]?

        init(_ query: SearchQuery) {
            cameras = query.cameras
            ward = query.ward
            street = query.street
            near = query.near.map { [$0.latitude, $0.longitude] }
            radiusMetres = query.radiusMetres
            box = query.box.map { [$0.southWest.latitude, $0.southWest.longitude, $0.northEast.latitude, $0.northEast.longitude] }
            wardScope = query.wardScope
        }
    }

    private struct State {
        var version: Int64?
        var cameras: [Camera] = []
        var admitted: [PlaceFilter: [Camera]] = [:]
    }

    /// Different place filters kept at most (then forgotten all at once).
    static let filtersKept = 256

    private let state = Mutex(State())

    /// All cameras and the ones `query` admits, as of registry `version`.
    /// - Parameters:
    ///   - version: the registry's change counter in the caller's snapshot; nil keeps nothing.
    ///   - load: reads all cameras, when this version is not the one kept.
    func cameras(version: Int64?, admittedBy query: SearchQuery, load: () throws -> [Camera]) rethrows
        -> (all: [Camera], admitted: [Camera]) {
        let filter = PlaceFilter(query)
        let kept = state.withLock { state -> (all: [Camera], admitted: [Camera]?)? in
            guard let version, state.version == version else { return nil }
            return (state.cameras, state.admitted[filter])
        }
        if let kept, let admitted = kept.admitted { return (kept.all, admitted) }
        let all = try kept?.all ?? load()
        let admitted = query.admitted(all)
        if let version {
            state.withLock { state in
                if state.version != version {
                    state = State(version: version, cameras: all)
                }
                if state.admitted.count >= Self.filtersKept { state.admitted.removeAll() }
                state.admitted[filter] = admitted
            }
        }
        return (all, admitted)
    }
}
