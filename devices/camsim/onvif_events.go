package camsim

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Topics camsim emits.
const (
	TopicMotionAlarm = "tns1:VideoSource/MotionAlarm"
	TopicCellMotion  = "tns1:RuleEngine/CellMotionDetector/Motion"
)

// maxQueued bounds each subscription's undelivered messages, like a
// camera's small buffer; older messages are dropped first.
const maxQueued = 100

type eventMsg struct {
	topic string
	at    time.Time
	op    string // Initialized, Changed
	state bool
}

type subscription struct {
	id      string
	expires time.Time
	queue   []eventMsg
	notify  chan struct{}
}

type eventState struct {
	mu         sync.Mutex
	subs       map[string]*subscription
	nextID     int
	motion     bool
	noOff      bool      // the lose-motion-off fault is on
	noOffUntil time.Time // when it ends; zero: when cleared
	noSync     bool      // SetSynchronizationPoint is refused
	rng        *rand.Rand
	nextToggle time.Time
}

func (c *Camera) events() *eventState {
	c.evOnce.Do(func() {
		c.ev = &eventState{subs: map[string]*subscription{}, rng: rand.New(rand.NewPCG(uint64(c.sim.cfg.Seed), uint64(c.Index)))}
	})
	return c.ev
}

// TriggerMotion emits a motion start (true) or stop (false) on both motion
// topics, as a camera's analytics would.
func (c *Camera) TriggerMotion(on bool) {
	e := c.events()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.motion = on
	now := c.now()
	for _, s := range e.subs {
		for _, topic := range []string{TopicMotionAlarm, TopicCellMotion} {
			e.push(s, eventMsg{topic: topic, at: now, op: "Changed", state: on})
		}
	}
	c.log.Debug("motion", "on", on)
}

// LoseMotionOff makes every motion-off message go missing for d (0: until
// cleared): neither the change to off nor an off state, on subscribing or
// synchronising, reaches a subscriber. The camera's own motion state still
// goes off. on false clears it.
func (c *Camera) LoseMotionOff(on bool, d time.Duration) {
	e := c.events()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.noOff, e.noOffUntil = on, time.Time{}
	if on && d > 0 {
		e.noOffUntil = time.Now().Add(d)
	}
}

// RefuseSync makes the camera refuse SetSynchronizationPoint, as some
// firmware does, or accept it again.
func (c *Camera) RefuseSync(on bool) {
	e := c.events()
	e.mu.Lock()
	e.noSync = on
	e.mu.Unlock()
}

func (e *eventState) push(s *subscription, m eventMsg) {
	if e.noOff && !e.noOffUntil.IsZero() && time.Now().After(e.noOffUntil) {
		e.noOff = false
	}
	if e.noOff && !m.state {
		return
	}
	if len(s.queue) >= maxQueued {
		s.queue = s.queue[1:]
	}
	s.queue = append(s.queue, m)
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// Subscriptions returns the number of live pull-point subscriptions.
func (c *Camera) Subscriptions() int {
	e := c.events()
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.subs)
}

// tickEvents expires subscriptions and runs the seeded motion schedule.
func (c *Camera) tickEvents(now time.Time) {
	e := c.events()
	e.mu.Lock()
	for id, s := range e.subs {
		if now.After(s.expires) {
			delete(e.subs, id)
		}
	}
	every := c.sim.cfg.MotionEvery
	toggle := false
	if every > 0 {
		if e.nextToggle.IsZero() {
			e.nextToggle = now.Add(time.Duration((0.5 + e.rng.Float64()) * float64(every)))
		} else if now.After(e.nextToggle) {
			toggle = true
			if e.motion {
				e.nextToggle = now.Add(time.Duration((0.5 + e.rng.Float64()) * float64(every)))
			} else {
				e.nextToggle = now.Add(3*time.Second + time.Duration(e.rng.Float64()*5*float64(time.Second)))
			}
		}
	}
	on := !e.motion
	e.mu.Unlock()
	if toggle {
		c.TriggerMotion(on)
	}
}

// dropSubscriptions forgets every subscription, as a reboot does.
func (c *Camera) dropSubscriptions() {
	e := c.events()
	e.mu.Lock()
	e.subs = map[string]*subscription{}
	e.mu.Unlock()
}

