import ArgumentParser
import CommandLineSupport
import Evidence
import Foundation

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "The Ed25519 key that signs evidence bundles.",
        subcommands: [Generate.self, Show.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the signing key (file mode 0600; an existing key is never overwritten).")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(
            "Where to write the key. Default: the configuration's evidence.signing_key, else ./wardwatch-signing.key.",
            valueName: "path"))
        var keyFile: String?

        func run() throws {
            let path = signingKeyPath(keyFile, try global.loadConfiguration())
            let key = try EvidenceSigningKey.generate(at: path)
            print("created signing key \(path) (readable by you only; keep it off export media)")
            printPublic(key.publicKey)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the public key and its fingerprint (never the private key), to publish or give to courts.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(
            "The key file. Default: the configuration's evidence.signing_key, else ./wardwatch-signing.key.",
            valueName: "path"))
        var keyFile: String?

        func run() throws {
            printPublic(try EvidenceSigningKey.load(from: signingKeyPath(keyFile, try global.loadConfiguration())).publicKey)
        }
    }
}

private func printPublic(_ key: EvidencePublicKey) {
    print("fingerprint (SHA-256 of the raw public key): \(key.fingerprint)")
    print("public key (raw, base64): \(key.base64)")
    print(key.pem, terminator: "")
}
