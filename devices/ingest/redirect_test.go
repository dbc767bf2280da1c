package ingest

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// rtspFake answers RTSP requests by a rule and notes each request's first
// line and whether it carried Authorization.
type rtspFake struct {
	ln     net.Listener
	answer func(method, authz string) string // status line and extra headers
	mu     sync.Mutex
	seen   []string
}

func startRTSPFake(t *testing.T, addr string, answer func(method, authz string) string) *rtspFake {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	f := &rtspFake{ln: ln, answer: answer}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.handle(c)
		}
	}()
	return f
}

func (f *rtspFake) handle(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	for {
		first, err := br.ReadString('\n')
		if err != nil {
			return
		}
		var cseq, authz string
		for {
			l, err := br.ReadString('\n')
			if err != nil {
				return
			}
			l = strings.TrimRight(l, "\r\n")
			if l == "" {
				break
			}
			k, v, _ := strings.Cut(l, ":")
			switch strings.ToLower(k) {
			case "cseq":
				cseq = strings.TrimSpace(v)
			case "authorization":
				authz = strings.TrimSpace(v)
			}
		}
		method, _, _ := strings.Cut(first, " ")
		f.mu.Lock()
		f.seen = append(f.seen, fmt.Sprintf("%s authorized=%v", strings.TrimSpace(first), authz != ""))
		f.mu.Unlock()
		if _, err := fmt.Fprintf(c, "%s\r\nCSeq: %s\r\n\r\n", f.answer(method, authz), cseq); err != nil {
			return
		}
	}
}

func (f *rtspFake) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.seen...)
}

// TestRedirectGetsNoCredentials has the camera's host answer DESCRIBE
// with a redirect to another loopback host: ingest may follow it, but
// must not take the credentials along.
func TestRedirectGetsNoCredentials(t *testing.T) {
	challenge := "RTSP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"cam\""
	trap := startRTSPFake(t, "127.0.0.2:0", func(string, string) string { return challenge })
	home := startRTSPFake(t, "127.0.0.1:0", func(method, authz string) string {
		switch {
		case authz == "":
			return challenge
		case method == "DESCRIBE":
			return "RTSP/1.0 302 Found\r\nLocation: rtsp://" + trap.ln.Addr().String() + "/main"
		}
		return "RTSP/1.0 200 OK\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN"
	})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c := &Client{URL: "rtsp://admin:Redirect-Pw-5@" + home.ln.Addr().String() + "/main", Handler: &recorded{}}
	c.Run(ctx)

	authorizedHome := false
	for _, r := range home.requests() {
		authorizedHome = authorizedHome || strings.HasPrefix(r, "DESCRIBE") && strings.HasSuffix(r, "authorized=true")
	}
	if !authorizedHome {
		t.Fatalf("the camera's own host never got an authorized DESCRIBE: %q", home.requests())
	}
	got := trap.requests()
	if len(got) == 0 {
		t.Fatal("the redirect was not followed; the test proves nothing")
	}
	for _, r := range got {
		if strings.HasSuffix(r, "authorized=true") {
			t.Errorf("the redirect target got credentials: %s", r)
		}
	}
}
