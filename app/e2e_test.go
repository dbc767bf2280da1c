package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"nightjar/devices/onvif"
	"nightjar/internal/testwait"
)

// End-to-end tests run the real binary in a real X window. 'make test' runs
// them under xvfb-run with NIGHTJAR_FULL_TEST=1; without a display they are
// skipped, and with NIGHTJAR_FULL_TEST they fail instead.
func requireDisplay(t *testing.T) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv("NIGHTJAR_FULL_TEST") != "" {
			t.Fatal("end-to-end tests need DISPLAY (run them through 'make test')")
		}
		t.Skip("no DISPLAY; 'make test' runs this under Xvfb")
	}
	for _, tool := range []string{"import", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is required (packaging/install-deps.sh installs it): %v", tool, err)
		}
	}
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// nightjarBinary builds the real binary once per test run, with the race
// detector. Every run of it halts at its first race report with the
// detector's exit status, 66 (GORACE halt_on_error), which no test takes
// for success; where the output is at hand, raceFree also looks for the
// report itself.
func nightjarBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		// Without halt_on_error a race changes only a clean exit's status;
		// a run expected to exit 1 would still pass.
		if err := os.Setenv("GORACE", "halt_on_error=1 exitcode=66"); err != nil {
			binErr = err
			return
		}
		dir, err := os.MkdirTemp("", "nightjar-e2e-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "nightjar")
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "go", "build", "-race", "-o", binPath, "..").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// screenshot grabs the whole X screen, as a person would see it.
func screenshot(t *testing.T) *image.RGBA {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "import", "-window", "root", "png:-").Output()
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("decode screenshot: %v", err)
	}
	rgba := image.NewRGBA(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			rgba.Set(x, y, img.At(x, y))
		}
	}
	return rgba
}

// saveArtifact keeps a screenshot next to the test's output for a person to
// look at when the test fails. It returns the path, or why there is none.
func saveArtifact(t *testing.T, name string, img image.Image) string {
	dir := filepath.Join(os.TempDir(), "nightjar-e2e")
	p := filepath.Join(dir, name)
	err := os.MkdirAll(dir, 0o755)
	if err == nil {
		var b bytes.Buffer
		if err = png.Encode(&b, img); err == nil {
			err = os.WriteFile(p, b.Bytes(), 0o644)
		}
	}
	if err != nil {
		t.Logf("save screenshot %s: %v", name, err)
		return "no screenshot: " + err.Error()
	}
	return p
}

// countNear counts pixels within tol of (r,g,b) in each channel.
func countNear(img *image.RGBA, r, g, b uint8, tol int) int {
	n := 0
	bb := img.Bounds()
	for y := bb.Min.Y; y < bb.Max.Y; y++ {
		for x := bb.Min.X; x < bb.Max.X; x++ {
			p := img.RGBAAt(x, y)
			if absDiff(p.R, r) <= tol && absDiff(p.G, g) <= tol && absDiff(p.B, b) <= tol {
				n++
			}
		}
	}
	return n
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func distinctColours(img *image.RGBA, max int) int {
	seen := map[[3]uint8]bool{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y && len(seen) < max; y++ {
		for x := r.Min.X; x < r.Max.X && len(seen) < max; x++ {
			p := img.RGBAAt(x, y)
			seen[[3]uint8{p.R, p.G, p.B}] = true
		}
	}
	return len(seen)
}

// startApp starts the binary with args and stops it at cleanup, where a
// race report or an unclean exit fails t.
func startApp(t *testing.T, args ...string) (*exec.Cmd, *testwait.Buffer) {
	t.Helper()
	cmd := exec.Command(nightjarBinary(t), args...)
	out := &testwait.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		err := stopApp(cmd)
		raceFree(t, "the app", out.String())
		if err != nil {
			t.Errorf("the app did not exit cleanly on interrupt: %v\n%s", err, out)
		}
	})
	return cmd, out
}

