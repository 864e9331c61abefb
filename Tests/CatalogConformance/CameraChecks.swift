import Catalog
import Foundation
import Testing

/// `CameraStore`: the registry.
enum CameraChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck("cameras: the registry saves, updates and lists cameras by id") { store in
            try await store.saveCameras([Camera(id: "CAM02"), Camera(id: "CAM01", ward: "Phường Hàng Trống")])
            #expect(try await store.cameras() == [Camera(id: "CAM01", ward: "Phường Hàng Trống"), Camera(id: "CAM02")])
            try await store.saveCameras(Fixture.cameras)
            #expect(try await store.cameras() == Fixture.cameras)
            // Saving the same registry again changes nothing.
            try await store.saveCameras(Fixture.cameras)
            #expect(try await store.cameras() == Fixture.cameras)
        },
        ConformanceCheck("cameras: a commit registers an unknown camera and leaves a known one as it is") { store in
            try await store.saveCameras([Fixture.cameras[0]])
            _ = try await store.commitIndexed(Fixture.recording("a", camera: "CAM01"), events: [])
            _ = try await store.commitIndexed(Fixture.recording("b", camera: "CAM09"), events: [])
            #expect(try await store.cameras() == [Fixture.cameras[0], Camera(id: "CAM09")])
        },
    ]
}