func (c *Camera) subscriptionFor(r *http.Request) (*subscription, *soapFault) {
	e := c.events()
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.subs[r.URL.Query().Get("id")]
	if s == nil {
		return nil, &soapFault{HTTPStatus: 400, Code: "env:Sender", Subcode: "ter:InvalidArgVal", Reason: "unknown or expired subscription"}
	}
	return s, nil
}

// terminationFrom reads an InitialTerminationTime or TerminationTime:
// either a duration (PT60S) or an absolute time.
func (c *Camera) terminationFrom(s string, def time.Duration) time.Time {
	now := time.Now()
	if s == "" {
		return now.Add(def)
	}
	if d, ok := xsdDuration(s); ok {
		return now.Add(d)
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		// The client wrote it in the camera's clock; convert to ours.
		return now.Add(t.Sub(c.now()))
	}
	return now.Add(def)
}

func (c *Camera) dispatchEvents(op string, req *node, r *http.Request) (string, *soapFault, bool) {
	e := c.events()
	switch op {
	case "GetServiceCapabilities":
		return `<tev:GetServiceCapabilitiesResponse><tev:Capabilities WSSubscriptionPolicySupport="false" WSPullPointSupport="true" WSPausableSubscriptionManagerInterfaceSupport="false" MaxNotificationProducers="0" MaxPullPoints="16" PersistentNotificationStorage="false"/></tev:GetServiceCapabilitiesResponse>`, nil, true
	case "GetEventProperties":
		item := `<tt:MessageDescription IsProperty="true"><tt:Source><tt:SimpleItemDescription Name="%s" Type="tt:ReferenceToken"/></tt:Source><tt:Data><tt:SimpleItemDescription Name="%s" Type="xs:boolean"/></tt:Data></tt:MessageDescription>`
		return `<tev:GetEventPropertiesResponse>` +
			`<tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/topics/topicns.xml</tev:TopicNamespaceLocation>` +
			`<wsnt:FixedTopicSet>true</wsnt:FixedTopicSet>` +
			`<wstop:TopicSet xmlns:wstop="http://docs.oasis-open.org/wsn/t-1">` +
			`<tns1:VideoSource><MotionAlarm wstop:topic="true">` + fmt.Sprintf(item, "Source", "State") + `</MotionAlarm></tns1:VideoSource>` +
			`<tns1:RuleEngine><CellMotionDetector><Motion wstop:topic="true">` + fmt.Sprintf(item, "VideoSourceConfigurationToken", "IsMotion") + `</Motion></CellMotionDetector></tns1:RuleEngine>` +
			`</wstop:TopicSet>` +
			`<wsnt:TopicExpressionDialect>http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet</wsnt:TopicExpressionDialect>` +
			`<wsnt:TopicExpressionDialect>http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete</wsnt:TopicExpressionDialect>` +
			`<tev:MessageContentFilterDialect>http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter</tev:MessageContentFilterDialect>` +
			`<tev:MessageContentSchemaLocation>http://www.onvif.org/onvif/ver10/schema/onvif.xsd</tev:MessageContentSchemaLocation>` +
			`</tev:GetEventPropertiesResponse>`, nil, true
	case "CreatePullPointSubscription":
		e.mu.Lock()
		e.nextID++
		s := &subscription{id: fmt.Sprint(e.nextID), notify: make(chan struct{}, 1),
			expires: c.terminationFrom(req.text("InitialTerminationTime"), time.Minute)}
		e.subs[s.id] = s
		// Properties start with their current state, as the spec says.
		now := c.now()
		for _, topic := range []string{TopicMotionAlarm, TopicCellMotion} {
			e.push(s, eventMsg{topic: topic, at: now, op: "Initialized", state: e.motion})
		}
		expires := s.expires
		e.mu.Unlock()
		return fmt.Sprintf(`<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address>%s</wsa:Address></tev:SubscriptionReference>`+
			`<wsnt:CurrentTime>%s</wsnt:CurrentTime><wsnt:TerminationTime>%s</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>`,
			esc(c.baseURL()+"/onvif/subscription?id="+s.id), xsdTime(c.now()), xsdTime(c.cameraTime(expires))), nil, true
	case "PullMessages":
		s, f := c.subscriptionFor(r)
		if f != nil {
			return "", f, true
		}
		timeout, ok := xsdDuration(req.text("Timeout"))
		if !ok || timeout <= 0 {
			timeout = 10 * time.Second
		}
		timeout = min(timeout, time.Minute)
		limit := 100
		fmt.Sscan(req.text("MessageLimit"), &limit)
		deadline := time.NewTimer(timeout)
		defer deadline.Stop()
		var msgs []eventMsg
		for {
			e.mu.Lock()
			if len(s.queue) > 0 {
				n := min(limit, len(s.queue))
				msgs = append(msgs, s.queue[:n]...)
				s.queue = s.queue[n:]
			}
			expires := s.expires
			e.mu.Unlock()
			if len(msgs) > 0 {
				return c.pullResponse(msgs, expires), nil, true
			}
			select {
			case <-s.notify:
			case <-deadline.C:
				return c.pullResponse(nil, expires), nil, true
			case <-r.Context().Done():
				return "", &soapFault{HTTPStatus: 503, Code: "env:Receiver", Subcode: "ter:Action", Reason: "cancelled"}, true
			}
		}
	case "Renew":
		s, f := c.subscriptionFor(r)
		if f != nil {
			return "", f, true
		}
		e.mu.Lock()
		s.expires = c.terminationFrom(req.text("TerminationTime"), time.Minute)
		expires := s.expires
		e.mu.Unlock()
		return fmt.Sprintf(`<wsnt:RenewResponse><wsnt:TerminationTime>%s</wsnt:TerminationTime><wsnt:CurrentTime>%s</wsnt:CurrentTime></wsnt:RenewResponse>`,
			xsdTime(c.cameraTime(expires)), xsdTime(c.now())), nil, true
	case "Unsubscribe":
		s, f := c.subscriptionFor(r)
		if f != nil {
			return "", f, true
		}
		e.mu.Lock()
		delete(e.subs, s.id)
		e.mu.Unlock()
		return `<wsnt:UnsubscribeResponse/>`, nil, true
	case "SetSynchronizationPoint":
		s, f := c.subscriptionFor(r)
		if f != nil {
			return "", f, true
		}
		e.mu.Lock()
		if e.noSync {
			e.mu.Unlock()
			return "", faultNoAction(op), true
		}
		now := c.now()
		for _, topic := range []string{TopicMotionAlarm, TopicCellMotion} {
			e.push(s, eventMsg{topic: topic, at: now, op: "Initialized", state: e.motion})
		}
		e.mu.Unlock()
		return `<tev:SetSynchronizationPointResponse/>`, nil, true
	}
	return "", nil, false
}

