package app

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"nightjar/devices"
	"nightjar/devices/camsim"
	"nightjar/devices/onvif"
	"nightjar/internal/testwait"
	"nightjar/storage/catalog"
)

// The tests here run event-mode recording against camsim's real ONVIF
// events and RTSP over loopback, with a shortened event timing:
const (
	evSyncEvery = time.Second // the camera is asked for its states again
	evPullWait  = time.Second // one long poll
	// evExpiry covers the sync cadence as defaultMotionExpiry does: one
	// sync period and one long poll, plus 2 s for the calls.
	evExpiry = evSyncEvery + evPullWait + 2*time.Second
	evPost   = 2 * time.Second
	evPre    = 2 * time.Second
	// evMargin is the slack on every stop time: the recorders look at
	// post-roll and expiry once a second, and the segment's end is its
	// last frame, plus room for a loaded machine.
	evMargin = 2 * time.Second
)

// eventRig is one camsim camera recorded on motion.
type eventRig struct {
	a   *App
	r   *recorders
	cam *camsim.Camera
	id  string
}

// startEventRig records a camera on motion with pre-roll pre. subscribe,
// if set, runs before anything publishes on the bus.
func startEventRig(t *testing.T, pre time.Duration, subscribe func(*App)) *eventRig {
	t.Helper()
	a := requireKeyring(t)
	a.Bus.SummaryEvery = time.Second
	if subscribe != nil {
		subscribe(a)
	}
	sim := startCamsim(t, camsim.Config{Cameras: 1, NoAuth: true})
	cam := sim.Cameras()[0]
	in := cam.Info()
	const id = "porch"
	err := a.DB.PutCamera(catalog.Camera{ID: id, Name: in.Name, DeviceURL: in.DeviceURL, MainURI: in.MainURI,
		SubURI: in.SubURI, Events: true, Added: time.Now(),
		Record: catalog.RecordSettings{Mode: catalog.RecordEvent, Stream: "sub", PreRoll: pre, PostRoll: evPost}})
	if err != nil {
		t.Fatal(err)
	}
	a.startEventsWith(onvif.WatchOptions{Wait: evPullWait, SyncEvery: evSyncEvery})
	r, err := a.startRecorders(recordingOptions{MotionExpiry: evExpiry}, "")
	if err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "the event subscription", func() bool { return cam.Subscriptions() > 0 })
	testwait.Until(t, 10*time.Second, "the recorder's stream", func() bool { return cam.Readers() > 0 })
	time.Sleep(pre + time.Second) // the pre-roll ring fills
	if r.Recording(id) {
		t.Fatal("recording before any motion")
	}
	return &eventRig{a: a, r: r, cam: cam, id: id}
}

