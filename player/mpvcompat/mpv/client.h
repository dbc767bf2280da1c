/*
 * Compatibility shim for libmpv older than client API 2.1 (mpv 0.35, as
 * shipped by Debian 12). go-mpv v0.4.0 calls mpv_get_time_ns and
 * mpv_del_property, which arrived in API 2.1. This header is found first
 * through CGO_CFLAGS=-I.../player/mpvcompat (see the Makefile), includes the
 * real header, and only on old libmpv adds static inline stand-ins. On newer
 * libmpv the version guard makes it a no-op.
 */
#include_next <mpv/client.h>

#ifndef NIGHTJAR_MPV_COMPAT_H
#define NIGHTJAR_MPV_COMPAT_H

#if MPV_CLIENT_API_VERSION < MPV_MAKE_VERSION(2, 1)
static inline int64_t mpv_get_time_ns(mpv_handle *ctx)
{
    return mpv_get_time_us(ctx) * 1000;
}

static inline int mpv_del_property(mpv_handle *ctx, const char *name)
{
    (void)ctx;
    (void)name;
    return MPV_ERROR_NOT_IMPLEMENTED;
}
#endif

#endif
