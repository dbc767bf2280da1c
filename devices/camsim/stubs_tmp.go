package camsim

import (
	"net/http"
	"time"
)

type soapFaults struct{ kind string }

func (c *Camera) setSOAPFault(kind string) { c.mu.Lock(); c.faults.kind = kind; c.mu.Unlock() }

func (c *Camera) httpHandler() http.Handler { return http.NotFoundHandler() }
func (c *Camera) tickEvents(now time.Time)  {}
