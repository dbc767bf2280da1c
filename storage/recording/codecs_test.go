package recording

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"nightjar/storage/catalog"
)

// TestRecordH265WithAAC records an H.265 stream with AAC audio, both made
// by ffmpeg, and has ffprobe read the decrypted segment back.
func TestRecordH265WithAAC(t *testing.T) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		if os.Getenv("NIGHTJAR_FULL_TEST") != "" {
			t.Fatal("ffmpeg is required")
		}
		t.Skip("ffmpeg not installed")
	}
	dir := t.TempDir()
	hevc, aac := filepath.Join(dir, "v.h265"), filepath.Join(dir, "a.aac")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000",
		"-map", "0:v", "-t", "3", "-c:v", "libx265", "-x265-params", "keyint=15:bframes=0:log-level=error", "-f", "hevc", hevc,
		"-map", "1:a", "-t", "3", "-c:a", "aac", "-f", "adts", aac).CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	params, aus := hevcAUs(t, hevc)
	raw := readAll(t, aac)
	var adts mpeg4audio.ADTSPackets
	if err := adts.Unmarshal(raw); err != nil {
		t.Fatal(err)
	}
	cfg := &mpeg4audio.AudioSpecificConfig{Type: adts[0].Type, SampleRate: adts[0].SampleRate, ChannelCount: adts[0].ChannelCount}

	fx := newFixture(t)
	r := &Recorder{Store: fx.store, CameraID: "cam1"}
	r.SetWant(true, "continuous")
	r.Start([]Track{{Codec: CodecH265, Params: params, Width: 320, Height: 240}, {Codec: CodecAAC, AAC: cfg}})
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	// Interleave by time, as a camera sends them.
	vi, ai := 0, 0
	for vi < len(aus) || ai < len(adts) {
		vt := time.Duration(vi) * time.Second / 15
		at := time.Duration(ai) * 1024 * time.Second / 16000
		if vi < len(aus) && (ai >= len(adts) || vt <= at) {
			r.WriteFrame(Frame{Track: 0, PTS: vt, AU: aus[vi], Arrived: start.Add(vt)})
			vi++
		} else {
			r.WriteFrame(Frame{Track: 1, PTS: at, AU: [][]byte{adts[ai].AU}, Arrived: start.Add(at)})
			ai++
		}
	}
	r.Close()
	rows := segments(t, fx.db, catalog.SegmentFilter{})
	if len(rows) != 1 || rows[0].Codec != CodecH265 {
		t.Fatalf("segments %+v", rows)
	}
	var plain bytes.Buffer
	if err := fx.store.WriteTo(context.Background(), rows[0], &plain); err != nil {
		t.Fatal(err)
	}
	ts := filepath.Join(dir, "seg.ts")
	writeFile(t, ts, plain.Bytes())
	probe, err := exec.Command("ffprobe", "-v", "error", "-count_frames", "-show_entries",
		"stream=codec_name,width,height,nb_read_frames", "-of", "json", ts).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var info struct {
		Streams []struct {
			Codec  string `json:"codec_name"`
			Width  int    `json:"width"`
			Frames string `json:"nb_read_frames"`
		} `json:"streams"`
	}
	if err := json.Unmarshal(probe, &info); err != nil {
		t.Fatalf("ffprobe output %s: %v", probe, err)
	}
	codecs := map[string]string{}
	for _, s := range info.Streams {
		codecs[s.Codec] = s.Frames
	}
	if codecs["hevc"] != "45" || codecs["aac"] == "" || codecs["aac"] == "0" {
		t.Fatalf("ffprobe sees %s", probe)
	}
}

// hevcAUs groups an Annex B H.265 stream into access units.
func hevcAUs(t *testing.T, path string) (params [][]byte, aus [][][]byte) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cur [][]byte
	slice := false
	for _, n := range bytes.Split(b, []byte{0, 0, 1}) {
		n = bytes.TrimSuffix(n, []byte{0})
		if len(n) < 3 {
			continue
		}
		typ := (n[0] >> 1) & 0x3F
		switch {
		case typ >= 32 && typ <= 34: // VPS, SPS, PPS
			if len(params) < 3 {
				params = append(params, n)
			}
			continue
		case typ <= 21: // a slice
			if slice && n[2]&0x80 != 0 {
				aus = append(aus, cur)
				cur = nil
			}
			slice = true
			cur = append(cur, n)
		}
	}
	if len(cur) > 0 {
		aus = append(aus, cur)
	}
	return params, aus
}
