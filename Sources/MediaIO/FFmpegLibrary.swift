import CFFmpeg

/// Process-wide FFmpeg settings and facts.
public enum FFmpegLibrary {
    /// Silences FFmpeg's own logging on stderr, so that the CLI prints one line per problem.
    /// Pass `verbose: true` to see FFmpeg's warnings while diagnosing a file.
    public static func configureLogging(verbose: Bool) {
        av_log_set_level(verbose ? AV_LOG_WARNING : AV_LOG_QUIET)
    }

    /// Runtime library versions, e.g. "libavformat 59.27.100, libavcodec 59.37.100", recorded with
    /// indexed results and evidence so a result can be tied to the decoder that produced it.
    public static var versionDescription: String {
        "libavformat \(dotted(avformat_version())), libavcodec \(dotted(avcodec_version())), "
            + "libavutil \(dotted(avutil_version()))"
    }

    private static func dotted(_ version: UInt32) -> String {
        "\(version >> 16).\((version >> 8) & 0xFF).\(version & 0xFF)"
    }
}
