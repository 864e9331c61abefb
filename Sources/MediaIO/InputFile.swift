import CFFmpeg
import Foundation

/// An opened container (AVFormatContext) with its stream info read. Owns the context.
final class InputFile {
    let path: String
    let context: UnsafeMutablePointer<AVFormatContext>

    init(path: String) throws(MediaIOError) {
        self.path = path
        try RegularFile.check(path)
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw MediaIOError(.unreadable, path: path, reason: "permission denied")
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
           size.int64Value == 0 {
            throw MediaIOError(.emptyFile, path: path, reason: "file is empty (0 bytes)")
        }
        var raw: UnsafeMutablePointer<AVFormatContext>?
        let opened = avformat_open_input(&raw, path, nil, nil)
        guard opened >= 0, let context = raw else {
            throw MediaIOError(
                .notAMediaFile, path: path,
                reason: "not a recording FFmpeg can read (\(ffmpegMessage(opened)))", ffmpegCode: opened)
        }
        let found = avformat_find_stream_info(context, nil)
        if found < 0 {
            // `self.context` is not set yet, so deinit cannot close it a second time.
            var doomed: UnsafeMutablePointer<AVFormatContext>? = context
            avformat_close_input(&doomed)
            throw MediaIOError(
                .notAMediaFile, path: path,
                reason: "cannot read stream information (\(ffmpegMessage(found)))", ffmpegCode: found)
        }
        self.context = context
    }

    deinit {
        var doomed: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&doomed)
    }

    var streamCount: Int { Int(context.pointee.nb_streams) }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> {
        context.pointee.streams[index]!
    }

    /// The index of the best video stream (ignoring cover art), or a typed error.
    func bestVideoStreamIndex() throws(MediaIOError) -> Int {
        let index = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard index >= 0 else {
            throw MediaIOError(.noVideoStream, path: path, reason: "has no video stream", ffmpegCode: index)
        }
        let disposition = stream(Int(index)).pointee.disposition
        if disposition & AV_DISPOSITION_ATTACHED_PIC != 0 {
            throw MediaIOError(.noVideoStream, path: path, reason: "has no video stream (only cover art)")
        }
        return Int(index)
    }
}

/// Reads every entry of an AVDictionary into a Swift dictionary.
func dictionaryEntries(_ dictionary: OpaquePointer?) -> [String: String] {
    var result: [String: String] = [:]
    var entry: UnsafeMutablePointer<AVDictionaryEntry>?
    while let next = av_dict_get(dictionary, "", entry, AV_DICT_IGNORE_SUFFIX) {
        if let key = next.pointee.key, let value = next.pointee.value {
            result[String(cString: key)] = String(cString: value)
        }
        entry = next
    }
    return result
}

extension AVRational {
    /// The rational as a Double, or nil when it is 0/x or x/0 (FFmpeg's "unknown").
    var seconds: Double? { num == 0 || den == 0 ? nil : Double(num) / Double(den) }
}
