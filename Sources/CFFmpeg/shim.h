// What Swift cannot call directly in FFmpeg's headers: function-like macros, compound
// literals, variadic functions, and fields that moved between FFmpeg versions.
// Everything here is a thin static inline; policy lives in Swift (MediaIO).
#ifndef WARDWATCH_CFFMPEG_SHIM_H
#define WARDWATCH_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libavutil/opt.h>
#include <libavutil/sha.h>
#include <libavutil/mem.h>
#include <libswscale/swscale.h>

/// AVERROR(e) for a POSIX errno value.
static inline int cff_averror(int posix) { return AVERROR(posix); }
/// AVERROR_EOF.
static inline int cff_eof(void) { return AVERROR_EOF; }
/// AVERROR_INVALIDDATA.
static inline int cff_invaliddata(void) { return AVERROR_INVALIDDATA; }
/// AV_NOPTS_VALUE ("no timestamp").
static inline int64_t cff_nopts(void) { return AV_NOPTS_VALUE; }
/// AV_TIME_BASE_Q (microseconds).
static inline AVRational cff_time_base_q(void) { return AV_TIME_BASE_Q; }

/// av_err2str: writes FFmpeg's message for `code` into `buffer`.
static inline void cff_error_string(int code, char *buffer, size_t size) {
    if (av_strerror(code, buffer, size) < 0) {
        snprintf(buffer, size, "FFmpeg error %d", code);
    }
}

/// av_log without varargs.
static inline void cff_log(void *context, int level, const char *message) {
    av_log(context, level, "%s", message);
}

/// Plane pointer i of a frame (AVFrame.data is a fixed array, imported as a tuple).
static inline uint8_t *cff_plane(const AVFrame *frame, int i) { return frame->data[i]; }
/// Line size (bytes per row, may exceed the width, may be negative) of plane i.
static inline int cff_linesize(const AVFrame *frame, int i) { return frame->linesize[i]; }

/// Bits per luma sample of a pixel format (8 for yuv420p, 10 for yuv420p10le), 0 if unknown.
static inline int cff_luma_depth(int format) {
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get((enum AVPixelFormat)format);
    return d ? d->comp[0].depth : 0;
}
/// Whether the pixel format stores luma as the first plane with one byte per sample
/// (planar YUV, YUVJ, NV12/NV21 and GRAY8): then plane 0 can be read as 8-bit luma.
static inline int cff_has_8bit_luma_plane(int format) {
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get((enum AVPixelFormat)format);
    if (!d) return 0;
    if (d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_HWACCEL)) return 0;
    return d->comp[0].plane == 0 && d->comp[0].depth == 8 && d->comp[0].step == 1 && d->comp[0].offset == 0;
}

/// Whether a decoded frame is a keyframe (the field moved to flags in FFmpeg 6.1).
static inline int cff_frame_is_key(const AVFrame *frame) {
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(58, 29, 100)
    return (frame->flags & AV_FRAME_FLAG_KEY) != 0;
#else
    return frame->key_frame != 0;
#endif
}

/// Best-effort presentation timestamp of a decoded frame.
static inline int64_t cff_frame_pts(const AVFrame *frame) {
    return frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp : frame->pts;
}

/// Frame duration in stream time base (renamed in FFmpeg 6.0).
static inline int64_t cff_frame_duration(const AVFrame *frame) {
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(58, 2, 100)
    return frame->duration;
#else
    return frame->pkt_duration;
#endif
}

/// Number of pointers in AVFrame.data (AV_NUM_DATA_POINTERS) for bounds checks.
static inline int cff_num_planes(void) { return AV_NUM_DATA_POINTERS; }

/// SHA-256 of `size` bytes into `digest` (32 bytes). Returns 0, or AVERROR(ENOMEM).
static inline int cff_sha256(const uint8_t *data, size_t size, uint8_t *digest) {
    struct AVSHA *sha = av_sha_alloc();
    if (!sha) return AVERROR(ENOMEM);
    av_sha_init(sha, 256);
    av_sha_update(sha, data, size);
    av_sha_final(sha, digest);
    av_free(sha);
    return 0;
}

/// Library versions, for metadata ("59.27.100").
static inline unsigned cff_avformat_version(void) { return avformat_version(); }
static inline unsigned cff_avcodec_version(void) { return avcodec_version(); }

#endif
