package camsim

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// pullPoint is a pull-point subscription made with the test's own SOAP
// client.
type pullPoint struct {
	t    *testing.T
	addr string
}

func subscribe(t *testing.T, cam *Camera) *pullPoint {
	t.Helper()
	code, body, err := soapCall(t, "http://"+cam.httpAddr+"/onvif/events_service",
		nil, `<CreatePullPointSubscription xmlns="http://www.onvif.org/ver10/events/wsdl"><InitialTerminationTime>PT60S</InitialTerminationTime></CreatePullPointSubscription>`, 5*time.Second)
	if err != nil || code != 200 {
		t.Fatalf("CreatePullPointSubscription: HTTP %d, %v: %s", code, err, body)
	}
	m := regexp.MustCompile(`<wsa:Address>([^<]+)</wsa:Address>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no subscription address in %s", body)
	}
	return &pullPoint{t: t, addr: strings.ReplaceAll(m[1], "&amp;", "&")}
}

// message is one notification as the wire carries it.
type message struct{ op, state string }

var messageRE = regexp.MustCompile(`PropertyOperation="(\w+)".*?<tt:Data><tt:SimpleItem Name="\w+" Value="(\w+)"/>`)

// pull returns the messages of one PullMessages with a 1 s timeout.
func (p *pullPoint) pull() []message {
	p.t.Helper()
	code, body, err := soapCall(p.t, p.addr, nil, `<PullMessages xmlns="http://www.onvif.org/ver10/events/wsdl"><Timeout>PT1S</Timeout><MessageLimit>100</MessageLimit></PullMessages>`, 5*time.Second)
	if err != nil || code != 200 {
		p.t.Fatalf("PullMessages: HTTP %d, %v: %s", code, err, body)
	}
	var out []message
	for _, m := range messageRE.FindAllStringSubmatch(body, -1) {
		out = append(out, message{m[1], m[2]})
	}
	return out
}

func (p *pullPoint) sync() {
	p.t.Helper()
	code, body, err := soapCall(p.t, p.addr, nil, `<SetSynchronizationPoint xmlns="http://www.onvif.org/ver10/events/wsdl"/>`, 5*time.Second)
	if err != nil || code != 200 {
		p.t.Fatalf("SetSynchronizationPoint: HTTP %d, %v: %s", code, err, body)
	}
}

// TestNoMotionOffFault: with the fault on, a subscriber sees motion go on
// but never off, neither as a change nor as a state when it synchronises
// or subscribes; cleared, the off state arrives again.
func TestNoMotionOffFault(t *testing.T) {
	s := startSim(t, Config{Cameras: 1, NoAuth: true, MotionEvery: -1})
	cam := s.Cameras()[0]
	p := subscribe(t, cam)
	if got := p.pull(); len(got) != 2 || got[0] != (message{"Initialized", "false"}) {
		t.Fatalf("first pull %v, want two Initialized false (one per topic)", got)
	}
	if err := cam.InjectFault(FaultNoMotionOff, 0); err != nil {
		t.Fatal(err)
	}
	cam.TriggerMotion(true)
	cam.TriggerMotion(false)
	if got := p.pull(); len(got) != 2 || got[0] != (message{"Changed", "true"}) || got[1] != (message{"Changed", "true"}) {
		t.Fatalf("after on and off: %v, want only the two Changed true", got)
	}
	p.sync()
	if got := p.pull(); len(got) != 0 {
		t.Fatalf("synchronising with motion off sent %v, want nothing", got)
	}
	if got := subscribe(t, cam).pull(); len(got) != 0 {
		t.Fatalf("a new subscription got %v, want nothing", got)
	}
	if err := cam.InjectFault(FaultNone, 0); err != nil {
		t.Fatal(err)
	}
	p.sync()
	if got := p.pull(); len(got) != 2 || got[0] != (message{"Initialized", "false"}) {
		t.Fatalf("after clearing the fault, synchronising sent %v, want Initialized false", got)
	}
}
