package player

import "testing"

func TestStateString(t *testing.T) {
	for _, tc := range []struct {
		s    State
		want string
	}{
		{StateConnecting, "connecting"},
		{StatePlaying, "playing"},
		{StateReconnecting, "reconnecting"},
		{StateClosed, "closed"},
		{StateClosed + 1, "State(4)"},
		{-1, "State(-1)"},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("State(%d).String() = %q, want %q", int32(tc.s), got, tc.want)
		}
	}
}