// cameraTime converts a local time to the camera's skewed clock.
func (c *Camera) cameraTime(t time.Time) time.Time {
	return t.Add(c.now().Sub(time.Now()))
}

func (c *Camera) pullResponse(msgs []eventMsg, expires time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<tev:PullMessagesResponse><tev:CurrentTime>%s</tev:CurrentTime><tev:TerminationTime>%s</tev:TerminationTime>`, xsdTime(c.now()), xsdTime(c.cameraTime(expires)))
	for _, m := range msgs {
		srcName, dataName := "Source", "State"
		srcVal := "VideoSource_1"
		if m.topic == TopicCellMotion {
			srcName, dataName, srcVal = "VideoSourceConfigurationToken", "IsMotion", "vsc"
		}
		fmt.Fprintf(&b, `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">%s</wsnt:Topic>`+
			`<wsnt:Message><tt:Message UtcTime="%s" PropertyOperation="%s"><tt:Source><tt:SimpleItem Name="%s" Value="%s"/></tt:Source>`+
			`<tt:Data><tt:SimpleItem Name="%s" Value="%t"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`,
			m.topic, m.at.UTC().Format("2006-01-02T15:04:05.000Z"), m.op, srcName, srcVal, dataName, m.state)
	}
	b.WriteString(`</tev:PullMessagesResponse>`)
	return b.String()
}