func TestE2EWelcomeScreenAndSingleInstance(t *testing.T) {
	requireDisplay(t)
	dataDir := t.TempDir()
	_, out := startApp(t, "--data-dir", dataDir)

	// The welcome screen's "Find cameras" button is filled with Nightjar's
	// amber accent; wait until enough of it is on screen.
	var shot *image.RGBA
	deadline := time.Now().Add(30 * time.Second)
	for {
		shot = screenshot(t)
		if countNear(shot, 0xe0, 0x8a, 0x1e, 12) > 2000 {
			break
		}
		if time.Now().After(deadline) {
			p := saveArtifact(t, "welcome-timeout.png", shot)
			t.Fatalf("welcome screen not visible after 30 s (screenshot %s); app output:\n%s", p, out)
		}
		time.Sleep(250 * time.Millisecond)
	}
	if n := distinctColours(shot, 100); n < 20 {
		t.Fatalf("screen has only %d colours: not a rendered window", n)
	}
	saveArtifact(t, "welcome.png", shot)

	// A second instance on the same data dir exits quickly with one line:
	// it waits out the catalogue lock's 1 s open timeout, on top of what
	// starting the binary costs on this machine (measured with 'version';
	// the race detector makes it slower), with 0.5 s of margin.
	start := time.Now()
	if out, err := exec.Command(nightjarBinary(t), "version").CombinedOutput(); err != nil {
		t.Fatalf("version: %v\n%s", err, out)
	}
	startup := time.Since(start)
	start = time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	second := exec.CommandContext(ctx, nightjarBinary(t), "--data-dir", dataDir)
	msg, err := second.CombinedOutput()
	elapsed := time.Since(start)
	raceFree(t, "the second instance", string(msg))
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("second instance: err %v, output %q", err, msg)
	}
	if bound := startup + time.Second + 500*time.Millisecond; elapsed > bound {
		t.Fatalf("second instance took %v to exit, want ≤ %v (start-up %v + the 1 s lock timeout + 0.5 s)", elapsed, bound, startup)
	}
	t.Logf("second instance exited after %v; the binary starts in %v", elapsed, startup)
	lines := strings.Split(strings.TrimSpace(string(msg)), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "already running") || !strings.Contains(lines[0], dataDir) {
		t.Fatalf("want one clear line naming the data dir, got %q", msg)
	}
}

// TestE2EDemoWallShowsMovingVideo starts the real app in demo mode and
// takes two X-level screenshots 1 s apart: each of the four tiles must show
// a picture (not one colour) that moves (pixels differ).
func TestE2EDemoWallShowsMovingVideo(t *testing.T) {
	requireDisplay(t)
	_, out := startApp(t, "--demo")
	// The wall and its tiles as the screen shows them: the demo's four
	// cameras in a 2×2 grid of 16:9 pictures (camsim sends 1280×720 and
	// 640×360).
	l, a := waitForWall(t, 4, 30*time.Second, out)
	if len(l.pictures) != 4 || l.pictures[0].Min.Y != l.pictures[1].Min.Y || l.pictures[0].Min.X != l.pictures[2].Min.X {
		p := saveArtifact(t, "demo-wall-layout.png", a)
		t.Fatalf("want a 2×2 wall, the screen shows pictures at %v (%s)", l.pictures, p)
	}
	for i, r := range l.pictures {
		if ar := float64(r.Dx()) / float64(r.Dy()); ar < 16.0/9*0.97 || ar > 16.0/9*1.03 {
			t.Errorf("picture %d is %v: aspect %.3f, want 16:9 (1.778)", i+1, r, ar)
		}
	}
	t.Logf("wall %v; pictures %v; cells %v", l.wall, l.pictures, l.cells)
	tiles := l.samples()
	time.Sleep(time.Second)
	b := screenshot(t)
	saveArtifact(t, "demo-wall-a.png", a)
	saveArtifact(t, "demo-wall-b.png", b)
	for i, r := range tiles {
		if n := distinctColours(crop(b, r), 50); n < 10 {
			t.Errorf("tile %d: only %d colours", i+1, n)
		}
		if d := changedPixels(a, b, r); d < r.Dx()*r.Dy()/200 {
			t.Errorf("tile %d: only %d pixels changed in 1 s: not moving", i+1, d)
		}
	}

	// The demo records camera 1 all the time: its tile shows the red REC
	// mark in its top right corner. Camera 4 records only by hand: R on
	// its tile starts it.
	recMark := func(img *image.RGBA, tile int) int {
		r := l.cells[tile]
		return countNear(crop(img, image.Rect(r.Max.X-90, r.Min.Y, r.Max.X, r.Min.Y+26)), 0xff, 0x30, 0x30, 60)
	}
	if n := recMark(b, 0); n < 20 {
		p := saveArtifact(t, "demo-wall-no-rec.png", b)
		t.Errorf("camera 1 records but its tile shows no REC mark (%d red pixels, %s)", n, p)
	}
	if n := recMark(b, 3); n > 5 {
		t.Fatalf("camera 4 shows a REC mark before recording (%d red pixels)", n)
	}
	c4 := centre(l.pictures[3])
	xdo(t, "mousemove", fmt.Sprint(c4.X), fmt.Sprint(c4.Y), "click", "1")
	// The wall also takes double clicks, so a single click selects only
	// once the double-click time has passed.
	time.Sleep(600 * time.Millisecond)
	xdo(t, "key", "r")
	deadline := time.Now().Add(10 * time.Second)
	for {
		c := screenshot(t)
		if recMark(c, 3) >= 20 {
			break
		}
		if time.Now().After(deadline) {
			p := saveArtifact(t, "demo-wall-r.png", c)
			t.Fatalf("R did not start recording camera 4 within 10 s (%s)", p)
		}
		time.Sleep(300 * time.Millisecond)
	}

	// The video goes to an X11 child window over Fyne's; a tile's menu
	// must still show above it. The menu is a dark grey box below and to
	// the right of the pointer, where the tile shows colour bars.
	c2 := centre(l.pictures[1])
	cx, cy := c2.X, c2.Y
	menuArea := image.Rect(cx+10, cy+10, cx+110, cy+120)
	menuGrey := func(img *image.RGBA) int { return countNear(crop(img, menuArea), 40, 41, 46, 12) }
	if n := menuGrey(screenshot(t)); n > menuArea.Dx()*menuArea.Dy()/10 {
		t.Fatalf("menu colour on the tile before any menu (%d pixels)", n)
	}
	xdo(t, "mousemove", fmt.Sprint(cx), fmt.Sprint(cy), "click", "3")
	// 10 s: the race-built binary on a loaded machine is slow to draw it.
	deadline = time.Now().Add(10 * time.Second)
	for {
		c := screenshot(t)
		if menuGrey(c) > menuArea.Dx()*menuArea.Dy()/2 {
			break
		}
		if time.Now().After(deadline) {
			p := saveArtifact(t, "demo-wall-menu.png", c)
			t.Fatalf("the tile menu did not show over the video within 10 s (%s)", p)
		}
		time.Sleep(200 * time.Millisecond)
	}
	xdo(t, "key", "Escape")
}

