import Catalog
import Testing

@Suite("Path mapping between a node's mounts and the shared catalog's paths")
struct PathMapTests {
    let map = PathMap(["/srv/cameras": "/mnt/nas/cameras/", "/srv/cameras/ward7": "/media/w7"])

    @Test("stored paths open through the node's mount, and found paths go in as stored ones")
    func roundTrip() {
        #expect(map.local("/srv/cameras/CAM01/a.mp4") == "/mnt/nas/cameras/CAM01/a.mp4")
        #expect(map.stored("/mnt/nas/cameras/CAM01/a.mp4") == "/srv/cameras/CAM01/a.mp4")
        for path in ["/srv/cameras/CAM01/a.mp4", "/srv/cameras/ward7/x/b.mkv", "/srv/other/c.mp4"] {
            #expect(map.stored(map.local(path)) == path)
        }
    }

    @Test("the longest prefix wins, and prefixes match whole path components")
    func components() {
        #expect(map.local("/srv/cameras/ward7/x/b.mkv") == "/media/w7/x/b.mkv")
        #expect(map.local("/srv/cameras2/a.mp4") == "/srv/cameras2/a.mp4", "not a component match")
        #expect(map.local("/srv/cameras") == "/mnt/nas/cameras")
        #expect(PathMap().local("/a/b") == "/a/b")
    }
}
