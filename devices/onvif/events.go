package onvif

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// EventKind is what an event means to Nightjar.
type EventKind string

const (
	EventMotion       EventKind = "motion"
	EventTamper       EventKind = "tamper"
	EventDigitalInput EventKind = "digital-input"
	EventOther        EventKind = "other"
)

// Event is a parsed ONVIF notification.
type Event struct {
	Time    time.Time // on the camera's clock, corrected by the client's offset
	Kind    EventKind
	Topic   string // as sent, e.g. tns1:VideoSource/MotionAlarm
	Source  string // the source item's value, e.g. VideoSource_1
	State   bool   // the main boolean data item (motion on, input closed…)
	Initial bool   // a property's starting state, not a change
}

// ParseNotifications reads the NotificationMessages under n (a
// PullMessagesResponse). Unknown or malformed messages are skipped.
func ParseNotifications(n *Node, offset time.Duration) []Event {
	var out []Event
	if n == nil {
		return nil
	}
	for _, m := range n.All("NotificationMessage") {
		topic := m.Str("Topic")
		msg := m.Child("Message", "Message")
		if topic == "" || msg == nil {
			continue
		}
		topic = cleanText(topic, maxText)
		ev := Event{Topic: topic, Kind: kindOf(topic), Initial: msg.Attr("PropertyOperation") == "Initialized"}
		if t, err := time.Parse(time.RFC3339Nano, msg.Attr("UtcTime")); err == nil {
			ev.Time = t.Add(-offset)
		}
		if src := msg.Child("Source"); src != nil {
			if it := src.Child("SimpleItem"); it != nil {
				ev.Source = cleanText(it.Attr("Value"), maxText)
			}
		}
		if data := msg.Child("Data"); data != nil {
			for _, it := range data.All("SimpleItem") {
				v := strings.ToLower(it.Attr("Value"))
				if v == "true" || v == "false" || v == "1" || v == "0" {
					ev.State = v == "true" || v == "1"
					break
				}
			}
		}
		out = append(out, ev)
	}
	return out
}

func kindOf(topic string) EventKind {
	t := strings.ToLower(topic)
	switch {
	case strings.Contains(t, "motion"):
		return EventMotion
	case strings.Contains(t, "tamper") || strings.Contains(t, "globalscenechange") || strings.Contains(t, "imagetoodark") || strings.Contains(t, "signalloss"):
		return EventTamper
	case strings.Contains(t, "digitalinput") || strings.Contains(t, "logicalstate"):
		return EventDigitalInput
	}
	return EventOther
}

// PullPoint is a live pull-point subscription.
type PullPoint struct {
	c       *Client
	addr    string
	expires time.Time // local clock
}

// Subscribe creates a pull-point subscription lasting ttl.
func (c *Client) Subscribe(ctx context.Context, ttl time.Duration) (*PullPoint, error) {
	x, err := c.xaddr(ctx, "events")
	if err != nil {
		return nil, err
	}
	body := fmt.Sprintf(`<tev:CreatePullPointSubscription><tev:InitialTerminationTime>PT%dS</tev:InitialTerminationTime></tev:CreatePullPointSubscription>`, int(ttl.Seconds()))
	r, err := c.call(ctx, x, "CreatePullPointSubscription", body, true)
	if err != nil {
		return nil, err
	}
	addr := r.Str("CreatePullPointSubscriptionResponse", "SubscriptionReference", "Address")
	if addr == "" {
		return nil, fmt.Errorf("CreatePullPointSubscription: %w: no address", ErrMalformed)
	}
	return &PullPoint{c: c, addr: c.sameHost(addr), expires: time.Now().Add(ttl)}, nil
}

func (p *PullPoint) headers(action string) []string {
	return []string{
		`<wsa:Action xmlns:wsa="http://www.w3.org/2005/08/addressing">` + action + `</wsa:Action>`,
		`<wsa:To xmlns:wsa="http://www.w3.org/2005/08/addressing">` + xmlEscape(p.addr) + `</wsa:To>`,
	}
}

// Pull long-polls for up to wait and returns the events that arrived.
func (p *PullPoint) Pull(ctx context.Context, wait time.Duration, limit int) ([]Event, error) {
	body := fmt.Sprintf(`<tev:PullMessages><tev:Timeout>PT%dS</tev:Timeout><tev:MessageLimit>%d</tev:MessageLimit></tev:PullMessages>`, int(wait.Seconds()), limit)
	r, err := p.c.callTimeout(ctx, wait+p.c.timeout(), p.addr, "PullMessages", body, true,
		p.headers("http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesRequest")...)
	if err != nil {
		return nil, err
	}
	return ParseNotifications(r.Child("PullMessagesResponse"), p.c.ClockOffset()), nil
}

