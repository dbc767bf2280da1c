package ui

import (
	"math"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin on any machine
)

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("load Europe/Berlin: %v", err)
	}
	return loc
}

func labels(ts []tick) []string {
	out := make([]string, len(ts))
	for i, tk := range ts {
		out[i] = tk.Label
	}
	return out
}

// TestTicksSpringForward: on 2026-03-29 Berlin's clocks jump from 02:00
// CET to 03:00 CEST. The day has 23 hours; the hourly ruler has no 02:00,
// names the new zone at 03:00, and every tick is one real hour after the
// one before.
func TestTicksSpringForward(t *testing.T) {
	loc := berlin(t)
	v := dayView(2026, time.March, 29, loc)
	if v.Span != 23*time.Hour {
		t.Fatalf("day length %v, want 23h", v.Span)
	}
	got := ticks(v.From, v.To(), time.Hour, loc)
	want := []string{"Sun 29 Mar", "01:00", "03:00 CEST"}
	for h := 4; h <= 23; h++ {
		want = append(want, time.Date(2000, 1, 1, h, 0, 0, 0, time.UTC).Format("15:04"))
	}
	want = append(want, "Mon 30 Mar")
	if !slices.Equal(labels(got), want) {
		t.Fatalf("labels\n got %q\nwant %q", labels(got), want)
	}
	for i := 1; i < len(got); i++ {
		if d := got[i].At.Sub(got[i-1].At); d != time.Hour {
			t.Fatalf("tick %d (%s) is %v after the one before, want 1h", i, got[i].Label, d)
		}
	}
	// 03:00 CEST is 01:00 UTC.
	if u := got[2].At.UTC(); u != time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC) {
		t.Fatalf("03:00 CEST at %v UTC", u)
	}
}

// TestTicksFallBack: on 2026-10-25 the clocks go back from 03:00 CEST to
// 02:00 CET. The day has 25 hours and the hour from 02:00 comes twice;
// the second is marked CET.
func TestTicksFallBack(t *testing.T) {
	loc := berlin(t)
	v := dayView(2026, time.October, 25, loc)
	if v.Span != 25*time.Hour {
		t.Fatalf("day length %v, want 25h", v.Span)
	}
	got := ticks(v.From, v.To(), time.Hour, loc)
	want := []string{"Sun 25 Oct", "01:00", "02:00", "02:00 CET"}
	for h := 3; h <= 23; h++ {
		want = append(want, time.Date(2000, 1, 1, h, 0, 0, 0, time.UTC).Format("15:04"))
	}
	want = append(want, "Mon 26 Oct")
	if !slices.Equal(labels(got), want) {
		t.Fatalf("labels\n got %q\nwant %q", labels(got), want)
	}
	for i := 1; i < len(got); i++ {
		if d := got[i].At.Sub(got[i-1].At); d != time.Hour {
			t.Fatalf("tick %d (%s) is %v after the one before, want 1h", i, got[i].Label, d)
		}
	}
	// The second 02:00 is 01:00 UTC; the first is 00:00 UTC.
	if a, b := got[2].At.UTC().Hour(), got[3].At.UTC().Hour(); a != 0 || b != 1 {
		t.Fatalf("the two 02:00 ticks at %d:00 and %d:00 UTC, want 0 and 1", a, b)
	}
}

// TestTicksThreeHourlyOnFallBack: 3-hourly labels follow the wall clock
// (00, 03, 06 …), so the first stretch holds four real hours.
func TestTicksThreeHourlyOnFallBack(t *testing.T) {
	loc := berlin(t)
	v := dayView(2026, time.October, 25, loc)
	got := ticks(v.From, v.To(), 3*time.Hour, loc)
	want := []string{"Sun 25 Oct", "03:00 CET", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "Mon 26 Oct"}
	if !slices.Equal(labels(got), want) {
		t.Fatalf("labels\n got %q\nwant %q", labels(got), want)
	}
	if d := got[1].At.Sub(got[0].At); d != 4*time.Hour {
		t.Fatalf("00:00 to 03:00 is %v, want 4h", d)
	}
}

// TestTicksThreeHourlyOnSpringForward: 00, 03 CEST, 06 … with only two
// real hours in the first stretch; stepping 3 real hours would skip to
// 04:00 and lose the 03:00 label.
func TestTicksThreeHourlyOnSpringForward(t *testing.T) {
	loc := berlin(t)
	v := dayView(2026, time.March, 29, loc)
	got := ticks(v.From, v.To(), 3*time.Hour, loc)
	want := []string{"Sun 29 Mar", "03:00 CEST", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "Mon 30 Mar"}
	if !slices.Equal(labels(got), want) {
		t.Fatalf("labels\n got %q\nwant %q", labels(got), want)
	}
	if d := got[1].At.Sub(got[0].At); d != 2*time.Hour {
		t.Fatalf("00:00 to 03:00 is %v, want 2h", d)
	}
}