// stopApp interrupts the app and waits for it, so that its output can be
// read. It returns how the app ended: nil for a clean exit.
func stopApp(cmd *exec.Cmd) error {
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		return fmt.Errorf("interrupt: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
		return errors.New("still running 10 s after the interrupt; killed")
	}
}

func crop(img *image.RGBA, r image.Rectangle) *image.RGBA {
	return img.SubImage(r).(*image.RGBA)
}

func allTilesPictured(img *image.RGBA, tiles []image.Rectangle) bool {
	for _, r := range tiles {
		if distinctColours(crop(img, r), 50) < 10 {
			return false
		}
	}
	return true
}

func changedPixels(a, b *image.RGBA, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			pa, pb := a.RGBAAt(x, y), b.RGBAAt(x, y)
			if absDiff(pa.R, pb.R)+absDiff(pa.G, pb.G)+absDiff(pa.B, pb.B) > 30 {
				n++
			}
		}
	}
	return n
}

// TestE2EPTZKeyMovesCamera holds the Right arrow on the demo wall and
// checks, through the camera's own ONVIF GetStatus, that the selected
// camera panned while the key was down and stopped when it came up.
func TestE2EPTZKeyMovesCamera(t *testing.T) {
	requireDisplay(t)
	dataDir := t.TempDir()
	_, out := startApp(t, "--demo", "--data-dir", dataDir)
	// The demo logs where its discovery responder listens.
	var disc string
	deadline := time.Now().Add(20 * time.Second)
	for disc == "" && time.Now().Before(deadline) {
		b, err := os.ReadFile(filepath.Join(dataDir, "logs", "nightjar.log"))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if m := regexp.MustCompile(`discovery=(127\.0\.0\.1:\d+)`).FindSubmatch(b); m != nil {
			disc = string(m[1])
		}
		time.Sleep(100 * time.Millisecond)
	}
	if disc == "" {
		t.Fatalf("no discovery address in the log; output:\n%s", out)
	}
	found, err := onvif.Discover(context.Background(), onvif.DiscoverOptions{Targets: []string{disc}, Wait: time.Second})
	if err != nil || len(found) == 0 {
		t.Fatalf("discover: %v %v", found, err)
	}
	var c *onvif.Client
	for _, f := range found {
		if f.Name == "Camsim 1" {
			c = &onvif.Client{DeviceURL: f.XAddrs[0], Username: "admin", Password: "admin"}
		}
	}
	if c == nil {
		t.Fatalf("Camsim 1 not found in %+v", found)
	}
	ctx := context.Background()
	before, err := c.Status(ctx, "main")
	if err != nil {
		t.Fatal(err)
	}
	// Wait for the wall, then select tile 1 and hold Right.
	l, _ := waitForWall(t, 4, 30*time.Second, out)
	center := centre(l.pictures[0])
	xdo(t, "mousemove", fmt.Sprint(center.X), fmt.Sprint(center.Y), "click", "1")
	xdo(t, "keydown", "Right")
	time.Sleep(1200 * time.Millisecond)
	during, err := c.Status(ctx, "main")
	xdo(t, "keyup", "Right")
	if err != nil {
		t.Fatal(err)
	}
	if !during.Moving || during.Pan <= before.Pan+0.1 {
		t.Fatalf("while Right was held: %+v (before %+v)", during, before)
	}
	time.Sleep(time.Second)
	after, err := c.Status(ctx, "main")
	if err != nil {
		t.Fatalf("status after the key was released: %v", err)
	}
	if after.Moving {
		t.Fatalf("camera still moving after the key was released: %+v", after)
	}
}

