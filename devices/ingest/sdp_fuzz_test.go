package ingest

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/bluenviron/gortsplib/v5/pkg/description"
	"github.com/bluenviron/gortsplib/v5/pkg/sdp"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/pion/rtp"
)

// Fuzz targets for what ingest reads from a camera before and while
// recording: the session description (DESCRIBE's SDP, with the parameter
// sets in sprop-parameter-sets or sprop-vps/sps/pps) and the RTP payloads
// carrying access units and in-band parameter sets.

// maxDimension bounds the picture size ingest reports: level 6.2 of
// H.264 allows frames of 139264 macroblocks, at most sqrt(8 × 139264) =
// 1055 macroblocks (16880 pixels) a side, and of H.265 35651584 luma
// samples, at most sqrt(8 × 35651584) = 16888 a side.
const maxDimension = 16888

// describe parses an SDP as gortsplib's client does after DESCRIBE.
func describe(b []byte) (*description.Session, bool) {
	var ssd sdp.SessionDescription
	if err := ssd.Unmarshal(b); err != nil {
		return nil, false
	}
	var desc description.Session
	if err := desc.Unmarshal(&ssd); err != nil {
		return nil, false
	}
	return &desc, true
}

func quietClient() *Client { return &Client{Log: slog.New(slog.DiscardHandler)} }

