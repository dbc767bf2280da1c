package app

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"time"

	"nightjar/player"
	"nightjar/storage/catalog"
)

// Snapshot saves a PNG of a camera's main stream at full resolution in
// <data dir>/snapshots, with the camera's name and the time in the PNG's
// text chunks, and returns its path. The camera's privacy zones are
// painted in, every one of them.
func (a *App) Snapshot(ctx context.Context, id string) (string, error) {
	cam, img, err := a.grabFrame(ctx, id)
	if err != nil {
		return "", err
	}
	now := time.Now()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	out := withTextChunks(buf.Bytes(), [][2]string{
		{"Title", cam.Name},
		{"Source", "Nightjar " + Version},
		{"Creation Time", now.UTC().Format(time.RFC3339)},
		{"Comment", fmt.Sprintf("camera %s; snapshot at %dx%d", cam.ID, img.Bounds().Dx(), img.Bounds().Dy())},
	})
	dir := filepath.Join(a.DataDir, "snapshots")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create snapshot folder: %w", err)
	}
	name := fmt.Sprintf("%s-%s.png", safeName(cam.Name), now.Format("20060102-150405"))
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, out, 0o600); err != nil {
		return "", fmt.Errorf("save snapshot: %w", err)
	}
	a.Log.Info("snapshot saved", "camera", id, "path", path)
	return path, nil
}

// grabFrame is a frame of camera id's main stream (its sub stream when it
// has one only) at full resolution, with every zone painted in.
func (a *App) grabFrame(ctx context.Context, id string) (catalog.Camera, *image.RGBA, error) {
	cam, err := a.DB.Camera(id)
	if err != nil {
		return cam, nil, err
	}
	uri := cam.MainURI
	if uri == "" {
		uri = cam.SubURI
	}
	pass := ""
	if cam.Username != "" {
		if pass, err = a.cameraPassword(ctx, id); err != nil {
			return cam, nil, err
		}
	}
	full, err := a.streamURL(cam, uri, pass, "snapshot")
	if err != nil {
		return cam, nil, fmt.Errorf("camera %s: %w", cam.Name, err)
	}
	img, err := player.Snapshot(ctx, full, a.masks().live(id))
	if err != nil {
		return cam, nil, fmt.Errorf("snapshot of %s: %w", cam.Name, err)
	}
	return cam, img, nil
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < 32 {
			return '_'
		}
		return r
	}, s)
}

// withTextChunks inserts PNG tEXt chunks before IEND.
func withTextChunks(p []byte, kv [][2]string) []byte {
	iend := bytes.LastIndex(p, []byte("IEND")) - 4
	if iend < 8 {
		return p
	}
	var out bytes.Buffer
	out.Write(p[:iend])
	for _, e := range kv {
		data := append(append([]byte(e[0]), 0), latin1(e[1])...)
		var hdr [8]byte
		binary.BigEndian.PutUint32(hdr[:4], uint32(len(data)))
		copy(hdr[4:], "tEXt")
		out.Write(hdr[:])
		out.Write(data)
		crc := crc32.NewIEEE()
		crc.Write(hdr[4:])
		crc.Write(data)
		binary.Write(&out, binary.BigEndian, crc.Sum32())
	}
	out.Write(p[iend:])
	return out.Bytes()
}

// latin1 encodes s for a tEXt chunk, whose text is ISO 8859-1: one byte
// per character up to U+00FF, and '?' for a character beyond it, for
// invalid UTF-8 and for a control character other than a line feed
// (which includes NUL, the chunk's separator).
func latin1(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			out = append(out, '\n')
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || r > 0xff:
			out = append(out, '?')
		default:
			out = append(out, byte(r))
		}
	}
	return out
}
