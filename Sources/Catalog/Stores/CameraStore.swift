import Foundation

/// The camera registry: where each camera stands (ward, street, coordinates).
public protocol CameraStore: Sendable {
    /// All cameras the catalog has seen, by id.
    func cameras() async throws -> [Camera]

    /// Registers or updates cameras from the configuration (place, coordinates).
    func saveCameras(_ cameras: [Camera]) async throws
}