// camsimSDPs are the session descriptions camsim's RTSP server really
// sent (captured with a DESCRIBE of its main and sub streams).
func camsimSDPs(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, name := range []string{"camsim-main.sdp", "camsim-sub.sdp"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// FuzzSDP: whatever the camera describes, ingest records one video track
// (the first H.264 or H.265), at most one AAC track, and parameter sets
// and a picture size that make sense, or refuses with an error.
func FuzzSDP(f *testing.F) {
	for _, b := range camsimSDPs(f) {
		f.Add(b)
	}
	// An H.265 camera with AAC and G.711 audio, like a Hikvision with a
	// microphone; the parameter sets are camsim-like 1280x720 ones.
	f.Add([]byte("v=0\r\no=- 1 1 IN IP4 192.168.1.64\r\ns=Media Presentation\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\na=control:*\r\n" +
		"m=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/90000\r\na=fmtp:96 sprop-vps=QAEMAf//AWAAAAMAAAMAAAMAAAMAlqwJ; sprop-sps=QgEBAWAAAAMAAAMAAAMAAAMAlqAFAgFx8uIFZkmSTK4BAAADAAEAAAMAGQg=; sprop-pps=RAHA8vA8kA==\r\na=control:trackID=1\r\n" +
		"m=audio 0 RTP/AVP 97\r\na=rtpmap:97 MPEG4-GENERIC/16000/1\r\na=fmtp:97 streamtype=5; profile-level-id=15; mode=AAC-hbr; config=1408; sizeLength=13; indexLength=3; indexDeltaLength=3\r\na=control:trackID=2\r\n" +
		"m=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=control:trackID=3\r\n"))
	// Audio only; then video whose parameter sets are not parameter sets.
	f.Add([]byte("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"))
	f.Add([]byte("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1; sprop-parameter-sets=AAAA,//8=\r\n"))
	// An SPS cut short, with a PPS.
	f.Add([]byte("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z0LAFtkAoC/5,aMuMsg==\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		desc, ok := describe(b)
		if !ok {
			return
		}
		tracks, readers, err := quietClient().pickTracks(desc)
		if err != nil {
			if tracks != nil || readers != nil {
				t.Fatalf("tracks %v with error %v", tracks, err)
			}
			return
		}
		if len(readers) != len(tracks) {
			t.Fatalf("%d readers for %d tracks", len(readers), len(tracks))
		}
		video, audio := 0, 0
		for i, tr := range tracks {
			if readers[i].track != i {
				t.Fatalf("reader %d feeds track %d", i, readers[i].track)
			}
			switch tr.Codec {
			case "h264", "h265":
				video++
				if !readers[i].video {
					t.Fatalf("video track %d read as audio", i)
				}
				checkParams(t, tr)
			case "aac":
				audio++
				if tr.AAC == nil || readers[i].video {
					t.Fatalf("AAC track %d: config %v, video %v", i, tr.AAC, readers[i].video)
				}
			default:
				t.Fatalf("track %d has codec %q", i, tr.Codec)
			}
		}
		if video != 1 || audio > 1 {
			t.Fatalf("%d video and %d audio tracks", video, audio)
		}
	})
}

// checkParams: parameter sets come as a whole set or not at all, and the
// picture size is within maxDimension.
func checkParams(t *testing.T, tr Track) {
	t.Helper()
	want := map[string]int{"h264": 2, "h265": 3}[tr.Codec]
	if tr.Params != nil && len(tr.Params) != want {
		t.Fatalf("%s with %d parameter sets", tr.Codec, len(tr.Params))
	}
	for _, p := range tr.Params {
		if len(p) == 0 {
			t.Fatalf("empty parameter set in %v", tr.Params)
		}
	}
	if tr.Width < 0 || tr.Height < 0 || tr.Width > maxDimension || tr.Height > maxDimension {
		t.Fatalf("%s picture %dx%d", tr.Codec, tr.Width, tr.Height)
	}
	if (tr.Width == 0) != (tr.Height == 0) {
		t.Fatalf("%s picture %dx%d: one side known", tr.Codec, tr.Width, tr.Height)
	}
}

// FuzzDepacketize sends fuzzer-made RTP payloads (each a length byte and
// that many bytes) through the video reader of a real camsim session and
// of an H.265 one: the access units that come out are never larger than
// what went in, and hold no empty NAL unit.
func FuzzDepacketize(f *testing.F) {
	descs := append(camsimSDPs(f), []byte("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/90000\r\n"))
	// In-band parameter sets as a camera sends them before an IDR: a
	// STAP-A with SPS and PPS, then a single NAL unit and an FU-A pair.
	f.Add(uint8(1), []byte{
		14, 24, 0, 4, 0x67, 0x42, 0xc0, 0x1e, 0, 4, 0x68, 0xce, 0x3c, 0x80,
		5, 0x65, 0x88, 0x84, 0x00, 0x33,
		5, 0x7c, 0x85, 0x88, 0x84, 0x21,
		5, 0x7c, 0x45, 0x00, 0x33, 0xff,
	})
	// H.265: VPS, SPS and PPS in an aggregation packet, then an IDR in
	// fragmentation units.
	f.Add(uint8(2), []byte{
		17, 0x60, 0x01, 0, 3, 0x40, 0x01, 0x0c, 0, 3, 0x42, 0x01, 0x01, 0, 3, 0x44, 0x01, 0xc0,
		6, 0x62, 0x01, 0x93, 0xaf, 0x11, 0x22,
		6, 0x62, 0x01, 0x53, 0x33, 0x44, 0x55,
	})
	f.Add(uint8(0), []byte{1, 0, 2, 28, 0x80, 0})
	f.Fuzz(func(t *testing.T, which uint8, stream []byte) {
		desc, ok := describe(descs[int(which)%len(descs)])
		if !ok {
			t.Fatal("seed SDP does not parse")
		}
		tracks, readers, err := quietClient().pickTracks(desc)
		if err != nil {
			t.Fatal(err)
		}
		var rd reader
		for _, r := range readers {
			if r.video {
				rd = r
			}
		}
		in, out := 0, 0
		for seq := uint16(0); len(stream) > 0; seq++ {
			n := min(int(stream[0]), len(stream)-1)
			payload := stream[1 : 1+n]
			stream = stream[1+n:]
			in += len(payload)
			pkt := &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: seq, Timestamp: 90000 + uint32(seq/3)*3600, Marker: seq%3 == 2}, Payload: payload}
			aus, err := rd.decode(pkt)
			if err != nil {
				continue
			}
			for _, nalu := range aus {
				if len(nalu) == 0 {
					t.Fatalf("empty NAL unit from %s payload %x", tracks[rd.track].Codec, payload)
				}
				out += len(nalu)
			}
			if out > in {
				t.Fatalf("%d bytes of access units from %d bytes of payload", out, in)
			}
			// What the recorder does with them next: is it a keyframe?
			if tracks[rd.track].Codec == "h264" {
				h264.IsRandomAccess(aus)
			} else {
				h265.IsRandomAccess(aus)
			}
		}
	})
}

// TestCamsimSDPTracks checks the fuzz seeds reach the success path: the
// captured camsim descriptions give the sizes camsim serves (README: main
// 1280×720, sub 640×360) with SPS and PPS.
func TestCamsimSDPTracks(t *testing.T) {
	for i, want := range [][2]int{{1280, 720}, {640, 360}} {
		desc, ok := describe(camsimSDPs(t)[i])
		if !ok {
			t.Fatalf("SDP %d does not parse", i)
		}
		tracks, _, err := quietClient().pickTracks(desc)
		if err != nil {
			t.Fatal(err)
		}
		if len(tracks) != 1 || tracks[0].Codec != "h264" || tracks[0].Width != want[0] || tracks[0].Height != want[1] || len(tracks[0].Params) != 2 {
			t.Errorf("SDP %d: tracks %+v, want h264 %dx%d with SPS and PPS", i, tracks, want[0], want[1])
		}
	}
}
