import Foundation
import Testing
import WardWatchConfig

@Suite("The postgres: section and catalog URLs")
struct SharedCatalogConfigurationTests {
    @Test("a full section is read, relative files resolved against the configuration's folder")
    func fullSection() throws {
        let yaml = """
            postgres:
              host: db.ward.internal
              port: 6432
              database: city
              user: indexer
              password_file: secrets/pgpass
              node: box-3
              lease: 45
              pool: 12
              stills: /srv/wardwatch/stills
              path_map:
                /srv/cameras: /mnt/nas/cameras
            """
        let configuration = try WardWatchConfiguration.parse(yaml: yaml, file: "/etc/wardwatch/wardwatch.yaml")
        let shared = try #require(configuration.postgres)
        #expect(shared.host == "db.ward.internal" && shared.port == 6432 && shared.database == "city" && shared.user == "indexer")
        #expect(shared.passwordFile == "/etc/wardwatch/secrets/pgpass")
        #expect(shared.node == "box-3" && shared.leaseSeconds == 45 && shared.poolSize == 12)
        #expect(shared.stillsFolder == "/srv/wardwatch/stills")
        #expect(shared.pathMap == ["/srv/cameras": "/mnt/nas/cameras"])
    }

    @Test("a catalog URL is kept as written, a file path is resolved")
    func catalogURL() throws {
        let url = try WardWatchConfiguration.parse(yaml: "catalog: postgresql://ward@db/city", file: "/etc/w/w.yaml")
        #expect(url.catalogPath == "postgresql://ward@db/city")
        let file = try WardWatchConfiguration.parse(yaml: "catalog: data/c.sqlite", file: "/etc/w/w.yaml")
        #expect(file.catalogPath == "/etc/w/data/c.sqlite")
    }

    @Test("mistakes name the file, line and key", arguments: [
        ("postgres:\n  port: 99999\n", "postgres.port", 2),
        ("postgres:\n  lease: 1\n", "postgres.lease", 2),
        ("postgres:\n  hostname: x\n", "postgres.hostname", 2),
        ("postgres:\n  path_map:\n    cameras: /mnt/x\n", "postgres.path_map", 3),
    ])
    func mistakes(yaml: String, key: String, line: Int) {
        #expect {
            _ = try WardWatchConfiguration.parse(yaml: yaml, file: "ward.yaml")
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == key && error.line == line && error.file == "ward.yaml"
        }
    }
}