func xdo(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v %s", args, err, out)
	}
}

// TestE2ENoBlackTileWhileCameraDrops runs a separate simulator whose first
// camera drops its sessions every 3 s, adds both cameras to a fresh data
// dir (passwords into the real keyring), starts the app on it, and watches
// the first tile for 10 s: it must never be black, and it must at some
// point show the greyed stale frame.
func TestE2ENoBlackTileWhileCameraDrops(t *testing.T) {
	requireDisplay(t)
	bin := nightjarBinary(t)
	// Pick a free base port; retry if another process takes one of the
	// simulator's ports first.
	var base int
	var sim *exec.Cmd
	for try := 0; try < 5 && sim == nil; try++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		base = ln.Addr().(*net.TCPAddr).Port / 10 * 10
		ln.Close()
		cmd := exec.Command(bin, "camsim", "--cameras", "2", "--listen", fmt.Sprintf("127.0.0.1:%d", base), "--discovery", "off", "--fault", "1:drop=3s")
		simOut := &testwait.Buffer{}
		cmd.Stdout, cmd.Stderr = simOut, simOut
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		var waitErr error
		go func() { waitErr = cmd.Wait(); close(exited) }()
		select {
		case <-exited:
			raceFree(t, "camsim", simOut.String())
			continue // a port was taken: try another base
		case <-time.After(700 * time.Millisecond):
			sim = cmd
			t.Cleanup(func() {
				if err := cmd.Process.Signal(os.Interrupt); err != nil {
					t.Errorf("interrupt camsim: %v", err)
				}
				<-exited
				raceFree(t, "camsim", simOut.String())
				if waitErr != nil {
					t.Errorf("camsim did not exit cleanly: %v\n%s", waitErr, simOut)
				}
			})
		}
	}
	if sim == nil {
		t.Fatal("could not start the simulator on free ports")
	}
	dataDir := t.TempDir()
	for i := 0; i < 2; i++ {
		var addErr error
		for try := 0; try < 20; try++ { // the simulator may still be starting
			cmd := exec.Command(bin, "--data-dir", dataDir, "cameras", "add", fmt.Sprintf("127.0.0.1:%d", base+10*i), "--user", "admin", "--password-stdin", "--name", fmt.Sprintf("Cam %d", i+1))
			cmd.Stdin = strings.NewReader("admin\n")
			var out []byte
			out, addErr = cmd.CombinedOutput()
			raceFree(t, "cameras add", string(out))
			if addErr == nil {
				break
			} else if strings.Contains(string(out), "keyring") {
				t.Fatalf("cameras add: %s", out)
			}
			time.Sleep(250 * time.Millisecond)
		}
		if addErr != nil {
			t.Fatalf("cameras add %d: %v", i, addErr)
		}
	}
	_, out := startApp(t, "--data-dir", dataDir)
	l, _ := waitForWall(t, 1, 30*time.Second, out)
	tile := l.samples()[0]
	sawStale := false
	var shot *image.RGBA
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); {
		shot = screenshot(t)
		if countNear(crop(shot, tile), 0, 0, 0, 8) > tile.Dx()*tile.Dy()*9/10 {
			p := saveArtifact(t, "black-tile.png", shot)
			t.Fatalf("tile went black while its camera dropped (%s)", p)
		}
		if greyish(crop(shot, tile)) {
			sawStale = true
		}
		time.Sleep(150 * time.Millisecond)
	}
	if !sawStale {
		p := saveArtifact(t, "never-stale.png", shot)
		t.Fatalf("the dropped camera's tile %v never showed its greyed last frame (last screenshot %s)", tile, p)
	}
}

// greyish reports whether nearly every pixel has R≈G≈B: the stale frame.
func greyish(img *image.RGBA) bool {
	r := img.Bounds()
	grey, all := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			p := img.RGBAAt(x, y)
			all++
			if absDiff(p.R, p.G) < 12 && absDiff(p.G, p.B) < 12 {
				grey++
			}
		}
	}
	return grey > all*95/100
}