// segments returns the camera's catalogued segments, oldest first.
func (g *eventRig) segments(t *testing.T) []catalog.Segment {
	t.Helper()
	rows, err := g.a.DB.Segments(catalog.SegmentFilter{CameraID: g.id})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// motionOn starts motion on the camera and waits for footage.
func (g *eventRig) motionOn(t *testing.T) time.Time {
	t.Helper()
	g.cam.TriggerMotion(true)
	on := time.Now()
	testwait.Until(t, 10*time.Second, "motion to start recording", func() bool { return g.r.Recording(g.id) })
	return on
}

// stoppedWithin waits until recording has stopped and no segment is open,
// and returns the end of the last footage according to the catalogue. It
// fails the test unless that end is at most within after from.
func (g *eventRig) stoppedWithin(t *testing.T, from time.Time, within time.Duration) time.Time {
	t.Helper()
	by := from.Add(within)
	testwait.Until(t, time.Until(by)+10*time.Second, "recording to stop", func() bool {
		if g.r.Recording(g.id) {
			return false
		}
		rows := g.segments(t)
		return len(rows) > 0 && rows[len(rows)-1].State == catalog.SegmentClosed
	})
	rows := g.segments(t)
	end := rows[len(rows)-1].End()
	if end.After(by) {
		t.Errorf("footage runs to %s, %v past the promise", end.Format("15:04:05.000"), end.Sub(by).Round(time.Millisecond))
	}
	t.Logf("footage ends %v after %s; the promise is %v", end.Sub(from).Round(time.Millisecond), from.Format("15:04:05.000"), within)
	return end
}

// logText is the app's log file so far.
func logText(t *testing.T, a *App) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(a.DataDir, "logs", "nightjar.log"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLostMotionOffExpires: the camera's motion-off never arrives (camsim's
// no-motion-off fault), neither as a change nor as a state when asked.
// Motion that goes on longer than the expiry still records, because the
// camera re-confirms it; once it stops, recording ends a post-roll after
// the "on" expires: by the motion's end + expiry + post-roll.
func TestLostMotionOffExpires(t *testing.T) {
	t.Parallel()
	g := startEventRig(t, evPre, nil)
	if err := g.cam.InjectFault(camsim.FaultNoMotionOff, 0); err != nil {
		t.Fatal(err)
	}
	on := g.motionOn(t)
	time.Sleep(evExpiry + evPost + evMargin) // past what an unconfirmed "on" would record
	if !g.r.Recording(g.id) {
		t.Fatalf("recording stopped within %v of motion that goes on: its re-confirmations were not taken", time.Since(on).Round(time.Millisecond))
	}
	g.cam.TriggerMotion(false) // lost on the way
	off := time.Now()
	end := g.stoppedWithin(t, off, evExpiry+evPost+evMargin)
	if end.Before(off.Add(evPost)) {
		t.Errorf("footage ends %v after the motion, before the %v post-roll", end.Sub(off).Round(time.Millisecond), evPost)
	}
	rows := g.segments(t)
	if len(rows) != 1 || rows[0].Start.After(on) || rows[0].Trigger != catalog.RecordEvent {
		t.Errorf("want one event segment from before the motion, got %+v", rows)
	}
	if !strings.Contains(logText(t, g.a), "motion not confirmed again in time") {
		t.Error("the log does not say the motion expired")
	}
}

// TestEventSubscriptionFailsRecordingStops: mid-event the camera's event
// service breaks (malformed SOAP) while its video goes on. No "off" can
// come; recording ends by the failure + expiry + post-roll.
func TestEventSubscriptionFailsRecordingStops(t *testing.T) {
	t.Parallel()
	g := startEventRig(t, evPre, nil)
	g.motionOn(t)
	time.Sleep(2 * time.Second)
	if err := g.cam.InjectFault(camsim.FaultMalformed, 0); err != nil {
		t.Fatal(err)
	}
	broke := time.Now()
	g.stoppedWithin(t, broke, evExpiry+evPost+evMargin)
	if g.cam.Readers() == 0 {
		t.Error("the stream was lost too: the test did not keep video flowing")
	}
}

// TestCameraOfflineMidEventRecordingStops: the camera goes offline
// mid-event for longer than expiry + post-roll, and its motion ends while
// it is away. When it returns, the recorder reconnects but records
// nothing: no footage ends after the outage began + expiry + post-roll.
func TestCameraOfflineMidEventRecordingStops(t *testing.T) {
	t.Parallel()
	g := startEventRig(t, evPre, nil)
	g.motionOn(t)
	time.Sleep(2 * time.Second)
	const outage = evExpiry + evPost + evMargin + 2*time.Second
	g.cam.Reboot(outage)
	down := time.Now()
	g.cam.TriggerMotion(false) // nobody subscribed hears it
	by := down.Add(evExpiry + evPost + evMargin)
	g.stoppedWithin(t, down, evExpiry+evPost+evMargin)
	testwait.Until(t, outage+5*time.Second, "the camera to come back", g.cam.IsUp)
	testwait.Until(t, 40*time.Second, "the recorder to reconnect", func() bool { return g.cam.Readers() > 0 })
	testwait.Until(t, 40*time.Second, "the events to resubscribe", func() bool { return g.cam.Subscriptions() > 0 })
	time.Sleep(evPost + evMargin) // time to record, were it wrongly on
	for _, s := range g.segments(t) {
		if s.End().After(by) || s.State == catalog.SegmentOpen {
			t.Errorf("footage after the camera came back: %s to %s (%s); the promise ended at %s",
				s.Start.Format("15:04:05.000"), s.End().Format("15:04:05.000"), s.State, by.Format("15:04:05.000"))
		}
	}
}

var lostRE = regexp.MustCompile(`subscriber=(\S+) lost=(\d+)`)

// lostIn sums the losses the log reports per subscriber.
func lostIn(t *testing.T, log string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, m := range lostRE.FindAllStringSubmatch(log, -1) {
		n, err := strconv.Atoi(m[2])
		if err != nil {
			t.Fatal(err)
		}
		out[m[1]] += n
	}
	return out
}

// TestEventFloodCountedAndRecordingStops floods the bus with motion
// changes while the recorder is busy (its lock held) and one subscriber
// never drains. Both lose events, the final "off" among them; the log
// counts every loss, and recording still ends a post-roll after the
// motion: by the flood's end + expiry + post-roll.
func TestEventFloodCountedAndRecordingStops(t *testing.T) {
	t.Parallel()
	var stalled, all <-chan devices.CameraEvent
	var stopStalled, stopAll func()
	// Both subscribe before the first event, so the counting one is
	// offered exactly what the stalled one is.
	g := startEventRig(t, evPre, func(a *App) {
		stalled, stopStalled = a.Bus.Subscribe("stalled-test", 1)
		all, stopAll = a.Bus.Subscribe("counting-test", 1<<20)
	})
	defer stopStalled()
	defer stopAll()
	var published atomic.Int64
	counted := make(chan struct{})
	go func() {
		defer close(counted)
		for range all {
			published.Add(1)
		}
	}()
	g.motionOn(t)

	g.r.mu.Lock() // the recorder is busy: its 64 events fill up
	busy := true
	defer func() {
		if busy { // a failed wait must not leave Close waiting on the lock
			g.r.mu.Unlock()
		}
	}()
	const toggles = 300
	for i := 0; i < toggles; i++ {
		g.cam.TriggerMotion(i%2 == 0) // ends with an off
	}
	testwait.Until(t, 20*time.Second, "the flood to reach the bus", func() bool { return published.Load() >= 100 })
	time.Sleep(time.Second)
	flooded := time.Now()
	busy = false
	g.r.mu.Unlock()

	end := g.stoppedWithin(t, flooded, evExpiry+evPost+evMargin)
	if end.Before(flooded.Add(evPost)) {
		t.Errorf("footage ends %v after the flood, before the %v post-roll", end.Sub(flooded).Round(time.Millisecond), evPost)
	}

	// Closing stops the watchers before the bus, whose last summary it
	// flushes into the log.
	if err := g.a.Close(); err != nil {
		t.Fatal(err)
	}
	stopAll()
	<-counted
	lost := lostIn(t, logText(t, g.a))
	if want := int(published.Load()) - cap(stalled); lost["stalled-test"] != want {
		t.Errorf("the log reports %d events lost by the stalled subscriber; it was offered %d and holds %d, so %d",
			lost["stalled-test"], published.Load(), cap(stalled), want)
	}
	if lost["recorder"] == 0 {
		t.Error("the log reports no loss by the busy recorder")
	}
	if lost["counting-test"] != 0 {
		t.Errorf("the log reports %d lost by a subscriber with room for all", lost["counting-test"])
	}
	t.Logf("%d events published; lost: %v", published.Load(), lost)
}