// Renew extends the subscription by ttl.
func (p *PullPoint) Renew(ctx context.Context, ttl time.Duration) error {
	body := fmt.Sprintf(`<wsnt:Renew><wsnt:TerminationTime>PT%dS</wsnt:TerminationTime></wsnt:Renew>`, int(ttl.Seconds()))
	_, err := p.c.call(ctx, p.addr, "Renew", body, true, p.headers("http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest")...)
	if err == nil {
		p.expires = time.Now().Add(ttl)
	}
	return err
}

// SetSynchronizationPoint asks the camera to send the current state of
// every property again, as Initialized messages that the next Pull
// returns.
func (p *PullPoint) SetSynchronizationPoint(ctx context.Context) error {
	_, err := p.c.call(ctx, p.addr, "SetSynchronizationPoint", `<tev:SetSynchronizationPoint/>`, true,
		p.headers("http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/SetSynchronizationPointRequest")...)
	return err
}

// Unsubscribe ends the subscription.
func (p *PullPoint) Unsubscribe(ctx context.Context) error {
	_, err := p.c.call(ctx, p.addr, "Unsubscribe", `<wsnt:Unsubscribe/>`, true, p.headers("http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest")...)
	return err
}

// WatchOptions tune WatchEvents.
type WatchOptions struct {
	// TTL is the subscription's lifetime; it is renewed at half. It
	// defaults to 60 s.
	TTL time.Duration
	// Wait is the long-poll time. It defaults to 10 s.
	Wait time.Duration
	// SyncEvery is how often the camera is asked to send every property's
	// state again (SetSynchronizationPoint). A camera sends a property
	// such as motion only when it changes, so without this a lost change
	// would never be corrected. The states arrive within SyncEvery plus
	// one Wait of the last ones. It defaults to 20 s; negative turns it
	// off.
	SyncEvery time.Duration
	// Log receives errors; it defaults to discarding.
	Log *slog.Logger
}

// Default event timing of WatchEvents.
const (
	DefaultPullWait  = 10 * time.Second
	DefaultSyncEvery = 20 * time.Second
)

// WatchEvents keeps a pull-point subscription alive until ctx ends:
// renews it before expiry, asks for every property's state again every
// SyncEvery, and subscribes again (with backoff from 1 s to 30 s) after
// errors or a camera reboot. Each event goes to fn, the Initialized ones
// from subscribing or synchronising included.
func (c *Client) WatchEvents(ctx context.Context, opt WatchOptions, fn func(Event)) error {
	if opt.TTL <= 0 {
		opt.TTL = time.Minute
	}
	if opt.Wait <= 0 {
		opt.Wait = DefaultPullWait
	}
	if opt.Wait > opt.TTL/3 {
		opt.Wait = opt.TTL / 3
	}
	if opt.SyncEvery == 0 {
		opt.SyncEvery = DefaultSyncEvery
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	backoff := time.Second
	for ctx.Err() == nil {
		pp, err := c.Subscribe(ctx, opt.TTL)
		if err == nil {
			backoff = time.Second
			err = c.pullLoop(ctx, pp, opt, fn)
			// Best effort: the camera forgets it at expiry anyway.
			uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			pp.Unsubscribe(uctx)
			cancel()
		}
		if ctx.Err() != nil {
			break
		}
		opt.Log.Warn("event subscription failed; subscribing again", "err", err, "in", backoff)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
		}
		backoff = min(2*backoff, 30*time.Second)
	}
	return ctx.Err()
}

func (c *Client) pullLoop(ctx context.Context, pp *PullPoint, opt WatchOptions, fn func(Event)) error {
	synced := time.Now() // subscribing sends the states too
	syncing := opt.SyncEvery > 0
	for ctx.Err() == nil {
		if time.Until(pp.expires) < opt.TTL/2 {
			if err := pp.Renew(ctx, opt.TTL); err != nil {
				return fmt.Errorf("renew: %w", err)
			}
		}
		if syncing && time.Since(synced) >= opt.SyncEvery {
			err := pp.SetSynchronizationPoint(ctx)
			var fault *FaultError
			switch {
			case errors.As(err, &fault):
				// The camera refuses it: only the expiry of states
				// on the subscriber's side is left to catch a lost
				// change. A gone subscription fails the next pull.
				opt.Log.Warn("camera does not send event states again on request; a lost change is caught only when the state expires", "err", err)
				syncing = false
			case err != nil:
				return fmt.Errorf("synchronise: %w", err)
			}
			synced = time.Now()
		}
		evs, err := pp.Pull(ctx, opt.Wait, 50)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return err
			}
			return fmt.Errorf("pull: %w", err)
		}
		for _, e := range evs {
			fn(e)
		}
	}
	return ctx.Err()
}
