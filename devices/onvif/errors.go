package onvif

import (
	"errors"
	"fmt"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrUnauthorized: the camera refused the user name or password.
	ErrUnauthorized = errors.New("the camera refused the user name or password")
	// ErrNotSupported: the camera does not offer the operation.
	ErrNotSupported = errors.New("the camera does not support this")
	// ErrTimeout: the camera did not answer in time.
	ErrTimeout = errors.New("the camera did not answer in time")
	// ErrNotONVIF: the address answered, but not as an ONVIF device.
	ErrNotONVIF = errors.New("the address is not an ONVIF camera")
	// ErrClockSkew: the camera's clock is too far off to authenticate.
	ErrClockSkew = errors.New("the camera's clock is too far off")
	// ErrUnreachable: nothing answered at the address.
	ErrUnreachable = errors.New("the camera cannot be reached")
	// ErrMalformed: the camera's reply could not be read.
	ErrMalformed = errors.New("the camera sent a reply that cannot be read")
	// ErrTooLarge: the reply was larger than MaxBody.
	ErrTooLarge = errors.New("the camera's reply is too large")
	// ErrBadURI: the camera reported a stream or snapshot address that
	// Nightjar will not use (a scheme other than rtsp/rtsps or
	// http/https, or no address at all).
	ErrBadURI = errors.New("the camera reported an address Nightjar will not use")
	// ErrUserLevel: the camera did not say what level a user has, so
	// Nightjar will not change that user.
	ErrUserLevel = errors.New("the camera did not say the user's level")
)

// Hint is the sentence a user sees for err: what happened and what to do.
func Hint(err error) string {
	switch {
	case errors.Is(err, ErrUnauthorized):
		return "Check the user name and password. Many cameras lock the account for a while after several wrong tries."
	case errors.Is(err, ErrClockSkew):
		return "Set the camera's clock (or turn on NTP in its web page); Nightjar corrects for offsets it can measure."
	case errors.Is(err, ErrTimeout):
		return "The camera may be busy, rebooting or on a slow link. Try again in a minute; check its power and cable."
	case errors.Is(err, ErrUnreachable):
		return "Check the address and port, that the camera is powered and on this network, and that no firewall blocks it."
	case errors.Is(err, ErrNotONVIF):
		return "This address is some other device or a web page. Check the address, or turn on ONVIF in the camera's settings; for a plain RTSP camera add it by its rtsp:// URL."
	case errors.Is(err, ErrUserLevel):
		return "Change the password in the camera's own web page, then give Nightjar the new one."
	case errors.Is(err, ErrNotSupported):
		return "The camera does not offer this feature."
	case errors.Is(err, ErrBadURI):
		return "Give the stream address by hand (nightjar cameras add ADDRESS --main rtsp://...), or add the camera by its rtsp:// URL."
	case errors.Is(err, ErrMalformed), errors.Is(err, ErrTooLarge):
		return "The camera's firmware answered in a way Nightjar cannot use. A firmware update may help."
	}
	return ""
}

// FaultError is a SOAP fault from the camera.
type FaultError struct {
	Op      string // the operation called
	Code    string // e.g. env:Sender
	Subcode string // e.g. ter:NotAuthorized
	Reason  string
	kind    error // the sentinel it maps to, or nil
}

func (e *FaultError) Error() string {
	s := fmt.Sprintf("%s: camera fault %s", e.Op, e.Subcode)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

func (e *FaultError) Unwrap() error { return e.kind }
