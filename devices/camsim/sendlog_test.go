package camsim

import (
	"testing"
	"time"
)

func TestSendLogOutages(t *testing.T) {
	c := &Camera{}
	t0 := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	// 25 fps, a 150 ms hiccup (no outage), a 10 s stall, then frames.
	for _, ms := range []int{0, 40, 80, 230, 270, 10270, 10310, 10350} {
		c.sends.note("main", at(ms))
	}
	c.sends.note("sub", at(0))
	c.sends.note("sub", at(500))
	got := c.Outages("main", 0)
	if len(got) != 1 || !got[0].LastSent.Equal(at(270)) || !got[0].Resumed.Equal(at(10270)) {
		t.Fatalf("main outages %+v, want one from 270 ms to 10.27 s", got)
	}
	if got := c.Outages("sub", 0); len(got) != 1 || !got[0].Resumed.Equal(at(500)) {
		t.Fatalf("sub outages %+v, want its 500 ms pause only", got)
	}
	if got := c.Outages("sub", time.Second); len(got) != 0 {
		t.Fatalf("sub outages of a second or more: %+v", got)
	}
	for i := range maxOutages + 5 {
		c.sends.note("x", at(i*1000))
	}
	if got := c.Outages("x", 0); len(got) != maxOutages || !got[0].LastSent.Equal(at(4000)) { // 68 pauses, the first 4 gone
		t.Fatalf("kept %d outages from %v, want the last %d", len(got), got[0].LastSent, maxOutages)
	}
}
