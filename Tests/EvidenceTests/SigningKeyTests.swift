import Evidence
import Foundation
import TestSupport
import Testing

@Suite("Evidence signing keys")
struct SigningKeyTests {
    @Test("generate writes a 0600 PKCS#8 file, refuses to overwrite it, and loads back the same key")
    func generateAndLoad() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("ward.key")
        let key = try EvidenceSigningKey.generate(at: path)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(try EvidenceSigningKey.load(from: path).publicKey == key.publicKey)

        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: EvidenceError.self) { try EvidenceSigningKey.generate(at: path) }
        do { _ = try EvidenceSigningKey.generate(at: path) } catch { #expect(error.code == .keyExists) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("a key file others can read, a missing one, or one that is not a key is refused with the file named")
    func refusedKeys() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let open = folder.path("open.key")
        _ = try EvidenceSigningKey.generate(at: open)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: open)
        let garbage = folder.path("garbage.key")
        try "not a key\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: garbage)
        for (path, expected) in [(open, "chmod 600"), (folder.path("none.key"), "wardwatch keys generate"),
                                 (garbage, "not an Ed25519 private key")] {
            do {
                _ = try EvidenceSigningKey.load(from: path)
                Issue.record("\(path) loaded")
            } catch {
                #expect(error.code == .signingKey)
                #expect(error.description.contains(path) && error.description.contains(expected), "\(error)")
            }
        }
    }

    @Test("printing or dumping a signing key shows the fingerprint, never the private key")
    func neverPrinted() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("k.key")
        let key = try EvidenceSigningKey.generate(at: path)
        let secret = try PrivateKeyForms(keyFile: path)
        var dumped = ""
        dump(key, to: &dumped)
        for text in [String(describing: key), String(reflecting: key), dumped, "\(key)"] {
            #expect(!secret.leaked(in: Data(text.utf8)))
            #expect(text.contains(key.publicKey.fingerprint) || text.contains("publicKey"))
        }
    }

    @Test("public keys read from PEM (with text around it) and from raw base64; the fingerprint is SHA-256 of the raw key")
    func publicKeys() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let key = try EvidenceSigningKey.generate(at: folder.path("k.key")).publicKey
        #expect(try EvidencePublicKey(text: "a note\n" + key.pem + "trailing") == key)
        #expect(try EvidencePublicKey(text: key.base64) == key)
        #expect(key.fingerprint == FileDigest.sha256(key.rawRepresentation))
        #expect(key.fingerprint.count == 64)
        #expect(throws: EvidenceError.self) { try EvidencePublicKey(text: "hello") }
        #expect(throws: EvidenceError.self) { try EvidencePublicKey(text: Data(repeating: 1, count: 31).base64EncodedString()) }
    }
}

/// A key file's secret in every form it could leak in: the PEM body, and the 32 raw private bytes
/// as base64 and hex (as text), and as bytes.
struct PrivateKeyForms {
    var texts: [String]
    var raw: Data

    init(keyFile: String) throws {
        let body = try String(contentsOfFile: keyFile, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("-----") }.joined()
        raw = try #require(Data(base64Encoded: body)).suffix(32)
        texts = [body, raw.base64EncodedString(), raw.map { String(format: "%02x", $0) }.joined()]
    }

    /// True when `data` holds the secret in any form.
    func leaked(in data: Data) -> Bool {
        data.range(of: raw) != nil || texts.contains { data.range(of: Data($0.utf8)) != nil }
    }
}