// TestTicksSeconds: zoomed in to 10 s, ticks fall on whole seconds with
// seconds shown.
func TestTicksSeconds(t *testing.T) {
	loc := berlin(t)
	from := time.Date(2026, 6, 1, 14, 0, 3, 400e6, loc)
	got := ticks(from, from.Add(3*time.Second), time.Second, loc)
	want := []string{"14:00:04", "14:00:05", "14:00:06"}
	if !slices.Equal(labels(got), want) {
		t.Fatalf("labels %q, want %q", labels(got), want)
	}
}

func TestTickStep(t *testing.T) {
	for _, c := range []struct {
		span  time.Duration
		width float64
		want  time.Duration
	}{
		{24 * time.Hour, 1000, 3 * time.Hour}, // 2 h would be 83 px
		{10 * time.Second, 1000, time.Second},
		{time.Hour, 1000, 10 * time.Minute}, // 5 min would be 83 px
		{25 * time.Hour, 100, 12 * time.Hour},
	} {
		if got := tickStep(c.span, c.width, labelGap); got != c.want {
			t.Errorf("tickStep(%v, %v) = %v, want %v", c.span, c.width, got, c.want)
		}
	}
}

// TestZoomBounds: the wheel or +/- zoom between 10 s and 24 h, and a
// 25-hour day can be shown whole.
func TestZoomBounds(t *testing.T) {
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	v := timeView{From: at.Add(-30 * time.Minute), Span: time.Hour}
	for range 100 {
		v = v.zoom(wheelZoom, at)
	}
	if v.Span != 10*time.Second {
		t.Fatalf("zoomed in to %v, want 10s", v.Span)
	}
	for range 100 {
		v = v.zoom(1/wheelZoom, at)
	}
	if v.Span != 24*time.Hour {
		t.Fatalf("zoomed out to %v, want 24h", v.Span)
	}
	d := dayView(2026, time.October, 25, berlin(t))
	if d.zoom(1/wheelZoom, d.From).Span != 25*time.Hour {
		t.Fatal("a 25-hour day does not stay whole when zooming out")
	}
	if d.zoom(wheelZoom, d.From).Span >= 25*time.Hour {
		t.Fatal("zooming in on a 25-hour day did not narrow it")
	}
}

// TestZoomKeepsAnchor: the time under the pointer stays under it.
func TestZoomKeepsAnchor(t *testing.T) {
	from := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	v := timeView{From: from, Span: time.Hour}
	anchor := from.Add(15 * time.Minute) // x = 250 of 1000
	z := v.zoom(0.5, anchor)
	if z.Span != 30*time.Minute {
		t.Fatalf("span %v", z.Span)
	}
	if x := z.xAt(anchor, 1000); math.Abs(x-250) > 0.001 {
		t.Fatalf("anchor moved to x=%v, want 250", x)
	}
	if want := from.Add(15*time.Minute - 7*time.Minute - 30*time.Second); !z.From.Equal(want) {
		t.Fatalf("from %v, want %v", z.From, want)
	}
}

// TestPanAndMapping: dragging 100 px right on a 1000 px hour shows 6
// minutes earlier; x and time map both ways.
func TestPanAndMapping(t *testing.T) {
	from := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	v := timeView{From: from, Span: time.Hour}
	if p := v.pan(100, 1000); !p.From.Equal(from.Add(-6*time.Minute)) || p.Span != time.Hour {
		t.Fatalf("pan right: %v %v", p.From, p.Span)
	}
	if p := v.pan(-250, 1000); !p.From.Equal(from.Add(15 * time.Minute)) {
		t.Fatalf("pan left: %v", p.From)
	}
	if got := v.timeAt(500, 1000); !got.Equal(from.Add(30 * time.Minute)) {
		t.Fatalf("timeAt(500) = %v", got)
	}
	if x := v.xAt(from.Add(45*time.Minute), 1000); x != 750 {
		t.Fatalf("xAt(12:45) = %v", x)
	}
	if x := v.xAt(from.Add(-6*time.Minute), 1000); x != -100 {
		t.Fatalf("xAt before the view = %v, want -100", x)
	}
}

// TestFollow: the view pages on when the playhead nears its end.
func TestFollow(t *testing.T) {
	from := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	v := timeView{From: from, Span: time.Hour}
	if f := v.follow(from.Add(30 * time.Minute)); !f.From.Equal(from) {
		t.Fatal("the view moved for a playhead in its middle")
	}
	at := from.Add(55 * time.Minute)
	if f := v.follow(at); !f.From.Equal(at.Add(-6 * time.Minute)) {
		t.Fatalf("follow near the end: from %v", f.From)
	}
}
