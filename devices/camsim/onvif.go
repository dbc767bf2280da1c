package camsim

import (
	"bufio"
	"fmt"
	"net/http"
	"strings"
	"time"
)

type soapFaults struct{ kind string }

func (c *Camera) setSOAPFault(kind string) {
	c.mu.Lock()
	c.faults.kind = kind
	c.mu.Unlock()
}

func (c *Camera) soapFault() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.faults.kind
}

// preAuth lists operations served without credentials.
var preAuth = map[string]bool{"GetSystemDateAndTime": true}

func (c *Camera) httpHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/onvif/snapshot", c.serveSnapshot)
	mux.HandleFunc("/", c.serveSOAP)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.soapFault() == FaultNotONVIF {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Router login</title></head><body><h1>Welcome</h1><form><input name=user></form></body></html>")
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// authorizeHTTP handles HTTP digest for requests without WS-Security. It
// returns false after writing a 401 challenge.
func (c *Camera) authorizeHTTP(w http.ResponseWriter, r *http.Request) bool {
	user, _ := c.credentials()
	if user == "" {
		return true
	}
	if strings.HasPrefix(r.Header.Get("Authorization"), "Digest ") && c.checkDigest(r) {
		return true
	}
	c.digestChallenge(w)
	http.Error(w, "401 Unauthorized", http.StatusUnauthorized)
	return false
}

func (c *Camera) serveSOAP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "ONVIF services take SOAP over POST", http.StatusMethodNotAllowed)
		return
	}
	env, err := parseXML(r.Body)
	if err != nil || env.Name != "Envelope" || env.child("Body") == nil || len(env.child("Body").Children) == 0 {
		// Digest clients (curl among them) first send an empty body to
		// get the challenge: answer that before complaining about XML.
		if !c.authorizeHTTP(w, r) {
			return
		}
		c.writeSOAP(w, r, 400, (&soapFault{Code: "env:Sender", Subcode: "ter:WellFormed", Reason: "request is not a SOAP envelope"}).body())
		return
	}
	req := env.child("Body").Children[0]
	op := req.Name
	user, _ := c.credentials()
	if !preAuth[op] && user != "" {
		if tok := env.child("Header", "Security", "UsernameToken"); tok != nil {
			if f := c.checkWSSecurity(tok); f != nil {
				c.log.Info("refused WS-Security", "op", op, "reason", f.Reason)
				c.writeSOAP(w, r, f.HTTPStatus, f.body())
				return
			}
		} else if !c.authorizeHTTP(w, r) {
			return
		}
	}
	body, f := c.dispatch(op, req, r)
	if f != nil {
		if f.HTTPStatus == 0 {
			f.HTTPStatus = 400
		}
		c.writeSOAP(w, r, f.HTTPStatus, f.body())
		return
	}
	c.writeSOAP(w, r, 200, body)
}

// writeSOAP writes a SOAP envelope, bent by any injected fault.
func (c *Camera) writeSOAP(w http.ResponseWriter, r *http.Request, status int, body string) {
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	out := envelope(body)
	switch c.soapFault() {
	case FaultGarbage:
		w.WriteHeader(status)
		w.Write([]byte("\x00\x1f\xffGARBAGE-BEFORE-XML \x7f\r\n"))
		w.Write(out)
	case FaultMalformed:
		w.WriteHeader(status)
		s := string(out)
		w.Write([]byte(strings.Replace(s[:len(s)*2/3], "</", "<", 3)))
	case FaultOversized:
		c.writeOversized(w, r)
	case FaultSlow:
		w.WriteHeader(status)
		fl, _ := w.(http.Flusher)
		for _, b := range out {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
			w.Write([]byte{b})
			if fl != nil {
				fl.Flush()
			}
		}
	default:
		w.WriteHeader(status)
		w.Write(out)
	}
}

// oversizedBytes is the size of the oversized-body fault.
const oversizedBytes = 100 << 20

// writeOversized streams a well-formed envelope of about 100 MB, without
// holding it in memory.
func (c *Camera) writeOversized(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(200)
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(envelopeOpen + "<env:Body><tds:GetDeviceInformationResponse><tds:Manufacturer>")
	chunk := []byte(strings.Repeat("A", 64<<10))
	for n := 0; n < oversizedBytes; n += len(chunk) {
		if r.Context().Err() != nil {
			return
		}
		if _, err := bw.Write(chunk); err != nil {
			return
		}
	}
	bw.WriteString("</tds:Manufacturer></tds:GetDeviceInformationResponse></env:Body></env:Envelope>")
	bw.Flush()
}

// baseURL is the scheme and host the client used to reach this camera.
func (c *Camera) baseURL() string { return "http://" + c.httpAddr }

func (c *Camera) dispatch(op string, req *node, r *http.Request) (string, *soapFault) {
	switch op {
	// Device service
	case "GetSystemDateAndTime":
		return c.getSystemDateAndTime(), nil
	case "GetDeviceInformation":
		return c.getDeviceInformation(), nil
	case "GetCapabilities":
		return c.getCapabilities(), nil
	case "GetServices":
		return c.getServices(), nil
	case "GetScopes":
		return c.getScopes(), nil
	case "GetNetworkInterfaces":
		return c.getNetworkInterfaces(), nil
	case "GetUsers":
		return c.getUsers()
	case "SetUser":
		return c.setUser(req)
	case "GetHostname":
		return `<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP><tt:Name>` + esc(c.hostname()) + `</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>`, nil
	// Media service
	case "GetProfiles":
		return c.getProfiles(), nil
	case "GetProfile":
		return c.getProfile(req)
	case "GetVideoSources":
		return c.getVideoSources(), nil
	case "GetStreamUri":
		return c.getStreamURI(req)
	case "GetSnapshotUri":
		return c.getSnapshotURI(req)
	case "GetVideoEncoderConfigurations":
		return c.getVideoEncoderConfigurations(), nil
	case "GetVideoEncoderConfiguration":
		return c.getVideoEncoderConfiguration(req)
	}
	if body, f, ok := c.dispatchMedia2(op, req); ok {
		return body, f
	}
	// GetServiceCapabilities exists in every service: the path decides.
	isPTZPath := strings.Contains(r.URL.Path, "ptz")
	if !isPTZPath {
		if body, f, ok := c.dispatchEvents(op, req, r); ok {
			return body, f
		}
	}
	if c.ptz != nil {
		if body, f, ok := c.dispatchPTZ(op, req); ok {
			return body, f
		}
	}
	return "", faultNoAction(op)
}

func (c *Camera) hostname() string { return strings.ReplaceAll(strings.ToLower(c.Name), " ", "-") }
